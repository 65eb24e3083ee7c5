/** CPU reference: row-wise stable softmax in f64. */
export function softmaxRef(x: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let i = 0; i < cols; i++) m = Math.max(m, x[r * cols + i]!);
    let s = 0;
    for (let i = 0; i < cols; i++) s += Math.exp(x[r * cols + i]! - m);
    for (let i = 0; i < cols; i++) y[r * cols + i] = Math.exp(x[r * cols + i]! - m) / s;
  }
  return y;
}
