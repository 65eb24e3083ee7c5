/**
 * Building an EnergyContext from what the run knows: the adapter info, battery presence, what
 * the browser says about the CPU, the run's measured peak, and the visitor's time zone (or an
 * explicit country).
 */
import { selectProfile, type AdapterIdentity, type DeviceHints } from './profiles.ts';
import { gridIntensity, guessCountry, type GridChoice } from './grid.ts';
import { embodiedFor } from './embodied.ts';
import type { EnergyContext } from './model.ts';
import type { ResultDocument } from '../shared/result.ts';

export interface ContextOptions {
  /** true: a battery; null: could not tell (see detectBattery); false only when known (e.g. chosen). */
  hasBattery: boolean | null;
  /** CPU threads and measured peak, from the machine that ran the benchmark. */
  hints?: DeviceHints;
  /** ISO-3 country chosen by the user; wins over the time zone. */
  country?: string | null;
  /** IANA time zone used to guess the country when none is given. */
  timeZone?: string | null;
}

/** The automatic context: profile from the adapter, grid from the country or time zone. */
export function defaultEnergyContext(adapter: AdapterIdentity, opts: ContextOptions): EnergyContext {
  const { profile } = selectProfile(adapter, { hasBattery: opts.hasBattery, ...(opts.hints ? { hints: opts.hints } : {}) });
  const country = opts.country ?? (opts.timeZone ? guessCountry(opts.timeZone) : null);
  const grid: GridChoice = gridIntensity(country);
  return { profile, grid, embodied: embodiedFor(profile.embodiedClasses) };
}

/**
 * GFLOP/s reached by the document's fma-peak workload, or null when it has none, it failed
 * verification, or its timing is unusable. Overheads only slow a kernel down, so this is a lower
 * bound on the GPU's peak; the Apple tier choice uses it only that way.
 */
export function measuredPeakGflops(doc: Pick<ResultDocument, 'workloads'>): number | null {
  const w = doc.workloads.find((x) => x.id === 'fma-peak' && x.kind === 'micro');
  if (!w || w.flops === null || !(w.flops > 0) || w.verified === false) return null;
  const ms = w.timing.medianMs;
  if (!(ms > 0) || !Number.isFinite(ms)) return null;
  return w.flops / (ms * 1e6);
}

/** navigator.hardwareConcurrency where it exists (null in node and in old browsers). */
export function cpuThreadsHere(): number | null {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}
