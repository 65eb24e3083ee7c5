/**
 * The synthetic replica of a real model: our engine's model of the same architecture (layers,
 * width, heads, FFN, vocabulary, read from the repository's config.json), run with synthesized
 * weights at the token counts the real run measured (its median prompt and reply, or the
 * classifier's median input). Comparing the two times says how faithful the synthetic race is.
 */
import { ModelConfigError, validateWorkload, type DecoderConfig, type DecoderWorkloadSpec, type EncoderConfig, type EncoderWorkloadSpec } from '../models/config.ts';

/** A config.json field: a positive number under one of its names (DistilBERT and BERT/Qwen spell them differently). */
function field(config: Record<string, unknown>, names: readonly string[], fallback?: number): number {
  for (const n of names) {
    const v = config[n];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  if (fallback !== undefined) return fallback;
  throw new ModelConfigError(names[0]!, `config.json has no ${names.join(' or ')}: the synthetic replica cannot be built`);
}

function labelCount(config: Record<string, unknown>): number {
  const id2label = config['id2label'];
  const n = typeof id2label === 'object' && id2label !== null ? Object.keys(id2label).length : 0;
  return n > 0 ? n : 2;
}

/**
 * The weight storage a replica asks for: f16 for a real export whose weights or activations are
 * half precision (fp16, q4f16), so the replica reads about as many bytes per weight as the model
 * it stands for would if dequantized; f32 otherwise. The runner stores f16 only where the device
 * has shader-f16 and records the dtype it actually used.
 */
export type ReplicaDtype = 'f32' | 'f16';
export const replicaDtypeOf = (realDtype: string): ReplicaDtype => (realDtype === 'fp16' || realDtype === 'q4f16' ? 'f16' : 'f32');

/** The encoder our engine runs for a BERT/DistilBERT classifier's config.json. */
export function encoderFromConfig(config: Record<string, unknown>, name: string, dtype: ReplicaDtype = 'f32'): EncoderConfig {
  const hidden = field(config, ['dim', 'hidden_size']);
  const heads = field(config, ['n_heads', 'num_attention_heads']);
  const distil = config['model_type'] === 'distilbert' || 'dim' in config;
  return {
    name, family: 'encoder',
    layers: field(config, ['n_layers', 'num_hidden_layers']),
    hidden, heads, kvHeads: heads, headDim: hidden / heads,
    ffn: field(config, ['hidden_dim', 'intermediate_size']),
    vocab: field(config, ['vocab_size']),
    maxPositions: field(config, ['max_position_embeddings'], 512),
    dtype,
    normEps: field(config, ['layer_norm_eps'], 1e-12),
    norm: 'layernorm', activation: 'gelu', positions: 'learned',
    labels: labelCount(config),
    // DistilBERT's pre_classifier + ReLU; BERT's pooler + tanh.
    preClassifier: distil ? 'relu' : 'tanh',
  };
}

/** The decoder our engine runs for a Qwen2/Llama config.json. */
export function decoderFromConfig(config: Record<string, unknown>, name: string, dtype: ReplicaDtype = 'f32'): DecoderConfig {
  const hidden = field(config, ['hidden_size']);
  const heads = field(config, ['num_attention_heads']);
  return {
    name, family: 'decoder',
    layers: field(config, ['num_hidden_layers']),
    hidden, heads,
    kvHeads: field(config, ['num_key_value_heads'], heads),
    headDim: field(config, ['head_dim'], hidden / heads),
    ffn: field(config, ['intermediate_size']),
    vocab: field(config, ['vocab_size']),
    maxPositions: field(config, ['max_position_embeddings'], 32768),
    dtype,
    normEps: field(config, ['rms_norm_eps'], 1e-6),
    norm: 'rmsnorm', activation: 'swiglu', positions: 'rope',
    ropeTheta: field(config, ['rope_theta'], 10_000),
    tiedEmbeddings: config['tie_word_embeddings'] !== false,
    // Qwen2 has biases on q/k/v; Llama-style models do not.
    qkvBias: config['model_type'] === 'qwen2' || config['attention_bias'] === true,
  };
}

export interface ReplicaTokens {
  /** The classifier's median input tokens. */
  inputTokens: number;
  /** The generator's median prompt and reply tokens. */
  promptTokens: number;
  outputTokens: number;
}

/** Seed of the replicas' synthesized weights (any fixed value: time does not depend on it). */
const REPLICA_SEED = 42;

/**
 * Both replicas, validated (ModelConfigError names the field that does not fit). `names` are the
 * workload model names (`distilbert-sst2`, `qwen2.5-0.5b-instruct`, or `custom`).
 */
export function replicaSpecs(
  configs: { classifier: Record<string, unknown>; generator: Record<string, unknown> },
  names: { classifier: string; generator: string },
  tokens: ReplicaTokens,
  dtypes: { classifier: ReplicaDtype; generator: ReplicaDtype } = { classifier: 'f32', generator: 'f32' },
): [EncoderWorkloadSpec, DecoderWorkloadSpec] {
  const enc = encoderFromConfig(configs.classifier, names.classifier, dtypes.classifier);
  const dec = decoderFromConfig(configs.generator, names.generator, dtypes.generator);
  const round = (n: number): number => Math.max(1, Math.round(n));
  const specialized: EncoderWorkloadSpec = {
    family: 'encoder', id: `specialized:${enc.name}`, role: 'specialized', seed: REPLICA_SEED, model: enc, inputTokens: round(tokens.inputTokens), labels: enc.labels,
  };
  const general: DecoderWorkloadSpec = {
    family: 'decoder', id: `general:${dec.name}`, role: 'general', seed: REPLICA_SEED, model: dec,
    promptTokens: round(tokens.promptTokens), outputTokens: round(tokens.outputTokens),
  };
  validateWorkload(specialized);
  validateWorkload(general);
  return [specialized, general];
}
