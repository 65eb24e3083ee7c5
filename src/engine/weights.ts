/**
 * Synthetic weights (see docs/ARCHITECTURE.md): every element is a pure function of (seed, tensor id,
 * element index), so the GPU synthesizes weights in place and the CPU reference and the ONNX
 * oracle rebuild the very same numbers. Nothing is downloaded or stored.
 *
 * Contract, implemented bit-for-bit here and in the WGSL weight-synthesis kernel:
 * ```
 * hash32(x)  = lowbias32: x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b; x ^= x >> 16
 * bits(seed, tensorId, index) = hash32(index ^ hash32(seed ^ hash32(tensorId)))
 * unit(bits) = f32(bits >> 8) * 2^-23 - 1.0        // 24 bits: exact in f32, in [-1, 1)
 * value      = f32(unit * scale)                   // scale = f32(1/sqrt(fanIn)) unless stated
 * ```
 * Layouts (shared by the GPU runners, reference.ts and the ONNX graph): row-major; linear
 * weights are stored [in, out] so that y = x·W (+ b); embeddings [vocab, hidden]; biases and
 * norm parameters [out].
 */
import type { ModelConfig, ModelWorkloadSpec } from './models/config.ts';

/** lowbias32 (Chris Wellons' hash prospector): good avalanche for two multiplies. */
export function hash32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** 32 random bits for element `index` of tensor `tensorId` under `seed`. */
export function synthBits(seed: number, tensorId: number, index: number): number {
  return hash32((index ^ hash32((seed ^ hash32(tensorId)) >>> 0)) >>> 0);
}

/** Uniform in [-1, 1) from the top 24 bits (exact in f32: (k · 2⁻²³) − 1 for k < 2²⁴). */
export function unitFromBits(bits: number): number {
  return (bits >>> 8) * 2 ** -23 - 1;
}

/** One synthesized element, rounded to f32 as the GPU computes it. */
export function synthValue(seed: number, tensorId: number, index: number, scale: number): number {
  return Math.fround(unitFromBits(synthBits(seed, tensorId, index)) * Math.fround(scale));
}

/** The scale of a linear layer's weights: f32(1/sqrt(fanIn)). */
export function fanInScale(fanIn: number): number {
  return Math.fround(1 / Math.sqrt(fanIn));
}

export type TensorInit = 'synth' | 'ones' | 'zeros';

export interface TensorSpec {
  /** Index in `modelTensors(config)`; the `tensorId` of the hash. */
  id: number;
  /** Dotted name, e.g. "layers.0.attn.q.weight". */
  name: string;
  shape: number[];
  init: TensorInit;
  /** Multiplier of the uniform [-1, 1) value (only for `synth`); already an f32. */
  scale: number;
}

export function tensorElements(spec: Pick<TensorSpec, 'shape'>): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

/** Materializes one tensor on the CPU (reference and ONNX initializers). */
export function synthTensor(seed: number, spec: TensorSpec): Float32Array {
  const n = tensorElements(spec);
  const out = new Float32Array(n);
  switch (spec.init) {
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    case 'synth': {
      const scale = Math.fround(spec.scale);
      const tensorKey = (seed ^ hash32(spec.id)) >>> 0;
      const inner = hash32(tensorKey);
      // Float32Array stores f32(unit·scale): the same rounding as Math.fround in synthValue.
      for (let i = 0; i < n; i++) out[i] = unitFromBits(hash32((i ^ inner) >>> 0)) * scale;
      return out;
    }
  }
}

/** Embedding tables are lookups (fan-in 1): values stay in [-1, 1). */
const EMBEDDING_SCALE = 1;

/**
 * Every tensor of a model, in a fixed order whose index is the tensor id. The GPU runner and the
 * ONNX graph both iterate this list, so adding a tensor changes ids for all consumers at once.
 *
 * Encoder (post-LN, DistilBERT naming in comments):
 *   embed.tokens [vocab, d], embed.positions [maxPositions, d], embed.norm.{gamma,beta} [d]
 *   layers.L.attn.{q,k,v}.{weight [d, H·hd], bias [H·hd]}, layers.L.attn.o.{weight [H·hd, d], bias [d]}
 *   layers.L.attn.norm.{gamma,beta} (sa_layer_norm, after the attention residual)
 *   layers.L.ffn.up.{weight [d, ffn], bias}, layers.L.ffn.down.{weight [ffn, d], bias}
 *   layers.L.ffn.norm.{gamma,beta} (output_layer_norm, after the FFN residual)
 *   head.pre.{weight [d, d], bias [d]}, head.classifier.{weight [d, labels], bias [labels]}
 * Decoder (pre-RMSNorm):
 *   embed.tokens [vocab, d]
 *   layers.L.attn.norm.gamma [d], layers.L.attn.q.weight [d, H·hd] (+ .bias if qkvBias),
 *   layers.L.attn.{k,v}.weight [d, KV·hd] (+ .bias), layers.L.attn.o.weight [H·hd, d]
 *   layers.L.ffn.norm.gamma [d], layers.L.ffn.{gate,up}.weight [d, ffn], layers.L.ffn.down.weight [ffn, d]
 *   final.norm.gamma [d], lmHead.weight [d, vocab] (only when not tied; tied uses embed.tokens ᵀ)
 * Norm gains are ones and norm shifts zeros (as at initialization); biases are synthesized with
 * the layer's fan-in scale so that a runner that forgets one is caught by the oracles.
 */
