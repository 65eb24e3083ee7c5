/**
 * Seeded randomness and order statistics for the Monte Carlo energy model. A seeded PRNG makes
 * a result reproducible: the seed is recorded in the result document, and rerunning
 * computeEnergy with it gives the same percentiles bit for bit.
 */

import { quantileSorted } from './quantile.ts';
import type { Range3 } from './result.ts';

export { mulberry32 } from './prng.ts';

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

/**
 * The finite positive samples in ascending order; `fallback` alone when there are none (an
 * imported record without samples), so the bootstrap then reproduces the recorded median.
 */
export function sortedSamples(samples: readonly number[], fallback: number): Float64Array {
  const ok = samples.filter((v) => Number.isFinite(v) && v > 0);
  return ok.length > 0 ? Float64Array.from(ok).sort() : Float64Array.of(fallback);
}

/**
 * One bootstrap replicate of the median, as a factor of the samples' median: resample n of the
 * n sorted samples with replacement (n uniforms from `rand`, index ⌊u·n⌋), take the median of
 * the resample (linear interpolation, like every other quantile here) and divide by the median
 * of the original samples. Exactly 1 when all samples are equal (still consuming n uniforms, so
 * the stream's layout does not depend on the values).
 */
export function bootstrapMedianFactor(sorted: Float64Array, rand: () => number): number {
  const n = sorted.length;
  const re = new Float64Array(n);
  for (let i = 0; i < n; i++) re[i] = sorted[Math.min(n - 1, Math.floor(rand() * n))]!;
  re.sort();
  return quantileSorted(re, 0.5) / quantileSorted(sorted, 0.5);
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
