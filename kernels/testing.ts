/**
 * Helpers for the data-driven kernel cases (NAME.cases.json): deterministic inputs from a seed
 * and a tolerance check that reports the worst element. Used by unit and GPU tests.
 */

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

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE binary16 bits of f32(x), rounding to nearest, ties to even. */
export function f32ToF16Bits(x: number): number {
  f32Scratch[0] = x;
  const b = u32Scratch[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // a carry rolls into the exponent, as it should
  return sign | half;
}

export function f16BitsToF32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export const roundToF16 = (x: number): number => f16BitsToF32(f32ToF16Bits(x));

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
