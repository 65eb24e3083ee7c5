/**
 * The numbers a catalog power profile stands for, for one catalog id or a merged band of several
 * ("a+b": the device class is uncertain). One definition, used by the energy model when it builds
 * a band (src/energy/profiles.ts) and by the server when it checks that a published profile's
 * watts, host share, confidence and embodied classes are the catalog's (recompute.ts).
 */
import profilesJson from '../../data/power-profiles.json';

interface Triangle { low: number; typ: number; high: number }
type Confidence = 'low' | 'medium' | 'high';

export interface CatalogNumbers {
  deltaW: Triangle;
  idleW: number;
  idleRangeW: { low: number; high: number };
  hostIncluded: boolean;
  confidence: Confidence;
  embodiedClasses: string[];
}

interface EntryLite { id: string; idleW: Triangle; deltaW: Triangle; hostIncluded: boolean; confidence: string; embodied: string[] }
const ENTRIES = profilesJson.profiles as EntryLite[];

/**
 * A band spanning several triangles: the lowest low, the highest high, and as typical value the
 * geometric mean of the typical values (rounded to 0.1 W, kept inside the band): classes of very
 * different watts should not pull the mode to the biggest one.
 */
export function spanTriangles(xs: readonly Triangle[]): Triangle {
  const low = Math.min(...xs.map((x) => x.low));
  const high = Math.max(...xs.map((x) => x.high));
  const geo = Math.exp(xs.reduce((s, x) => s + Math.log(x.typ), 0) / xs.length);
  const typ = Math.min(high, Math.max(low, geo));
  return { low, typ: Math.round(typ * 10) / 10, high };
}

/** The catalog's numbers for `id` (one id, or ids joined by "+"), or null when an id is not in the catalog. */
export function catalogNumbers(id: string): CatalogNumbers | null {
  const entries = id.split('+').map((part) => ENTRIES.find((e) => e.id === part));
  if (entries.length === 0 || !entries.every((e): e is EntryLite => e !== undefined)) return null;
  const first = entries[0]!;
  if (entries.length === 1) {
    return {
      deltaW: { ...first.deltaW },
      idleW: first.idleW.typ,
      idleRangeW: { low: first.idleW.low, high: first.idleW.high },
      hostIncluded: first.hostIncluded,
      confidence: first.confidence as Confidence,
      embodiedClasses: [...first.embodied],
    };
  }
  const idle = spanTriangles(entries.map((e) => e.idleW));
  return {
    deltaW: spanTriangles(entries.map((e) => e.deltaW)),
    idleW: idle.typ,
    idleRangeW: { low: idle.low, high: idle.high },
    hostIncluded: false,
    confidence: entries.some((e) => e.confidence === 'low') ? 'low' : 'medium',
    embodiedClasses: [...first.embodied],
  };
}
