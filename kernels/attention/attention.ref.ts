import type { AttentionShape } from './attention.meta.ts';

/**
 * CPU reference attention (f64 accumulation): q [queries, heads·headDim], k/v
 * [kvLen, kvHeads·headDim], scale 1/sqrt(headDim) unless given. Returns [queries, heads·headDim].
 */
export function attentionRef(q: Float32Array, k: Float32Array, v: Float32Array, s: AttentionShape, scale = 1 / Math.sqrt(s.headDim)): Float32Array {
  const { queries, heads, kvHeads, headDim: hd } = s;
  const qStride = heads * hd;
  const kvStride = kvHeads * hd;
  const group = heads / kvHeads;
  const out = new Float32Array(queries * qStride);
  for (let i = 0; i < queries; i++) {
    const nKeys = s.causal ? Math.min(s.qPos0 + i + 1, s.kvLen) : s.kvLen;
    for (let h = 0; h < heads; h++) {
      const kvh = Math.floor(h / group);
      const scores = new Float64Array(nKeys);
      let m = -Infinity;
      for (let j = 0; j < nKeys; j++) {
        let dot = 0;
        for (let d = 0; d < hd; d++) dot += q[i * qStride + h * hd + d]! * k[j * kvStride + kvh * hd + d]!;
        scores[j] = dot * scale;
        m = Math.max(m, scores[j]!);
      }
      let sum = 0;
      for (let j = 0; j < nKeys; j++) sum += (scores[j] = Math.exp(scores[j]! - m));
      for (let d = 0; d < hd; d++) {
        let a = 0;
        for (let j = 0; j < nKeys; j++) a += scores[j]! * v[j * kvStride + kvh * hd + d]!;
        out[i * qStride + h * hd + d] = a / sum;
      }
    }
  }
  return out;
}
