/**
 * Order statistics shared by the timing summaries (engine) and the Monte Carlo energy model:
 * one definition, so a p10 of timings and a p5 of joules interpolate the same way.
 */

export class EmptySampleError extends Error {
  override name = 'EmptySampleError';
}

/**
 * Quantile `q` in [0, 1] of an ascending-sorted sample, linear interpolation between order
 * statistics (R type 7, numpy's default). An empty sample throws rather than yielding NaN or 0,
 * so a missing measurement can never pass for a number; q outside [0, 1] is a caller bug.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new EmptySampleError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const w = pos - lo;
  const a = sorted[lo] as number;
  // On an order statistic, return it as is: a + (b − a)·0 would turn an infinite neighbour into NaN.
  if (w === 0) return a;
  const b = sorted[hi] as number;
  return a + (b - a) * w;
}
