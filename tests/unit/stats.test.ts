import { describe, expect, test } from 'vitest';
import { cleanDeltas, medianCI, summarize, timingRecord } from '../../src/engine/stats.ts';
import { EmptySampleError, quantileSorted } from '../../src/shared/quantile.ts';

describe('statistics', () => {
  test('quantiles interpolate like numpy (type 7)', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileSorted(s, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.9, 12);
    expect(quantileSorted(s, 0.9)).toBeCloseTo(9.1, 12);
    expect(quantileSorted([42], 0.9)).toBe(42);
  });

  test('summary of a known sample', () => {
    const s = summarize([4, 2, 8, 6]);
    expect(s.n).toBe(4);
    expect(s.median).toBe(5);
    expect(s.mean).toBe(5);
    expect(s.min).toBe(2);
    expect(s.max).toBe(8);
    // sample sd = sqrt(((1+9+9+1)/3)) = sqrt(20/3)
    expect(s.cv).toBeCloseTo(Math.sqrt(20 / 3) / 5, 12);
    expect(s.p10).toBeCloseTo(2.6, 12);
    expect(s.p90).toBeCloseTo(7.4, 12);
    expect(s.ciMedian).toBeNull(); // n < 6: no order-statistic pair reaches 95 %
  });

  test('single sample has no CV rather than a fake 0', () => {
    expect(summarize([3]).cv).toBeNull();
  });

  test('median CI uses the binomial ranks', () => {
    // n = 10: P(B ≤ 1) = 11/1024 ≈ 0.0107 ≤ 0.025 < P(B ≤ 2) = 56/1024 → j = 2 → (x(2), x(9)), coverage 97.9 %.
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(medianCI(s)).toEqual({ low: 2, high: 9 });
    // n = 6: P(B ≤ 0) = 1/64 ≈ 0.0156 → j = 1 → (min, max), coverage 96.9 %.
    expect(medianCI([1, 2, 3, 4, 5, 6])).toEqual({ low: 1, high: 6 });
    // n = 100: classic table gives ranks 40 and 61.
    const h = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(medianCI(h)).toEqual({ low: 40, high: 61 });
  });

  test('invalid deltas are dropped and counted, never kept as 0', () => {
    expect(cleanDeltas([1, -2, 0, NaN, Infinity, 3])).toEqual({ kept: [1, 3], dropped: 4 });
    expect(() => summarize([NaN])).toThrow(EmptySampleError);
    expect(() => summarize([])).toThrow(EmptySampleError);
  });
});

describe('timingRecord: one assembly for the engine and for ONNX models', () => {
  const how = { source: 'wall-clock', warmup: 2, batch: 1, dropped: 0, wallMedianMs: 2, flags: ['tab-hidden'] } as const;
  test('statistics of the kept samples, provenance as given, earlier flags first', () => {
    const rec = timingRecord([1, 2, 3, 4, 5, 6], { ...how, dropped: 1 });
    expect(rec).toMatchObject({ source: 'wall-clock', warmup: 2, batch: 1, dropped: 1, wallMedianMs: 2, medianMs: 3.5, minMs: 1, meanMs: 3.5, samplesMs: [1, 2, 3, 4, 5, 6] });
    expect(rec.cv).toBeCloseTo(Math.sqrt(3.5) / 3.5, 12);
    // CV 0.53 > 0.15, and one sample dropped.
    expect(rec.flags).toEqual(['tab-hidden', 'high-variability', 'dropped-samples']);
    expect(rec.ciMedianMs).toEqual({ low: 1, high: 6 });
  });
  test('steady samples raise no flag; fewer than two samples are refused, not reported as 0', () => {
    expect(timingRecord([10, 10.1, 9.9], { ...how, flags: [] }).flags).toEqual([]);
    expect(() => timingRecord([10], how)).toThrow(EmptySampleError);
  });
});
