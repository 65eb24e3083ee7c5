/**
 * Figures of the race, pure so they are unit-tested: the live energy meter of a lane, joule
 * formatting, and the one equivalence of the result panel.
 */
import { EQUIVALENCES, equivalencesFor, scale3, selectProfile, type Equivalence } from '../../energy/index.ts';
import type { AdapterSummary, Range3, ResultDocument, RoleEnergyRecord } from '../../shared/result.ts';

/**
 * What a lane's meter shows. `live`: GPU time measured so far × the power band of this device
 * class (low–high), an indicative figure without the host computer or the power supply, summed
 * over the timed answers (one per sample: each sample's time is the time of one answer, while the
 * batch run behind it is not reported during the race); `final`: the run's per-answer estimate
 * with its p5–p95 range; `waiting`: no answer timed yet, or no device to pick a profile from — the
 * meter then says "estimating…" and never shows a number; `none`: the run is over and has no
 * energy section, so no number at all (the live figure was never an estimate the app made), with
 * the reason where the document gives one.
 */
export type MeterReading =
  | { kind: 'waiting' }
  | { kind: 'live'; joules: Range3; answers: number }
  | { kind: 'final'; perAnswer: Range3 }
  | { kind: 'none'; reason: NoEstimateReason | null };

/** Why a finished run has no energy section, as far as the document tells. */
export type NoEstimateReason = 'mixed-timing' | 'energy-unavailable';

export function liveReading(samplesMs: readonly number[], adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'> | null): MeterReading {
  const timed = samplesMs.filter((ms) => Number.isFinite(ms) && ms > 0);
  const busyMs = timed.reduce((a, b) => a + b, 0);
  if (!adapter || !(busyMs > 0)) return { kind: 'waiting' };
  // The form factor is unknown here (the battery probe is async and runs once the run is done):
  // the profile's range then covers laptop and desktop.
  const { deltaW } = selectProfile(adapter, { hasBattery: null }).profile;
  const s = busyMs / 1000;
  return { kind: 'live', joules: { p5: deltaW.low * s, p50: deltaW.typ * s, p95: deltaW.high * s }, answers: timed.length };
}

/** The reason a finished run has no energy section: its models timed on different clocks, or the estimate failed. */
export function noEstimateReason(doc: Pick<ResultDocument, 'workloads' | 'flags'>): NoEstimateReason | null {
  const sources = new Set(doc.workloads.filter((w) => w.kind === 'model').map((w) => w.timing.source));
  if (sources.size > 1) return 'mixed-timing';
  return doc.flags?.includes('energy-unavailable') ? 'energy-unavailable' : null;
}

/**
 * A lane's reading: the run's estimate once it exists; once the run is over without one, `none`
 * (never the live figure); while it runs, the live figure.
 */
export function laneReading(
  run: { kind: 'running' } | { kind: 'done'; doc: Pick<ResultDocument, 'workloads' | 'flags'>; record: RoleEnergyRecord | undefined },
  samplesMs: readonly number[],
  adapter: Pick<AdapterSummary, 'vendor' | 'architecture' | 'isFallbackAdapter'> | null,
): MeterReading {
  switch (run.kind) {
    case 'running':
      return liveReading(samplesMs, adapter);
    case 'done':
      return run.record ? { kind: 'final', perAnswer: run.record.joules } : { kind: 'none', reason: noEstimateReason(run.doc) };
    default: {
      const never: never = run;
      throw new Error(`unknown lane state ${String(never)}`);
    }
  }
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
