/**
 * The `measured` block of a result document from a power recording's final summary (pure).
 *
 * Method. The server integrates the sensor between marks the page posts; for each model the
 * page marks the window where the model runs its timed queries back to back (pre-heat and
 * samples), so the window's mean power is the power under that model's load. The energy of one
 * query is then that power × the model's wall time per query:
 *   marginal      = (meanW − idleW) × t_query   (what the query adds above the idle device)
 *   attributional =  meanW          × t_query   (the idle baseline included)
 * where idleW is the mean over an idle window of ~2 s before the run and t_query is the
 * workload's median wall time per query (`timing.wallMedianMs`, else `timing.medianMs`).
 * Not the window's total joules ÷ its queries: the window also holds the warm-up and the
 * pre-heat, whose queries are not counted in the samples, and the gaps between batches;
 * mean power × per-query time counts each query once, whatever the window around it.
 */
import * as v from 'valibot';
import type { EnergySection, ResultDocument, Role } from './result.ts';
import { LIMITS, measuredSection as measuredSchema } from './schema-parts.ts';
import { markName, MIN_WINDOW_SAMPLES, sensorKind, type MeasuredReason, type MeasuredRole, type MeasuredSection, type RecordingSummary, type WindowSummary } from './power.ts';

const ROLES: readonly Role[] = ['general', 'specialized'];

type Window = RecordingSummary['windows'][number];
type Check = { ok: true; w: WindowSummary } | { ok: false; reason: MeasuredReason };

function check(w: Window | undefined): Check {
  if (!w) return { ok: false, reason: 'trace-gap' };
  if ('error' in w) return { ok: false, reason: 'trace-gap' };
  if (w.samples < MIN_WINDOW_SAMPLES) return { ok: false, reason: 'window-too-short' };
  return { ok: true, w };
}

/**
 * A model's load window: from its `load` mark (the timed queries begin) to the next mark, or
 * from its `start` mark when no load mark came (a runner that reports no phases).
 */
function loadWindow(s: RecordingSummary, role: Role): Window | undefined {
  return s.windows.find((w) => w.from === markName.load(role)) ?? s.windows.find((w) => w.from === markName.start(role));
}

/**
 * Joules below this are the floating-point residue of a flat trace (idle and load the same
 * power: the trapezoid sums differ by ~1e-14 J), not energy; no sensor resolves a nanojoule.
 */
const NOISE_J = 1e-9;

/**
 * a ÷ b when both are positive and the quotient is one the schema keeps; null otherwise (a
 * marginal within the sensor's noise can be a hair above zero: its quotients mean nothing).
 */
function quotient(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || !(a > NOISE_J) || !(b > NOISE_J)) return null;
  const q = a / b;
  return Number.isFinite(q) && q <= LIMITS.maxRatio ? q : null;
}

/** The estimate's median marginal joules ÷ the measured ones, when both mean something. */
function estimateRatio(energy: EnergySection | undefined, role: Role, measuredJ: number): number | null {
  return quotient(energy?.perQuery[role].joules.p50, measuredJ);
}

/** The `measured` block of a document from its recording's final summary (pure). */
export function measuredSection(s: RecordingSummary, doc: Pick<ResultDocument, 'workloads' | 'energy'>): MeasuredSection {
  const kind = sensorKind(s.sensor.id);
  if (kind === null) return { available: false, reason: 'no-readable-sensor' };
  const idle = check(s.windows.find((w) => w.from === markName.idleStart && w.to === markName.idleEnd));
  const roles = ROLES.filter((r) => s.marks.some((m) => m.name === markName.start(r)) && doc.workloads.some((w) => w.kind === 'model' && w.role === r));
  // A sensor that failed leaves a trace that stops short: say the sensor failed, not "gap".
  const why = (reason: MeasuredReason): MeasuredSection => ({ available: false, reason: s.state === 'failed' && reason === 'trace-gap' ? 'sensor-failed' : reason });
  if (!idle.ok) return why(idle.reason);
  if (roles.length === 0) return { available: false, reason: s.state === 'failed' ? 'sensor-failed' : 'no-model-window' };
  const perQuery: Partial<Record<Role, MeasuredRole>> = {};
  for (const role of roles) {
    const load = check(loadWindow(s, role));
    if (!load.ok) return why(load.reason);
    const workload = doc.workloads.find((w) => w.kind === 'model' && w.role === role)!;
    const queryMs = workload.timing.wallMedianMs ?? workload.timing.medianMs;
    const joules = ((load.w.meanWatts - idle.w.meanWatts) * queryMs) / 1000;
    perQuery[role] = {
      meanW: load.w.meanWatts,
      windowSeconds: load.w.seconds,
      samples: load.w.samples,
      queryMs,
      joules,
      attributionalJoules: (load.w.meanWatts * queryMs) / 1000,
      estimateOverMeasured: estimateRatio(doc.energy, role, joules),
    };
  }
  const section: MeasuredSection = {
    available: true,
    sensor: { kind, coverage: s.sensor.coverage, periodMs: s.sensor.periodMs },
    samples: s.readings,
    idleW: idle.w.meanWatts,
    idleSeconds: idle.w.seconds,
    perQuery,
    ratio: quotient(perQuery.general?.joules, perQuery.specialized?.joules),
  };
  // A reading the schema would refuse (a sensor's glitch) must not cost the run its upload.
  return v.safeParse(measuredSchema, section).success ? section : { available: false, reason: 'implausible-reading' };
}

/** The block with estimate ÷ measured redone against another estimate (a new profile or grid). */
export function withEstimate(m: MeasuredSection, energy: EnergySection | undefined): MeasuredSection {
  if (!m.available) return m;
  const perQuery: Partial<Record<Role, MeasuredRole>> = {};
  for (const role of ROLES) {
    const r = m.perQuery[role];
    if (r) perQuery[role] = { ...r, estimateOverMeasured: estimateRatio(energy, role, r.joules) };
  }
  return { ...m, perQuery };
}
