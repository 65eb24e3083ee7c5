/**
 * Grid carbon intensity: Ember annual averages as shipped by @tgwf/co2 (only its averageIntensity
 * table is imported), country guessed from the IANA time zone (tzdb zone1970.tab-derived table),
 * a world default of 473 gCO2e/kWh with a wide range when the country is unknown.
 */
import { averageIntensity } from '@tgwf/co2/data';
import tzJson from '../../data/tz-country.json';
import constants from '../../data/constants.json';
import { InvalidEnergyInputError } from './errors.ts';
import { gridFigures, knownRange } from '../shared/grid-figures.ts';

interface TzTable { source: string; zones: Record<string, string>; iso2ByIso3: Record<string, string> }
const TZ = tzJson as TzTable;

export type GridOrigin = 'dataset' | 'default' | 'user';

/**
 * i18n keys of the source line (src/i18n/dict/energy.ts). `source` stays English in the
 * document (it is data); the UI renders `t(sourceKey, sourceParams)` so a French page reads French.
 */
export type GridSourceKey = 'energy.grid.src.ember' | 'energy.grid.src.world' | 'energy.grid.src.custom' | 'energy.grid.src.customNamed';

export interface GridChoice {
  /** ISO 3166-1 alpha-3, "WORLD" for the default, "CUSTOM" for a user value. */
  country: string;
  gPerKWh: number;
  /** Data year when known; Ember's per-country year is not in the bundled table (null then). */
  year: number | null;
  source: string;
  /** Translatable form of `source`: English `t(sourceKey, sourceParams)` reads exactly as `source`. */
  sourceKey: GridSourceKey;
  sourceParams: Record<string, string | number>;
  /** Range used by the Monte Carlo (triangular low / gPerKWh / high). */
  range: { low: number; high: number };
  origin: GridOrigin;
}

const EMBER: Record<string, number> = averageIntensity.data;
const G = constants.grid;
const KNOWN_YEARS: Record<string, number> = G.knownYears;

/** Country guessed from an IANA zone name ("Europe/Paris" → "FRA"); null when not a country zone. */
export function guessCountry(timeZone: string): string | null {
  const z = (timeZone ?? '').trim();
  if (!z) return null;
  return TZ.zones[z] ?? null;
}

/** The visitor's time zone, or null where Intl cannot tell. */
export function currentTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

function emberSource(code: string, year: number | null): Pick<GridChoice, 'source' | 'sourceKey' | 'sourceParams'> {
  const y = year ?? `${G.dataYearsSpan.from}–${G.dataYearsSpan.to}`;
  return {
    source: `Ember ${y} annual average (${code}), via ${G.library} (data ${G.datasetRefreshed}); CC BY 4.0, credit Ember and the Green Web Foundation`,
    sourceKey: 'energy.grid.src.ember',
    sourceParams: { year: y, code, library: G.library, refreshed: G.datasetRefreshed },
  };
}

function worldSource(year: number | null, low: number, high: number): Pick<GridChoice, 'source' | 'sourceKey' | 'sourceParams'> {
  return {
    source: `Ember ${year ?? ''} world average (${G.worldExactGPerKWh} gCO2e/kWh, via ${G.library}); country unknown, so range ${low}–${high}`,
    sourceKey: 'energy.grid.src.world',
    sourceParams: { year: year ?? '', exact: G.worldExactGPerKWh, library: G.library, low, high },
  };
}

/** World default: 473 gCO2e/kWh with the 30–900 range that says "country unknown". */
export function worldDefaultGrid(): GridChoice {
  const year = KNOWN_YEARS['WORLD'] ?? null;
  const { low, high } = G.unknownRangeGPerKWh;
  return {
    country: 'WORLD',
    gPerKWh: G.worldDefaultGPerKWh,
    year,
    ...worldSource(year, low, high),
    range: { low, high },
    origin: 'default',
  };
}

/**
 * Whether `code` is an ISO 3166-1 alpha-3 country that the Ember table gives an intensity for
 * (case-insensitive, like gridIntensity). False for aggregates ("EU", "WORLD"), for codes not in
 * the table and for the few countries Ember lists at 0 (no data): those are exactly the codes for
 * which gridIntensity would fall back to the world default, so a caller that takes a country
 * from a person (the lab CLI's --country) can reject it with a clear message instead.
 */
export function isKnownCountry(code: string): boolean {
  const c = (code ?? '').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(c)) return false;
  const g = EMBER[c];
  return g !== undefined && g > 0;
}

/**
 * Grid intensity for an ISO-3 country (or aggregate such as "EU"); world default when null or
 * not in the table (the page keeps working; use isKnownCountry to reject bad input first).
 * Annual averages carry ±10 % for their own error.
 */
