import { describe, expect, test } from 'vitest';
import { t } from '../../src/i18n/index.ts';
import { gridSource } from '../../src/ui/energy/format.ts';
import tz from '../../data/tz-country.json';
import {
  countryName,
  customGrid,
  defaultEnergyContext,
  gridFromTimeZone,
  gridIntensity,
  guessCountry,
  InvalidEnergyInputError,
  isKnownCountry,
  listGridCountries,
  profileFromMeasuredWatts,
  restoreGrid,
  restoreProfile,
  selectProfile,
} from '../../src/energy/index.ts';

describe('guessCountry (tzdb zone1970.tab-derived)', () => {
  test.each([
    ['Europe/Paris', 'FRA'],
    ['Europe/Berlin', 'DEU'],
    ['America/New_York', 'USA'],
    ['America/Indiana/Knox', 'USA'],
    ['Asia/Kolkata', 'IND'],
    ['Asia/Calcutta', 'IND'], // legacy name Chrome still reports
    ['Asia/Saigon', 'VNM'],
    ['Europe/Kiev', 'UKR'],
    ['America/Buenos_Aires', 'ARG'],
    ['Europe/Zurich', 'CHE'], // zone1970.tab: CH,DE,LI → first country
    ['Europe/Vaduz', 'LIE'],
    ['Europe/Busingen', 'DEU'],
    ['Australia/Sydney', 'AUS'],
    ['America/Montreal', 'CAN'],
    ['Africa/Abidjan', 'CIV'],
  ])('%s → %s', (zone, iso3) => expect(guessCountry(zone)).toBe(iso3));
  test.each(['', '   ', 'UTC', 'Etc/GMT+5', 'Not/AZone'])('"%s" → null', (zone) => expect(guessCountry(zone)).toBeNull());
  test('every zone Node/ICU knows maps to a country with an alpha-2 code', () => {
    for (const z of Intl.supportedValuesOf('timeZone')) {
      const c = guessCountry(z);
      expect(c, z).toMatch(/^[A-Z]{3}$/);
      expect((tz.iso2ByIso3 as Record<string, string>)[c!], z).toMatch(/^[A-Z]{2}$/);
    }
  });
});

describe('gridIntensity (Ember via @tgwf/co2)', () => {
  test('France 44.18 gCO2e/kWh, Ember 2024, ±10 %', () => {
    const g = gridIntensity('FRA');
    expect(g).toMatchObject({ country: 'FRA', gPerKWh: 44.18, year: 2024, origin: 'dataset' });
    expect(g.range.low).toBeCloseTo(39.762, 9);
    expect(g.range.high).toBeCloseTo(48.598, 9);
    expect(g.source).toMatch(/Ember/);
    expect(g.source).toMatch(/Green Web Foundation/);
  });
  test('known values: USA 383.55, DEU 342.06, IND 708.96', () => {
    expect(gridIntensity('USA').gPerKWh).toBe(383.55);
    expect(gridIntensity('deu').gPerKWh).toBe(342.06);
    expect(gridIntensity('IND').gPerKWh).toBe(708.96);
  });
  test('a country without a known year says so with null, not a guess', () => {
    expect(gridIntensity('NOR').year).toBeNull();
    expect(gridIntensity('NOR').source).toMatch(/2022–2024/);
  });
  test('unknown or null country → world default 473 with range 30–900', () => {
    for (const c of [null, '', 'XXX', 'WORLD']) {
      expect(gridIntensity(c)).toMatchObject({ country: 'WORLD', gPerKWh: 473, year: 2024, range: { low: 30, high: 900 }, origin: 'default' });
    }
  });
  test('a country Ember lists at 0 (no data) is treated as unknown', () => {
    expect(gridIntensity('CAF').country).toBe('WORLD');
  });
  test('time zone → grid', () => {
    expect(gridFromTimeZone('Europe/Paris').country).toBe('FRA');
    expect(gridFromTimeZone('UTC').country).toBe('WORLD');
    expect(gridFromTimeZone(null).country).toBe('WORLD');
  });
  test('custom value ±10 %, validated', () => {
    const c = customGrid(100);
    expect(c).toMatchObject({ country: 'CUSTOM', gPerKWh: 100, year: null, origin: 'user' });
    expect(c.range.low).toBeCloseTo(90, 9);
    expect(c.range.high).toBeCloseTo(110, 9);
    expect(() => customGrid(0)).toThrow(InvalidEnergyInputError);
    expect(() => customGrid(Number.NaN)).toThrow(InvalidEnergyInputError);
  });
  test('country list: countries first, aggregates flagged, names localized', () => {
    const list = listGridCountries();
    const fra = list.find((c) => c.code === 'FRA');
    expect(fra).toEqual({ code: 'FRA', iso2: 'FR', gPerKWh: 44.18, aggregate: false });
    expect(list.find((c) => c.code === 'EU')?.aggregate).toBe(true);
    const firstAggregate = list.findIndex((c) => c.aggregate);
    expect(list.slice(firstAggregate).every((c) => c.aggregate)).toBe(true);
    expect(countryName('DEU', 'fr')).toBe('Allemagne');
    expect(countryName('DEU', 'en')).toBe('Germany');
    expect(countryName('EU', 'en')).toBe('EU');
  });
});

