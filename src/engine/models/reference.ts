/**
 * CPU forward pass of the encoder classifier and the decoder LLM, in plain TypeScript, from the
 * same synthesized weights as the GPU (weights.ts). It is one of the two oracles the GPU
 * runners are tested against: tensors are Float32Array, sums are accumulated in f64 (JS numbers), so it is a little
 * more accurate than any f32 GPU kernel, never less.
 *
 * Deliberately written for clarity, not speed: a straight loop per formula, the decoder with a
 * KV cache (prefill, then one position per step) like the GPU runner, while the ONNX oracle
 * recomputes the whole sequence each step. Only for tiny models (bert-tiny, tiny-decoder).
 */
import type { DecoderConfig, DecoderWorkloadSpec, EncoderConfig, EncoderWorkloadSpec, ModelConfig, ModelWorkloadSpec } from './config.ts';
import { modelTensors, synthTensor, workloadInputIds } from '../weights.ts';

// Re-exported for the ONNX oracle, which builds the same inputs.
export { workloadInputIds };

/** Every tensor of a model by name, materialized on the CPU. */
export type WeightStore = Map<string, Float32Array>;

export function synthWeights(config: ModelConfig, seed: number): WeightStore {
  return new Map(modelTensors(config).map((t) => [t.name, synthTensor(seed, t)]));
}

export interface ReferenceOutput {
  /** Token ids fed to the model (the prompt or the encoder input). */
  inputIds: Uint32Array;
  /**
   * Encoder: one vector of `labels` logits (first token). Decoder: `outputTokens` vectors of
   * `vocab` logits: the last prompt position, then each decode step.
   */
  logits: Float32Array[];
  /** Greedy argmax of each logits vector: the label, or the generated token ids. */
  tokens: number[];
}

export interface ReferenceOptions {
  /** Token ids to use instead of `syntheticTokens(seed, n, vocab)`. */
  inputIds?: Uint32Array;
  /** Pre-synthesized weights (tests share them between oracles). */
  weights?: WeightStore;
}

export function referenceForward(spec: ModelWorkloadSpec, opts: ReferenceOptions = {}): ReferenceOutput {
  const weights = opts.weights ?? synthWeights(spec.model, spec.seed);
  const ids = opts.inputIds ?? workloadInputIds(spec);
  switch (spec.family) {
    case 'encoder':
      return encoderForward(spec, ids, weights);
    case 'decoder':
      return decoderForward(spec, ids, weights);
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks. Matrices are row-major; `x` is [m, k], weights [k, n] (y = x·W + b).

function w(store: WeightStore, name: string): Float32Array {
  const t = store.get(name);
  if (!t) throw new Error(`reference: missing tensor ${name}`);
  return t;
}

export function matmul(x: Float32Array, m: number, k: number, weight: Float32Array, n: number, bias?: Float32Array): Float32Array {
  const y = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    if (bias) for (let j = 0; j < n; j++) acc[j] = bias[j] ?? 0;
    else acc.fill(0);
    for (let p = 0; p < k; p++) {
      const a = x[i * k + p] ?? 0;
      if (a === 0) continue;
      const row = p * n;
      for (let j = 0; j < n; j++) acc[j] = (acc[j] ?? 0) + a * (weight[row + j] ?? 0);
    }
    y.set(acc, i * n);
  }
  return y;
}

export function layerNorm(x: Float32Array, m: number, n: number, gamma: Float32Array, beta: Float32Array, eps: number): Float32Array {
  const y = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    let mean = 0;
    for (let j = 0; j < n; j++) mean += x[i * n + j] ?? 0;
    mean /= n;
    let v = 0;
    for (let j = 0; j < n; j++) v += ((x[i * n + j] ?? 0) - mean) ** 2;
    const inv = 1 / Math.sqrt(v / n + eps);
    for (let j = 0; j < n; j++) y[i * n + j] = ((x[i * n + j] ?? 0) - mean) * inv * (gamma[j] ?? 0) + (beta[j] ?? 0);
  }
  return y;
}

export function rmsNorm(x: Float32Array, m: number, n: number, gamma: Float32Array, eps: number): Float32Array {
  const y = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (x[i * n + j] ?? 0) ** 2;
    const inv = 1 / Math.sqrt(s / n + eps);
    for (let j = 0; j < n; j++) y[i * n + j] = (x[i * n + j] ?? 0) * inv * (gamma[j] ?? 0);
  }
  return y;
}

/**
 * erf in f64: the Maclaurin series for |x| < 2 (converges to ~1e-16 there), Abramowitz &
 * Stegun 7.1.26 beyond (absolute error < 1.5e-7 where erf is within 0.005 of ±1). Both are far
 * below what an f32 GELU can resolve.
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a < 2) {
    let sum = 0;
    let term = a; // a^(2n+1)·(−1)^n / n!
    for (let n = 0; n < 80; n++) {
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
      term *= (-a * a) / (n + 1);
    }
    return sign * (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (a > 6) return sign;
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/** GELU, exact form: x·Φ(x) = ½x(1 + erf(x/√2)). */
export function gelu(v: number): number {
  return 0.5 * v * (1 + erf(v / Math.SQRT2));
}

