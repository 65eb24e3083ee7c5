/**
 * What the autotuner times and how it decides, apart from the GPU so that the rules can be tested
 * with a fake timer and a fake clock (tests/unit/tuning.test.ts).
 *
 * Candidates
 * - Split-K for a GEMM shape (m > 1) only where it can pay: few rows (m ≤ MAX_SPLIT_M, so the
 *   unsplit grid has few row tiles to fill the GPU with), a deep product (k ≥ n: the K loop, not
 *   the output, is long) and every split keeping at least MIN_K_PER_SPLIT of K (four of the GEMM's
 *   16-deep K steps, so the partial sums and their reduce pass stay a small overhead).
 * - The subgroup GEMV reduction only where the device has `subgroups`.
 * Order and caps: the GEMVs first (one choice for the whole decode), then GEMM shapes by their
 * share of the plan's matrix FLOPs; at most MAX_TUNED_GEMM_SHAPES shapes and MAX_TRIALS timings.
 *
 * Decision: a candidate replaces the default only when its median is more than TUNE_MARGIN (3 %)
 * faster: below that, two runs of the same kernel differ by as much (timestamp rounding, clocks),
 * so a smaller win is noise and a tie keeps the default. The GEMV reduction is decided on the sum
 * of its shapes' medians weighted by their dispatches per query.
 *
 * Budget: the timings stop once `budgetMs` of wall time has passed, or as soon as a job's samples
 * would end past it (the job timer estimates them from a probe: on a slow software adapter one
 * candidate can take seconds); the best so far is kept and every candidate left untimed is
 * recorded as a trial with a null median (so the record says the budget ran out, and which
 * choices it cut short).
 *
 * Every trial without a median says why (`untimed`): cut by the budget, refused for an output
 * that differs from the default's, or unusable (it failed, or its timestamps could not decide).
 * A trial also names the prologue its product was timed with (shapes.ts: as the model runs it).
 */
import { DEFAULT_TUNING, GEMM_SPLIT_K, gemmShapeKey, type GemmSplitK, type GemvReduction, type KernelTuning, type TuningTrial, type TuningUntimedReason } from '../../shared/tuning.ts';
import { gemvShapeKey, type GemmTuningShape, type GemvTuningShape, type TuningShapes } from './shapes.ts';

/** A candidate must beat the default's median by more than this fraction to be chosen. */
export const TUNE_MARGIN = 0.03;
/** Split-K is tried only for products with at most this many rows. */
const MAX_SPLIT_M = 64;
/** Each split keeps at least this much of K. */
const MIN_K_PER_SPLIT = 64;
/** GEMM shapes tuned at most (the schema allows 64). */
const MAX_TUNED_GEMM_SHAPES = 16;
/** GEMV shapes timed at most per reduction. */
const MAX_TUNED_GEMV_SHAPES = 8;
/** Timings at most per autotune (the schema allows 256 trials). */
export const MAX_TRIALS = 48;

/** One timing: a GEMM shape under one split-K, or a GEMV shape under one reduction. */
export type TuneJob =
  | { op: 'gemm'; shape: GemmTuningShape; splitK: GemmSplitK }
  | { op: 'gemv'; shape: GemvTuningShape; reduction: GemvReduction };

/** The split-K values worth timing for a shape, besides 1 (none: the shape stays unsplit). */
export function splitKCandidates(s: Pick<GemmTuningShape, 'm' | 'n' | 'k'>): GemmSplitK[] {
  if (s.m <= 1 || s.m > MAX_SPLIT_M || s.k < s.n) return [];
  return GEMM_SPLIT_K.filter((S) => S > 1 && s.k / S >= MIN_K_PER_SPLIT);
}

/**
 * The timings of one autotune, in order, capped. Each decision's default comes first, so a
 * budget that runs out leaves decisions either complete or at the default.
 */
export function planJobs(shapes: TuningShapes, device: { subgroups: boolean }): TuneJob[] {
  const jobs: TuneJob[] = [];
  if (device.subgroups) {
    const gemv = [...shapes.gemv].sort((a, b) => b.count * b.n * b.k - a.count * a.n * a.k).slice(0, MAX_TUNED_GEMV_SHAPES);
    for (const shape of gemv) for (const reduction of ['workgroup', 'subgroup'] as const) jobs.push({ op: 'gemv', shape, reduction });
  }
  const gemm = shapes.gemm
    .filter((s) => splitKCandidates(s).length > 0)
    .sort((a, b) => b.count * b.m * b.n * b.k - a.count * a.m * a.n * a.k)
    .slice(0, MAX_TUNED_GEMM_SHAPES);
  for (const shape of gemm) {
    jobs.push({ op: 'gemm', shape, splitK: 1 });
    for (const splitK of splitKCandidates(shape)) jobs.push({ op: 'gemm', shape, splitK });
  }
  return jobs.slice(0, MAX_TRIALS);
}

