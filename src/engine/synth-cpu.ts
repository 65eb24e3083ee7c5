/** Seeded benchmark inputs for micro workloads (not model weights: those come from weights.ts). */
export function synthValues(seed: number, length: number, scale: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(length);
  let s = (seed * 0x9e3779b9) >>> 0;
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}
