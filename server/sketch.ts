/**
 * Quantile sketches whose bins live in the database. DDSketch (`@datadog/sketches-js`) maps each
 * value to a bin key with a relative-error guarantee; its bins are plain counts, so adding a value
 * is +1 on one bin and withdrawing it is exactly -1 on the same bin. The library has no removal,
 * so the bins are kept here as rows `(sign, bin, count)` computed with the library's own mapping,
 * and a DDSketch is rebuilt from them to read quantiles with the library's own rank rule.
 */
import { DDSketch } from '@datadog/sketches-js';

/** Each quantile read from a sketch is within ± this fraction of the true value at that rank. */
export const RELATIVE_ACCURACY = 0.01;

/** The quantiles published per distribution: 0.05, 0.10, …, 0.95. */
export const DISTRIBUTION_QUANTILES: readonly number[] = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);

/** Which of DDSketch's three stores a value falls in: positive, (near) zero, negative. */
export type BinSign = 1 | 0 | -1;

export interface BinKey {
  sign: BinSign;
  bin: number;
}

export interface Bin extends BinKey {
  count: number;
}

// One mapping for every sketch: keys are comparable across groups, rebuilds and processes.
const mapping = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }).mapping;

/** The bin of one value, as DDSketch's `accept` would choose it; null for a non-finite value. */
export function binOf(value: number): BinKey | null {
  if (!Number.isFinite(value)) return null;
  if (value > mapping.minPossible) return { sign: 1, bin: mapping.key(value) };
  if (value < -mapping.minPossible) return { sign: -1, bin: mapping.key(-value) };
  return { sign: 0, bin: 0 };
}

/** A library sketch holding exactly these bins (counts ≤ 0 are skipped). */
export function sketchFromBins(bins: readonly Bin[]): DDSketch {
  const s = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  for (const b of bins) {
    if (b.count <= 0) continue;
    switch (b.sign) {
      case 1:
        s.store.add(b.bin, b.count);
        break;
      case -1:
        s.negativeStore.add(b.bin, b.count);
        break;
      case 0:
        s.zeroCount += b.count;
        break;
      default: {
        const never: never = b.sign;
        throw new Error(`unknown bin sign ${String(never)}`);
      }
    }
    s.count += b.count;
  }
  return s;
}

/** The value at each quantile (DDSketch's lower-rank rule: the element at floor(q·(n−1))); empty when no value. */
export function quantilesFromBins(bins: readonly Bin[], qs: readonly number[]): { q: number; value: number }[] {
  const s = sketchFromBins(bins);
  if (s.count === 0) return [];
  return qs.map((q) => ({ q, value: s.getValueAtQuantile(q) }));
}
