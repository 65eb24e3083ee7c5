/**
 * Model architectures as plain, JSON-able data (see docs/ARCHITECTURE.md).
 *
 * One config describes the shapes a runner allocates, the FLOPs `flops.ts` counts, the tensors
 * `weights.ts` synthesizes, the CPU reference and the ONNX oracle graph. Nothing here touches the
 * GPU, so the same object can travel through the worker boundary and into `workload.config`.
 *
 * Two families, told apart by `family`:
 * - `encoder`: BERT / DistilBERT. Learned positions, post-LayerNorm blocks (norm after each
 *   residual add), GELU (erf form) FFN, bidirectional attention, classifier head on the first
 *   token (pre-classifier dense + activation, then dense to `labels`).
 * - `decoder`: Llama / Qwen. Pre-RMSNorm blocks, RoPE (rotate-half convention), grouped-query
 *   attention (`kvHeads` divides `heads`), SwiGLU FFN (silu(gate)·up → down), final RMSNorm,
 *   LM head tied to the token embedding or separate.
 */
import type { Role } from '../../shared/result.ts';

/**
 * Storage and compute precision. `f16` only where the adapter has `shader-f16`: weight matrices
 * stored as f16 and the matrix products multiplying in f16 with f32 accumulation; activations,
 * attention, norms and the KV cache stay f32 (see src/engine/ops/weight-storage.ts).
 */
export type Dtype = 'f32' | 'f16';

interface ModelConfigBase {
  /** Preset name or "custom"; recorded as `model` in the result document. */
  name: string;
  layers: number;
  hidden: number;
  heads: number;
  /** Key/value heads. Equal to `heads` for multi-head attention, fewer for GQA. */
  kvHeads: number;
  headDim: number;
  /** FFN inner width (intermediate size). */
  ffn: number;
  vocab: number;
  /** Longest sequence the position table (encoder) or KV cache (decoder) may hold. */
  maxPositions: number;
  dtype: Dtype;
  /** Epsilon of LayerNorm / RMSNorm. */
  normEps: number;
}

export interface EncoderConfig extends ModelConfigBase {
  family: 'encoder';
  norm: 'layernorm';
  /** GELU, exact (erf) form as in BERT. */
  activation: 'gelu';
  positions: 'learned';
  /** Classifier outputs. */
  labels: number;
  /**
   * Dense hidden→hidden on the first token before the classifier, and its activation:
   * DistilBERT's `pre_classifier` + ReLU, or BERT's pooler + tanh.
   */
  preClassifier: 'relu' | 'tanh';
}

export interface DecoderConfig extends ModelConfigBase {
  family: 'decoder';
  norm: 'rmsnorm';
  /** SwiGLU: down(silu(x·Wgate) ⊙ (x·Wup)). */
  activation: 'swiglu';
  positions: 'rope';
  ropeTheta: number;
  /** LM head reuses the token embedding (logits = h·Eᵀ) instead of its own [hidden, vocab]. */
  tiedEmbeddings: boolean;
  /** Biases on the q/k/v projections (Qwen2 has them, Llama/SmolLM do not). */
  qkvBias: boolean;
}

export type ModelConfig = EncoderConfig | DecoderConfig;

/** One query of the encoder classifier: a forward pass over `inputTokens` tokens. */
export interface EncoderWorkloadSpec {
  family: 'encoder';
  id: string;
  role: Role;
  /** Seed of weight synthesis and of the synthetic token ids. */
  seed: number;
  model: EncoderConfig;
  inputTokens: number;
  /** Same as `model.labels`; repeated because it belongs to the task as much as to the model. */
  labels: number;
}

/** One query of the decoder LLM: prefill of `promptTokens`, then greedy decode to `outputTokens`. */
export interface DecoderWorkloadSpec {
  family: 'decoder';
  id: string;
  role: Role;
  seed: number;
  model: DecoderConfig;
  promptTokens: number;
  /**
   * Tokens generated. The first comes from the prefill's last position, so a query runs
   * `outputTokens − 1` decode steps.
   */
  outputTokens: number;
}

export type ModelWorkloadSpec = EncoderWorkloadSpec | DecoderWorkloadSpec;

