/** Seeded benchmark inputs for micro workloads (not model weights: those come from weights.ts). */
import { mulberry32 } from '../shared/prng.ts';

export function synthValues(seed: number, length: number, scale: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(length);
  const next = mulberry32(Math.imul(seed, 0x9e3779b9));
  for (let i = 0; i < length; i++) out[i] = (next() * 2 - 1) * scale;
  return out;
}
