/**
 * The grid intensity and range this version uses for a country: Ember's annual average ±10 %, the
 * world default with the 30–900 range that says "country unknown", or a value typed in ±10 %.
 * One definition for the page (src/energy/grid.ts builds its choices on it) and the server
 * (src/shared/recompute.ts checks a published document against it).
 */
import { averageIntensity } from '@tgwf/co2/data';
import constants from '../../data/constants.json';

const EMBER: Record<string, number> = averageIntensity.data;

export interface GridFigures {
  /** The code used: the ISO-3 country, or WORLD when the code is unknown to the table. */
  country: string;
  gPerKWh: number;
  range: { low: number; high: number };
}

/** ±10 % around a value: the error of an annual average, or of a value typed in. */
export function knownRange(gPerKWh: number): { low: number; high: number } {
  const e = constants.grid.knownRelativeError;
  return { low: gPerKWh * (1 - e), high: gPerKWh * (1 + e) };
}

/**
 * Figures for an upper-case code: CUSTOM keeps `typedGPerKWh`; WORLD, an empty or unknown code,
 * or a country Ember lists at 0 (no data) gives the world default.
 */
export function gridFigures(code: string, typedGPerKWh = 0): GridFigures {
  const G = constants.grid;
  if (code === 'CUSTOM') return { country: 'CUSTOM', gPerKWh: typedGPerKWh, range: knownRange(typedGPerKWh) };
  const g = EMBER[code];
  // Ember lists a few countries at 0 (no reported generation): treat them as unknown, not clean.
  if (!code || code === 'WORLD' || g === undefined || !(g > 0)) return { country: 'WORLD', gPerKWh: G.worldDefaultGPerKWh, range: { ...G.unknownRangeGPerKWh } };
  return { country: code, gPerKWh: g, range: knownRange(g) };
}