/** Tokens a query holds at its longest (prompt + generated, or the encoder input). */
export function sequenceLength(spec: ModelWorkloadSpec): number {
  switch (spec.family) {
    case 'encoder':
      return spec.inputTokens;
    case 'decoder':
      // The last generated token is never fed back, so the cache holds prompt + output − 1.
      return spec.promptTokens + Math.max(0, spec.outputTokens - 1);
  }
}

/**
 * The spec as it actually ran: a runner may fall back to f32 even when the suite asked for f16
 * (no `shader-f16`, or no f16 variant yet). Record and count with the dtype the runner used, so
 * that `workload.config.dtype`, `bytes` and `workload.dtype` agree.
 */
export function specWithDtype<S extends ModelWorkloadSpec>(spec: S, dtype: Dtype): S {
  return spec.model.dtype === dtype ? spec : { ...spec, model: { ...spec.model, dtype } };
}

/**
 * The flat object stored as `workload.config` in the result document (contract fields of
 * the result document: family, layers, hidden, heads, kvHeads, headDim, ffn, vocab, maxPositions,
 * dtype, inputTokens | promptTokens + outputTokens, labels), plus what a reader needs to
 * recount FLOPs (norm, activation, tied embeddings, …) and the seed.
 */
export function workloadConfig(spec: ModelWorkloadSpec): Record<string, unknown> {
  const { name, ...model } = spec.model;
  const base = { model: name, ...model, seed: spec.seed };
  switch (spec.family) {
    case 'encoder':
      return { ...base, inputTokens: spec.inputTokens, labels: spec.labels };
    case 'decoder':
      return { ...base, promptTokens: spec.promptTokens, outputTokens: spec.outputTokens };
  }
}

/**
 * The inverse of `workloadConfig`: rebuilds the spec from a result document's `workload.config`,
 * so that anyone (the results server, a dataset reader) can recount FLOPs and bytes with
 * `countQuery`. Throws `ModelConfigError` naming the first missing or mistyped field.
 */
export function specFromWorkloadConfig(config: Record<string, unknown>, id: string, role: Role): ModelWorkloadSpec {
  const num = (field: string): number => {
    const v = config[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelConfigError(field, `${field} must be a number (got ${JSON.stringify(v)})`);
    return v;
  };
  const bool = (field: string): boolean => {
    const v = config[field];
    if (typeof v !== 'boolean') throw new ModelConfigError(field, `${field} must be true or false (got ${JSON.stringify(v)})`);
    return v;
  };
  const oneOf = <T extends string>(field: string, options: readonly T[]): T => {
    const v = config[field];
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
      throw new ModelConfigError(field, `${field} must be one of ${options.join(', ')} (got ${JSON.stringify(v)})`);
    }
    return v as T;
  };
  const name = typeof config['model'] === 'string' ? config['model'] : 'custom';
  const base = {
    name,
    layers: num('layers'),
    hidden: num('hidden'),
    heads: num('heads'),
    kvHeads: num('kvHeads'),
    headDim: num('headDim'),
    ffn: num('ffn'),
    vocab: num('vocab'),
    maxPositions: num('maxPositions'),
    dtype: oneOf('dtype', ['f32', 'f16'] as const),
    normEps: num('normEps'),
  };
  const seed = num('seed');
  let spec: ModelWorkloadSpec;
  switch (oneOf('family', ['encoder', 'decoder'] as const)) {
    case 'encoder': {
      const model: EncoderConfig = {
        ...base,
        family: 'encoder',
        norm: 'layernorm',
        activation: 'gelu',
        positions: 'learned',
        labels: num('labels'),
        preClassifier: oneOf('preClassifier', ['relu', 'tanh'] as const),
      };
      spec = { family: 'encoder', id, role, seed, model, inputTokens: num('inputTokens'), labels: num('labels') };
      break;
    }
    case 'decoder': {
      const model: DecoderConfig = {
        ...base,
        family: 'decoder',
        norm: 'rmsnorm',
        activation: 'swiglu',
        positions: 'rope',
        ropeTheta: num('ropeTheta'),
        tiedEmbeddings: bool('tiedEmbeddings'),
        qkvBias: bool('qkvBias'),
      };
      spec = { family: 'decoder', id, role, seed, model, promptTokens: num('promptTokens'), outputTokens: num('outputTokens') };
      break;
    }
  }
  validateWorkload(spec);
  return spec;
}

