/**
 * What a real-model workload stores as its `config`, and how its `flops` and `bytes` follow from
 * it: an estimate from the architecture (read from the model's config.json) and the token counts
 * the race recorded, never a count of the ONNX graph's operators. Both are recomputed by the
 * schema on receipt, so a stored figure is exactly this estimate or the document is refused.
 *
 * FLOPs of the median query (2 per multiply-add; the median input and the median reply lengths,
 * which may come from different items, so this is the cost of a typical query, not a measured one):
 *  - per token and layer: the Q/K/V projections 2·h·(heads·headDim + 2·kvHeads·headDim), the
 *    output projection 2·heads·headDim·h, the feed-forward 2·2·h·ffn (encoder, GELU) or 3·2·h·ffn
 *    (decoder, SwiGLU), and attention 2·2·ctx·heads·headDim over the `ctx` positions the token
 *    attends to (heads·headDim = h unless config.json sets `head_dim` apart);
 *  - encoder (classifier): every one of the T input tokens attends to all T; plus the
 *    pre-classifier 2·h·h and the head 2·h·2 once;
 *  - decoder (generator): the prefill over the P prompt tokens (causal: token i attends to i),
 *    then one decode step per reply token after the first (step j attends to P + j), and the LM
 *    head 2·h·vocab on every position computed (the ONNX exports return logits for all of them).
 *  Embedding look-ups, norms, softmax and activations are not counted (a few % at these sizes).
 *  When config.json lacked one of the numbers, `flops` is null and `flopsUnknown` says why.
 *
 * Bytes of the median query: the ONNX file's size × the forward passes of a query (1 for the
 * classifier; the prefill and each decode step for the generator), as if every pass read the
 * whole file once. It is an estimate, not a bound either way: a pass gathers only a few rows of
 * the embedding table (counted whole here, and counted twice when an export stores the tied LM
 * head separately), while activations and the KV cache, which a pass does read, are not counted.
 */
import type { AnswerKind, RealModelRecord } from './record.ts';

/** The architecture numbers of config.json a real-model config keeps (null when config.json does not give one). */
export const REAL_ARCH_KEYS = ['layers', 'hidden', 'heads', 'kvHeads', 'ffn', 'vocab'] as const;
export type RealArchKey = (typeof REAL_ARCH_KEYS)[number];

/** Every key of a real-model workload's `config` (closed: any other key is refused). */
export const REAL_CONFIG_KEYS = ['family', ...REAL_ARCH_KEYS, 'headDim', 'maxNewTokens', 'onnxBytes'] as const;

/** Why a real-model workload's `flops` is null. */
export const REAL_FLOPS_UNKNOWN = ['architecture-incomplete'] as const;
export type RealFlopsUnknown = (typeof REAL_FLOPS_UNKNOWN)[number];

/**
 * The `config` of a real-model workload: the architecture from config.json (DistilBERT's `dim`,
 * `n_layers`, `n_heads`, `hidden_dim`, `vocab_size`; Qwen2's `hidden_size`, `num_hidden_layers`,
 * `num_attention_heads`, `num_key_value_heads`, `intermediate_size`, `vocab_size`; an encoder's
 * kvHeads = heads), the reply budget of a generator, and the size of the ONNX file run.
 */
export type RealModelConfig = {
  /** `encoder` for a classifier (answer `logits`), `decoder` for a generator (answer `generation`). */
  family: 'encoder' | 'decoder';
  /**
   * Width of one attention head: config.json's `head_dim` when it gives one (Qwen3 and Gemma set it
   * apart from hidden ÷ heads), else hidden ÷ heads; null when neither is known. Absent in
   * documents recorded before it existed, which then mean hidden ÷ heads.
   */
  headDim?: number | null;
  /** Generator only: the reply budget (tokens) the race ran with. */
  maxNewTokens?: number;
  /** Bytes of the ONNX file run (external data included). */
  onnxBytes: number;
} & Record<RealArchKey, number | null>;

export interface RealModelCost {
  flops: number | null;
  flopsUnknown?: RealFlopsUnknown;
  bytes: number;
}

/** The family a model of this answer kind has (a classifier is an encoder, a generator a decoder). */
export function familyOf(answer: AnswerKind): RealModelConfig['family'] {
  return answer === 'logits' ? 'encoder' : 'decoder';
}

