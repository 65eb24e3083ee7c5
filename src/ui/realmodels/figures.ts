/**
 * The figures of a real-models result, read from its document (pure, unit-tested): each role's
 * real-model workload, its accuracy and energy, the gap ratios, the real/synthetic time ratio,
 * and the energy of one live answer.
 */
import type { PerCorrectEnergyRecord, PerCorrectRatioRecord, RealModelRecord } from '../../shared/realmodels/record.ts';
import type { Range3, ResultDocument, Role, Workload } from '../../shared/result.ts';

export type RealWorkload = Workload & { real: RealModelRecord };

export interface RoleFigures {
  role: Role;
  w: RealWorkload;
  /** Correct ÷ n, with the stored 95 % Wilson interval. */
  accuracy: { correct: number; n: number; rate: number; low: number; high: number };
  /** Joules per query (p5/p50/p95), null without an energy estimate. */
  joules: Range3 | null;
  perCorrect: PerCorrectEnergyRecord | null;
  /** Real ÷ synthetic replica time per query; null with why. */
  synthetic: { ratio: number; realMs: number; replicaMs: number } | { ratio: null; reason: 'no-replica' };
}

export interface RealFigures {
  specialized: RoleFigures | null;
  general: RoleFigures | null;
  ratio: Range3 | null;
  ratioPerCorrect: PerCorrectRatioRecord | null;
}

const isReal = (w: Workload): w is RealWorkload => w.kind === 'real-model' && w.real !== undefined;

/** The role's measured real-model workload: the WebGPU one when the document also holds the WASM reference. */
export function realWorkload(doc: Pick<ResultDocument, 'workloads'>, role: Role): RealWorkload | null {
  const mine = doc.workloads.filter((w): w is RealWorkload => isReal(w) && w.role === role);
  return mine.find((w) => w.real.executionProvider === 'webgpu') ?? mine[0] ?? null;
}

/**
 * Real ÷ synthetic time per query: the time inside the real model's session runs (forward passes
 * only) over the median of the synthetic replica run at the same shapes and token counts, the
 * workload `ROLE:MODEL`. Kept here until the shared comparison lands beside the replicas.
 */
export function syntheticRatio(doc: Pick<ResultDocument, 'workloads'>, w: RealWorkload): RoleFigures['synthetic'] {
  const role = w.role;
  const replica = doc.workloads.find((x) => x.kind === 'model' && x.id === `${role}:${w.real.model}`);
  const replicaMs = replica?.timing.medianMs;
  if (!replica || replicaMs === undefined || !(replicaMs > 0)) return { ratio: null, reason: 'no-replica' };
  return { ratio: w.real.sessionMedianMs / replicaMs, realMs: w.real.sessionMedianMs, replicaMs };
}

function roleFigures(doc: ResultDocument, role: Role): RoleFigures | null {
  const w = realWorkload(doc, role);
  if (!w) return null;
  const { correct, n, low, high } = w.real.accuracy;
  const e = doc.energy?.perQuery[role];
  return {
    role,
    w,
    accuracy: { correct, n, rate: n > 0 ? correct / n : 0, low, high },
    joules: e?.joules ?? null,
    perCorrect: e?.perCorrect ?? null,
    synthetic: syntheticRatio(doc, w),
  };
}

export function realFigures(doc: ResultDocument): RealFigures {
  return {
    specialized: roleFigures(doc, 'specialized'),
    general: roleFigures(doc, 'general'),
    ratio: doc.energy?.ratio ?? null,
    ratioPerCorrect: doc.energy?.ratioPerCorrect ?? null,
  };
}

/**
 * Energy of one live answer ("type your own sentence"): its time × the power profile the run's
 * estimate used, i.e. the role's joules per query scaled by this answer's time over the run's
 * median time per query (the energy model is linear in time). Null without an estimate.
 */
export function answerEnergy(doc: ResultDocument | null, role: Role, ms: number): Range3 | null {
  if (!doc || !(ms > 0)) return null;
  const w = realWorkload(doc, role);
  const e = doc.energy?.perQuery[role]?.joules;
  const median = w?.timing.medianMs;
  if (!e || median === undefined || !(median > 0)) return null;
  const k = ms / median;
  return { p5: e.p5 * k, p50: e.p50 * k, p95: e.p95 * k };
}
