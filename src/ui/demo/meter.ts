/**
 * Figures of the race, pure so they are unit-tested: the live energy meter of a lane, joule
 * formatting, and the one equivalence of the result panel.
 */
import { EQUIVALENCES, equivalencesFor, scale3, selectProfile, type Equivalence } from '../../energy/index.ts';
import type { AdapterSummary, Range3, RoleEnergyRecord } from '../../shared/result.ts';

/**
 * What a lane's meter shows. `live`: GPU time measured so far × the power profile of this device
 * class (low–high); `final`: the run's per-answer estimate with its p5–p95 range; `waiting`: no
 * answer timed yet, or no device to pick a profile from — the meter then says "estimating…" and
 * never shows a number.
 */
export type MeterReading =
  | { kind: 'waiting' }
  | { kind: 'live'; joules: Range3; answers: number }
  | { kind: 'final'; perAnswer: Range3 };

export function liveReading(samplesMs: readonly number[], adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'> | null): MeterReading {
  const busyMs = samplesMs.filter((ms) => Number.isFinite(ms) && ms > 0).reduce((a, b) => a + b, 0);
  if (!adapter || !(busyMs > 0)) return { kind: 'waiting' };
  // The form factor is unknown here (the battery probe is async and runs once the run is done):
  // the profile's range then covers laptop and desktop.
  const { deltaW } = selectProfile(adapter, { hasBattery: null }).profile;
  const s = busyMs / 1000;
  return { kind: 'live', joules: { p5: deltaW.low * s, p50: deltaW.typ * s, p95: deltaW.high * s }, answers: samplesMs.length };
}

export function finalReading(record: RoleEnergyRecord | undefined): MeterReading {
  return record ? { kind: 'final', perAnswer: record.joules } : { kind: 'waiting' };
}

/** Joules → µJ, mJ, J or kJ by the magnitude of the median, so the meter reads "mJ → J" as it climbs. */
export function scaleJoules(r: Range3): { value: Range3; unit: 'µJ' | 'mJ' | 'J' | 'kJ' } {
  const m = Math.abs(r.p50);
  if (m >= 1e3) return { value: scale3(r, 1e-3), unit: 'kJ' };
  if (m >= 1) return { value: r, unit: 'J' };
  if (m >= 1e-3) return { value: scale3(r, 1e3), unit: 'mJ' };
  return { value: scale3(r, 1e6), unit: 'µJ' };
}

/**
 * The equivalence for N answers of the general model: among the energy-based ones (the carbon one
 * depends on the grid, not on the device), largest unit first, the first whose median reaches 1,
 * so the sentence reads "3 smartphone charges", not "0.002 charges"; the smallest unit when none does.
 */
export function pickEquivalence(perQuery: RoleEnergyRecord, queries: number): Equivalence | null {
  const order = EQUIVALENCES.filter((e) => e.basis === 'energy')
    .sort((a, b) => (b.whPerUnit ?? 0) - (a.whPerUnit ?? 0))
    .map((e) => e.id);
  const all = equivalencesFor(scale3(perQuery.joules, queries / 3600), scale3(perQuery.gCO2e, queries));
  const ranked = order.map((id) => all.find((e) => e.id === id)).filter((e): e is Equivalence => e !== undefined);
  return ranked.find((e) => e.amount.p50 >= 1) ?? ranked.at(-1) ?? null;
}
