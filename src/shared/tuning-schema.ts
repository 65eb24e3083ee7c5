/**
 * Validation of `environment.tuning` (tuning.ts): closed vocabularies, bounded sizes, finite
 * non-negative numbers or null. Shared by the result schema (the browser and the server) and the
 * engine's tuning cache, which checks what it reads back from storage with the same rules.
 */
import * as v from 'valibot';
import { GEMM_SPLIT_K, GEMV_REDUCTIONS, TUNING_DEFAULT_REASONS, TUNING_PROLOGUES, TUNING_SOURCES, TUNING_UNTIMED_REASONS, type KernelTuning, type TuningRecord, type TuningTrial } from './tuning.ts';

const TUNING_LIMITS = {
  /** GEMM shapes with a split-K choice: the autotuner never tunes more (its own cap is lower). */
  shapes: 64,
  trials: 256,
  /** One trial's median, per dispatch group: a minute is far beyond any candidate worth timing. */
  maxTrialMs: 60_000,
  /** Wall time of one autotune: its budget is a few seconds; an hour bounds garbage, not practice. */
  maxTuneMs: 3_600_000,
} as const;

/** `m×n×k` as `MxNxK` (gemmShapeKey), positive integers of at most 9 digits. */
export const SHAPE_KEY_PATTERN = /^[1-9]\d{0,8}x[1-9]\d{0,8}x[1-9]\d{0,8}$/;
/** The candidate of a trial: `splitK=S` or `reduction=R`, from the closed lists only. */
const CANDIDATES: readonly string[] = [...GEMM_SPLIT_K.map((s) => `splitK=${s}`), ...GEMV_REDUCTIONS.map((r) => `reduction=${r}`)];

const nonNegative = (max: number) =>
  v.pipe(v.number('must be a finite number'), v.finite('must be finite'), v.minValue(0, 'must be ≥ 0'), v.maxValue(max, `must be ≤ ${max}`));

const shapeKey = v.pipe(v.string('must be a string'), v.regex(SHAPE_KEY_PATTERN, 'must be a shape key MxNxK (positive integers)'));

const splitK = v.picklist(GEMM_SPLIT_K, `must be one of ${GEMM_SPLIT_K.join(', ')}`);

/**
 * Split-K per shape key. Checked key by key so that an issue names the key (when it is a shape
 * key) and a refused key never reaches storage; at most TUNING_LIMITS.shapes keys.
 */
const gemmSplitK = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be an object'),
  v.check((x) => Object.keys(x).length <= TUNING_LIMITS.shapes, `must have at most ${TUNING_LIMITS.shapes} shapes`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const out: Record<string, (typeof GEMM_SPLIT_K)[number]> = {};
    for (const [key, value] of Object.entries(dataset.value)) {
      const parsed = v.safeParse(splitK, value);
      const message = !SHAPE_KEY_PATTERN.test(key) ? 'keys must be shape keys MxNxK (positive integers)' : parsed.success ? null : `must be one of ${GEMM_SPLIT_K.join(', ')}`;
      if (message !== null || !parsed.success) {
        addIssue({ message: message ?? 'must be a split', path: [{ type: 'object', origin: 'value', input: dataset.value, key, value }] });
        return NEVER;
      }
      out[key] = parsed.output;
    }
    return out;
  }),
);

const kernelTuningSchema = v.object({
  gemmSplitK,
  gemvReduction: v.picklist(GEMV_REDUCTIONS, `must be one of ${GEMV_REDUCTIONS.join(', ')}`),
});

