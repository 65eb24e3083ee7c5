/**
 * Seeded randomness and order statistics for the Monte Carlo energy model. A seeded PRNG makes
 * a result reproducible: the seed is recorded in the result document, and rerunning
 * computeEnergy with it gives the same percentiles bit for bit.
 */

export { mulberry32 } from '../shared/prng.ts';

export interface Triangular { low: number; typ: number; high: number }

/**
 * Inverse CDF of the triangular distribution (low ≤ typ ≤ high). With low = typ = high it
 * returns that value exactly, which is what the hand-computed tests rely on.
 */
export function triangular(u: number, d: Triangular): number {
  const { low: a, typ: c, high: b } = d;
  if (b <= a) return a;
  const f = (c - a) / (b - a);
  return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

/** Uniform on [low, high]; exact when low = high. */
export function uniform(u: number, low: number, high: number): number {
  return high <= low ? low : low + u * (high - low);
}

/** Percentile (0–100) of an ascending-sorted array, linear interpolation between order statistics. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = ((n - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const w = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return w === 0 ? a : a + (b - a) * w;
}

export interface Range3 { p5: number; p50: number; p95: number }

/** p5 / p50 / p95 of draws (sorts a copy). */
export function range3(draws: Float64Array): Range3 {
  const s = Float64Array.from(draws).sort();
  return { p5: percentileSorted(s, 5), p50: percentileSorted(s, 50), p95: percentileSorted(s, 95) };
}

/** Multiply every percentile by a positive constant (percentiles commute with positive scaling). */
export function scale3(r: Range3, k: number): Range3 {
  return { p5: r.p5 * k, p50: r.p50 * k, p95: r.p95 * k };
}