/** A named, structural problem with a config; `field` says which one. */
export class ModelConfigError extends Error {
  override name = 'ModelConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Structural checks every runner relies on (throws `ModelConfigError` naming the field).
 * Limits of the adapter are checked elsewhere (presets.ts), since they depend on the device.
 */
export function validateConfig(c: ModelConfig): void {
  const positive = (field: keyof ModelConfigBase | 'labels' | 'ropeTheta', v: number): void => {
    if (!Number.isInteger(v) || v <= 0) throw new ModelConfigError(field, `${field} must be a positive integer (got ${v})`);
  };
  positive('layers', c.layers);
  positive('hidden', c.hidden);
  positive('heads', c.heads);
  positive('kvHeads', c.kvHeads);
  positive('headDim', c.headDim);
  positive('ffn', c.ffn);
  positive('vocab', c.vocab);
  positive('maxPositions', c.maxPositions);
  if (!(c.normEps > 0)) throw new ModelConfigError('normEps', `normEps must be > 0 (got ${c.normEps})`);
  if (c.heads % c.kvHeads !== 0) {
    throw new ModelConfigError('kvHeads', `kvHeads (${c.kvHeads}) must divide heads (${c.heads})`);
  }
  switch (c.family) {
    case 'encoder':
      if (c.kvHeads !== c.heads) throw new ModelConfigError('kvHeads', `an encoder uses multi-head attention: kvHeads must equal heads (${c.heads})`);
      if (c.heads * c.headDim !== c.hidden) {
        throw new ModelConfigError('headDim', `heads × headDim (${c.heads * c.headDim}) must equal hidden (${c.hidden})`);
      }
      positive('labels', c.labels);
      break;
    case 'decoder':
      if (c.headDim % 2 !== 0) throw new ModelConfigError('headDim', `RoPE rotates pairs: headDim must be even (got ${c.headDim})`);
      if (!(c.ropeTheta > 0)) throw new ModelConfigError('ropeTheta', `ropeTheta must be > 0 (got ${c.ropeTheta})`);
      break;
  }
}

/** Checks the token counts of a workload against its model (throws `ModelConfigError`). */
export function validateWorkload(spec: ModelWorkloadSpec): void {
  validateConfig(spec.model);
  const positive = (field: string, v: number): void => {
    if (!Number.isInteger(v) || v <= 0) throw new ModelConfigError(field, `${field} must be a positive integer (got ${v})`);
  };
  switch (spec.family) {
    case 'encoder':
      positive('inputTokens', spec.inputTokens);
      if (spec.labels !== spec.model.labels) throw new ModelConfigError('labels', `labels (${spec.labels}) must match the model (${spec.model.labels})`);
      break;
    case 'decoder':
      positive('promptTokens', spec.promptTokens);
      positive('outputTokens', spec.outputTokens);
      break;
  }
  const len = sequenceLength(spec);
  if (len > spec.model.maxPositions) {
    throw new ModelConfigError('maxPositions', `${len} tokens exceed maxPositions (${spec.model.maxPositions}) of ${spec.model.name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Named model presets. Hyperparameters from the models' published config.json files.

/** DistilBERT-base-uncased fine-tuned on SST-2 (distilbert/distilbert-base-uncased-finetuned-sst-2-english). */
export const DISTILBERT_SST2: EncoderConfig = Object.freeze({
  name: 'distilbert-sst2',
  family: 'encoder',
  layers: 6,
  hidden: 768,
  heads: 12,
  kvHeads: 12,
  headDim: 64,
  ffn: 3072,
  vocab: 30522,
  maxPositions: 512,
  dtype: 'f32',
  normEps: 1e-12,
  norm: 'layernorm',
  activation: 'gelu',
  positions: 'learned',
  labels: 2,
  preClassifier: 'relu',
});

/** BERT-tiny (google/bert_uncased_L-2_H-128_A-2): 2 layers, d=128, 2 heads, FFN 512. */
export const BERT_TINY: EncoderConfig = Object.freeze({
  name: 'bert-tiny',
  family: 'encoder',
  layers: 2,
  hidden: 128,
  heads: 2,
  kvHeads: 2,
  headDim: 64,
  ffn: 512,
  vocab: 30522,
  maxPositions: 512,
  dtype: 'f32',
  normEps: 1e-12,
  norm: 'layernorm',
  activation: 'gelu',
  positions: 'learned',
  labels: 2,
  preClassifier: 'tanh',
});

/** Qwen2.5-0.5B-Instruct: 24 layers, d=896, 14 q heads / 2 KV heads, head 64, FFN 4864, tied. */
export const QWEN25_05B_INSTRUCT: DecoderConfig = Object.freeze({
  name: 'qwen2.5-0.5b-instruct',
  family: 'decoder',
  layers: 24,
  hidden: 896,
  heads: 14,
  kvHeads: 2,
  headDim: 64,
  ffn: 4864,
  vocab: 151936,
  maxPositions: 32768,
  dtype: 'f32',
  normEps: 1e-6,
  norm: 'rmsnorm',
  activation: 'swiglu',
  positions: 'rope',
  ropeTheta: 1_000_000,
  tiedEmbeddings: true,
  qkvBias: true,
});

/** SmolLM2-135M: 30 layers, d=576, 9 q heads / 3 KV heads, head 64, FFN 1536, vocab 49152, tied. */
export const SMOLLM2_135M: DecoderConfig = Object.freeze({
  name: 'smollm2-135m',
  family: 'decoder',
  layers: 30,
  hidden: 576,
  heads: 9,
  kvHeads: 3,
  headDim: 64,
  ffn: 1536,
  vocab: 49152,
  maxPositions: 8192,
  dtype: 'f32',
  normEps: 1e-5,
  norm: 'rmsnorm',
  activation: 'swiglu',
  positions: 'rope',
  ropeTheta: 100_000,
  tiedEmbeddings: true,
  qkvBias: false,
});

/**
 * A tiny Qwen-style decoder for CI and tests (2 layers, d=128). It exercises every code path of
 * the big ones: GQA (4 q heads over 2 KV heads), q/k/v biases, and an untied LM head (the paper
 * models are tied). Vocabulary kept small so the LM head stays cheap on a software adapter.
 */
export const TINY_DECODER: DecoderConfig = Object.freeze({
  name: 'tiny-decoder',
  family: 'decoder',
  layers: 2,
  hidden: 128,
  heads: 4,
  kvHeads: 2,
  headDim: 32,
  ffn: 384,
  vocab: 2048,
  maxPositions: 256,
  dtype: 'f32',
  normEps: 1e-6,
  norm: 'rmsnorm',
  activation: 'swiglu',
  positions: 'rope',
  ropeTheta: 10_000,
  tiedEmbeddings: false,
  qkvBias: true,
});

export const MODEL_PRESETS = Object.freeze({
  'distilbert-sst2': DISTILBERT_SST2,
  'bert-tiny': BERT_TINY,
  'qwen2.5-0.5b-instruct': QWEN25_05B_INSTRUCT,
  'smollm2-135m': SMOLLM2_135M,
  'tiny-decoder': TINY_DECODER,
} satisfies Record<string, ModelConfig>);

export type ModelPresetName = keyof typeof MODEL_PRESETS;

export function isModelPresetName(s: string): s is ModelPresetName {
  return Object.hasOwn(MODEL_PRESETS, s);
}

/** Parameter count (weights only), for display and for checking sizes against limits. */
export function parameterCount(c: ModelConfig): number {
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  switch (c.family) {
    case 'encoder': {
      const layer = d * q + q + 2 * (d * kv + kv) + q * d + d + 2 * d + d * c.ffn + c.ffn + c.ffn * d + d + 2 * d;
      return c.vocab * d + c.maxPositions * d + 2 * d + c.layers * layer + d * d + d + d * c.labels + c.labels;
    }
    case 'decoder': {
      const bias = c.qkvBias ? q + 2 * kv : 0;
      const layer = d + d * q + 2 * d * kv + bias + q * d + d + 3 * d * c.ffn;
      return c.vocab * d + c.layers * layer + d + (c.tiedEmbeddings ? 0 : d * c.vocab);
    }
  }
}
