/**
 * The figures of a real-models result, read from its document (pure, unit-tested): each role's
 * real-model workload, its accuracy and energy, the gap ratios, the real/synthetic time ratio,
 * and the energy of one live answer.
 */
import type { PerCorrectEnergyRecord, PerCorrectRatioRecord, RealModelRecord } from '../../shared/realmodels/record.ts';
import type { Range3, ResultDocument, Role, Workload } from '../../shared/result.ts';
import { energyWorkload } from '../../shared/energy-workload.ts';
import { syntheticComparison } from '../../shared/realmodels/replica.ts';

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

/** The role's measured real-model workload (the one its energy rests on: WebGPU before the WASM reference). */
export function realWorkload(doc: Pick<ResultDocument, 'workloads'>, role: Role): RealWorkload | null {
  const w = energyWorkload(doc, role);
  return w && isReal(w) ? w : null;
}

/** Real ÷ synthetic replica time per query (shared/realmodels/replica.ts, which says how both are timed). */
function syntheticRatio(doc: Pick<ResultDocument, 'workloads'>, role: Role): RoleFigures['synthetic'] {
  const c = syntheticComparison(doc)[role];
  return c.available ? { ratio: c.ratio, realMs: c.realMs, replicaMs: c.syntheticMs } : { ratio: null, reason: 'no-replica' };
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
    synthetic: syntheticRatio(doc, role),
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