function jobTrial(job: TuneJob, medianMs: number | null, untimed: TuningUntimedReason | undefined): TuningTrial {
  const extra = { ...(medianMs === null && untimed ? { untimed } : {}), ...(job.shape.prologue ? { prologue: job.shape.prologue } : {}) };
  switch (job.op) {
    case 'gemm':
      return { op: 'gemm', shape: gemmShapeKey(job.shape.m, job.shape.n, job.shape.k), candidate: `splitK=${job.splitK}`, medianMs, ...extra };
    case 'gemv':
      return { op: 'gemv', shape: gemvShapeKey(job.shape), candidate: `reduction=${job.reduction}`, medianMs, ...extra };
  }
}

/** What a job timer answers when timing the job would overrun the budget (nothing more is timed). */
export const OVER_BUDGET = 'over-budget';
/** What a job timer answers when the candidate's output differs from the default candidate's. */
export const WRONG_OUTPUT = 'wrong-output';

/**
 * Times one job: its median GPU milliseconds, null when it could not be timed (it failed, or its
 * timestamps were unusable), WRONG_OUTPUT when it computed something else than the default, or
 * OVER_BUDGET when the samples would end past `deadline` (a `now()` time).
 */
type JobTimer = (job: TuneJob, deadline: number) => Promise<number | null | typeof OVER_BUDGET | typeof WRONG_OUTPUT>;

/** Why a job timer's answer is not a median (undefined: it is one). */
function untimedReason(ms: number | null | typeof OVER_BUDGET | typeof WRONG_OUTPUT, budgetHit: boolean): TuningUntimedReason | undefined {
  if (budgetHit || ms === OVER_BUDGET) return 'budget';
  if (ms === WRONG_OUTPUT) return 'wrong-output';
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? undefined : 'unusable';
}

interface TuneOutcome {
  tuning: KernelTuning;
  trials: TuningTrial[];
  /** Whether the budget stopped the timings before the last job. */
  budgetHit: boolean;
}

/** `a` beats the default `base` by more than the margin. */
const beats = (a: number, base: number): boolean => a < base * (1 - TUNE_MARGIN);

/** Runs the jobs within the budget and decides (see the file comment). */
export async function runJobs(jobs: readonly TuneJob[], time: JobTimer, opts: { budgetMs: number; now: () => number }): Promise<TuneOutcome> {
  const start = opts.now();
  const timed: { job: TuneJob; ms: number | null; untimed: TuningUntimedReason | undefined }[] = [];
  let budgetHit = false;
  const deadline = start + opts.budgetMs;
  for (const job of jobs) {
    if (!budgetHit && opts.now() >= deadline) budgetHit = true;
    const ms = budgetHit ? null : await time(job, deadline);
    const untimed = untimedReason(ms, budgetHit);
    if (ms === OVER_BUDGET) budgetHit = true;
    timed.push({ job, ms: untimed === undefined && typeof ms === 'number' ? ms : null, untimed });
  }
  return { tuning: decide(timed), trials: timed.map((t) => jobTrial(t.job, t.ms, t.untimed)), budgetHit };
}

function decide(timed: readonly { job: TuneJob; ms: number | null; untimed?: TuningUntimedReason | undefined }[]): KernelTuning {
  const gemmSplitK: Record<string, GemmSplitK> = {};
  const byShape = new Map<string, { splitK: GemmSplitK; ms: number | null }[]>();
  let wg = 0;
  let sg = 0;
  const gemvPairs = new Map<string, { workgroup?: number | null; subgroup?: number | null; count: number }>();
  for (const { job, ms } of timed) {
    switch (job.op) {
      case 'gemm': {
        const key = gemmShapeKey(job.shape.m, job.shape.n, job.shape.k);
        byShape.set(key, [...(byShape.get(key) ?? []), { splitK: job.splitK, ms }]);
        break;
      }
      case 'gemv': {
        const key = `${gemvShapeKey(job.shape)}:${job.shape.layout}`;
        const p = gemvPairs.get(key) ?? { count: job.shape.count };
        p[job.reduction] = ms;
        gemvPairs.set(key, p);
        break;
      }
    }
  }
  for (const [key, runs] of byShape) {
    const base = runs.find((r) => r.splitK === 1)?.ms ?? null;
    if (base === null) continue;
    let best: { splitK: GemmSplitK; ms: number } | null = null;
    for (const r of runs) if (r.splitK !== 1 && r.ms !== null && (!best || r.ms < best.ms)) best = { splitK: r.splitK, ms: r.ms };
    if (best && beats(best.ms, base)) gemmSplitK[key] = best.splitK;
  }
  // Only shapes timed under both reductions count: a partial pair compares nothing.
  // One GEMV choice serves every GEMV of the run: a subgroup reduction that computed something else
  // on any shape is never chosen, however fast it was on the others.
  const subgroupRefused = timed.some((t) => t.job.op === 'gemv' && t.job.reduction === 'subgroup' && t.untimed === 'wrong-output');
  let pairs = 0;
  for (const p of gemvPairs.values()) {
    if (typeof p.workgroup === 'number' && typeof p.subgroup === 'number') {
      wg += p.count * p.workgroup;
      sg += p.count * p.subgroup;
      pairs++;
    }
  }
  const gemvReduction: GemvReduction = !subgroupRefused && pairs > 0 && beats(sg, wg) ? 'subgroup' : DEFAULT_TUNING.gemvReduction;
  return { gemmSplitK, gemvReduction };
}
