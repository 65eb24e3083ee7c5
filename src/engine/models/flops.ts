/**
 * FLOPs and bytes of one query, counted from the config alone (the convention of kernels/README.md), so that anyone
 * can recount what a result document claims. The convention:
 *
 * - A matrix product [m×k]·[k×n] counts 2·m·n·k; its bias add, when present, m·n.
 *   m = 1 runs the `gemv` kernel, m > 1 `gemm`.
 * - Attention counts, per query head, QKᵀ (2·headDim) and the weighted sum of V (2·headDim) for
 *   every key the query actually attends to, plus the scale (1) and the softmax (5: max, subtract,
 *   exp, sum, divide) of each score. Causal prefill: query i sees i+1 keys; bidirectional: all
 *   tokens; a decode step: the cache length (prompt + tokens generated so far, itself included).
 * - The decoder's first output token comes from the prefill's last position, so a query runs
 *   `outputTokens − 1` decode steps. The final norm, the LM head and the greedy argmax run only
 *   on positions whose logits are used: the last prompt position and each decode step.
 * - The encoder's classifier head (pre-classifier dense + activation, classifier dense) runs on
 *   the first token only.
 * - Element-wise work, per element: layernorm 8 (mean, variance 3, normalize 2, gain, shift),
 *   rmsnorm 4 (square, sum, scale, gain), GELU 8, SwiGLU 6 (silu 4, ·gate, ·up), RoPE 3 (two
 *   products and a sum per output), residual 1, position-embedding add 1, argmax 1 (a compare).
 *   Small beside the products, counted so that nothing is silently free.
 * - Fused epilogues: the residual adds and the encoder's GELU run inside the product before them
 *   (one dispatch, reported as gemm/gemv). Their FLOPs above still count; their bytes are the
 *   epilogue's reads only (the intermediate tensor is not written and read back).
 * - Fused prologues: the decoder's RMSNorms run inside the product after them (attention norm →
 *   Q/K/V, FFN norm → gate/up, final norm → LM head) and SwiGLU inside the down projection. Their
 *   FLOPs above still count (once, even when a split LM head repeats the norm per block); their
 *   bytes are the prologue's extra reads only (gamma, or up): the normalized or gated tensor is
 *   never written and read back.
 * - Fused Q/K/V: the three projections are one product against a [hidden, q + k + v] weight:
 *   the same FLOPs, one dispatch, and the input row read once instead of three times. Likewise
 *   the decoder FFN's gate and up projections: one product against [hidden, 2·ffn].
 * - RoPE in attention: the decoder rotates Q and the new K rows inside its attention dispatch
 *   (`attention-rope`): RoPE's FLOPs above count once per rotated element, as a separate kernel
 *   would; its bytes are the new K rows and the cos/sin rows read.
 * - Bytes: weights read (once per dispatch: each decode step reads every weight again),
 *   activations read and written, KV cache read and written (attention writes the K, V entries
 *   of the positions it processes and reads the cache), token ids as u32. Elements are 4 bytes
 *   in f32, 2 in f16.
 */
import type { DecoderWorkloadSpec, Dtype, EncoderWorkloadSpec, ModelWorkloadSpec } from './config.ts';

/** Kernel names as in kernels/NAME, so the count lines up with the per-kernel breakdown. */
export type KernelName =
  | 'embedding'
  | 'layernorm'
  | 'rmsnorm'
  | 'gemm'
  | 'gemv'
  | 'attention'
  | 'attention-rope'
  | 'gelu'
  | 'swiglu'
  | 'rope'
  | 'residual'
  | 'classifier'
  | 'argmax';

export interface KernelCount {
  name: KernelName;
  flops: number;
  bytes: number;
  /** Dispatches of this kernel in one query. */
  count: number;
}

export interface PhaseCount {
  flops: number;
  bytes: number;
  /** Dispatches in the phase. */
  dispatches: number;
}

export interface QueryCount {
  flops: number;
  bytes: number;
  /** Aggregated over the whole query, in order of first appearance. */
  kernels: KernelCount[];
  phases: {
    /** The encoder's single forward pass, or the decoder's prefill (with its LM head and argmax). */
    prefill: PhaseCount;
    /** All decode steps together; null for the encoder, which has none. */
    decode: (PhaseCount & { steps: number; perStep: { flops: number; bytes: number }[] }) | null;
  };
  /** Matrix products only (2·m·n·k summed), the part the FLOP convention is built on. */
  matmulFlops: number;
}

export const ELEMENTWISE_FLOPS = Object.freeze({
  layernorm: 8,
  rmsnorm: 4,
  gelu: 8,
  swiglu: 6,
  rope: 3,
  residual: 1,
  positionAdd: 1,
  argmax: 1,
  /** Per attention score: scale 1 + softmax 5. */
  attentionScore: 6,
});

export function bytesPerElement(dtype: Dtype): number {
  switch (dtype) {
    case 'f32':
      return 4;
    case 'f16':
      return 2;
  }
}

const ID_BYTES = 4;

