import type { KernelMeta } from '../kernel-grid.ts';

/**
 * One attention dispatch: `queries` rows at absolute positions qPos0.., over `kvLen` keys.
 * `causal` prefill from position 0: query i sees i+1 keys; bidirectional: all kvLen; a decode
 * step is queries = 1, qPos0 = kvLen − 1 (it sees the whole cache, itself included).
 */
export interface AttentionShape {
  queries: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  qPos0: number;
  kvLen: number;
  causal: boolean;
}

export const ATTENTION_MAX_HEAD_DIM = 256;

/** (query, key) pairs per head, following the FLOP convention of kernels/README.md. */
export function attentionPairs(s: Pick<AttentionShape, 'queries' | 'qPos0' | 'kvLen' | 'causal'>): number {
  if (!s.causal) return s.queries * s.kvLen;
  let pairs = 0;
  for (let i = 0; i < s.queries; i++) pairs += Math.min(s.qPos0 + i + 1, s.kvLen);
  return pairs;
}

/** Per score: scale 1 + softmax 5 (max, subtract, exp, sum, divide), as in models/flops.ts. */
export const ATTENTION_SCORE_FLOPS = 6;

export const attentionMeta: KernelMeta<AttentionShape> = {
  name: 'attention',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'q', kind: 'read-only-storage' },
    { binding: 2, name: 'k', kind: 'read-only-storage' },
    { binding: 3, name: 'v', kind: 'read-only-storage' },
    { binding: 4, name: 'o', kind: 'storage' },
  ],
  workgroupSize: [64, 1, 1],
  requiredFeatures: [],
  // QKᵀ (2·headDim) and the weighted sum of V (2·headDim) per attended pair and head.
  flops: (s) => s.heads * attentionPairs(s) * (4 * s.headDim + ATTENTION_SCORE_FLOPS),
  // Q read, O written, the K and V rows of the keys read once per KV head (an ideal cache).
  bytes: (s) => 4 * (2 * s.queries * s.heads * s.headDim + 2 * s.kvLen * s.kvHeads * s.headDim),
  workgroups: (s) => [s.queries, s.heads, 1],
};
