/**
 * ONNX graphs of the encoder classifier and the decoder LLM, built from the same config and the
 * same synthesized weights (as initializers) as the GPU runner and reference.ts: the second,
 * independent oracle of the engine's forward pass, run by onnxruntime-web's WASM execution provider.
 *
 * Only standard opset-17 operators: Gather, MatMul, Add, Mul, Div, Pow, Sqrt, ReduceMean (RMSNorm),
 * LayerNormalization, Erf (GELU), Sigmoid (SiLU), Softmax, Reshape, Transpose, Slice, Concat,
 * Neg, Shape, Relu/Tanh. The sequence axis is dynamic ("seq"), so the decoder oracle does greedy
 * decoding by re-running the graph on prompt + generated tokens: no KV cache, unlike the
 * reference and the GPU runner, which makes the comparison independent of cache bookkeeping.
 *
 * Input: `input_ids` int64 [1, seq]. Output: `logits` f32 — encoder [1, 1, labels] (first
 * token), decoder [1, 1, vocab] (last position).
 */
import type { DecoderConfig, EncoderConfig, ModelConfig } from '../models/config.ts';
import { ropeInvFreq } from '../models/reference.ts';
import { modelTensors, synthTensor } from '../weights.ts';
import { float, int, ints, INT64_MAX, OnnxGraphBuilder, OnnxType } from './graph.ts';

export const ONNX_INPUT = 'input_ids';
export const ONNX_OUTPUT = 'logits';

export interface OnnxModel {
  bytes: Uint8Array;
  input: typeof ONNX_INPUT;
  output: typeof ONNX_OUTPUT;
  /** Longest sequence the graph accepts (RoPE tables and the causal mask are this long). */
  maxSequence: number;
  stats: { nodes: number; initializers: number; ops: Record<string, number> };
}

export interface OnnxBuildOptions {
  /** Longest sequence to support; default min(maxPositions, 512) to keep the tables small. */
  maxSequence?: number;
}

/** Masked scores: large and negative rather than −∞, so a fully masked row could never be NaN. */
const MASKED = -1e9;

export function buildOnnxModel(config: ModelConfig, seed: number, opts: OnnxBuildOptions = {}): OnnxModel {
  const maxSequence = Math.min(config.maxPositions, opts.maxSequence ?? 512);
  const g = new OnnxGraphBuilder(`${config.name}.oracle`);
  // Every weight as an initializer named as in modelTensors.
  for (const t of modelTensors(config)) g.initializer(t.name, t.shape, synthTensor(seed, t));
  const ids = g.input(ONNX_INPUT, OnnxType.INT64, [1, 'seq']);
  // seqLen as a 1-D int64 [S]: Shape(input_ids)[1:2].
  const seqLen = g.slice(g.op('Shape', [ids]), g.i64([1]), g.i64([2]), g.i64([0]));
  switch (config.family) {
    case 'encoder':
      encoderGraph(g, config, ids, seqLen);
      break;
    case 'decoder':
      decoderGraph(g, config, ids, seqLen, maxSequence);
      break;
  }
  const outDims = [1, 1, config.family === 'encoder' ? config.labels : config.vocab];
  g.output(ONNX_OUTPUT, OnnxType.FLOAT, outDims);
  return { bytes: g.toBytes(), input: ONNX_INPUT, output: ONNX_OUTPUT, maxSequence, stats: g.stats() };
}

/** [1, S, heads·hd] → [1, heads, S, hd] */
function splitHeads(g: OnnxGraphBuilder, x: string, heads: number, headDim: number): string {
  const r = g.op('Reshape', [x, g.i64([0, 0, heads, headDim])]);
  return g.op('Transpose', [r], { perm: ints([0, 2, 1, 3]) });
}

/** [1, heads, S, hd] → [1, S, heads·hd] */
function mergeHeads(g: OnnxGraphBuilder, x: string, heads: number, headDim: number): string {
  const t = g.op('Transpose', [x], { perm: ints([0, 2, 1, 3]) });
  return g.op('Reshape', [t, g.i64([0, 0, heads * headDim])]);
}

