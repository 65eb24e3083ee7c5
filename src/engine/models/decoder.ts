/**
 * The decoder LLM (Llama / Qwen family) as GPU dispatches: prefill of the prompt, then greedy
 * decode with a KV cache. Pre-RMSNorm blocks, RoPE (rotate-half, f64 cos/sin tables), grouped-
 * query attention, SwiGLU FFN, tied or untied LM head applied only to the rows whose logits are
 * used (as counted in flops.ts). Argmax writes each token id into the ids buffer that the next step's
 * embedding gather reads, so the whole query (prefill + every step) is one submission.
 *
 * Layout: each layer has one buffer holding Q and K of the new rows [promptTokens, ·] and its K
 * and V caches ([seq, kvHeads·headDim] each) as four blocks (decoderLayerBlocks). The Q/K/V
 * projection — one product against the fused [hidden, q + k + v] weight — writes Q, the new K
 * rows, and V straight into the cache rows of the positions it processes; one attention-rope
 * dispatch then rotates Q and the new K (storing the rotated K into the cache) and attends.
 *
 * Five dispatches per layer: the norms run in the prologue of the product after them (attention
 * norm → Q/K/V, FFN norm → gate/up, final norm → LM head) and SwiGLU in the down projection's;
 * the residual adds in the epilogues of the O and down projections (see ops/prologue.ts).
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import { createAttentionRope } from '../ops/attention-rope.ts';
import { createRmsNorm } from '../ops/norms.ts';
import { createArgmax, createEmbedding } from '../ops/tokens.ts';
import { createLinear, type WeightBlock } from '../ops/linear.ts';
import { ropeTables } from '../../../kernels/rope/rope.meta.ts';
import { sequenceLength, type DecoderWorkloadSpec } from './config.ts';
import { decoderLayerBlocks, qkvBlocks, type ModelBuffers } from './buffers.ts';
import type { BufferRef, OutputSegment } from '../ops/common.ts';
import type { ProductPrologue } from '../ops/prologue.ts';
import type { ModelGraph, ModelStep } from './graph.ts';

export function buildDecoder(device: GPUDevice, cache: PipelineCache, bufs: ModelBuffers, spec: DecoderWorkloadSpec, promptIds: Uint32Array): ModelGraph {
  const c = spec.model;
  const P = spec.promptTokens;
  const seq = sequenceLength(spec);
  const d = c.hidden;
  const qd = c.heads * c.headDim;
  const kvd = c.kvHeads * c.headDim;
  const resources = bufs.resources;
  const own = `Decoder(${c.name})`;

  // ids: prompt, then every generated token (the last one is written but never fed back).
  const ids = bufs.storage('ids', 4 * (P + spec.outputTokens));
  device.queue.writeBuffer(ids, 0, new Uint32Array(promptIds));
  const h = bufs.storage('hidden', 4 * P * d);
  // Normalized rows: only for layers whose Q/K/V or gate/up weights could not be fused.
  const n = bufs.storage('normed', 4 * P * d);
  const tmp = bufs.storage('sublayerOut', 4 * P * d);
  const qkvLayout = decoderLayerBlocks(device, P, qd, kvd, seq);
  const qkv = Array.from({ length: c.layers }, (_, l) => bufs.storage(`layers.${l}.qkvCache`, 4 * qkvLayout.elements));
  const att = bufs.storage('attention', 4 * P * qd);
  // gate and up as two blocks of one buffer (the fused gate/up product writes both; the down
  // projection's SwiGLU prologue binds them as slices), each block on a binding-offset boundary.
  const ffnLayout = qkvBlocks(device, P, c.ffn, 0);
  const ffnBuf = bufs.storage('ffn.gateUp', 4 * (ffnLayout.k.offset + P * c.ffn));
  const gateAt = ffnLayout.q.offset;
  const upAt = ffnLayout.k.offset;
  const gate: BufferRef = { buffer: ffnBuf, offset: 4 * gateAt, size: 4 * P * c.ffn };
  const up: BufferRef = { buffer: ffnBuf, offset: 4 * upAt, size: 4 * P * c.ffn };
  const logits = bufs.storage('logits', 4 * c.vocab);
  const tables = ropeTables(seq, c.headDim, c.ropeTheta);
  const cos = bufs.storage('rope.cos', tables.cos.byteLength);
  const sin = bufs.storage('rope.sin', tables.sin.byteLength);
  device.queue.writeBuffer(cos, 0, new Float32Array(tables.cos));
  device.queue.writeBuffer(sin, 0, new Float32Array(tables.sin));

  const W = (name: string): readonly WeightBlock[] => bufs.tensor(name).parts;
  const B = (name: string): GPUBuffer => bufs.buffer(name);
  const bias = (name: string): { bias?: GPUBuffer } => (c.qkvBias ? { bias: B(name) } : {});
  const embedChunks = W('embed.tokens').map((p) => ({ buffer: p.buffer, rowStart: p.rowStart, rowCount: p.rowCount }));

  /** One pass over m new positions starting at `pos0` (prefill: m = P, pos0 = 0; a step: m = 1). */
  const pass = (m: number, pos0: number, phase: 'prefill' | 'decode', tag: string): Dispatch[] => {
    const list: Dispatch[] = [];
    const lbl = (s: string): string => `${own}.${tag}.${s}`;
    const common = { resources, phase };
    const linear = (label: string, x: BufferRef, weight: string, y: GPUBuffer, k: number, nOut: number, extra: { bias?: GPUBuffer; residual?: GPUBuffer; segments?: readonly OutputSegment[]; prologue?: ProductPrologue } = {}): void => {
      list.push(...createLinear(device, cache, { x, blocks: W(weight), y, m, k, n: nOut, label: lbl(label), ...common, ...extra }));
    };
    list.push(...createEmbedding(device, cache, { ids, chunks: embedChunks, out: h, tokens: m, dim: d, idOffset: pos0, weights: bufs.tensor('embed.tokens').storage, label: lbl('embed'), ...common }));
    for (let l = 0; l < c.layers; l++) {
      const p = `layers.${l}`;
      const attnNorm = { kind: 'rmsnorm' as const, gamma: B(`${p}.attn.norm.gamma`), eps: c.normEps };
      // Q and the new K at row 0.. of their blocks, V at the cache rows pos0.. (prefill: pos0 = 0).
      const at = { q: qkvLayout.q.offset, k: qkvLayout.kNew.offset, v: qkvLayout.v.offset + pos0 * kvd };
      const fw = bufs.fused(`${p}.attn.qkv.weight`);
      const fb = c.qkvBias ? bufs.fused(`${p}.attn.qkv.bias`) : undefined;
      if (fw && (!c.qkvBias || fb)) {
        // The attention norm runs in the fused product's prologue: it reads the residual stream h.
        const segments = [{ cols: qd, offset: at.q }, { cols: kvd, offset: at.k }, { cols: kvd, offset: at.v }];
        list.push(...createLinear(device, cache, { x: h, prologue: attnNorm, blocks: [fw.block], y: qkv[l]!, m, k: d, n: fw.cols, segments, label: lbl(`${p}.qkv`), ...common, ...(fb ? { bias: fb.block.buffer } : {}) }));
      } else {
        // Unfused weights: normalize once into n rather than once per projection.
        list.push(createRmsNorm(device, cache, { x: h, gamma: attnNorm.gamma, y: n, rows: m, dim: d, eps: c.normEps, label: lbl(`${p}.attn.norm`), ...common }));
        for (const [name, offset, cols] of [['q', at.q, qd], ['k', at.k, kvd], ['v', at.v, kvd]] as const) {
          linear(`${p}.${name}`, n, `${p}.attn.${name}.weight`, qkv[l]!, d, cols, { ...bias(`${p}.attn.${name}.bias`), segments: [{ cols, offset }] });
        }
      }
      // RoPE on Q and the new K rows, the rotated K into the cache, and attention: one dispatch.
      list.push(
        createAttentionRope(device, cache, {
          qkv: qkv[l]!, layout: { q: qkvLayout.q.offset, kNew: qkvLayout.kNew.offset, k: qkvLayout.k.offset, v: qkvLayout.v.offset }, cos, sin, o: att,
          shape: { queries: m, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, qPos0: pos0 },
          label: lbl(`${p}.attention`), ...common,
        }),
      );
      // The residual adds run in the epilogue of the projection before them, ping-ponging the
      // residual stream h → tmp → h within a layer (an epilogue cannot write the buffer it reads
      // as residual). h + x·W equals the separate add's x·W + h bit for bit.
      linear(`${p}.o`, att, `${p}.attn.o.weight`, tmp, qd, d, { residual: h });
      const ffnNorm = { kind: 'rmsnorm' as const, gamma: B(`${p}.ffn.norm.gamma`), eps: c.normEps };
      const gu = bufs.fused(`${p}.ffn.gateUp.weight`);
      if (gu) {
        const segments = [{ cols: c.ffn, offset: gateAt }, { cols: c.ffn, offset: upAt }];
        list.push(...createLinear(device, cache, { x: tmp, prologue: ffnNorm, blocks: [gu.block], y: ffnBuf, m, k: d, n: gu.cols, segments, label: lbl(`${p}.gateUp`), ...common }));
      } else {
        list.push(createRmsNorm(device, cache, { x: tmp, gamma: ffnNorm.gamma, y: n, rows: m, dim: d, eps: c.normEps, label: lbl(`${p}.ffn.norm`), ...common }));
        linear(`${p}.gate`, n, `${p}.ffn.gate.weight`, ffnBuf, d, c.ffn, { segments: [{ cols: c.ffn, offset: gateAt }] });
        linear(`${p}.up`, n, `${p}.ffn.up.weight`, ffnBuf, d, c.ffn, { segments: [{ cols: c.ffn, offset: upAt }] });
      }
      // silu(gate)·up in the down projection's prologue (gate and up: two read-only slices of
      // one buffer), its residual add in the epilogue.
      linear(`${p}.down`, gate, `${p}.ffn.down.weight`, h, c.ffn, d, { residual: tmp, prologue: { kind: 'swiglu', up } });
    }
    // Only the last row's logits are used: the final norm (the LM head's prologue, on row m − 1
    // of h), the LM head and argmax on that row. A split head normalizes in every block.
    list.push(
      ...createLinear(device, cache, {
        x: h, y: logits, m: 1, k: d, n: c.vocab, xOffset: (m - 1) * d, label: lbl('lmHead'), ...common,
        prologue: { kind: 'rmsnorm', gamma: B('final.norm.gamma'), eps: c.normEps },
        ...(c.tiedEmbeddings ? { blocks: W('embed.tokens'), layout: 'nk' as const } : { blocks: W('lmHead.weight'), layout: 'kn' as const }),
      }),
    );
    list.push(createArgmax(device, cache, { logits, ids, n: c.vocab, outIndex: pos0 + m, label: lbl('argmax'), ...common }));
    return list;
  };

  const total = spec.outputTokens;
  const steps: ModelStep[] = [{ label: 'prefill', phase: 'prefill', dispatches: pass(P, 0, 'prefill', 'prefill'), token: { index: 1, total } }];
  const decodeSteps = Math.max(0, spec.outputTokens - 1);
  for (let s = 1; s <= decodeSteps; s++) {
    // Step s feeds the token generated at position P + s − 1 and produces output token s + 1.
    steps.push({ label: `token ${s + 1}/${total}`, phase: 'decode', dispatches: pass(1, P + s - 1, 'decode', `decode${s}`), token: { index: s + 1, total } });
  }
  return { steps, ids, logits, logitsCount: c.vocab };
}
