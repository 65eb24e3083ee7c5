/**
 * The schema of the result-document part of a real-model workload (a downloaded DistilBERT-SST2
 * or Qwen2.5-0.5B-Instruct answering the sentiment task); its types and vocabulary are in
 * realmodels/record.ts.
 *
 * Wiring: a workload of kind `real-model` keeps the fields every workload has (id,
 * role, config, flops, bytes, timing record with raw samples, tokensPerSecond) and one more
 * block, `real: RealModelRecord`, validated by `realModelRecord` below; schema.ts adds
 * `real: v.optional(realModelRecord)` to its workload object and the check
 * `(w.kind === 'real-model') === (w.real !== undefined)`. Ids are `ROLE:MODEL:EP`
 * (`REAL_WORKLOAD_IDS`), so the synthetic replica of the same shape (`ROLE:MODEL`) can sit in the
 * same document.
 *
 * Closed vocabulary, as everywhere in the dataset: a model is a key of `REAL_MODEL_KEYS`, never
 * the repository id or URL someone typed (a custom model is `custom`, identified by its file's
 * SHA-256); the raw replies of the general model are kept only on the page and in the local
 * history, never in an upload, because they are free text. Accuracy and its interval are stored
 * together and checked against each other (the server can redo the Wilson interval exactly), as
 * the energy figures are checked against their recomputation.
 */
import * as v from 'valibot';
import { LIMITS, count, finite, oneOf, positive, rate, timingRecord } from './schema-parts.ts';
import { REAL_ARCH_KEYS, REAL_CONFIG_KEYS, REAL_FLOPS_UNKNOWN, familyOf, realModelCost } from './realmodels/cost.ts';
import { PROMPT_VERSIONS } from './realmodels/prompt.ts';
import {
  AGREEMENT_REASONS, ANSWER_KINDS, EXECUTION_PROVIDERS, REAL_DTYPES, REAL_MODEL_KEYS, REAL_MODELS,
  REAL_WORKLOAD_IDS, realWorkloadId, type RealModelRecord,
} from './realmodels/record.ts';
import { AGREEMENT_ITEMS, wilson } from './realmodels/scoring.ts';
import { TASK_LANGUAGES, TASK_SET_IDS } from './realmodels/task-set.ts';

const HEX40 = /^[0-9a-f]{40}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** The stored interval must be the Wilson interval of correct/n to this precision (it is recomputed on receipt). */
const WILSON_TOLERANCE = 1e-6;
const MAX_ITEMS = 100_000;
const MAX_TOKENS = 1e6;

const unit = v.pipe(v.number('must be a finite number'), v.finite('must be finite'), v.minValue(0, 'must be ≥ 0'), v.maxValue(1, 'must be ≤ 1'));

export const realAccuracy = v.pipe(
  v.object({ correct: count(MAX_ITEMS), n: v.pipe(count(MAX_ITEMS), v.minValue(1, 'must be ≥ 1')), low: unit, high: unit }),
  v.check((a) => a.correct <= a.n, 'correct must be ≤ n'),
  v.check((a) => {
    // Checks run even after one failed: wilson() throws on correct > n, which the check above reports.
    if (a.correct > a.n) return true;
    const w = wilson(a.correct, a.n);
    return Math.abs(w.low - a.low) <= WILSON_TOLERANCE && Math.abs(w.high - a.high) <= WILSON_TOLERANCE;
  }, 'low and high must be the 95 % Wilson interval of correct/n'),
);

const agreement = v.variant('measured', [
  v.object({
    measured: v.literal(true),
    agree: count(AGREEMENT_ITEMS),
    n: v.pipe(count(AGREEMENT_ITEMS), v.minValue(1, 'must be ≥ 1')),
  }),
  v.object({ measured: v.literal(false), reason: oneOf(AGREEMENT_REASONS, 'agreement reason') }),
], 'must be { measured: true, agree, n } or { measured: false, reason }');