/**
 * Activations, norm parameters, the learned position table and the KV cache stay f32 in every
 * dtype: 'f16' stores only the weight matrices and token-embedding tables in half precision
 * (what the GPU runners do, see model-runner.ts).
 */
const ACT_BYTES = 4;

/** Accumulates dispatches of one phase; `flush` hands back the phase total. */
class Tally {
  readonly kernels = new Map<KernelName, KernelCount>();
  matmul = 0;
  private phase: PhaseCount = { flops: 0, bytes: 0, dispatches: 0 };
  private readonly b = ACT_BYTES;
  /** `wb`: bytes per weight element (matrices and embedding tables). */
  constructor(readonly wb: number) {}

  add(name: KernelName, flops: number, bytes: number): void {
    const k = this.kernels.get(name) ?? { name, flops: 0, bytes: 0, count: 0 };
    k.flops += flops;
    k.bytes += bytes;
    k.count += 1;
    this.kernels.set(name, k);
    this.phase.flops += flops;
    this.phase.bytes += bytes;
    this.phase.dispatches += 1;
  }

  /**
   * y[m×n] = act(x[m×k]·W[k×n] (+ b)) (+ r): the GELU and residual add run in the product's
   * epilogue (one dispatch). Their FLOPs are counted as the separate kernels counted them; their
   * bytes are not: the epilogue reads r once, and y is written once instead of written, read and
   * rewritten by an element-wise kernel.
   */
  matmul_(m: number, k: number, n: number, bias: boolean, epilogue: { gelu?: boolean; residual?: boolean; residualNorm?: boolean; prologue?: 'rmsnorm' | 'swiglu' | 'layernorm' } = {}): void {
    const mm = 2 * m * n * k;
    this.matmul += mm;
    const E = ELEMENTWISE_FLOPS;
    const pro = epilogue.prologue;
    // Prologue: the norm's or SwiGLU's FLOPs over the [m, k] input; bytes: gamma [k], up [m, k] or
    // gamma and beta [2, k].
    const proFlops = pro === undefined ? 0 : E[pro] * m * k;
    const proReads = pro === undefined ? 0 : pro === 'rmsnorm' ? k : pro === 'layernorm' ? 2 * k : m * k;
    // A normalized residual (the post-LN encoder) reads gamma and beta [2, n] too; its LayerNorm's
    // FLOPs are booked on the prologue that reads the same normalized rows.
    const resReads = (epilogue.residual ? m * n : 0) + (epilogue.residualNorm ? 2 * n : 0);
    const flops = mm + (bias ? m * n : 0) + (epilogue.gelu ? E.gelu * m * n : 0) + (epilogue.residual ? E.residual * m * n : 0) + proFlops;
    const bytes = this.b * (m * k + m * n + resReads + proReads) + this.wb * (k * n + (bias ? n : 0));
    this.add(m === 1 ? 'gemv' : 'gemm', flops, bytes);
  }

  /** Element-wise kernel reading `reads` tensors of `elements` and writing one. */
  elementwise(name: KernelName, elements: number, flopsPerElement: number, reads: number, params = 0): void {
    this.add(name, flopsPerElement * elements, this.b * (reads * elements + elements + params));
  }

  /**
   * Attention for `queries` rows over `pairs` (query, key) pairs per head; reads Q and the
   * `keys` K/V rows, writes the output and the K/V entries of the `queries` new positions.
   */
  attention(heads: number, kvHeads: number, headDim: number, queries: number, keys: number, pairs: number): void {
    const matmul = heads * pairs * 4 * headDim;
    this.matmul += matmul;
    const flops = matmul + heads * pairs * ELEMENTWISE_FLOPS.attentionScore;
    const q = queries * heads * headDim;
    const kvRead = 2 * keys * kvHeads * headDim;
    const kvWrite = 2 * queries * kvHeads * headDim;
    this.add('attention', flops, this.b * (q + kvRead + q + kvWrite));
  }

  /**
   * The decoder's RoPE folded into causal attention (kernels/attention-rope): attention's count
   * plus RoPE on the new Q and K rows; bytes add the new K rows read before rotation and the
   * cos/sin rows, while the separate kernel's read and write of Q and K are gone.
   */
  attentionRope(heads: number, kvHeads: number, headDim: number, queries: number, keys: number, pairs: number): void {
    const matmul = heads * pairs * 4 * headDim;
    this.matmul += matmul;
    const flops = matmul + heads * pairs * ELEMENTWISE_FLOPS.attentionScore + ELEMENTWISE_FLOPS.rope * queries * (heads + kvHeads) * headDim;
    const q = queries * heads * headDim;
    const kvRead = 2 * keys * kvHeads * headDim;
    const kvWrite = 2 * queries * kvHeads * headDim;
    this.add('attention-rope', flops, this.b * (q + kvRead + q + kvWrite + queries * kvHeads * headDim + queries * headDim));
  }

  flush(): PhaseCount {
    const p = this.phase;
    this.phase = { flops: 0, bytes: 0, dispatches: 0 };
    return p;
  }
}

