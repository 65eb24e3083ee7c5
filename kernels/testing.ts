/**
 * Helpers for the data-driven kernel cases (NAME.cases.json): deterministic inputs from a seed
 * and a tolerance check that reports the worst element. Used by unit and GPU tests.
 */
import { f16BitsToF32, f32ToF16Bits, roundToF16 } from '../src/shared/half.ts';

/** Mulberry32: a tiny seeded PRNG; values in [-1, 1). */
export function seededValues(seed: number, length: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = (u * 2 - 1) * scale;
  }
  return out;
}

export interface CloseReport {
  ok: boolean;
  worstIndex: number;
  worstError: number;
  actual: number;
  expected: number;
}

/** |actual − expected| ≤ atol + rtol·|expected| element-wise; reports the element furthest over. */
export function compareClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0): CloseReport {
  let ok = actual.length === expected.length;
  let worstIndex = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i]!;
    const excess = Number.isFinite(a) ? Math.abs(a - e) - (atol + rtol * Math.abs(e)) : Infinity;
    if (excess > 0) ok = false;
    if (excess > worstExcess) {
      worstExcess = excess;
      worstIndex = i;
    }
  }
  const a = worstIndex >= 0 ? (actual[worstIndex] ?? NaN) : NaN;
  const e = worstIndex >= 0 ? expected[worstIndex]! : NaN;
  return { ok, worstIndex, worstError: Math.abs(a - e), actual: a, expected: e };
}

export { f16BitsToF32, f32ToF16Bits, roundToF16 };

/** Pack f16(values) two per u32 word, low half first (the layout unpack2x16float reads). */
export function packF16(values: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(Math.ceil(values.length / 2));
  for (let i = 0; i < values.length; i++) out[i >> 1]! |= f32ToF16Bits(values[i]!) << (16 * (i & 1));
  return out;
}

export function unpackF16(words: Uint32Array, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = f16BitsToF32((words[i >> 1]! >>> (16 * (i & 1))) & 0xffff);
  return out;
}
