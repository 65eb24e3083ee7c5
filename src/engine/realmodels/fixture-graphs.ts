/**
 * Tiny random ONNX graphs with the input/output signatures of the real models of the race, so
 * that the loading code, the sessions and the race run end to end in tests without a download:
 *
 *   - a BERT-style classifier (the signature of Xenova/distilbert-base-uncased-finetuned-sst-2-english):
 *     input_ids, attention_mask int64 [batch_size, sequence_length] → logits float32 [batch_size, 2];
 *   - a Qwen2-style decoder (the signature of onnx-community/Qwen2.5-0.5B-Instruct): input_ids,
 *     attention_mask, position_ids, past_key_values.{i}.key/value [batch, kv_heads, past, head_dim]
 *     → logits [batch, seq, vocab] and present.{i}.key/value.
 *
 * The decoder is a real causal transformer (attention over the past plus the new tokens, a causal
 * mask and the attention mask), so decoding with the KV cache must give the same tokens as running
 * the whole sequence again: the tests check exactly that. Weights come from a seeded PRNG.
 */
import { mulberry32 } from '../../shared/prng.ts';
import { int, ints, OnnxGraphBuilder, OnnxType } from '../onnx/graph.ts';

/** TensorProto.DataType values beyond proto.ts's three. */
const BOOL = 9;
const FLOAT16 = 10;

export interface ClassifierShape {
  vocab: number;
  hidden: number;
  labels: number;
}

export interface DecoderShape {
  vocab: number;
  hidden: number;
  layers: number;
  /** Query heads equal key/value heads here (no grouped-query attention: not part of the signature). */
  kvHeads: number;
  headDim: number;
  ffn: number;
  maxPositions: number;
  /** float16 for the `fp16`/`q4f16` exports: the KV cache and the logits are half precision. */
  io: 'float32' | 'float16';
}

function randoms(seed: number, n: number, scale: number): Float32Array {
  const rnd = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rnd() * 2 - 1) * scale;
  return out;
}

/** A seeded weight tensor, uniform in ±1/√fanIn (±1 for embeddings). */
function weight(g: OnnxGraphBuilder, name: string, dims: number[], seed: number, fanIn = 1): string {
  const n = dims.reduce((a, b) => a * b, 1);
  return g.initializer(name, dims, randoms(seed, n, 1 / Math.sqrt(fanIn)));
}

const scalarI64 = (g: OnnxGraphBuilder, name: string, v: number): string => g.initializer(name, [], BigInt64Array.of(BigInt(v)));