export const realModelRecord = v.pipe(
  v.object({
    model: oneOf(REAL_MODEL_KEYS, 'real model'),
    revision: v.nullable(v.pipe(v.string('must be a string'), v.regex(HEX40, 'must be a commit hash (40 lower-case hex digits)'))),
    sha256: v.nullable(v.pipe(v.string('must be a string'), v.regex(HEX64, 'must be a SHA-256 (64 lower-case hex digits)'))),
    dtype: oneOf(REAL_DTYPES, 'ONNX dtype'),
    executionProvider: oneOf(EXECUTION_PROVIDERS, 'execution provider'),
    answer: oneOf(ANSWER_KINDS, 'answer kind'),
    promptVersion: v.nullable(oneOf(PROMPT_VERSIONS, 'prompt version')),
    taskSet: v.pipe(
      v.object({
        id: oneOf(TASK_SET_IDS, 'task set'),
        version: v.pipe(count(10_000), v.minValue(1, 'must be ≥ 1')),
        language: oneOf(TASK_LANGUAGES, 'task language'),
      }),
      v.check((t) => t.id === `sentiment-${t.language}`, 'id must be the set of its language'),
    ),
    tokens: v.pipe(
      v.object({ inputMedian: count(MAX_TOKENS), inputTotal: count(MAX_TOKENS * MAX_ITEMS), outputMedian: count(MAX_TOKENS), outputTotal: count(MAX_TOKENS * MAX_ITEMS) }),
      v.check((t) => t.inputMedian >= 1, 'inputMedian must be ≥ 1 (a query has input tokens)'),
      v.check((t) => t.inputMedian <= t.inputTotal && t.outputMedian <= t.outputTotal, 'a median must be ≤ its total'),
    ),
    accuracy: realAccuracy,
    parseFailures: count(MAX_ITEMS),
    agreement: v.pipe(agreement, v.check((a) => !a.measured || a.agree <= a.n, 'agree must be ≤ n')),
    sessionMedianMs: positive(LIMITS.maxMs),
  }),
  v.check((r) => r.model !== 'custom' || r.sha256 !== null, 'a custom model must record its file SHA-256'),
  v.check((r) => r.model !== 'custom' || r.revision === null, 'a custom model records no revision (it is identified by its SHA-256 only)'),
  v.check((r) => r.model === 'custom' || REAL_MODELS[r.model].answer === r.answer, 'answer must be how this model answers'),
  v.check((r) => (r.answer === 'generation') === (r.promptVersion !== null), 'promptVersion is set exactly when the model answers by generation'),
  v.check((r) => r.answer === 'generation' || (r.parseFailures === 0 && r.tokens.outputTotal === 0), 'a classifier has no reply: no output tokens, no parse failures'),
  v.check((r) => r.answer === 'logits' || r.tokens.outputMedian >= 1, 'a generated reply has at least one token'),
  v.check((r) => r.parseFailures <= r.accuracy.n - r.accuracy.correct, 'parse failures are wrong answers: at most n − correct'),
  v.check((r) => r.executionProvider !== 'wasm' || r.agreement.measured === false, 'the WASM reference is not compared with itself'),
  v.check((r) => !r.agreement.measured || r.agreement.n <= r.accuracy.n, 'agreement.n must be ≤ accuracy.n (agreement is measured on items of the run)'),
);

/** Object keys that are never copied (prototype pollution); dropped like the synthetic config drops them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Architecture numbers: whole, ≥ 1, or null when config.json does not give them. */
const archNumber = v.nullable(v.pipe(count(1e7), v.minValue(1, 'must be ≥ 1')));

/**
 * A real-model workload's `config` (realmodels/cost.ts RealModelConfig): closed keys, numbers
 * only besides `family`. Unknown keys are refused with the key named, as in the synthetic config.
 */
export const realModelConfig = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'must be an object'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(dataset.value)) {
      if (FORBIDDEN_KEYS.has(key)) continue;
      if (!(REAL_CONFIG_KEYS as readonly string[]).includes(key)) {
        addIssue({ message: `unknown key (known: ${REAL_CONFIG_KEYS.join(', ')})`, path: [{ type: 'object', origin: 'value', input: dataset.value, key, value }] });
        return NEVER;
      }
      out[key] = value;
    }
    return out;
  }),
  v.object({
    family: v.picklist(['encoder', 'decoder'], 'must be "encoder" or "decoder"'),
    ...(Object.fromEntries(REAL_ARCH_KEYS.map((k) => [k, archNumber])) as Record<(typeof REAL_ARCH_KEYS)[number], typeof archNumber>),
    headDim: v.optional(archNumber),
    maxNewTokens: v.optional(v.pipe(count(100_000), v.minValue(1, 'must be ≥ 1'))),
    onnxBytes: v.pipe(count(1e12), v.minValue(1, 'must be ≥ 1')),
  }),
  // Without head_dim the head width is hidden ÷ heads, which must then be whole.
  v.check((c) => typeof c.headDim === 'number' || c.hidden === null || c.heads === null || c.hidden % c.heads === 0, 'hidden must be a multiple of heads (or headDim given)'),
  v.check((c) => c.heads === null || c.kvHeads === null || (c.kvHeads <= c.heads && c.heads % c.kvHeads === 0), 'kvHeads must divide heads'),
  v.check((c) => (c.family === 'decoder') === (c.maxNewTokens !== undefined), 'maxNewTokens is set exactly for a decoder (a generator\'s reply budget)'),
);

