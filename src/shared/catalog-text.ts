/**
 * The texts a person reads about an energy figure, rendered from the catalogs (data/*.json) and
 * the stored ids, in English or French. The results server never stores these texts (a client
 * could write anything in them): the app and the exports render them here, from the catalog of the
 * version that produced the row. English reads exactly as the energy model words them
 * (src/energy/profiles.ts, grid.ts, embodied.ts); French reuses the app's wording
 * (src/i18n/dict/energy.ts).
 */
import profilesJson from '../../data/power-profiles.json';
import constants from '../../data/constants.json';
import { deviceName } from './device-names.ts';
import { sourceText } from './provenance.ts';
import { GRID_COUNTRIES } from './vocabulary.ts';
import type { EnergyProfileRecord, GridRecord, StoredProfileBasis } from './result.ts';

export type TextLang = 'en' | 'fr';

interface CatalogEntryText { id: string; label: string; labelFr: string }
const ENTRIES = profilesJson.profiles as CatalogEntryText[];
const G = constants.grid;

/** The profile fields the texts depend on. */
export type ProfileForText = Pick<EnergyProfileRecord, 'id' | 'source' | 'deltaW' | 'basis'> & Partial<Pick<EnergyProfileRecord, 'idleW' | 'sensor'>>;
/** The adapter fields the texts depend on (the device's name). */
export interface AdapterForText { vendor: string; architecture: string }

// ---------------------------------------------------------------------------------------------
// Numbers

function decimal(x: number, lang: TextLang): string {
  const s = String(x);
  return lang === 'fr' ? s.replace('.', ',') : s;
}

/** "70–380 W": whole watts from 10 W, one decimal below (as the energy model words it). */
function wattRange(d: { low: number; high: number }, lang: TextLang): string {
  const r = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);
  return `${decimal(r(d.low), lang)}–${decimal(r(d.high), lang)} W`;
}

// ---------------------------------------------------------------------------------------------
// Profile label

export const MEASURED_LABEL = { en: 'Measured by you (wall meter)', fr: 'Mesuré par vous (wattmètre)' } as const;
export const BATTERY_LABEL = { en: 'Battery-drain calibration (coarse)', fr: 'Étalonnage par décharge de la batterie (grossier)' } as const;
export const CATALOG_LABEL = { en: 'Catalog profile', fr: 'Profil du catalogue' } as const;
export const SENSOR_LABEL = { en: 'Measured on this device', fr: 'Mesuré sur cet appareil' } as const;

/** "Measured on this device (2026-11-28, nvidia-smi)": the sensor profile's name, from its ids. */
function sensorLabel(sensor: EnergyProfileRecord['sensor'], lang: TextLang): string {
  return sensor ? `${SENSOR_LABEL[lang]} (${sensor.date}, ${sensor.kind})` : SENSOR_LABEL[lang];
}

/** "nvidia-smi (gpu-board): 32 W idle, +210 W under load": how a sensor profile was measured. */
function sensorReason(profile: ProfileForText, lang: TextLang): string {
  const s = profile.sensor;
  const what = s ? `${s.kind} (${s.coverage})` : lang === 'fr' ? 'capteur' : 'sensor';
  const idle = profile.idleW === null || profile.idleW === undefined ? '' : lang === 'fr' ? `${profile.idleW} W au repos, ` : `${profile.idleW} W idle, `;
  return lang === 'fr' ? `${what} : ${idle}+${profile.deltaW.typ} W en charge` : `${what}: ${idle}+${profile.deltaW.typ} W under load`;
}

/** "x86 integrated GPU (Intel …)" → "x86 integrated GPU": merged labels stay short. */
function shortLabel(label: string): string {
  return label.replace(/\s*\([^)]*\)/g, '').trim();
}

const MAX_LABEL = 200;

/** Labels of a merged band (the energy model names its bands with it too). */
export function joinLabels(labels: string[]): string {
  const full = labels.join(' / ');
  if (labels.length <= 2 && full.length <= MAX_LABEL) return full;
  const short = labels.map(shortLabel).join(' / ');
  return short.length <= MAX_LABEL ? short : `${short.slice(0, MAX_LABEL - 1)}…`;
}

