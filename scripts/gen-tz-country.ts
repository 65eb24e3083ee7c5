/**
 * Generates data/tz-country.json: IANA time zone → ISO 3166-1 alpha-3 country.
 *
 * Source: tzdb `zone1970.tab` / `zone.tab` (public domain, https://www.iana.org/time-zones),
 * transcribed by hand because the build machine has no network, and Node's ICU lists zone
 * names without countries. Where zone1970.tab lists several countries for one zone (e.g.
 * Europe/Zurich: CH,DE,LI), the zone maps to its first country; the other countries' own
 * zone names (Europe/Vaduz, Europe/Busingen…) are listed under them, as browsers (ICU) report
 * those link names. Legacy names that Chrome still reports (Asia/Calcutta, Asia/Saigon,
 * Europe/Kiev, America/Buenos_Aires…) are included as well.
 *
 * Run: npm run data:tz
 */
import { writeFileSync } from 'node:fs';

/** ISO 3166-1 alpha-2 → the zones whose primary country it is. */
const ZONES_BY_COUNTRY: Record<string, string[]> = {
  AD: ['Europe/Andorra'], AE: ['Asia/Dubai'], AF: ['Asia/Kabul'], AG: ['America/Antigua'], AI: ['America/Anguilla'],
  AL: ['Europe/Tirane'], AM: ['Asia/Yerevan'], AO: ['Africa/Luanda'],
  AQ: ['Antarctica/Casey', 'Antarctica/Davis', 'Antarctica/DumontDUrville', 'Antarctica/Mawson', 'Antarctica/McMurdo', 'Antarctica/Palmer', 'Antarctica/Rothera', 'Antarctica/Syowa', 'Antarctica/Troll', 'Antarctica/Vostok', 'Antarctica/South_Pole'],
  AR: ['America/Argentina/Buenos_Aires', 'America/Buenos_Aires', 'America/Argentina/Cordoba', 'America/Cordoba', 'America/Argentina/Salta', 'America/Argentina/Jujuy', 'America/Jujuy', 'America/Argentina/Tucuman', 'America/Argentina/Catamarca', 'America/Catamarca', 'America/Argentina/La_Rioja', 'America/Argentina/San_Juan', 'America/Argentina/Mendoza', 'America/Mendoza', 'America/Argentina/San_Luis', 'America/Argentina/Rio_Gallegos', 'America/Argentina/Ushuaia'],
  AS: ['Pacific/Pago_Pago', 'Pacific/Samoa'], AT: ['Europe/Vienna'],
  AU: ['Australia/Lord_Howe', 'Antarctica/Macquarie', 'Australia/Hobart', 'Australia/Melbourne', 'Australia/Sydney', 'Australia/Broken_Hill', 'Australia/Brisbane', 'Australia/Lindeman', 'Australia/Adelaide', 'Australia/Darwin', 'Australia/Perth', 'Australia/Eucla', 'Australia/Canberra', 'Australia/ACT', 'Australia/NSW', 'Australia/Victoria', 'Australia/Queensland', 'Australia/South', 'Australia/West', 'Australia/North', 'Australia/Tasmania'],
  AW: ['America/Aruba'], AX: ['Europe/Mariehamn'], AZ: ['Asia/Baku'], BA: ['Europe/Sarajevo'], BB: ['America/Barbados'],
  BD: ['Asia/Dhaka', 'Asia/Dacca'], BE: ['Europe/Brussels'], BF: ['Africa/Ouagadougou'], BG: ['Europe/Sofia'], BH: ['Asia/Bahrain'],
  BI: ['Africa/Bujumbura'], BJ: ['Africa/Porto-Novo'], BL: ['America/St_Barthelemy'], BM: ['Atlantic/Bermuda'], BN: ['Asia/Brunei'],
  BO: ['America/La_Paz'], BQ: ['America/Kralendijk'],
  BR: ['America/Noronha', 'America/Belem', 'America/Fortaleza', 'America/Recife', 'America/Araguaina', 'America/Maceio', 'America/Bahia', 'America/Sao_Paulo', 'America/Campo_Grande', 'America/Cuiaba', 'America/Santarem', 'America/Porto_Velho', 'America/Boa_Vista', 'America/Manaus', 'America/Eirunepe', 'America/Rio_Branco', 'Brazil/East', 'Brazil/West', 'Brazil/Acre', 'Brazil/DeNoronha'],
  BS: ['America/Nassau'], BT: ['Asia/Thimphu', 'Asia/Thimbu'], BW: ['Africa/Gaborone'], BY: ['Europe/Minsk'], BZ: ['America/Belize'],
  CA: ['America/St_Johns', 'America/Halifax', 'America/Glace_Bay', 'America/Moncton', 'America/Goose_Bay', 'America/Toronto', 'America/Montreal', 'America/Iqaluit', 'America/Winnipeg', 'America/Resolute', 'America/Rankin_Inlet', 'America/Regina', 'America/Swift_Current', 'America/Edmonton', 'America/Cambridge_Bay', 'America/Inuvik', 'America/Dawson_Creek', 'America/Fort_Nelson', 'America/Whitehorse', 'America/Dawson', 'America/Vancouver', 'America/Blanc-Sablon', 'America/Atikokan', 'America/Coral_Harbour', 'America/Creston', 'America/Nipigon', 'America/Thunder_Bay', 'America/Rainy_River', 'America/Pangnirtung', 'America/Yellowknife', 'Canada/Atlantic', 'Canada/Central', 'Canada/Eastern', 'Canada/Mountain', 'Canada/Newfoundland', 'Canada/Pacific', 'Canada/Saskatchewan', 'Canada/Yukon'],
  CC: ['Indian/Cocos'], CD: ['Africa/Kinshasa', 'Africa/Lubumbashi'], CF: ['Africa/Bangui'], CG: ['Africa/Brazzaville'],
  CH: ['Europe/Zurich'], CI: ['Africa/Abidjan'], CK: ['Pacific/Rarotonga'], CL: ['America/Santiago', 'America/Punta_Arenas', 'America/Coyhaique', 'Pacific/Easter', 'Chile/Continental', 'Chile/EasterIsland'],
  CM: ['Africa/Douala'], CN: ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'Asia/Kashgar', 'PRC'],
  CO: ['America/Bogota'], CR: ['America/Costa_Rica'], CU: ['America/Havana', 'Cuba'], CV: ['Atlantic/Cape_Verde'], CW: ['America/Curacao'],
  CX: ['Indian/Christmas'], CY: ['Asia/Nicosia', 'Asia/Famagusta', 'Europe/Nicosia'], CZ: ['Europe/Prague'],
  DE: ['Europe/Berlin', 'Europe/Busingen'], DJ: ['Africa/Djibouti'], DK: ['Europe/Copenhagen'], DM: ['America/Dominica'],
  DO: ['America/Santo_Domingo'], DZ: ['Africa/Algiers'], EC: ['America/Guayaquil', 'Pacific/Galapagos'], EE: ['Europe/Tallinn'],
  EG: ['Africa/Cairo', 'Egypt'], EH: ['Africa/El_Aaiun'], ER: ['Africa/Asmara', 'Africa/Asmera'],
  ES: ['Europe/Madrid', 'Africa/Ceuta', 'Atlantic/Canary'], ET: ['Africa/Addis_Ababa'], FI: ['Europe/Helsinki'],
  FJ: ['Pacific/Fiji'], FK: ['Atlantic/Stanley'], FM: ['Pacific/Chuuk', 'Pacific/Truk', 'Pacific/Pohnpei', 'Pacific/Ponape', 'Pacific/Kosrae'],
  FO: ['Atlantic/Faroe', 'Atlantic/Faeroe'], FR: ['Europe/Paris'], GA: ['Africa/Libreville'],
  GB: ['Europe/London', 'Europe/Belfast', 'GB'], GD: ['America/Grenada'], GE: ['Asia/Tbilisi'], GF: ['America/Cayenne'],
  GG: ['Europe/Guernsey'], GH: ['Africa/Accra'], GI: ['Europe/Gibraltar'],
  GL: ['America/Nuuk', 'America/Godthab', 'America/Danmarkshavn', 'America/Scoresbysund', 'America/Thule'],
  GM: ['Africa/Banjul'], GN: ['Africa/Conakry'], GP: ['America/Guadeloupe'], GQ: ['Africa/Malabo'], GR: ['Europe/Athens'],
  GS: ['Atlantic/South_Georgia'], GT: ['America/Guatemala'], GU: ['Pacific/Guam'], GW: ['Africa/Bissau'], GY: ['America/Guyana'],
  HK: ['Asia/Hong_Kong', 'Hongkong'], HN: ['America/Tegucigalpa'], HR: ['Europe/Zagreb'], HT: ['America/Port-au-Prince'],
  HU: ['Europe/Budapest'], ID: ['Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Ujung_Pandang', 'Asia/Jayapura'],
  IE: ['Europe/Dublin', 'Eire'], IL: ['Asia/Jerusalem', 'Asia/Tel_Aviv', 'Israel'], IM: ['Europe/Isle_of_Man'],
  IN: ['Asia/Kolkata', 'Asia/Calcutta'], IO: ['Indian/Chagos'], IQ: ['Asia/Baghdad'], IR: ['Asia/Tehran', 'Iran'],
  IS: ['Atlantic/Reykjavik', 'Iceland'], IT: ['Europe/Rome'], JE: ['Europe/Jersey'], JM: ['America/Jamaica', 'Jamaica'],
  JO: ['Asia/Amman'], JP: ['Asia/Tokyo', 'Japan'], KE: ['Africa/Nairobi'], KG: ['Asia/Bishkek'], KH: ['Asia/Phnom_Penh'],
  KI: ['Pacific/Tarawa', 'Pacific/Kanton', 'Pacific/Enderbury', 'Pacific/Kiritimati'], KM: ['Indian/Comoro'], KN: ['America/St_Kitts'],
  KP: ['Asia/Pyongyang'], KR: ['Asia/Seoul', 'ROK'], KW: ['Asia/Kuwait'], KY: ['America/Cayman'],
  KZ: ['Asia/Almaty', 'Asia/Qyzylorda', 'Asia/Qostanay', 'Asia/Aqtobe', 'Asia/Aqtau', 'Asia/Atyrau', 'Asia/Oral'],
  LA: ['Asia/Vientiane'], LB: ['Asia/Beirut'], LC: ['America/St_Lucia'], LI: ['Europe/Vaduz'], LK: ['Asia/Colombo'],
  LR: ['Africa/Monrovia'], LS: ['Africa/Maseru'], LT: ['Europe/Vilnius'], LU: ['Europe/Luxembourg'], LV: ['Europe/Riga'],
  LY: ['Africa/Tripoli', 'Libya'], MA: ['Africa/Casablanca'], MC: ['Europe/Monaco'], MD: ['Europe/Chisinau', 'Europe/Tiraspol'],
  ME: ['Europe/Podgorica'], MF: ['America/Marigot'], MG: ['Indian/Antananarivo'], MH: ['Pacific/Majuro', 'Pacific/Kwajalein', 'Kwajalein'],
  MK: ['Europe/Skopje'], ML: ['Africa/Bamako'], MM: ['Asia/Yangon', 'Asia/Rangoon'], MN: ['Asia/Ulaanbaatar', 'Asia/Ulan_Bator', 'Asia/Hovd', 'Asia/Choibalsan'],
  MO: ['Asia/Macau', 'Asia/Macao'], MP: ['Pacific/Saipan'], MQ: ['America/Martinique'], MR: ['Africa/Nouakchott'], MS: ['America/Montserrat'],
  MT: ['Europe/Malta'], MU: ['Indian/Mauritius'], MV: ['Indian/Maldives'], MW: ['Africa/Blantyre'],
  MX: ['America/Mexico_City', 'America/Cancun', 'America/Merida', 'America/Monterrey', 'America/Matamoros', 'America/Chihuahua', 'America/Ciudad_Juarez', 'America/Ojinaga', 'America/Mazatlan', 'America/Bahia_Banderas', 'America/Hermosillo', 'America/Tijuana', 'America/Ensenada', 'America/Santa_Isabel', 'Mexico/General', 'Mexico/BajaNorte', 'Mexico/BajaSur'],
  MY: ['Asia/Kuala_Lumpur', 'Asia/Kuching'], MZ: ['Africa/Maputo'], NA: ['Africa/Windhoek'], NC: ['Pacific/Noumea'], NE: ['Africa/Niamey'],
  NF: ['Pacific/Norfolk'], NG: ['Africa/Lagos'], NI: ['America/Managua'], NL: ['Europe/Amsterdam'], NO: ['Europe/Oslo'],
  NP: ['Asia/Kathmandu', 'Asia/Katmandu'], NR: ['Pacific/Nauru'], NU: ['Pacific/Niue'], NZ: ['Pacific/Auckland', 'Pacific/Chatham', 'NZ', 'NZ-CHAT'],
  OM: ['Asia/Muscat'], PA: ['America/Panama'], PE: ['America/Lima'], PF: ['Pacific/Tahiti', 'Pacific/Marquesas', 'Pacific/Gambier'],
  PG: ['Pacific/Port_Moresby', 'Pacific/Bougainville'], PH: ['Asia/Manila'], PK: ['Asia/Karachi'], PL: ['Europe/Warsaw', 'Poland'],
  PM: ['America/Miquelon'], PN: ['Pacific/Pitcairn'], PR: ['America/Puerto_Rico'], PS: ['Asia/Gaza', 'Asia/Hebron'],
  PT: ['Europe/Lisbon', 'Atlantic/Madeira', 'Atlantic/Azores', 'Portugal'], PW: ['Pacific/Palau'], PY: ['America/Asuncion'],
  QA: ['Asia/Qatar'], RE: ['Indian/Reunion'], RO: ['Europe/Bucharest'], RS: ['Europe/Belgrade'],
  RU: ['Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Kirov', 'Europe/Volgograd', 'Europe/Astrakhan', 'Europe/Saratov', 'Europe/Ulyanovsk', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk', 'Asia/Barnaul', 'Asia/Tomsk', 'Asia/Novokuznetsk', 'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Chita', 'Asia/Yakutsk', 'Asia/Khandyga', 'Asia/Vladivostok', 'Asia/Ust-Nera', 'Asia/Magadan', 'Asia/Sakhalin', 'Asia/Srednekolymsk', 'Asia/Kamchatka', 'Asia/Anadyr', 'W-SU'],
  RW: ['Africa/Kigali'], SA: ['Asia/Riyadh'], SB: ['Pacific/Guadalcanal'], SC: ['Indian/Mahe'], SD: ['Africa/Khartoum'],
  SE: ['Europe/Stockholm'], SG: ['Asia/Singapore', 'Singapore'], SH: ['Atlantic/St_Helena'], SI: ['Europe/Ljubljana'],
  SJ: ['Arctic/Longyearbyen', 'Atlantic/Jan_Mayen'], SK: ['Europe/Bratislava'], SL: ['Africa/Freetown'], SM: ['Europe/San_Marino'],
  SN: ['Africa/Dakar'], SO: ['Africa/Mogadishu'], SR: ['America/Paramaribo'], SS: ['Africa/Juba'], ST: ['Africa/Sao_Tome'],
  SV: ['America/El_Salvador'], SX: ['America/Lower_Princes'], SY: ['Asia/Damascus'], SZ: ['Africa/Mbabane'],
  TC: ['America/Grand_Turk'], TD: ['Africa/Ndjamena'], TF: ['Indian/Kerguelen'], TG: ['Africa/Lome'], TH: ['Asia/Bangkok'],
  TJ: ['Asia/Dushanbe'], TK: ['Pacific/Fakaofo'], TL: ['Asia/Dili'], TM: ['Asia/Ashgabat', 'Asia/Ashkhabad'], TN: ['Africa/Tunis'],
  TO: ['Pacific/Tongatapu'], TR: ['Europe/Istanbul', 'Asia/Istanbul', 'Turkey'], TT: ['America/Port_of_Spain'], TV: ['Pacific/Funafuti'],
  TW: ['Asia/Taipei', 'ROC'], TZ: ['Africa/Dar_es_Salaam'], UA: ['Europe/Kyiv', 'Europe/Kiev', 'Europe/Simferopol', 'Europe/Uzhgorod', 'Europe/Zaporozhye'],
  UG: ['Africa/Kampala'], UM: ['Pacific/Midway', 'Pacific/Wake'],
  US: ['America/New_York', 'America/Detroit', 'America/Kentucky/Louisville', 'America/Louisville', 'America/Kentucky/Monticello', 'America/Indiana/Indianapolis', 'America/Indianapolis', 'America/Indiana/Vincennes', 'America/Indiana/Winamac', 'America/Indiana/Marengo', 'America/Indiana/Petersburg', 'America/Indiana/Vevay', 'America/Chicago', 'America/Indiana/Tell_City', 'America/Indiana/Knox', 'America/Menominee', 'America/North_Dakota/Center', 'America/North_Dakota/New_Salem', 'America/North_Dakota/Beulah', 'America/Denver', 'America/Boise', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'America/Juneau', 'America/Sitka', 'America/Metlakatla', 'America/Yakutat', 'America/Nome', 'America/Adak', 'Pacific/Honolulu', 'US/Eastern', 'US/Central', 'US/Mountain', 'US/Pacific', 'US/Alaska', 'US/Hawaii', 'US/Arizona', 'US/Michigan', 'US/Aleutian', 'US/East-Indiana', 'US/Indiana-Starke'],
  UY: ['America/Montevideo'], UZ: ['Asia/Samarkand', 'Asia/Tashkent'], VA: ['Europe/Vatican'], VC: ['America/St_Vincent'],
  VE: ['America/Caracas'], VG: ['America/Tortola'], VI: ['America/St_Thomas', 'America/Virgin'], VN: ['Asia/Ho_Chi_Minh', 'Asia/Saigon'],
  VU: ['Pacific/Efate'], WF: ['Pacific/Wallis'], WS: ['Pacific/Apia'], XK: [], YE: ['Asia/Aden'], YT: ['Indian/Mayotte'],
  ZA: ['Africa/Johannesburg'], ZM: ['Africa/Lusaka'], ZW: ['Africa/Harare'],
};