export function silu(v: number): number {
  return v / (1 + Math.exp(-v));
}

function addInPlace(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] = (x[i] ?? 0) + (y[i] ?? 0);
}

export function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] ?? -Infinity) > (v[best] ?? -Infinity)) best = i;
  return best;
}

/**
 * Scaled dot-product attention of `m` new query rows at positions `start … start+m−1` over the
 * first `keys` cached positions; causal rows see keys ≤ their position. q is [m, H·hd], the cache
 * [keys, KV·hd]; query head h reads KV head ⌊h / (H/KV)⌋ (grouped-query attention).
 */
function attention(
  q: Float32Array,
  m: number,
  kCache: Float32Array,
  vCache: Float32Array,
  keys: number,
  start: number,
  heads: number,
  kvHeads: number,
  headDim: number,
  causal: boolean,
): Float32Array {
  const out = new Float32Array(m * heads * headDim);
  const group = heads / kvHeads;
  const scale = 1 / Math.sqrt(headDim);
  const scores = new Float64Array(keys);
  for (let i = 0; i < m; i++) {
    const visible = causal ? start + i + 1 : keys;
    for (let h = 0; h < heads; h++) {
      const kvh = Math.floor(h / group);
      let max = -Infinity;
      for (let j = 0; j < visible; j++) {
        let s = 0;
        for (let d = 0; d < headDim; d++) s += (q[(i * heads + h) * headDim + d] ?? 0) * (kCache[(j * kvHeads + kvh) * headDim + d] ?? 0);
        s *= scale;
        scores[j] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let j = 0; j < visible; j++) {
        const e = Math.exp((scores[j] ?? 0) - max);
        scores[j] = e;
        sum += e;
      }
      for (let d = 0; d < headDim; d++) {
        let acc = 0;
        for (let j = 0; j < visible; j++) acc += (scores[j] ?? 0) * (vCache[(j * kvHeads + kvh) * headDim + d] ?? 0);
        out[(i * heads + h) * headDim + d] = acc / sum;
      }
    }
  }
  return out;
}

/**
 * RoPE, rotate-half convention (Llama, Qwen): for pair (i, i + hd/2) of each head at position p,
 * angle = p · θ^(−2i/hd); x'ᵢ = xᵢ cos − x_{i+hd/2} sin, x'_{i+hd/2} = x_{i+hd/2} cos + xᵢ sin.
 */
export function ropeInPlace(x: Float32Array, m: number, start: number, heads: number, headDim: number, theta: number): void {
  const half = headDim / 2;
  for (let i = 0; i < m; i++) {
    const pos = start + i;
    for (let h = 0; h < heads; h++) {
      const base = (i * heads + h) * headDim;
      for (let d = 0; d < half; d++) {
        const angle = pos * ropeInvFreq(d, headDim, theta);
        const c = Math.cos(angle);
        const s = Math.sin(angle);
        const a = x[base + d] ?? 0;
        const b = x[base + d + half] ?? 0;
        x[base + d] = a * c - b * s;
        x[base + d + half] = b * c + a * s;
      }
    }
  }
}

/** θ^(−2i/hd), the frequency of rotary pair i. */
export function ropeInvFreq(i: number, headDim: number, theta: number): number {
  return 1 / theta ** ((2 * i) / headDim);
}

// ---------------------------------------------------------------------------------------------

