/**
 * Embodied (manufacturing) carbon per device class, amortized per second of use. Shown as its
 * own line: it is never added to the operational CO2e of a query.
 */
import embodiedJson from '../../data/embodied.json';

/** `year`: the data year when the source states one (null otherwise). */
export interface EmbodiedClass { label: string; kgCO2e: number; lifetimeYears: number; useRatio: number; source: string; year: number | null }
interface EmbodiedData { secondsPerYear: number; classes: Record<string, EmbodiedClass> }
export const EMBODIED = embodiedJson as EmbodiedData & { version: string; licence: string; note: string };

export interface EmbodiedChoice {
  classes: string[];
  kgCO2e: number;
  /** Lifetime of the host device (the first class), used for allocation. */
  lifetimeYears: number;
  useRatio: number;
  source: string;
}

/** Sum of the classes (e.g. desktop + gpu-card), host lifetime; null when no class is known. */
export function embodiedFor(classIds: string[]): EmbodiedChoice | null {
  const found = classIds.map((id) => [id, EMBODIED.classes[id]] as const).filter((x): x is readonly [string, EmbodiedClass] => x[1] !== undefined);
  const host = found[0];
  if (!host) return null;
  return {
    classes: found.map(([id]) => id),
    kgCO2e: found.reduce((s, [, c]) => s + c.kgCO2e, 0),
    lifetimeYears: host[1].lifetimeYears,
    useRatio: host[1].useRatio,
    source: found.map(([, c]) => c.source).join('; '),
  };
}

export { embodiedGrams } from '../shared/energy-draws.ts';