/** ISO 3166-1 alpha-2 → alpha-3 (Kosovo: XK/XKX, the user-assigned codes Ember uses). */
const ISO3: Record<string, string> = {
  AD: 'AND', AE: 'ARE', AF: 'AFG', AG: 'ATG', AI: 'AIA', AL: 'ALB', AM: 'ARM', AO: 'AGO', AQ: 'ATA', AR: 'ARG', AS: 'ASM', AT: 'AUT',
  AU: 'AUS', AW: 'ABW', AX: 'ALA', AZ: 'AZE', BA: 'BIH', BB: 'BRB', BD: 'BGD', BE: 'BEL', BF: 'BFA', BG: 'BGR', BH: 'BHR', BI: 'BDI',
  BJ: 'BEN', BL: 'BLM', BM: 'BMU', BN: 'BRN', BO: 'BOL', BQ: 'BES', BR: 'BRA', BS: 'BHS', BT: 'BTN', BW: 'BWA', BY: 'BLR', BZ: 'BLZ',
  CA: 'CAN', CC: 'CCK', CD: 'COD', CF: 'CAF', CG: 'COG', CH: 'CHE', CI: 'CIV', CK: 'COK', CL: 'CHL', CM: 'CMR', CN: 'CHN', CO: 'COL',
  CR: 'CRI', CU: 'CUB', CV: 'CPV', CW: 'CUW', CX: 'CXR', CY: 'CYP', CZ: 'CZE', DE: 'DEU', DJ: 'DJI', DK: 'DNK', DM: 'DMA', DO: 'DOM',
  DZ: 'DZA', EC: 'ECU', EE: 'EST', EG: 'EGY', EH: 'ESH', ER: 'ERI', ES: 'ESP', ET: 'ETH', FI: 'FIN', FJ: 'FJI', FK: 'FLK', FM: 'FSM',
  FO: 'FRO', FR: 'FRA', GA: 'GAB', GB: 'GBR', GD: 'GRD', GE: 'GEO', GF: 'GUF', GG: 'GGY', GH: 'GHA', GI: 'GIB', GL: 'GRL', GM: 'GMB',
  GN: 'GIN', GP: 'GLP', GQ: 'GNQ', GR: 'GRC', GS: 'SGS', GT: 'GTM', GU: 'GUM', GW: 'GNB', GY: 'GUY', HK: 'HKG', HN: 'HND', HR: 'HRV',
  HT: 'HTI', HU: 'HUN', ID: 'IDN', IE: 'IRL', IL: 'ISR', IM: 'IMN', IN: 'IND', IO: 'IOT', IQ: 'IRQ', IR: 'IRN', IS: 'ISL', IT: 'ITA',
  JE: 'JEY', JM: 'JAM', JO: 'JOR', JP: 'JPN', KE: 'KEN', KG: 'KGZ', KH: 'KHM', KI: 'KIR', KM: 'COM', KN: 'KNA', KP: 'PRK', KR: 'KOR',
  KW: 'KWT', KY: 'CYM', KZ: 'KAZ', LA: 'LAO', LB: 'LBN', LC: 'LCA', LI: 'LIE', LK: 'LKA', LR: 'LBR', LS: 'LSO', LT: 'LTU', LU: 'LUX',
  LV: 'LVA', LY: 'LBY', MA: 'MAR', MC: 'MCO', MD: 'MDA', ME: 'MNE', MF: 'MAF', MG: 'MDG', MH: 'MHL', MK: 'MKD', ML: 'MLI', MM: 'MMR',
  MN: 'MNG', MO: 'MAC', MP: 'MNP', MQ: 'MTQ', MR: 'MRT', MS: 'MSR', MT: 'MLT', MU: 'MUS', MV: 'MDV', MW: 'MWI', MX: 'MEX', MY: 'MYS',
  MZ: 'MOZ', NA: 'NAM', NC: 'NCL', NE: 'NER', NF: 'NFK', NG: 'NGA', NI: 'NIC', NL: 'NLD', NO: 'NOR', NP: 'NPL', NR: 'NRU', NU: 'NIU',
  NZ: 'NZL', OM: 'OMN', PA: 'PAN', PE: 'PER', PF: 'PYF', PG: 'PNG', PH: 'PHL', PK: 'PAK', PL: 'POL', PM: 'SPM', PN: 'PCN', PR: 'PRI',
  PS: 'PSE', PT: 'PRT', PW: 'PLW', PY: 'PRY', QA: 'QAT', RE: 'REU', RO: 'ROU', RS: 'SRB', RU: 'RUS', RW: 'RWA', SA: 'SAU', SB: 'SLB',
  SC: 'SYC', SD: 'SDN', SE: 'SWE', SG: 'SGP', SH: 'SHN', SI: 'SVN', SJ: 'SJM', SK: 'SVK', SL: 'SLE', SM: 'SMR', SN: 'SEN', SO: 'SOM',
  SR: 'SUR', SS: 'SSD', ST: 'STP', SV: 'SLV', SX: 'SXM', SY: 'SYR', SZ: 'SWZ', TC: 'TCA', TD: 'TCD', TF: 'ATF', TG: 'TGO', TH: 'THA',
  TJ: 'TJK', TK: 'TKL', TL: 'TLS', TM: 'TKM', TN: 'TUN', TO: 'TON', TR: 'TUR', TT: 'TTO', TV: 'TUV', TW: 'TWN', TZ: 'TZA', UA: 'UKR',
  UG: 'UGA', UM: 'UMI', US: 'USA', UY: 'URY', UZ: 'UZB', VA: 'VAT', VC: 'VCT', VE: 'VEN', VG: 'VGB', VI: 'VIR', VN: 'VNM', VU: 'VUT',
  WF: 'WLF', WS: 'WSM', XK: 'XKX', YE: 'YEM', YT: 'MYT', ZA: 'ZAF', ZM: 'ZMB', ZW: 'ZWE',
};

const zones: Record<string, string> = {};
for (const [iso2, list] of Object.entries(ZONES_BY_COUNTRY)) {
  const iso3 = ISO3[iso2];
  if (!iso3) throw new Error(`no alpha-3 code for ${iso2}`);
  for (const z of list) {
    if (zones[z]) throw new Error(`zone ${z} listed twice`);
    zones[z] = iso3;
  }
}
const sorted = Object.fromEntries(Object.entries(zones).sort(([a], [b]) => a.localeCompare(b)));
const iso2ByIso3 = Object.fromEntries(
  Object.entries(ISO3)
    .map(([a2, a3]): [string, string] => [a3, a2])
    .sort(([a], [b]) => a.localeCompare(b)),
);

const out = {
  source: 'IANA tzdb zone1970.tab / zone.tab (public domain), transcribed by hand; first listed country per zone; legacy link names included',
  licence: 'public domain (tzdb)',
  zones: sorted,
  iso2ByIso3,
};
writeFileSync(new URL('../data/tz-country.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`${Object.keys(sorted).length} zones, ${Object.keys(iso2ByIso3).length} countries`);