const tuningTrialSchema = v.pipe(
  v.object({
    op: v.picklist(['gemm', 'gemv'], 'must be "gemm" or "gemv"'),
    shape: shapeKey,
    candidate: v.picklist(CANDIDATES, `must be one of ${CANDIDATES.join(', ')}`),
    medianMs: v.nullable(nonNegative(TUNING_LIMITS.maxTrialMs)),
    // Both optional: documents and caches written before them stay valid.
    untimed: v.optional(v.picklist(TUNING_UNTIMED_REASONS, `must be one of ${TUNING_UNTIMED_REASONS.join(', ')}`)),
    prologue: v.optional(v.picklist(TUNING_PROLOGUES, `must be one of ${TUNING_PROLOGUES.join(', ')}`)),
  }),
  v.check((t) => t.untimed === undefined || t.medianMs === null, 'untimed is given only when medianMs is null'),
  // The default candidate is the reference the others are checked against: it cannot be refused for its output.
  v.check((t) => t.untimed !== 'wrong-output' || (t.candidate !== 'splitK=1' && t.candidate !== 'reduction=workgroup'), 'the default candidate is the reference, never refused for a wrong output'),
  v.check((t) => t.candidate.startsWith(t.op === 'gemm' ? 'splitK=' : 'reduction='), 'a gemm trial times a splitK candidate, a gemv trial a reduction'),
  v.check((t) => t.op === 'gemm' || t.shape.startsWith('1x'), 'a gemv shape is 1xNxK'),
);

const trials = v.pipe(
  v.unknown(),
  v.check((x) => !Array.isArray(x) || x.length <= TUNING_LIMITS.trials, `must have at most ${TUNING_LIMITS.trials} items`),
  v.array(tuningTrialSchema, 'must be an array'),
);

export const tuningRecordSchema = v.pipe(
  v.object({
    source: v.picklist(TUNING_SOURCES, `must be one of ${TUNING_SOURCES.join(', ')}`),
    reason: v.optional(v.picklist(TUNING_DEFAULT_REASONS, `must be one of ${TUNING_DEFAULT_REASONS.join(', ')}`)),
    tuning: kernelTuningSchema,
    tuneMs: v.nullable(nonNegative(TUNING_LIMITS.maxTuneMs)),
    trials,
  }),
  // The reason says why the defaults ran: present exactly for the defaults.
  v.check((r) => (r.source === 'default') === (r.reason !== undefined), 'reason is given exactly when source is "default"'),
  v.check((r) => r.source === 'autotune' || r.tuneMs === null, 'tuneMs is null unless source is "autotune"'),
  v.check((r) => r.source !== 'default' || (Object.keys(r.tuning.gemmSplitK).length === 0 && r.tuning.gemvReduction === 'workgroup'), 'source "default" runs the default tuning'),
  v.check((r) => r.source !== 'autotune' || r.tuneMs !== null, 'tuneMs is a number when source is "autotune"'),
  // Every choice away from the defaults rests on a timed trial of that candidate (a GEMM split
  // needs at least two rows to split; a GEMV is one).
  v.check((r) => Object.entries(r.tuning.gemmSplitK).every(([shape, k]) => k === 1 || (Number(shape.split('x')[0]) >= 2 && r.trials.some((t) => t.op === 'gemm' && t.shape === shape && t.candidate === `splitK=${k}` && t.medianMs !== null))), 'every gemmSplitK choice above 1 has a timed trial of that split on a shape of at least 2 rows'),
  v.check((r) => r.tuning.gemvReduction === 'workgroup' || r.trials.some((t) => t.op === 'gemv' && t.candidate === 'reduction=subgroup' && t.medianMs !== null), 'a subgroup reduction has a timed trial'),
);

/** What the tuning cache keeps per adapter: the choice and the trials that decided it. */
export const storedTuningSchema = v.object({ tuning: kernelTuningSchema, trials });

// Compile-time proof that the schemas output the contract types (and nothing looser).
const _record = (x: v.InferOutput<typeof tuningRecordSchema>): TuningRecord => x;
const _tuning = (x: v.InferOutput<typeof kernelTuningSchema>): KernelTuning => x;
const _trial = (x: v.InferOutput<typeof tuningTrialSchema>): TuningTrial => x;
void _record;
void _tuning;
void _trial;