function catalogLabel(id: string, lang: TextLang): string | null {
  const entries = id.split('+').map((part) => ENTRIES.find((e) => e.id === part));
  if (entries.length === 0 || entries.some((e) => e === undefined)) return null;
  return joinLabels(entries.map((e) => (lang === 'fr' ? e!.labelFr : e!.label)));
}

/** The profile's name: a catalog class, a merged band ("a / b"), or a measured profile. */
export function profileLabel(profile: Pick<EnergyProfileRecord, 'id' | 'source' | 'sensor'>, lang: TextLang = 'en'): string {
  switch (profile.source) {
    case 'sensor':
      return sensorLabel(profile.sensor, lang);
    case 'user':
      return MEASURED_LABEL[lang];
    case 'battery':
      return BATTERY_LABEL[lang];
    case 'catalog':
      return catalogLabel(profile.id, lang) ?? CATALOG_LABEL[lang];
    default: {
      // A row that never passed the schema: a neutral wording, never its own text.
      const never: never = profile.source;
      void never;
      return CATALOG_LABEL[lang];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Profile reason

const FORM = {
  en: { battery: 'battery-powered', mains: 'desktop', unknown: 'form factor unknown (laptop or desktop)', integratedOrDiscrete: 'integrated or discrete GPU' },
  fr: { battery: 'sur batterie', mains: 'ordinateur de bureau', unknown: 'format inconnu (portable ou bureau)', integratedOrDiscrete: 'GPU intégré ou dédié' },
} as const;

const TIER_NAMES: Record<string, string> = { base: 'base', pro: 'Pro', max: 'Max', ultra: 'Ultra' };
const tierName = (t: string): string => TIER_NAMES[t] ?? '?';

/**
 * How the Apple tier was chosen. The stored basis says which evidence was used, not its values
 * (thread count, measured peak), so a used piece of evidence is named without its number.
 */
function appleTierText(b: NonNullable<StoredProfileBasis['appleTier']>, lang: TextLang): string {
  const fr = lang === 'fr';
  const evidence = [
    b.threadsUsed ? (fr ? 'nombre de fils CPU utilisé' : 'CPU thread count used') : fr ? 'nombre de fils CPU inutilisable' : 'CPU thread count not usable',
    b.peakUsed ? (fr ? 'crête mesurée utilisée' : 'measured peak used') : fr ? 'crête mesurée non décisive' : 'measured peak not decisive',
    ...(b.batteryUsed ? [fr ? 'la batterie exclut Ultra' : 'battery rules out Ultra'] : []),
  ].join(', ');
  if (b.chosen !== null) return fr ? `gamme ${tierName(b.chosen)} (${evidence})` : `tier ${tierName(b.chosen)} (${evidence})`;
  const tiers = b.candidates.map(tierName).join(' / ');
  return fr ? `gamme non déterminée, la plage couvre ${tiers} (${evidence})` : `tier not determined, band spans ${tiers} (${evidence})`;
}

function adapterReason(basis: StoredProfileBasis, who: string, range: string, lang: TextLang): string {
  const forms = FORM[lang];
  const formText = basis.form ? (forms[basis.form] ?? '') : '';
  const form = basis.integratedOrDiscrete ? `${formText}, ${forms.integratedOrDiscrete}` : formText;
  const head = lang === 'fr' ? `${who}, ${form} : ${range}` : `${who}, ${form}: ${range}`;
  return basis.appleTier ? `${head}; ${appleTierText(basis.appleTier, lang)}` : head;
}

/**
 * Why this profile was chosen, e.g. "NVIDIA Ada Lovelace, desktop: 70–380 W", rebuilt from the
 * stored basis, the adapter's vendor and architecture and the profile's watts.
 */
export function profileReason(profile: ProfileForText, adapter: AdapterForText, lang: TextLang = 'en'): string {
  const fr = lang === 'fr';
  const range = wattRange(profile.deltaW, lang);
  const basis = profile.basis;
  if (!basis) {
    // Documents written before the basis was recorded: the wording of a restored profile.
    switch (profile.source) {
      case 'user':
        return fr ? 'Mesuré à la prise' : 'Measured at the wall';
      case 'battery':
        return fr ? 'Décharge de la batterie' : 'Battery drain';
      case 'sensor':
        return sensorReason(profile, lang);
      case 'catalog':
        return fr ? 'Profil du catalogue enregistré' : 'Stored catalog profile';
      default: {
        const never: never = profile.source;
        void never;
        return fr ? 'Profil du catalogue enregistré' : 'Stored catalog profile';
      }
    }
  }
  const vendor = String(adapter.vendor ?? '').trim().toLowerCase();
  const who = deviceName(vendor, String(adapter.architecture ?? '').trim().toLowerCase());
  switch (basis.kind) {
    case 'adapter':
      return adapterReason(basis, who, range, lang);
    case 'fallback':
      if (fr) return `Adaptateur de secours (logiciel)${who ? ` signalé comme ${who}` : ''} : ${range}`;
      return `Fallback (software) adapter${who ? ` reported as ${who}` : ''}: ${range}`;
    case 'unidentified':
      return fr
        ? `Adaptateur non identifié par le navigateur (fabricant et architecture vides), valeur par défaut large : ${range}`
        : `Adapter not identified by the browser (empty vendor and architecture), wide default: ${range}`;
    case 'uncatalogued':
      return fr ? `${who || vendor} : absent du catalogue, valeur par défaut large : ${range}` : `${who || vendor}: not in the catalog, wide default: ${range}`;
    case 'chosen':
      return fr ? `Choisi par vous : ${profileLabel(profile, lang)} : ${range}` : `Chosen by you: ${profileLabel(profile, lang)}: ${range}`;
    case 'measured':
      if (profile.source === 'sensor') return sensorReason(profile, lang);
      return fr ? 'Mesuré à la prise' : 'Measured at the wall';
    case 'battery':
      return fr ? 'Décharge de la batterie' : 'Battery drain';
    default: {
      const never: never = basis.kind;
      void never;
      return fr ? 'Profil du catalogue enregistré' : 'Stored catalog profile';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Grid and embodied sources

/** The grid's source line: Ember for a country (with its year), the world default, or a value typed in. */
export function gridSourceText(grid: Pick<GridRecord, 'country' | 'year' | 'range'>, lang: TextLang = 'en'): string {
  const fr = lang === 'fr';
  const country = String(grid.country ?? '').toUpperCase();
  const year = typeof grid.year === 'number' && Number.isInteger(grid.year) ? grid.year : null;
  if (country === 'CUSTOM') return fr ? 'Saisie par vous (valeur personnalisée)' : 'Entered by you (custom value)';
  if (country === 'WORLD') {
    const exact = decimal(G.worldExactGPerKWh, lang);
    // The range the figures were drawn over: the document's own, else the catalog's 30–900.
    const r = grid.range;
    const { low, high } = r && Number.isFinite(r.low) && Number.isFinite(r.high) ? r : G.unknownRangeGPerKWh;
    return fr
      ? `Moyenne mondiale Ember ${year ?? ''} (${exact} gCO2e/kWh, via ${G.library}) ; pays inconnu, d’où la fourchette ${low}–${high}`
      : `Ember ${year ?? ''} world average (${exact} gCO2e/kWh, via ${G.library}); country unknown, so range ${low}–${high}`;
  }
  // Only a code of the table is named: a row that never passed the schema gets no text of its own.
  if (!GRID_COUNTRIES.includes(country)) return fr ? 'Source inconnue' : 'Unknown source';
  const y = year ?? `${G.dataYearsSpan.from}–${G.dataYearsSpan.to}`;
  return fr
    ? `Moyenne annuelle Ember ${y} (${country}), via ${G.library} (données ${G.datasetRefreshed}) ; CC BY 4.0, crédit à Ember et à la Green Web Foundation`
    : `Ember ${y} annual average (${country}), via ${G.library} (data ${G.datasetRefreshed}); CC BY 4.0, credit Ember and the Green Web Foundation`;
}

/**
 * The citations of the embodied-carbon classes, joined by "; ". Citations are titles of
 * publications: they read the same in every language.
 */
export function embodiedSourceText(classes: readonly string[], lang: TextLang = 'en'): string {
  void lang;
  return classes.map((id) => sourceText(`embodied:${id}`)).filter((s): s is string => s !== null).join('; ');
}
