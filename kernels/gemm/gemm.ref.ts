/**
 * CPU reference for gemm: C[m,n] = A[m,k] · B[k,n] (+ bias[n]) (relu), row-major. Accumulates
 * in f64 and rounds once, so it is at least as accurate as the GPU's f32 accumulation.
 */
export function gemmRef(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  opts: { bias?: Float32Array; relu?: boolean } = {},
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = opts.bias ? opts.bias[j]! : 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = opts.relu ? Math.max(0, s) : s;
    }
  }
  return c;
}