export function gridIntensity(country: string | null): GridChoice {
  const code = (country ?? '').trim().toUpperCase();
  const f = gridFigures(code === 'CUSTOM' ? '' : code);
  if (f.country === 'WORLD') return worldDefaultGrid();
  const year = KNOWN_YEARS[f.country] ?? null;
  return { country: f.country, gPerKWh: f.gPerKWh, year, ...emberSource(f.country, year), range: f.range, origin: 'dataset' };
}

/** A value typed by the user (e.g. from their supplier or Electricity Maps): ±10 %. */
const DEFAULT_CUSTOM_LABEL = 'custom value';

export function customGrid(gPerKWh: number, label = DEFAULT_CUSTOM_LABEL): GridChoice {
  if (!Number.isFinite(gPerKWh) || gPerKWh <= 0 || gPerKWh > 2000) throw new InvalidEnergyInputError('gPerKWh', gPerKWh);
  return {
    country: 'CUSTOM',
    gPerKWh,
    year: null,
    source: `Entered by you (${label})`,
    // The default label is English filler: the UI says "Entered by you" in its own language.
    sourceKey: label === DEFAULT_CUSTOM_LABEL ? 'energy.grid.src.custom' : 'energy.grid.src.customNamed',
    sourceParams: label === DEFAULT_CUSTOM_LABEL ? {} : { label },
    range: knownRange(gPerKWh),
    origin: 'user',
  };
}

/** Grid from the visitor's time zone (world default when it maps to no country in the table). */
export function gridFromTimeZone(timeZone: string | null): GridChoice {
  return gridIntensity(timeZone ? guessCountry(timeZone) : null);
}

export interface GridCountry { code: string; iso2: string | null; gPerKWh: number; aggregate: boolean }

/** Every entry of the Ember table, countries first; aggregates (EU, ASIA, G20…) flagged. */
export function listGridCountries(): GridCountry[] {
  return Object.entries(EMBER)
    .filter(([, g]) => g > 0)
    .map(([code, g]) => {
      const iso2 = TZ.iso2ByIso3[code] ?? null;
      return { code, iso2, gPerKWh: g, aggregate: iso2 === null };
    })
    .sort((a, b) => Number(a.aggregate) - Number(b.aggregate) || a.code.localeCompare(b.code));
}

/** Country display name in a language ("FRA", "fr" → "France"); the code when unknown. */
export function countryName(code: string, lang: string): string {
  const iso2 = TZ.iso2ByIso3[code];
  if (!iso2) return code;
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(iso2) ?? code;
  } catch {
    return code;
  }
}

/** What restoreGrid reads from a stored grid (a GridRecord, or an older record without year/range). */
export interface StoredGrid {
  country: string;
  gPerKWh: number;
  /** Absent in records written before the year was stored: today's table year is used then. */
  year?: number | null;
  range?: { low: number; high: number } | null;
}

function restoredRange(record: StoredGrid, derived: { low: number; high: number }): { low: number; high: number } {
  const r = record.range;
  if (!r) return derived;
  const ok = Number.isFinite(r.low) && Number.isFinite(r.high) && r.low > 0 && r.low <= record.gPerKWh && record.gPerKWh <= r.high;
  if (!ok) throw new InvalidEnergyInputError('grid.range', `${r.low}–${r.high}`);
  return { low: r.low, high: r.high };
}

/**
 * A grid choice rebuilt from a stored record: a dataset country, a custom value, or the default.
 * The recorded intensity, year and range are kept for every origin, so a document computed with
 * another year's Ember figure (or before a table refresh) is recomputed with its own inputs; only
 * the texts (source line and its translatable form) are rebuilt. A record without a range gets
 * the one the choice would get today: ±10 % around the recorded value for a country or a custom
 * value, 30–900 for the world default. Throws InvalidEnergyInputError for an unusable value or a
 * country code that is neither in the Ember table nor WORLD/CUSTOM.
 */
export function restoreGrid(record: StoredGrid): GridChoice {
  const code = (record.country ?? '').trim().toUpperCase();
  const g = record.gPerKWh;
  if (!Number.isFinite(g) || g <= 0 || g > 2000) throw new InvalidEnergyInputError('grid.gPerKWh', g);
  const around = knownRange(g);
  if (code === 'CUSTOM') {
    const year = record.year === undefined ? null : record.year;
    return { ...customGrid(g), year, range: restoredRange(record, around) };
  }
  if (code === 'WORLD') {
    const year = record.year === undefined ? (KNOWN_YEARS['WORLD'] ?? null) : record.year;
    const range = restoredRange(record, { ...G.unknownRangeGPerKWh });
    return { country: 'WORLD', gPerKWh: g, year, ...worldSource(year, range.low, range.high), range, origin: 'default' };
  }
  if (EMBER[code] === undefined) throw new InvalidEnergyInputError('grid.country', record.country);
  const year = record.year === undefined ? (KNOWN_YEARS[code] ?? null) : record.year;
  return { country: code, gPerKWh: g, year, ...emberSource(code, year), range: restoredRange(record, around), origin: 'dataset' };
}
