/**
 * Embodied (manufacturing) carbon per device class, amortized per second of use. Shown as its
 * own line: it is never added to the operational CO2e of a query.
 */
import embodiedJson from '../../data/embodied.json';
import { embodiedOfClasses } from '../shared/energy-draws.ts';

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
  const e = embodiedOfClasses(classIds);
  if (!e) return null;
  return { ...e, source: e.classes.map((id) => EMBODIED.classes[id]!.source).join('; ') };
}

