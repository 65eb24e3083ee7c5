/**
 * CPU reference for gemv: y = x·W (+bias) (activation), W [k, n] ('kn') or [n, k] ('nk').
 */
export function gemvRef(
  x: Float32Array,
  w: Float32Array,
  n: number,
  k: number,
  opts: { layout?: 'kn' | 'nk'; bias?: Float32Array; activation?: 'none' | 'relu' | 'tanh' } = {},
): Float32Array {
  const y = new Float32Array(n);
  const layout = opts.layout ?? 'kn';
  for (let j = 0; j < n; j++) {
    let s = opts.bias ? opts.bias[j]! : 0;
    for (let p = 0; p < k; p++) s += x[p]! * (layout === 'kn' ? w[p * n + j]! : w[j * k + p]!);
    y[j] = opts.activation === 'relu' ? Math.max(0, s) : opts.activation === 'tanh' ? Math.tanh(s) : s;
  }
  return y;
}
