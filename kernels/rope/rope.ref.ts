/**
 * CPU reference RoPE (rotate-half) on x [tokens, heads·headDim] at positions pos0.., in f64.
 */
export function ropeRef(x: Float32Array, tokens: number, heads: number, headDim: number, pos0: number, theta: number): Float32Array {
  const out = new Float32Array(x);
  const half = headDim / 2;
  for (let t = 0; t < tokens; t++) {
    for (let h = 0; h < heads; h++) {
      const base = t * heads * headDim + h * headDim;
      for (let i = 0; i < half; i++) {
        const angle = (pos0 + t) * Math.pow(theta, (-2 * i) / headDim);
        const c = Math.cos(angle);
        const s = Math.sin(angle);
        const x1 = x[base + i]!;
        const x2 = x[base + i + half]!;
        out[base + i] = x1 * c - x2 * s;
        out[base + i + half] = x2 * c + x1 * s;
      }
    }
  }
  return out;
}