/** Forward passes of the median query: 1 for a classifier; the prefill and one step per further reply token for a generator. */
export function forwardPasses(config: Pick<RealModelConfig, 'family'>, tokens: RealModelRecord['tokens']): number {
  return config.family === 'encoder' ? 1 : Math.max(1, tokens.outputMedian);
}

interface Arch { layers: number; hidden: number; heads: number; kvHeads: number; ffn: number; vocab: number }

function linearPerToken(a: Arch, headDim: number, family: RealModelConfig['family']): number {
  const h = a.hidden;
  const qDim = a.heads * headDim;
  const qkv = 2 * h * (qDim + 2 * a.kvHeads * headDim);
  const out = 2 * qDim * h;
  const ffn = (family === 'decoder' ? 3 : 2) * 2 * h * a.ffn;
  return qkv + out + ffn;
}

/** FLOPs and bytes of the median query of a real-model workload (the module comment gives the method). */
export function realModelCost(config: RealModelConfig, tokens: RealModelRecord['tokens']): RealModelCost {
  const bytes = config.onnxBytes * forwardPasses(config, tokens);
  const vals = REAL_ARCH_KEYS.map((k) => config[k]);
  if (vals.some((x) => x === null)) return { flops: null, flopsUnknown: 'architecture-incomplete', bytes };
  const a = Object.fromEntries(REAL_ARCH_KEYS.map((k) => [k, config[k]])) as unknown as Arch;
  if (config.headDim === null) return { flops: null, flopsUnknown: 'architecture-incomplete', bytes };
  const headDim = config.headDim ?? a.hidden / a.heads;
  const h = a.hidden;
  const linear = linearPerToken(a, headDim, config.family);
  // Scores and the weighted sum of V: 2·2 FLOPs per attended position and query-head channel.
  const attention = (ctx: number) => 4 * ctx * a.heads * headDim;
  if (config.family === 'encoder') {
    const t = tokens.inputMedian;
    const flops = a.layers * t * (linear + attention(t)) + 2 * h * h + 2 * h * 2;
    return { flops, bytes };
  }
  const p = tokens.inputMedian;
  const steps = Math.max(0, tokens.outputMedian - 1);
  // Σ_{i=1..p} i and Σ_{j=1..steps} (p + j): the positions each new token attends to.
  const prefillCtx = (p * (p + 1)) / 2;
  const decodeCtx = steps * p + (steps * (steps + 1)) / 2;
  const positions = p + steps;
  const flops = a.layers * (positions * linear + attention(prefillCtx + decodeCtx)) + positions * 2 * h * a.vocab;
  return { flops, bytes };
}

/** The first of `names` that config.json gives as a whole number ≥ 1, else null (never a guess). */
function archField(hf: Record<string, unknown>, names: readonly string[]): number | null {
  for (const n of names) {
    const x = hf[n];
    if (typeof x === 'number' && Number.isInteger(x) && x >= 1) return x;
  }
  return null;
}

/**
 * A real-model workload's config from the model's config.json (the field names the module comment
 * lists; a BERT-style encoder's kvHeads is its heads, a decoder without `num_key_value_heads` has
 * one KV head per query head), the reply budget of a generator, and the ONNX file's size.
 */
export function realModelConfig(
  hf: Record<string, unknown>, family: RealModelConfig['family'], onnxBytes: number, maxNewTokens?: number,
): RealModelConfig {
  const heads = archField(hf, ['n_heads', 'num_attention_heads']);
  const hidden = archField(hf, ['dim', 'hidden_size']);
  return {
    family,
    layers: archField(hf, ['n_layers', 'num_hidden_layers']),
    hidden,
    heads,
    kvHeads: family === 'encoder' ? heads : archField(hf, ['num_key_value_heads']) ?? heads,
    ffn: archField(hf, ['hidden_dim', 'intermediate_size']),
    vocab: archField(hf, ['vocab_size']),
    headDim: archField(hf, ['head_dim']) ?? (hidden !== null && heads !== null && hidden % heads === 0 ? hidden / heads : null),
    ...(family === 'decoder' && maxNewTokens !== undefined ? { maxNewTokens } : {}),
    onnxBytes,
  };
}
