/**
 * Kernel tuning: which implementation a device runs for the shapes where the fastest one depends
 * on the GPU. The autotuner times the candidates on the visitor's adapter at its first run, keeps
 * the choice per adapter, and the result document records what ran (`environment.tuning`), so a
 * figure can be traced to the kernels behind it. Closed vocabularies: the server validates them.
 */

/** Split of a product's K dimension over workgroups (partial sums, then one reduce pass). 1 = none. */
export const GEMM_SPLIT_K = [1, 2, 4, 8] as const;
export type GemmSplitK = (typeof GEMM_SPLIT_K)[number];

/** How a matrix-vector product sums over K inside a workgroup: shared memory, or subgroup operations (needs `subgroups`). */
export const GEMV_REDUCTIONS = ['workgroup', 'subgroup'] as const;
export type GemvReduction = (typeof GEMV_REDUCTIONS)[number];

export interface KernelTuning {
  /** Split-K per GEMM shape (`gemmShapeKey`); a shape absent here runs unsplit. */
  gemmSplitK: Readonly<Record<string, GemmSplitK>>;
  /** One choice for every GEMV of the device. */
  gemvReduction: GemvReduction;
}

export const DEFAULT_TUNING: KernelTuning = { gemmSplitK: {}, gemvReduction: 'workgroup' };

/** The key of a GEMM shape in `KernelTuning.gemmSplitK`: `m×n×k` as `${m}x${n}x${k}`. */
export const gemmShapeKey = (m: number, n: number, k: number): string => `${m}x${n}x${k}`;

/**
 * Where the tuning of a run came from: timed now (`autotune`), kept from an earlier autotune on the
 * same adapter and kernel sources (`cache`), or the defaults (`default`, with `reason`).
 */
export const TUNING_SOURCES = ['autotune', 'cache', 'default'] as const;
export type TuningSource = (typeof TUNING_SOURCES)[number];

/** Why a run used the default tuning. */
export const TUNING_DEFAULT_REASONS = ['disabled', 'no-candidates', 'no-timestamps', 'failed'] as const;
export type TuningDefaultReason = (typeof TUNING_DEFAULT_REASONS)[number];

/**
 * The prologue a product reads its input through in the model (RMSNorm, SwiGLU), with which its
 * candidates were timed; a trial without one timed the product as the model runs it, bare.
 */
export const TUNING_PROLOGUES = ['rmsnorm', 'swiglu', 'layernorm'] as const;
export type TuningPrologue = (typeof TUNING_PROLOGUES)[number];

/**
 * Why a trial has no median: the budget ran out before it (`budget`), its output differed from
 * the default candidate's (`wrong-output`), or it failed to build or run, or its timestamps could
 * not support a decision (`unusable`).
 */
export const TUNING_UNTIMED_REASONS = ['budget', 'wrong-output', 'unusable'] as const;
export type TuningUntimedReason = (typeof TUNING_UNTIMED_REASONS)[number];

/** One candidate timed by the autotuner. */
export interface TuningTrial {
  op: 'gemm' | 'gemv';
  /** `gemmShapeKey` for a GEMM; `1x${n}x${k}` for a GEMV. */
  shape: string;
  /** The candidate: `splitK=4`, `reduction=subgroup`, … */
  candidate: string;
  /** Median GPU milliseconds of one dispatch group; null when it could not be timed. */
  medianMs: number | null;
  /** Why medianMs is null (records written before this field have none). */
  untimed?: TuningUntimedReason;
  /** The prologue the product was timed with (absent: none). */
  prologue?: TuningPrologue;
}

export interface TuningRecord {
  source: TuningSource;
  reason?: TuningDefaultReason;
  tuning: KernelTuning;
  /** Wall-clock milliseconds the autotune took in this run (null: cache or default). */
  tuneMs: number | null;
  /** The trials that decided it (empty for the defaults). */
  trials: TuningTrial[];
}