describe('defaultEnergyContext', () => {
  test('adapter + battery + time zone → profile, grid and embodied classes', () => {
    const ctx = defaultEnergyContext({ vendor: 'nvidia', architecture: 'lovelace', isFallbackAdapter: false }, { hasBattery: false, timeZone: 'Europe/Paris' });
    expect(ctx.profile.id).toBe('nvidia-lovelace-desktop');
    expect(ctx.grid.country).toBe('FRA');
    expect(ctx.embodied).toMatchObject({ classes: ['desktop', 'gpu-card'], kgCO2e: 277 + 115, lifetimeYears: 6 });
  });
  test('an explicit country wins over the time zone', () => {
    const ctx = defaultEnergyContext({ vendor: '', architecture: '', isFallbackAdapter: false }, { hasBattery: null, timeZone: 'Europe/Paris', country: 'IND' });
    expect(ctx.grid.country).toBe('IND');
    expect(ctx.profile.id).toBe('unknown');
  });
});

describe('restoring stored choices', () => {
  test('grid: country, custom value, world default', () => {
    expect(restoreGrid({ country: 'FRA', gPerKWh: 44.18 }).gPerKWh).toBe(44.18);
    expect(restoreGrid({ country: 'CUSTOM', gPerKWh: 120 })).toMatchObject({ country: 'CUSTOM', gPerKWh: 120, origin: 'user' });
    expect(restoreGrid({ country: 'WORLD', gPerKWh: 473 }).origin).toBe('default');
  });
  test('a dataset country keeps its recorded intensity, year and range (not today\'s table)', () => {
    // Before: FRA at 60 g/kWh (another Ember year) came back as today's 44.18, year 2024, 39.8–48.6.
    const r = restoreGrid({ country: 'FRA', gPerKWh: 60, year: 2022, range: { low: 50, high: 70 } });
    expect(r).toMatchObject({ country: 'FRA', gPerKWh: 60, year: 2022, range: { low: 50, high: 70 }, origin: 'dataset' });
    expect(r.source).toContain('Ember 2022 annual average (FRA)');
    expect(r.sourceKey).toBe('energy.grid.src.ember');
    expect(r.sourceParams).toMatchObject({ year: 2022, code: 'FRA' });
    // A lower-case code is read as the table does.
    expect(restoreGrid({ country: 'deu', gPerKWh: 380, year: 2023 })).toMatchObject({ country: 'DEU', gPerKWh: 380, year: 2023 });
  });
  test('an absent range is derived around the recorded value (±10 %), not around today\'s', () => {
    const r = restoreGrid({ country: 'FRA', gPerKWh: 60, year: 2022 });
    expect(r.range.low).toBeCloseTo(54, 10);
    expect(r.range.high).toBeCloseTo(66, 10);
    // A record without a year (older documents) gets today's table year.
    expect(restoreGrid({ country: 'FRA', gPerKWh: 60 }).year).toBe(2024);
    // A recorded null year stays null.
    expect(restoreGrid({ country: 'FRA', gPerKWh: 60, year: null }).year).toBeNull();
  });
  test('the world default keeps a recorded value and range; 30–900 when the range is absent', () => {
    const r = restoreGrid({ country: 'WORLD', gPerKWh: 480, year: 2023, range: { low: 40, high: 880 } });
    expect(r).toMatchObject({ country: 'WORLD', gPerKWh: 480, year: 2023, range: { low: 40, high: 880 }, origin: 'default' });
    expect(r.sourceParams).toMatchObject({ low: 40, high: 880, year: 2023 });
    expect(r.source).toContain('range 40–880');
    expect(restoreGrid({ country: 'WORLD', gPerKWh: 473, year: 2024 }).range).toEqual({ low: 30, high: 900 });
    // The default restored from its own record is the default.
    const d = gridIntensity(null);
    expect(restoreGrid(d)).toEqual(d);
  });
  test('a custom value keeps its recorded range; ±10 % when absent', () => {
    expect(restoreGrid({ country: 'CUSTOM', gPerKWh: 120, year: null, range: { low: 100, high: 150 } })).toMatchObject({
      country: 'CUSTOM', gPerKWh: 120, year: null, range: { low: 100, high: 150 }, origin: 'user', sourceKey: 'energy.grid.src.custom',
    });
    const r = restoreGrid({ country: 'CUSTOM', gPerKWh: 120 });
    expect(r.range.low).toBeCloseTo(108, 10);
    expect(r.range.high).toBeCloseTo(132, 10);
  });
  test('a choice made today round-trips unchanged for every origin', () => {
    for (const c of [gridIntensity('FRA'), gridIntensity('EU'), gridIntensity('WORLD'), customGrid(250)]) expect(restoreGrid(c)).toEqual(c);
  });
  test('unusable records are refused (the panel falls back to the time zone)', () => {
    expect(() => restoreGrid({ country: 'FRA', gPerKWh: 0 })).toThrow(InvalidEnergyInputError);
    expect(() => restoreGrid({ country: 'FRA', gPerKWh: Number.NaN })).toThrow(InvalidEnergyInputError);
    expect(() => restoreGrid({ country: 'XYZ', gPerKWh: 60 })).toThrow(InvalidEnergyInputError);
    expect(() => restoreGrid({ country: 'FRA', gPerKWh: 60, range: { low: 70, high: 80 } })).toThrow(InvalidEnergyInputError);
  });
  const auto = selectProfile({ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: false }, { hasBattery: true }).profile;
  test('a stripped catalog record regains its catalog extras', () => {
    const r = restoreProfile({ id: 'apple-m-pro', source: 'catalog', idleW: 6, deltaW: { low: 12, typ: 22, high: 40 } }, auto);
    expect(r).toMatchObject({ id: 'apple-m-pro', hostIncluded: false, confidence: 'low', embodiedClasses: ['apple-laptop'], idleRangeW: { low: 5, high: 8 } });
    expect(r.sources.length).toBeGreaterThan(0);
  });
  test('a stripped wall-meter record keeps its watts and includes the host', () => {
    const m = profileFromMeasuredWatts({ loadDeltaWallW: 40 });
    const r = restoreProfile({ id: m.id, source: m.source, idleW: m.idleW, deltaW: m.deltaW }, auto);
    expect(r).toMatchObject({ id: 'user-measured', source: 'user', hostIncluded: true, confidence: 'calibrated', deltaW: m.deltaW, embodiedClasses: ['laptop'] });
    expect(r.label).toBe('Measured by you (wall meter)');
    expect(r.basis?.kind).toBe('measured');
  });
  test('a full record round-trips unchanged', () => {
    expect(restoreProfile(auto, auto)).toEqual(auto);
  });
});