export function modelTensors(config: ModelConfig): TensorSpec[] {
  const list: TensorSpec[] = [];
  const add = (name: string, shape: number[], init: TensorInit, scale = 0): void => {
    list.push({ id: list.length, name, shape, init, scale: init === 'synth' ? Math.fround(scale) : 0 });
  };
  const linear = (prefix: string, fanIn: number, fanOut: number, bias: boolean): void => {
    add(`${prefix}.weight`, [fanIn, fanOut], 'synth', fanInScale(fanIn));
    if (bias) add(`${prefix}.bias`, [fanOut], 'synth', fanInScale(fanIn));
  };
  const d = config.hidden;
  const q = config.heads * config.headDim;
  const kv = config.kvHeads * config.headDim;
  switch (config.family) {
    case 'encoder': {
      add('embed.tokens', [config.vocab, d], 'synth', EMBEDDING_SCALE);
      add('embed.positions', [config.maxPositions, d], 'synth', EMBEDDING_SCALE);
      add('embed.norm.gamma', [d], 'ones');
      add('embed.norm.beta', [d], 'zeros');
      for (let l = 0; l < config.layers; l++) {
        const p = `layers.${l}`;
        linear(`${p}.attn.q`, d, q, true);
        linear(`${p}.attn.k`, d, kv, true);
        linear(`${p}.attn.v`, d, kv, true);
        linear(`${p}.attn.o`, q, d, true);
        add(`${p}.attn.norm.gamma`, [d], 'ones');
        add(`${p}.attn.norm.beta`, [d], 'zeros');
        linear(`${p}.ffn.up`, d, config.ffn, true);
        linear(`${p}.ffn.down`, config.ffn, d, true);
        add(`${p}.ffn.norm.gamma`, [d], 'ones');
        add(`${p}.ffn.norm.beta`, [d], 'zeros');
      }
      linear('head.pre', d, d, true);
      linear('head.classifier', d, config.labels, true);
      return list;
    }
    case 'decoder': {
      add('embed.tokens', [config.vocab, d], 'synth', EMBEDDING_SCALE);
      for (let l = 0; l < config.layers; l++) {
        const p = `layers.${l}`;
        add(`${p}.attn.norm.gamma`, [d], 'ones');
        linear(`${p}.attn.q`, d, q, config.qkvBias);
        linear(`${p}.attn.k`, d, kv, config.qkvBias);
        linear(`${p}.attn.v`, d, kv, config.qkvBias);
        linear(`${p}.attn.o`, q, d, false);
        add(`${p}.ffn.norm.gamma`, [d], 'ones');
        linear(`${p}.ffn.gate`, d, config.ffn, false);
        linear(`${p}.ffn.up`, d, config.ffn, false);
        linear(`${p}.ffn.down`, config.ffn, d, false);
      }
      add('final.norm.gamma', [d], 'ones');
      if (!config.tiedEmbeddings) linear('lmHead', d, config.vocab, false);
      return list;
    }
  }
}

/** Total bytes of all weights at `bytesPerElement` (4 for f32, 2 for f16). */
export function weightBytes(config: ModelConfig, bytesPerElement: number): number {
  return modelTensors(config).reduce((s, t) => s + tensorElements(t) * bytesPerElement, 0);
}

/** Tensor id reserved for the synthetic token stream (never a weight's id). */
export const TOKEN_STREAM_ID = 0xffff_fff0;

/** Seeded synthetic token ids in [0, vocab): no tokenizer, since cost depends on shapes only. */
export function syntheticTokens(seed: number, n: number, vocab: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = synthBits(seed, TOKEN_STREAM_ID, i) % vocab;
  return out;
}

/** Default input of a workload: seeded synthetic ids (the encoder input or the decoder prompt). */
export function workloadInputIds(spec: ModelWorkloadSpec): Uint32Array {
  switch (spec.family) {
    case 'encoder':
      return syntheticTokens(spec.seed, spec.inputTokens, spec.model.vocab);
    case 'decoder':
      return syntheticTokens(spec.seed, spec.promptTokens, spec.model.vocab);
  }
}
