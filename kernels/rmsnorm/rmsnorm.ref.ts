/** CPU reference: RMSNorm over rows of `dim` in f64. */
export function rmsnormRef(x: Float32Array, gamma: Float32Array, rows: number, dim: number, eps: number): Float32Array {
  const y = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let q = 0;
    for (let i = 0; i < dim; i++) q += x[r * dim + i]! ** 2;
    const rinv = 1 / Math.sqrt(q / dim + eps);
    for (let i = 0; i < dim; i++) y[r * dim + i] = x[r * dim + i]! * rinv * gamma[i]!;
  }
  return y;
}
