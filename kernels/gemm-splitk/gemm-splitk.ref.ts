/**
 * CPU reference for gemm-splitk: C = act(A·B + bias) + residual, the whole fused epilogue (gemm's
 * reference stops at bias and ReLU). The split does not change the mathematical result, so the
 * reference has no slices: it accumulates in f64 and rounds once, and the GPU's two summation
 * orders (within a slice, then across slices) are both compared with it under one tolerance.
 */
import { erf } from '../gelu/gelu.ref.ts';

export interface GemmEpilogueRefOptions {
  bias?: Float32Array;
  activation?: 'none' | 'relu' | 'gelu';
  /** [m, n], added after the activation. */
  residual?: Float32Array;
}

export function gemmSplitKRef(a: Float32Array, b: Float32Array, m: number, n: number, k: number, opts: GemmEpilogueRefOptions = {}): Float32Array {
  const c = new Float32Array(m * n);
  const act = opts.activation ?? 'none';
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = opts.bias ? opts.bias[j]! : 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      if (act === 'relu') s = Math.max(0, s);
      else if (act === 'gelu') s = 0.5 * s * (1 + erf(s / Math.SQRT2));
      c[i * n + j] = s + (opts.residual ? opts.residual[i * n + j]! : 0);
    }
  }
  return c;
}