function countEncoder(spec: EncoderWorkloadSpec): QueryCount {
  const c = spec.model;
  const b = bytesPerElement(c.dtype);
  const t = new Tally(b);
  const T = spec.inputTokens;
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const E = ELEMENTWISE_FLOPS;

  // Token rows + position rows gathered and added. Token rows are weights in the model's dtype;
  // the learned position table stays f32 in every dtype (the runner keeps it f32 because the
  // gather adds it in f32); the summed row written is an activation.
  t.add('embedding', E.positionAdd * T * d, ID_BYTES * T + b * T * d + ACT_BYTES * T * d + ACT_BYTES * T * d);
  // Post-LN blocks with no LayerNorm dispatch (see models/encoder.ts): each LayerNorm runs in the
  // prologue of the product that reads the normalized rows (and books its 8 FLOPs per element
  // there) and again, uncounted, in the epilogue that adds them as a residual.
  for (let l = 0; l < c.layers; l++) {
    t.matmul_(T, d, q + 2 * kv, true, { prologue: 'layernorm' }); // (embedding or FFN) norm + fused Q/K/V projection
    t.attention(c.heads, c.kvHeads, c.headDim, T, T, T * T); // bidirectional: every query sees T keys
    t.matmul_(T, q, d, true, { residual: true, residualNorm: true });
    t.matmul_(T, d, c.ffn, true, { gelu: true, prologue: 'layernorm' }); // attention norm + FFN up
    t.matmul_(T, c.ffn, d, true, { residual: true, residualNorm: true });
  }
  // Classifier head on the first token: pre (d→d, + activation) reading row 0 through the last
  // LayerNorm, which it books over all T rows as the model defines it, then classifier (d→labels).
  const headMatmul = 2 * d * d + 2 * d * c.labels;
  t.matmul += headMatmul;
  t.add(
    'classifier',
    headMatmul + E.layernorm * T * d + d /* bias */ + d /* relu/tanh */ + c.labels /* bias */,
    ACT_BYTES * (d + 2 * d + d + c.labels) + b * (d * d + d + d * c.labels + c.labels),
  );
  const prefill = t.flush();
  return finish(t, prefill, null);
}

function countDecoder(spec: DecoderWorkloadSpec): QueryCount {
  const c = spec.model;
  const b = bytesPerElement(c.dtype);
  const t = new Tally(b);
  const P = spec.promptTokens;
  const steps = Math.max(0, spec.outputTokens - 1);
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const E = ELEMENTWISE_FLOPS;

  /** One pass over `m` new positions with `before` positions already in the cache. */
  const pass = (m: number, before: number): void => {
    t.add('embedding', 0, ID_BYTES * m + b * m * d + ACT_BYTES * m * d);
    const keys = before + m;
    // Causal: the j-th new row (0-based) sees before + j + 1 keys.
    const pairs = m * before + (m * (m + 1)) / 2;
    for (let l = 0; l < c.layers; l++) {
      t.matmul_(m, d, q + 2 * kv, c.qkvBias, { prologue: 'rmsnorm' }); // attention norm + fused Q/K/V projection
      t.attentionRope(c.heads, c.kvHeads, c.headDim, m, keys, pairs); // RoPE + attention, one dispatch
      t.matmul_(m, q, d, false, { residual: true });
      t.matmul_(m, d, 2 * c.ffn, false, { prologue: 'rmsnorm' }); // FFN norm + fused gate/up projection
      t.matmul_(m, c.ffn, d, false, { residual: true, prologue: 'swiglu' }); // SwiGLU + down projection
    }
    // Only the last position's logits are used: final norm (the LM head's prologue), LM head, argmax on one row.
    t.matmul_(1, d, c.vocab, false, { prologue: 'rmsnorm' });
    t.add('argmax', E.argmax * c.vocab, ACT_BYTES * c.vocab + ID_BYTES);
  };

  pass(P, 0);
  const prefill = t.flush();
  const perStep: { flops: number; bytes: number }[] = [];
  let decode: PhaseCount = { flops: 0, bytes: 0, dispatches: 0 };
  for (let s = 1; s <= steps; s++) {
    pass(1, P + s - 1);
    const step = t.flush();
    perStep.push({ flops: step.flops, bytes: step.bytes });
    decode = { flops: decode.flops + step.flops, bytes: decode.bytes + step.bytes, dispatches: decode.dispatches + step.dispatches };
  }
  return finish(t, prefill, { ...decode, steps, perStep });
}

function finish(t: Tally, prefill: PhaseCount, decode: QueryCount['phases']['decode']): QueryCount {
  const kernels = [...t.kernels.values()];
  return {
    flops: prefill.flops + (decode?.flops ?? 0),
    bytes: prefill.bytes + (decode?.bytes ?? 0),
    kernels,
    phases: { prefill, decode },
    matmulFlops: t.matmul,
  };
}

/** FLOPs and bytes of one query of `spec` (the whole forward pass: prefill and every decode step). */
export function countQuery(spec: ModelWorkloadSpec): QueryCount {
  switch (spec.family) {
    case 'encoder':
      return countEncoder(spec);
    case 'decoder':
      return countDecoder(spec);
  }
}
