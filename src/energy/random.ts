/**
 * Seeded randomness and order statistics for the Monte Carlo energy model. A seeded PRNG makes
 * a result reproducible: the seed is recorded in the result document, and rerunning
 * computeEnergy with it gives the same percentiles bit for bit.
 */

import { quantileSorted } from '../shared/quantile.ts';
import type { Range3 } from '../shared/result.ts';

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

/** p5 / p50 / p95 of draws (sorts a copy). */
export function range3(draws: Float64Array): Range3 {
  const s = Float64Array.from(draws).sort();
  return { p5: quantileSorted(s, 0.05), p50: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95) };
}

/** Multiply every percentile by a positive constant (percentiles commute with positive scaling). */
export function scale3(r: Range3, k: number): Range3 {
  return { p5: r.p5 * k, p50: r.p50 * k, p95: r.p95 * k };
}
