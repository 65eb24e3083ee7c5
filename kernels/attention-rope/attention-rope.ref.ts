import { attentionRef } from '../attention/attention.ref.ts';
import { ropeRef } from '../rope/rope.ref.ts';
import type { AttentionRopeShape } from './attention-rope.meta.ts';

/**
 * CPU reference (f64 inside each step): RoPE on q [queries, heads·headDim] and on the new K rows
 * kNew [queries, kvHeads·headDim] at positions qPos0.., then causal attention over the cache
 * (kCache: the qPos0 rows already rotated, then the new rows) and v [qPos0 + queries rows].
 * Returns the output and the rotated new K rows (what the kernel stores in the cache).
 */
export function attentionRopeRef(q: Float32Array, kNew: Float32Array, kCache: Float32Array, v: Float32Array, s: AttentionRopeShape, theta: number): { o: Float32Array; kRotated: Float32Array } {
  const kvd = s.kvHeads * s.headDim;
  const qRot = ropeRef(q, s.queries, s.heads, s.headDim, s.qPos0, theta);
  const kRotated = ropeRef(kNew, s.queries, s.kvHeads, s.headDim, s.qPos0, theta);
  const kvLen = s.qPos0 + s.queries;
  const k = new Float32Array(kvLen * kvd);
  k.set(kCache.subarray(0, s.qPos0 * kvd));
  k.set(kRotated, s.qPos0 * kvd);
  const o = attentionRef(qRot, k, v, { ...s, kvLen, causal: true });
  return { o, kRotated };
}