const RELATIVE_COST_TOLERANCE = 1e-9;
const closeTo = (a: number, b: number) => Math.abs(a - b) <= RELATIVE_COST_TOLERANCE * Math.max(Math.abs(a), Math.abs(b), 1);

/**
 * A workload of kind `real-model` (result.ts Workload with `real`): id `ROLE:MODEL:EP` matching
 * its role and `real` block; `flops` and `bytes` are realmodels/cost.ts's estimate from `config`
 * and `real.tokens`, checked here (null flops only when the architecture is incomplete).
 */
export const realWorkload = v.pipe(
  v.object({
    id: oneOf(REAL_WORKLOAD_IDS, 'real-model workload id (ROLE:MODEL:EP)'),
    kind: v.literal('real-model', 'must be "real-model"'),
    role: v.picklist(['general', 'specialized'], 'must be "general" or "specialized"'),
    config: realModelConfig,
    flops: v.nullable(finite(0, LIMITS.maxCount)),
    flopsUnknown: v.optional(oneOf(REAL_FLOPS_UNKNOWN, 'reason for unknown FLOPs')),
    bytes: finite(0, LIMITS.maxCount),
    timing: timingRecord,
    gflops: rate(LIMITS.maxGflops),
    gbps: rate(LIMITS.maxGBps),
    tokensPerSecond: v.optional(v.object({ prefill: v.nullable(finite(0, 1e8)), decode: v.nullable(finite(0, 1e8)) })),
    real: realModelRecord,
  }),
  // onnxruntime-web has no GPU timestamps, and a query is text in → answer out (race.ts).
  v.check((w) => w.timing.source === 'wall-clock', 'timing.source must be "wall-clock" for a real model'),
  v.check((w) => w.id === realWorkloadId(w.role, w.real.model, w.real.executionProvider), 'id must be ROLE:MODEL:EP of its role, real.model and real.executionProvider'),
  v.check((w) => (w.role === 'specialized') === (w.real.answer === 'logits'), 'the specialized model is the classifier (answer "logits"), the general one the generator'),
  v.check((w) => w.config.family === familyOf(w.real.answer), 'config.family must be encoder for a classifier, decoder for a generator'),
  v.check((w) => w.config.maxNewTokens === undefined || w.real.tokens.outputMedian <= w.config.maxNewTokens, 'real.tokens.outputMedian must be ≤ config.maxNewTokens'),
  v.check((w) => (w.flops === null) === (w.flopsUnknown !== undefined), 'flopsUnknown is set exactly when flops is null'),
  v.check((w) => {
    const c = realModelCost(w.config, w.real.tokens);
    return closeTo(w.bytes, c.bytes) && (c.flops === null ? w.flops === null : w.flops !== null && closeTo(w.flops, c.flops));
  }, 'flops and bytes must be the estimate from config and real.tokens (realmodels/cost.ts)'),
  v.check((w) => w.flops === null || w.flops / (w.timing.medianMs * 1e6) <= LIMITS.maxGflops, `implausible throughput: more than ${LIMITS.maxGflops / 1e3} TFLOP/s`),
  v.check((w) => w.bytes / (w.timing.medianMs * 1e6) <= LIMITS.maxGBps, `implausible bandwidth: more than ${LIMITS.maxGBps} GB/s`),
);

// Compile-time proof that what the schema outputs is a RealModelRecord (and nothing looser).
const _outputIsRecord = (x: v.InferOutput<typeof realModelRecord>): RealModelRecord => x;
void _outputIsRecord;

export type RealModelParse = { ok: true; value: RealModelRecord } | { ok: false; issues: string[] };

/** Validate one `real` block on its own (the lead's parseResult will do it inside a workload). */
export function parseRealModelRecord(input: unknown): RealModelParse {
  const r = v.safeParse(realModelRecord, input, { abortPipeEarly: true });
  if (r.success) return { ok: true, value: r.output };
  return { ok: false, issues: r.issues.map((i) => `${v.getDotPath(i) ?? '(record)'}: ${i.message}`) };
}


// Energy per correct answer: src/shared/realmodels/per-correct.ts (no validators, so the page's energy code stays light).
export { perCorrectEnergy } from './schema-parts.ts';