/** softmax(q·kᵀ/√hd + mask)·v over [1, H, S, hd] tensors. */
function attend(g: OnnxGraphBuilder, q: string, k: string, v: string, headDim: number, mask?: string): string {
  const kt = g.op('Transpose', [k], { perm: ints([0, 1, 3, 2]) });
  let s = g.op('Mul', [g.op('MatMul', [q, kt]), g.f32(1 / Math.sqrt(headDim))]);
  if (mask) s = g.op('Add', [s, mask]);
  const p = g.op('Softmax', [s], { axis: int(-1) });
  return g.op('MatMul', [p, v]);
}

function encoderGraph(g: OnnxGraphBuilder, c: EncoderConfig, ids: string, seqLen: string): void {
  const layerNorm = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, `${prefix}.gamma`, `${prefix}.beta`], { axis: int(-1), epsilon: float(c.normEps) });
  const positions = g.slice('embed.positions', g.i64([0]), seqLen, g.i64([0])); // [S, d]
  let x = g.op('Add', [g.op('Gather', ['embed.tokens', ids], { axis: int(0) }), positions]);
  x = layerNorm(x, 'embed.norm');
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}`;
    const q = splitHeads(g, g.linear(x, `${p}.attn.q.weight`, `${p}.attn.q.bias`), c.heads, c.headDim);
    const k = splitHeads(g, g.linear(x, `${p}.attn.k.weight`, `${p}.attn.k.bias`), c.kvHeads, c.headDim);
    const v = splitHeads(g, g.linear(x, `${p}.attn.v.weight`, `${p}.attn.v.bias`), c.kvHeads, c.headDim);
    const a = mergeHeads(g, attend(g, q, k, v, c.headDim), c.heads, c.headDim);
    x = layerNorm(g.op('Add', [x, g.linear(a, `${p}.attn.o.weight`, `${p}.attn.o.bias`)]), `${p}.attn.norm`);
    const u = g.linear(x, `${p}.ffn.up.weight`, `${p}.ffn.up.bias`);
    // GELU, exact: 0.5·u·(1 + erf(u/√2))
    const gelu = g.op('Mul', [g.op('Mul', [u, g.f32(0.5)]), g.op('Add', [g.op('Erf', [g.op('Div', [u, g.f32(Math.SQRT2)])]), g.f32(1)])]);
    x = layerNorm(g.op('Add', [x, g.linear(gelu, `${p}.ffn.down.weight`, `${p}.ffn.down.bias`)]), `${p}.ffn.norm`);
  }
  const first = g.slice(x, g.i64([0]), g.i64([1]), g.i64([1])); // [1, 1, d]
  const pre = g.linear(first, 'head.pre.weight', 'head.pre.bias');
  let act: string;
  switch (c.preClassifier) {
    case 'relu':
      act = g.op('Relu', [pre]);
      break;
    case 'tanh':
      act = g.op('Tanh', [pre]);
      break;
  }
  const logits = g.linear(act, 'head.classifier.weight');
  g.op('Add', [logits, 'head.classifier.bias'], {}, 'logits');
}

function decoderGraph(g: OnnxGraphBuilder, c: DecoderConfig, ids: string, seqLen: string, maxSequence: number): void {
  const half = c.headDim / 2;
  // RoPE tables [maxSequence, hd] (the frequency of column j is that of pair j mod hd/2) and the
  // causal mask [maxSequence, maxSequence], computed in f64 and stored as f32.
  const cos = new Float32Array(maxSequence * c.headDim);
  const sin = new Float32Array(maxSequence * c.headDim);
  for (let pos = 0; pos < maxSequence; pos++) {
    for (let j = 0; j < c.headDim; j++) {
      const angle = pos * ropeInvFreq(j % half, c.headDim, c.ropeTheta);
      cos[pos * c.headDim + j] = Math.cos(angle);
      sin[pos * c.headDim + j] = Math.sin(angle);
    }
  }
  const mask = new Float32Array(maxSequence * maxSequence);
  for (let i = 0; i < maxSequence; i++) for (let j = i + 1; j < maxSequence; j++) mask[i * maxSequence + j] = MASKED;
  g.initializer('rope.cos', [maxSequence, c.headDim], cos);
  g.initializer('rope.sin', [maxSequence, c.headDim], sin);
  g.initializer('causal.mask', [maxSequence, maxSequence], mask);
  const cosS = g.slice('rope.cos', g.i64([0]), seqLen, g.i64([0])); // [S, hd], broadcast over [1, H, S, hd]
  const sinS = g.slice('rope.sin', g.i64([0]), seqLen, g.i64([0]));
  const maskS = g.slice('causal.mask', g.i64([0, 0]), g.op('Concat', [seqLen, seqLen], { axis: int(0) }), g.i64([0, 1]));

  const rms = (x: string, gamma: string): string => {
    const ms = g.op('ReduceMean', [g.op('Pow', [x, g.f32(2)])], { axes: ints([-1]), keepdims: int(1) });
    return g.op('Mul', [g.op('Div', [x, g.op('Sqrt', [g.op('Add', [ms, g.f32(c.normEps)])])]), gamma]);
  };
  /** x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] on the last axis. */
  const rope = (x: string): string => {
    const x1 = g.slice(x, g.i64([0]), g.i64([half]), g.i64([3]));
    const x2 = g.slice(x, g.i64([half]), g.i64([c.headDim]), g.i64([3]));
    const rotated = g.op('Concat', [g.op('Neg', [x2]), x1], { axis: int(3) });
    return g.op('Add', [g.op('Mul', [x, cosS]), g.op('Mul', [rotated, sinS])]);
  };
  // Grouped-query attention: query head h reads KV head ⌊h / group⌋ (a Gather on the head axis).
  const group = c.heads / c.kvHeads;
  const expand = (x: string): string =>
    group === 1 ? x : g.op('Gather', [x, g.i64(Array.from({ length: c.heads }, (_, h) => Math.floor(h / group)))], { axis: int(1) });
  const bias = (name: string): string | undefined => (c.qkvBias ? name : undefined);

  let x = g.op('Gather', ['embed.tokens', ids], { axis: int(0) }); // [1, S, d]
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}`;
    const h = rms(x, `${p}.attn.norm.gamma`);
    const q = rope(splitHeads(g, g.linear(h, `${p}.attn.q.weight`, bias(`${p}.attn.q.bias`)), c.heads, c.headDim));
    const k = rope(splitHeads(g, g.linear(h, `${p}.attn.k.weight`, bias(`${p}.attn.k.bias`)), c.kvHeads, c.headDim));
    const v = splitHeads(g, g.linear(h, `${p}.attn.v.weight`, bias(`${p}.attn.v.bias`)), c.kvHeads, c.headDim);
    const a = mergeHeads(g, attend(g, q, expand(k), expand(v), c.headDim, maskS), c.heads, c.headDim);
    x = g.op('Add', [x, g.linear(a, `${p}.attn.o.weight`)]);
    const h2 = rms(x, `${p}.ffn.norm.gamma`);
    const gate = g.linear(h2, `${p}.ffn.gate.weight`);
    const up = g.linear(h2, `${p}.ffn.up.weight`);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    x = g.op('Add', [x, g.linear(act, `${p}.ffn.down.weight`)]);
  }
  const last = g.slice(x, g.i64([-1]), g.i64([INT64_MAX]), g.i64([1])); // [1, 1, d]
  const n = rms(last, 'final.norm.gamma');
  const head = c.tiedEmbeddings ? g.op('Transpose', ['embed.tokens'], { perm: ints([1, 0]) }) : 'lmHead.weight';
  g.op('MatMul', [n, head], {}, 'logits');
}
