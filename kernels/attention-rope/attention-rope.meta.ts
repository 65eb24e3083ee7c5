import type { KernelMeta } from '../kernel-grid.ts';
import { attentionMeta, attentionPairs, ATTENTION_SCORE_FLOPS } from '../attention/attention.meta.ts';

/**
 * One causal attention dispatch with RoPE folded in (the decoder's layer): `queries` new rows at
 * positions qPos0.., over kvLen = qPos0 + queries keys. A prefill is qPos0 = 0; a decode step is
 * queries = 1 (it sees the whole cache, itself included).
 */
export interface AttentionRopeShape {
  queries: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  qPos0: number;
}

/** Per rotated element: two products and a sum, as the rope kernel (models/flops.ts: RoPE 3). */
export const ROPE_FLOPS = 3;

const asAttention = (s: AttentionRopeShape) => ({ ...s, kvLen: s.qPos0 + s.queries, causal: true });

export const attentionRopeMeta: KernelMeta<AttentionRopeShape> = {
  name: 'attention-rope',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'cos', kind: 'read-only-storage' },
    { binding: 2, name: 'sin', kind: 'read-only-storage' },
    { binding: 3, name: 'qkv', kind: 'storage' },
    { binding: 4, name: 'o', kind: 'storage' },
  ],
  workgroupSize: [64, 1, 1],
  requiredFeatures: [],
  // Attention's count, plus RoPE on the new Q and K rows counted once each (as the separate rope
  // kernel did), though new keys are rotated again by every query that reads them.
  flops: (s) => s.heads * attentionPairs(asAttention(s)) * (4 * s.headDim + ATTENTION_SCORE_FLOPS) + ROPE_FLOPS * s.queries * (s.heads + s.kvHeads) * s.headDim,
  // Attention's bytes, plus the new K rows read before rotation and the cos/sin rows.
  bytes: (s) => attentionMeta.bytes(asAttention(s)) + 4 * s.queries * (s.kvHeads * s.headDim + s.headDim),
  workgroups: (s) => [s.queries, s.heads, 1],
};