/** A DistilBERT-SST2-shaped classifier: embeddings, masked mean pooling, a tanh layer, logits. */
export function classifierGraph(shape: ClassifierShape, seed: number): Uint8Array {
  const { vocab, hidden: d, labels } = shape;
  const g = new OnnxGraphBuilder('tiny-distilbert-sst2');
  const ids = g.input('input_ids', OnnxType.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', OnnxType.INT64, ['batch_size', 'sequence_length']);
  const x = g.op('Gather', [weight(g, 'embeddings.word', [vocab, d], seed), ids]);
  const m = g.op('Unsqueeze', [g.op('Cast', [mask], { to: int(OnnxType.FLOAT) }), g.i64([2])]);
  const sum = g.op('ReduceSum', [g.op('Mul', [x, m]), g.i64([1])], { keepdims: int(0) });
  const count = g.op('ReduceSum', [m, g.i64([1])], { keepdims: int(0) });
  const pooled = g.op('Div', [sum, g.op('Max', [count, g.f32(1)])]);
  const h = g.op('Tanh', [g.linear(pooled, weight(g, 'pre_classifier.w', [d, d], seed + 1, d), weight(g, 'pre_classifier.b', [d], seed + 2, d))]);
  g.op('Add', [g.op('MatMul', [h, weight(g, 'classifier.w', [d, labels], seed + 3, d)]), weight(g, 'classifier.b', [labels], seed + 4, d)], {}, 'logits');
  g.output('logits', OnnxType.FLOAT, ['batch_size', labels]);
  return g.toBytes();
}

/** A Qwen2-shaped causal decoder with a KV cache (see the module comment). */
export function decoderGraph(shape: DecoderShape, seed: number): Uint8Array {
  const { vocab, hidden: d, layers, kvHeads: h, headDim: hd, ffn, maxPositions } = shape;
  if (h * hd !== d) throw new RangeError(`decoderGraph: kvHeads × headDim (${h * hd}) must equal hidden (${d})`);
  const io = shape.io === 'float16' ? FLOAT16 : OnnxType.FLOAT;
  const g = new OnnxGraphBuilder('tiny-qwen2');
  const ids = g.input('input_ids', OnnxType.INT64, ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', OnnxType.INT64, ['batch_size', 'total_sequence_length']);
  const pos = g.input('position_ids', OnnxType.INT64, ['batch_size', 'sequence_length']);
  const kvDims = ['batch_size', h, 'past_sequence_length', hd];
  const past: { key: string; value: string }[] = [];
  for (let i = 0; i < layers; i++) {
    past.push({ key: g.input(`past_key_values.${i}.key`, io, kvDims), value: g.input(`past_key_values.${i}.value`, io, kvDims) });
  }

  let x = g.op('Add', [g.op('Gather', [weight(g, 'embed_tokens', [vocab, d], seed), ids]), g.op('Gather', [weight(g, 'embed_positions', [maxPositions, d], seed + 1), pos])]);

  // Which keys each query may see: key position ≤ query position (the query's absolute position
  // is past + its index), and the attention mask. [batch, 1, seq, total].
  const one = scalarI64(g, 'one', 1);
  const zero = scalarI64(g, 'zero', 0);
  const seqLen = g.op('Gather', [g.op('Shape', [ids]), one], { axis: int(0) });
  const total = g.op('Gather', [g.op('Shape', [mask]), one], { axis: int(0) });
  const pastLen = g.op('Sub', [total, seqLen]);
  const qPos = g.op('Unsqueeze', [g.op('Add', [g.op('Range', [zero, seqLen, one]), pastLen]), g.i64([1])]);
  const kPos = g.op('Range', [zero, total, one]);
  const causal = g.op('LessOrEqual', [kPos, qPos]);
  const padding = g.op('Unsqueeze', [g.op('Cast', [mask], { to: int(BOOL) }), g.i64([1, 2])]);
  const allowed = g.op('And', [causal, padding]);

  const heads = (t: string): string => g.op('Transpose', [g.op('Reshape', [t, g.i64([0, 0, h, hd])])], { perm: ints([0, 2, 1, 3]) });
  const toF32 = (t: string): string => (io === FLOAT16 ? g.op('Cast', [t], { to: int(OnnxType.FLOAT) }) : t);
  const emit = (t: string, name: string): void => {
    if (io === FLOAT16) g.op('Cast', [t], { to: int(FLOAT16) }, name);
    else g.op('Identity', [t], {}, name);
  };
  for (let i = 0; i < layers; i++) {
    const s = seed + 100 * (i + 1);
    const q = heads(g.op('MatMul', [x, weight(g, `l${i}.q`, [d, d], s, d)]));
    const k = g.op('Concat', [toF32(past[i]!.key), heads(g.op('MatMul', [x, weight(g, `l${i}.k`, [d, d], s + 1, d)]))], { axis: int(2) });
    const v = g.op('Concat', [toF32(past[i]!.value), heads(g.op('MatMul', [x, weight(g, `l${i}.v`, [d, d], s + 2, d)]))], { axis: int(2) });
    emit(k, `present.${i}.key`);
    emit(v, `present.${i}.value`);
    const scores = g.op('Mul', [g.op('MatMul', [q, g.op('Transpose', [k], { perm: ints([0, 1, 3, 2]) })]), g.f32(1 / Math.sqrt(hd))]);
    const probs = g.op('Softmax', [g.op('Where', [allowed, scores, g.f32(-1e9)])], { axis: int(-1) });
    const merged = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: ints([0, 2, 1, 3]) }), g.i64([0, 0, d])]);
    x = g.op('Add', [x, g.op('MatMul', [merged, weight(g, `l${i}.o`, [d, d], s + 3, d)])]);
    const up = g.op('Tanh', [g.op('MatMul', [x, weight(g, `l${i}.up`, [d, ffn], s + 4, d)])]);
    x = g.op('Add', [x, g.op('MatMul', [up, weight(g, `l${i}.down`, [ffn, d], s + 5, ffn)])]);
  }
  // Larger logits than ±1/√d so that greedy decoding has clear winners (no near-ties that
  // floating-point reordering between the cached and the full pass could flip).
  const logits = g.op('MatMul', [x, weight(g, 'lm_head', [d, vocab], seed + 7, 1 / 16)]);
  emit(logits, 'logits');
  g.output('logits', io, ['batch_size', 'sequence_length', vocab]);
  for (let i = 0; i < layers; i++) {
    g.output(`present.${i}.key`, io, ['batch_size', h, 'total_sequence_length', hd]);
    g.output(`present.${i}.value`, io, ['batch_size', h, 'total_sequence_length', hd]);
  }
  return g.toBytes();
}
