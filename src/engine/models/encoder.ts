/**
 * The encoder classifier (BERT / DistilBERT family) as a list of GPU dispatches: one forward
 * pass over `inputTokens` tokens, post-LayerNorm blocks, bidirectional multi-head attention, GELU
 * FFN, and the classifier head on the first token only (as counted in flops.ts). Same formulas and
 * tensor names as reference.ts.
 *
 * No LayerNorm dispatch: the graph keeps the un-normalized sums (two [T, d] buffers in turn) and
 * every reader normalizes as it reads. A post-LN state LN(x) has two readers — the next product's
 * input (a LayerNorm prologue) and a later residual (the normalized-residual epilogue) — and the
 * classifier head reads LN(last) of row 0 by prologue. Both repeat layernorm.wgsl's operations,
 * so the logits equal the unfused chain's. 5 dispatches per layer: Q/K/V, attention, O, up, down.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import { createAttention } from '../ops/attention.ts';
import { createEmbedding } from '../ops/tokens.ts';
import { createLinear } from '../ops/linear.ts';
import type { EncoderWorkloadSpec } from './config.ts';
import { qkvBlocks, type ModelBuffers } from './buffers.ts';
import type { ModelGraph } from './graph.ts';
import type { BufferRef } from '../ops/common.ts';
import type { ResidualNorm } from '../ops/prologue.ts';
import { KernelLimitError } from '../errors.ts';

export function buildEncoder(device: GPUDevice, cache: PipelineCache, bufs: ModelBuffers, spec: EncoderWorkloadSpec, inputIds: Uint32Array): ModelGraph {
  const c = spec.model;
  const T = spec.inputTokens;
  const d = c.hidden;
  const qd = c.heads * c.headDim;
  const kvd = c.kvHeads * c.headDim;
  const phase = 'encode';
  const resources = bufs.resources;
  const own = `Encoder(${c.name})`;

  const ids = bufs.storage('ids', 4 * T);
  device.queue.writeBuffer(ids, 0, new Uint32Array(inputIds));
  // The un-normalized sums, in turn: the embedding and each layer's down product write x (the
  // layer's state, read by its Q/K/V prologue and O's residual), its O product writes y (read by
  // the up prologue and down's residual).
  const x = bufs.storage('hidden', 4 * T * d);
  const y = bufs.storage('residual', 4 * T * d);
  // Q, K and V as three row-major blocks of one buffer, each starting on a binding-offset
  // boundary so attention binds them as slices; the fused projection writes all three.
  const qkvLayout = qkvBlocks(device, T, qd, kvd);
  const qkv = bufs.storage('qkv', 4 * qkvLayout.elements);
  const slice = (at: { offset: number; elements: number }): BufferRef => ({ buffer: qkv, offset: 4 * at.offset, size: 4 * at.elements });
  const [q, k, v] = [slice(qkvLayout.q), slice(qkvLayout.k), slice(qkvLayout.v)];
  const att = bufs.storage('attention', 4 * T * qd);
  const ffn = bufs.storage('ffn', 4 * T * c.ffn);
  const pre = bufs.storage('preClassifier', 4 * d);
  const logits = bufs.storage('logits', 4 * c.labels);

  const list: Dispatch[] = [];
  const W = (name: string) => bufs.tensor(name).parts;
  const B = (name: string) => bufs.buffer(name);
  /** A LayerNorm's packed gamma/beta [2, d] (buffers.ts normGroups). */
  const norm = (name: string): ResidualNorm => {
    const f = bufs.fused(`${name}.gammaBeta`);
    if (!f) throw new KernelLimitError(`${own}: ${name} gamma and beta are not packed into one buffer`);
    return { gammaBeta: f.block.buffer, eps: c.normEps };
  };
  const prologue = (n: ResidualNorm) => ({ kind: 'layernorm' as const, ...n });

  list.push(
    ...createEmbedding(device, cache, {
      ids, chunks: W('embed.tokens').map((p) => ({ buffer: p.buffer, rowStart: p.rowStart, rowCount: p.rowCount })),
      positions: B('embed.positions'), out: x, tokens: T, dim: d, weights: bufs.tensor('embed.tokens').storage, label: `${own}.embed`, resources, phase,
    }),
  );

  // x holds the un-normalized state, normalized by `ln` wherever it is read.
  let ln = norm('embed.norm');
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}`;
    const fw = bufs.fused(`${p}.attn.qkv.weight`);
    const fb = bufs.fused(`${p}.attn.qkv.bias`);
    if (fw && fb) {
      // One product against the [d, q + k + v] weight, its output split into the three blocks.
      const segments = [{ cols: qd, offset: qkvLayout.q.offset }, { cols: kvd, offset: qkvLayout.k.offset }, { cols: kvd, offset: qkvLayout.v.offset }];
      list.push(...createLinear(device, cache, { x, prologue: prologue(ln), blocks: [fw.block], bias: fb.block.buffer, y: qkv, m: T, k: d, n: fw.cols, segments, label: `${own}.${p}.qkv`, resources, phase }));
    } else {
      for (const [name, at, n] of [['q', qkvLayout.q, qd], ['k', qkvLayout.k, kvd], ['v', qkvLayout.v, kvd]] as const) {
        // Each separate projection normalizes its input; the norm's FLOPs are booked once (on Q).
        const pro = { prologue: prologue(ln), countPrologue: name === 'q' };
        list.push(...createLinear(device, cache, { x, ...pro, blocks: W(`${p}.attn.${name}.weight`), bias: B(`${p}.attn.${name}.bias`), y: qkv, m: T, k: d, n, segments: [{ cols: n, offset: at.offset }], label: `${own}.${p}.${name}`, resources, phase }));
      }
    }
    list.push(
      createAttention(device, cache, {
        q, k, v, o: att,
        shape: { queries: T, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, qPos0: 0, kvLen: T, causal: false },
        label: `${own}.${p}.attention`, resources, phase,
      }),
    );
    // y = att·Wo + b + LN(x) (the residual normalized in the epilogue); then
    // x = gelu(LN'(y)·Wup + b)·Wdown + b + LN'(y). GELU and the residual adds run in the products'
    // epilogues (kernels/product/tile.wgsl), bit-identical to separate kernels.
    list.push(...createLinear(device, cache, { x: att, blocks: W(`${p}.attn.o.weight`), bias: B(`${p}.attn.o.bias`), y, m: T, k: qd, n: d, residual: x, residualNorm: ln, label: `${own}.${p}.o`, resources, phase }));
    const attnNorm = norm(`${p}.attn.norm`);
    list.push(...createLinear(device, cache, { x: y, prologue: prologue(attnNorm), blocks: W(`${p}.ffn.up.weight`), bias: B(`${p}.ffn.up.bias`), y: ffn, m: T, k: d, n: c.ffn, activation: 'gelu', label: `${own}.${p}.ffn.up`, resources, phase }));
    list.push(...createLinear(device, cache, { x: ffn, blocks: W(`${p}.ffn.down.weight`), bias: B(`${p}.ffn.down.bias`), y: x, m: T, k: c.ffn, n: d, residual: y, residualNorm: attnNorm, label: `${own}.${p}.ffn.down`, resources, phase }));
    ln = norm(`${p}.ffn.norm`);
  }

  // Classifier head on the first token: row 0 of LN(x), normalized by the head's prologue (which
  // books that LayerNorm over all T rows, as the unfused model ran it: see GemvArgs.prologueRows).
  // Reported as the 'classifier' kernel.
  list.push(
    ...createLinear(device, cache, {
      x, prologue: prologue(ln), prologueRows: T, blocks: W('head.pre.weight'), bias: B('head.pre.bias'), y: pre, m: 1, k: d, n: d, activation: c.preClassifier,
      label: `${own}.head.pre`, resources, phase, kernelName: 'classifier',
    }),
    ...createLinear(device, cache, {
      x: pre, blocks: W('head.classifier.weight'), bias: B('head.classifier.bias'), y: logits, m: 1, k: d, n: c.labels,
      label: `${own}.head.classifier`, resources, phase, kernelName: 'classifier',
    }),
  );

  return { steps: [{ label: 'encode', phase: 'encode', dispatches: list }], ids, logits, logitsCount: c.labels };
}