function encoderForward(spec: EncoderWorkloadSpec, ids: Uint32Array, W: WeightStore): ReferenceOutput {
  const c: EncoderConfig = spec.model;
  const T = ids.length;
  const d = c.hidden;
  const qd = c.heads * c.headDim;
  const kvd = c.kvHeads * c.headDim;
  const tok = w(W, 'embed.tokens');
  const pos = w(W, 'embed.positions');
  let x: Float32Array = new Float32Array(T * d);
  for (let i = 0; i < T; i++) {
    const id = ids[i] ?? 0;
    for (let j = 0; j < d; j++) x[i * d + j] = (tok[id * d + j] ?? 0) + (pos[i * d + j] ?? 0);
  }
  x = layerNorm(x, T, d, w(W, 'embed.norm.gamma'), w(W, 'embed.norm.beta'), c.normEps);
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}`;
    const q = matmul(x, T, d, w(W, `${p}.attn.q.weight`), qd, w(W, `${p}.attn.q.bias`));
    const k = matmul(x, T, d, w(W, `${p}.attn.k.weight`), kvd, w(W, `${p}.attn.k.bias`));
    const v = matmul(x, T, d, w(W, `${p}.attn.v.weight`), kvd, w(W, `${p}.attn.v.bias`));
    const a = attention(q, T, k, v, T, 0, c.heads, c.kvHeads, c.headDim, false);
    const o = matmul(a, T, qd, w(W, `${p}.attn.o.weight`), d, w(W, `${p}.attn.o.bias`));
    addInPlace(o, x);
    x = layerNorm(o, T, d, w(W, `${p}.attn.norm.gamma`), w(W, `${p}.attn.norm.beta`), c.normEps);
    const up = matmul(x, T, d, w(W, `${p}.ffn.up.weight`), c.ffn, w(W, `${p}.ffn.up.bias`));
    for (let i = 0; i < up.length; i++) up[i] = gelu(up[i] ?? 0);
    const down = matmul(up, T, c.ffn, w(W, `${p}.ffn.down.weight`), d, w(W, `${p}.ffn.down.bias`));
    addInPlace(down, x);
    x = layerNorm(down, T, d, w(W, `${p}.ffn.norm.gamma`), w(W, `${p}.ffn.norm.beta`), c.normEps);
  }
  const first = x.subarray(0, d);
  const pre = matmul(first, 1, d, w(W, 'head.pre.weight'), d, w(W, 'head.pre.bias'));
  for (let j = 0; j < d; j++) {
    const v = pre[j] ?? 0;
    switch (c.preClassifier) {
      case 'relu':
        pre[j] = Math.max(0, v);
        break;
      case 'tanh':
        pre[j] = Math.tanh(v);
        break;
    }
  }
  const logits = matmul(pre, 1, d, w(W, 'head.classifier.weight'), c.labels, w(W, 'head.classifier.bias'));
  return { inputIds: ids, logits: [logits], tokens: [argmax(logits)] };
}

function decoderForward(spec: DecoderWorkloadSpec, ids: Uint32Array, W: WeightStore): ReferenceOutput {
  const c: DecoderConfig = spec.model;
  const d = c.hidden;
  const qd = c.heads * c.headDim;
  const kvd = c.kvHeads * c.headDim;
  const total = ids.length + Math.max(0, spec.outputTokens - 1);
  const kCache = Array.from({ length: c.layers }, () => new Float32Array(total * kvd));
  const vCache = Array.from({ length: c.layers }, () => new Float32Array(total * kvd));
  const emb = w(W, 'embed.tokens');
  const bias = (name: string): Float32Array | undefined => (c.qkvBias ? w(W, name) : undefined);

  /** Runs `tokens` at positions start…, fills the cache, returns the last row's logits. */
  const pass = (tokens: ArrayLike<number>, start: number): Float32Array => {
    const m = tokens.length;
    const x = new Float32Array(m * d);
    for (let i = 0; i < m; i++) x.set(emb.subarray((tokens[i] ?? 0) * d, ((tokens[i] ?? 0) + 1) * d), i * d);
    for (let l = 0; l < c.layers; l++) {
      const p = `layers.${l}`;
      const h = rmsNorm(x, m, d, w(W, `${p}.attn.norm.gamma`), c.normEps);
      const q = matmul(h, m, d, w(W, `${p}.attn.q.weight`), qd, bias(`${p}.attn.q.bias`));
      const k = matmul(h, m, d, w(W, `${p}.attn.k.weight`), kvd, bias(`${p}.attn.k.bias`));
      const v = matmul(h, m, d, w(W, `${p}.attn.v.weight`), kvd, bias(`${p}.attn.v.bias`));
      ropeInPlace(q, m, start, c.heads, c.headDim, c.ropeTheta);
      ropeInPlace(k, m, start, c.kvHeads, c.headDim, c.ropeTheta);
      kCache[l]?.set(k, start * kvd);
      vCache[l]?.set(v, start * kvd);
      const a = attention(q, m, kCache[l] ?? k, vCache[l] ?? v, start + m, start, c.heads, c.kvHeads, c.headDim, true);
      addInPlace(x, matmul(a, m, qd, w(W, `${p}.attn.o.weight`), d));
      const h2 = rmsNorm(x, m, d, w(W, `${p}.ffn.norm.gamma`), c.normEps);
      const gate = matmul(h2, m, d, w(W, `${p}.ffn.gate.weight`), c.ffn);
      const up = matmul(h2, m, d, w(W, `${p}.ffn.up.weight`), c.ffn);
      for (let i = 0; i < gate.length; i++) gate[i] = silu(gate[i] ?? 0) * (up[i] ?? 0);
      addInPlace(x, matmul(gate, m, c.ffn, w(W, `${p}.ffn.down.weight`), d));
    }
    // Only the last position's logits are used.
    const last = rmsNorm(x.subarray((m - 1) * d, m * d), 1, d, w(W, 'final.norm.gamma'), c.normEps);
    return c.tiedEmbeddings ? matmulTransposed(last, d, emb, c.vocab) : matmul(last, 1, d, w(W, 'lmHead.weight'), c.vocab);
  };

  const logits: Float32Array[] = [];
  const tokens: number[] = [];
  let next = pass(ids, 0);
  for (let step = 0; step < spec.outputTokens; step++) {
    if (step > 0) next = pass([tokens[step - 1] ?? 0], ids.length + step - 1);
    logits.push(next);
    tokens.push(argmax(next));
  }
  return { inputIds: ids, logits, tokens };
}

/** y[n] = x[k] · Eᵀ with E [n, k] (the tied LM head reads the embedding table row by row). */
function matmulTransposed(x: Float32Array, k: number, e: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (x[p] ?? 0) * (e[j * k + p] ?? 0);
    y[j] = s;
  }
  return y;
}
