/** CPU reference gather: out[t] = table[ids[t]] (+ positions[posOffset + t]). */
export function embeddingRef(ids: ArrayLike<number>, table: Float32Array, dim: number, positions?: Float32Array, posOffset = 0): Float32Array {
  const out = new Float32Array(ids.length * dim);
  for (let t = 0; t < ids.length; t++) {
    for (let d = 0; d < dim; d++) {
      out[t * dim + d] = table[ids[t]! * dim + d]! + (positions ? positions[(posOffset + t) * dim + d]! : 0);
    }
  }
  return out;
}