describe('isKnownCountry: ISO-3 codes the Ember table has a value for', () => {
  test.each(['FRA', 'fra', ' deu ', 'USA', 'IND', 'NOR'])('%s → true', (c) => expect(isKnownCountry(c)).toBe(true));
  test.each([
    ['XXX', 'not in the table'],
    ['FR', 'alpha-2, not alpha-3'],
    ['EU', 'aggregate'],
    ['WORLD', 'aggregate'],
    ['G20', 'aggregate'],
    ['CAF', 'listed at 0 (no data)'],
    ['', 'empty'],
    ['FRAN', 'four letters'],
  ])('%s → false (%s)', (c) => expect(isKnownCountry(c)).toBe(false));
  test('agrees with gridIntensity: known ⇔ no silent fallback to the world default', () => {
    for (const c of listGridCountries()) {
      expect(isKnownCountry(c.code), c.code).toBe(!c.aggregate);
      if (!c.aggregate) expect(gridIntensity(c.code).country, c.code).toBe(c.code);
    }
    expect(gridIntensity('XXX').country).toBe('WORLD');
  });
});

describe('grid source line: English data, translatable key', () => {
  const cases = [
    ['FRA (year known)', gridIntensity('FRA')],
    ['NOR (year span)', gridIntensity('NOR')],
    ['world default', gridIntensity(null)],
    ['custom value', customGrid(120)],
    ['named custom value', customGrid(120, 'Electricity Maps 2025')],
  ] as const;
  test.each(cases)('%s: the English key renders exactly the stored source', (_name, g) => {
    expect(t(g.sourceKey, g.sourceParams, 'en')).toBe(g.source);
  });
  test.each(cases)('%s: French renders every placeholder and differs from English', (_name, g) => {
    const fr = t(g.sourceKey, g.sourceParams, 'fr');
    expect(fr).not.toMatch(/[{}]/);
    expect(fr).not.toBe(g.source);
  });
  test('hand-checked French lines, numbers with a decimal comma and no grouping in years', () => {
    expect(gridSource(gridIntensity('FRA'), 'fr')).toBe(
      'Moyenne annuelle Ember 2024 (FRA), via @tgwf/co2 0.19.0 (données 2025-08) ; CC BY 4.0, crédit à Ember et à la Green Web Foundation',
    );
    expect(gridSource(gridIntensity('XXX'), 'fr')).toBe(
      'Moyenne mondiale Ember 2024 (472,94 gCO2e/kWh, via @tgwf/co2 0.19.0) ; pays inconnu, d’où la fourchette 30–900',
    );
    expect(gridSource(customGrid(120), 'fr')).toBe('Saisie par vous (valeur personnalisée)');
    expect(gridSource(gridIntensity('NOR'), 'fr')).toMatch(/^Moyenne annuelle Ember 2022–2024 \(NOR\)/);
  });
  test('English UI line equals the stored source; the source text is unchanged data', () => {
    expect(gridSource(gridIntensity('XXX'), 'en')).toBe('Ember 2024 world average (472.94 gCO2e/kWh, via @tgwf/co2 0.19.0); country unknown, so range 30–900');
    expect(gridSource(gridIntensity('FRA'), 'en')).toBe(gridIntensity('FRA').source);
    expect(gridIntensity('FRA').source).toBe(
      'Ember 2024 annual average (FRA), via @tgwf/co2 0.19.0 (data 2025-08); CC BY 4.0, credit Ember and the Green Web Foundation',
    );
  });
});
