/**
 * Statistics of a measurement (after Speedometer's Metric): raw samples are kept, derived values
 * are computed from them, and an empty or invalid sample set is rejected instead of yielding 0.
 */

import { EmptySampleError, quantileSorted } from '../shared/quantile.ts';
import type { TimingRecord, TimingSource } from '../shared/result.ts';

export interface Summary {
  n: number;
  median: number;
  p10: number;
  p90: number;
  min: number;
  max: number;
  mean: number;
  /** Coefficient of variation: sample standard deviation / mean. 0 when n = 1 is not meaningful → null. */
  cv: number | null;
  /** Distribution-free 95 % confidence interval of the median (order statistics, binomial). */
  ciMedian: { low: number; high: number } | null;
}

/** Binomial(n, 1/2) cumulative probabilities, computed in log space so n in the thousands is fine. */
function binomialHalfCdf(n: number): number[] {
  const logFact = [0];
  for (let i = 1; i <= n; i++) logFact.push(logFact[i - 1]! + Math.log(i));
  const cdf: number[] = [];
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    acc += Math.exp(logFact[n]! - logFact[k]! - logFact[n - k]! - n * Math.LN2);
    cdf.push(acc);
  }
  return cdf;
}

/**
 * 95 % CI of the median from order statistics: the widest symmetric pair of ranks (j, n+1-j) with
 * P(X(j) ≤ median ≤ X(n+1-j)) ≥ 0.95. Needs n ≥ 6 (below that no pair reaches 95 %).
 */
export function medianCI(sorted: readonly number[], level = 0.95): { low: number; high: number } | null {
  const n = sorted.length;
  if (n < 6) return null;
  const cdf = binomialHalfCdf(n);
  const alpha = (1 - level) / 2;
  // Largest j (1-based) with P(B ≤ j-1) ≤ alpha: coverage = 1 - 2·P(B ≤ j-1).
  let j = 0;
  for (let k = 1; k <= n; k++) {
    if (cdf[k - 1]! <= alpha) j = k;
    else break;
  }
  if (j === 0) return null;
  return { low: sorted[j - 1]!, high: sorted[n - j]! };
}

export function summarize(samples: readonly number[]): Summary {
  const valid = samples.filter((x) => Number.isFinite(x));
  if (valid.length === 0) throw new EmptySampleError('no valid samples');
  const sorted = [...valid].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  let cv: number | null = null;
  if (n > 1 && mean !== 0) {
    const variance = sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    cv = Math.sqrt(variance) / mean;
  }
  return {
    n,
    median: quantileSorted(sorted, 0.5),
    p10: quantileSorted(sorted, 0.1),
    p90: quantileSorted(sorted, 0.9),
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean,
    cv,
    ciMedian: medianCI(sorted),
  };
}

/** Splits raw deltas into kept samples and a count of dropped ones (negative, zero, non-finite). */
export function cleanDeltas(deltas: readonly number[]): { kept: number[]; dropped: number } {
  const kept = deltas.filter((d) => Number.isFinite(d) && d > 0);
  return { kept, dropped: deltas.length - kept.length };
}

/** CV above which a measurement is flagged as noisy (not hidden). */
export const HIGH_CV = 0.15;

/** How a set of samples was taken, for the record built from them. */
export interface SampleProvenance {
  source: TimingSource;
  /** Warm-up runs executed and excluded. */
  warmup: number;
  /** Repetitions timed together per sample. */
  batch: number;
  /** Samples dropped as negative, zero or non-finite. */
  dropped: number;
  wallMedianMs: number | null;
  /** Flags raised while sampling (tab hidden, timestamps invalid, …), in the order raised. */
  flags: Iterable<string>;
}

/**
 * The one place a timing record is assembled, for the lab's own workloads and for imported
 * ONNX models alike: statistics from the kept samples, then the variability flags.
 * `kept` must hold at least two valid samples (callers say why when it does not).
 */
export function timingRecord(kept: number[], how: SampleProvenance): TimingRecord {
  const s = summarize(kept);
  if (s.cv === null) throw new EmptySampleError(`a timing record needs at least two samples (got ${kept.length})`);
  const flags = new Set(how.flags);
  if (s.cv > HIGH_CV) flags.add('high-variability');
  if (how.dropped > 0) flags.add('dropped-samples');
  return {
    source: how.source,
    warmup: how.warmup,
    samplesMs: kept,
    medianMs: s.median,
    p10Ms: s.p10,
    p90Ms: s.p90,
    minMs: s.min,
    meanMs: s.mean,
    cv: s.cv,
    ...(s.ciMedian ? { ciMedianMs: s.ciMedian } : {}),
    batch: how.batch,
    dropped: how.dropped,
    wallMedianMs: how.wallMedianMs,
    flags: [...flags],
  };
}
