/**
 * The encoder classifier (BERT / DistilBERT family) as a list of GPU dispatches: one forward
 * pass over `inputTokens` tokens, post-LayerNorm blocks, bidirectional multi-head attention, GELU
 * FFN, and the classifier head on the first token only (as counted in flops.ts). Same formulas and
 * tensor names as reference.ts.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import { createAttention } from '../ops/attention.ts';
import { createLayerNorm } from '../ops/norms.ts';
import { createEmbedding } from '../ops/tokens.ts';
import { createLinear } from '../ops/linear.ts';
import type { EncoderWorkloadSpec } from './config.ts';
import { qkvBlocks, type ModelBuffers } from './buffers.ts';
import type { ModelGraph } from './graph.ts';
import type { BufferRef } from '../ops/common.ts';

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
  const h = bufs.storage('hidden', 4 * T * d);
  const tmp = bufs.storage('residual', 4 * T * d);
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
  const linear = (label: string, x: GPUBuffer, weight: string, bias: string, y: GPUBuffer, k_: number, n: number, epilogue: { activation?: 'gelu'; residual?: GPUBuffer } = {}): void => {
    list.push(...createLinear(device, cache, { x, blocks: W(weight), bias: B(bias), y, m: T, k: k_, n, label: `${own}.${label}`, resources, phase, ...epilogue }));
  };

  list.push(
    ...createEmbedding(device, cache, {
      ids, chunks: W('embed.tokens').map((p) => ({ buffer: p.buffer, rowStart: p.rowStart, rowCount: p.rowCount })),
      positions: B('embed.positions'), out: tmp, tokens: T, dim: d, weights: bufs.tensor('embed.tokens').storage, label: `${own}.embed`, resources, phase,
    }),
  );
  list.push(createLayerNorm(device, cache, { x: tmp, gamma: B('embed.norm.gamma'), beta: B('embed.norm.beta'), y: h, rows: T, dim: d, eps: c.normEps, label: `${own}.embed.norm`, resources, phase }));

  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}`;
    const fw = bufs.fused(`${p}.attn.qkv.weight`);
    const fb = bufs.fused(`${p}.attn.qkv.bias`);
    if (fw && fb) {
      // One product against the [d, q + k + v] weight, its output split into the three blocks.
      const segments = [{ cols: qd, offset: qkvLayout.q.offset }, { cols: kvd, offset: qkvLayout.k.offset }, { cols: kvd, offset: qkvLayout.v.offset }];
      list.push(...createLinear(device, cache, { x: h, blocks: [fw.block], bias: fb.block.buffer, y: qkv, m: T, k: d, n: fw.cols, segments, label: `${own}.${p}.qkv`, resources, phase }));
    } else {
      for (const [name, at, n] of [['q', qkvLayout.q, qd], ['k', qkvLayout.k, kvd], ['v', qkvLayout.v, kvd]] as const) {
        list.push(...createLinear(device, cache, { x: h, blocks: W(`${p}.attn.${name}.weight`), bias: B(`${p}.attn.${name}.bias`), y: qkv, m: T, k: d, n, segments: [{ cols: n, offset: at.offset }], label: `${own}.${p}.${name}`, resources, phase }));
      }
    }
    list.push(
      createAttention(device, cache, {
        q, k, v, o: att,
        shape: { queries: T, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, qPos0: 0, kvLen: T, causal: false },
        label: `${own}.${p}.attention`, resources, phase,
      }),
    );
    // Residual adds and the FFN's GELU run in the epilogue of the product before them (see
    // kernels/gemm/gemm.wgsl): tmp = x·W + b + h, then the norm; bit-identical to separate kernels.
    linear(`${p}.o`, att, `${p}.attn.o.weight`, `${p}.attn.o.bias`, tmp, qd, d, { residual: h });
    list.push(createLayerNorm(device, cache, { x: tmp, gamma: B(`${p}.attn.norm.gamma`), beta: B(`${p}.attn.norm.beta`), y: h, rows: T, dim: d, eps: c.normEps, label: `${own}.${p}.attn.norm`, resources, phase }));
    linear(`${p}.ffn.up`, h, `${p}.ffn.up.weight`, `${p}.ffn.up.bias`, ffn, d, c.ffn, { activation: 'gelu' });
    linear(`${p}.ffn.down`, ffn, `${p}.ffn.down.weight`, `${p}.ffn.down.bias`, tmp, c.ffn, d, { residual: h });
    list.push(createLayerNorm(device, cache, { x: tmp, gamma: B(`${p}.ffn.norm.gamma`), beta: B(`${p}.ffn.norm.beta`), y: h, rows: T, dim: d, eps: c.normEps, label: `${own}.${p}.ffn.norm`, resources, phase }));
  }

  // Classifier head on the first token (row 0 of h): reported as the 'classifier' kernel.
  list.push(
    ...createLinear(device, cache, {
      x: h, blocks: W('head.pre.weight'), bias: B('head.pre.bias'), y: pre, m: 1, k: d, n: d, activation: c.preClassifier,
      label: `${own}.head.pre`, resources, phase, kernelName: 'classifier',
    }),
    ...createLinear(device, cache, {
      x: pre, blocks: W('head.classifier.weight'), bias: B('head.classifier.bias'), y: logits, m: 1, k: d, n: c.labels,
      label: `${own}.head.classifier`, resources, phase, kernelName: 'classifier',
    }),
  );

  return { steps: [{ label: 'encode', phase: 'encode', dispatches: list }], ids, logits, logitsCount: c.labels };
}
