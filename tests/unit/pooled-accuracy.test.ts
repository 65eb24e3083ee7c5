// A real model's group accuracy in /api/stats: the rate pools every answer, the 95 % Wilson
// interval is taken at the answers of one result (answered ÷ results), since repeated uploads
// answer the same sentences. Known counts, checked against the Wilson formula worked by hand.
import { describe, expect, test } from 'vitest';
import { pooledAccuracy } from '../../server/aggregate-stats.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';

describe('pooledAccuracy', () => {
  test('one result: exactly the Wilson interval of its own answers', () => {
    const w = wilson(31, 40);
    expect(pooledAccuracy(31, 40, 1)).toEqual({ correct: 31, n: 40, results: 1, effectiveN: 40, rate: w.rate, low: w.low, high: w.high });
  });

  test('three results of 40 answers, 99 correct: rate 0.825, interval at n = 40, not at 120', () => {
    const a = pooledAccuracy(99, 120, 3)!;
    expect(a.rate).toBe(0.825);
    expect([a.n, a.results, a.effectiveN]).toEqual([120, 3, 40]);
    // Wilson at p = 0.825, n = 40, z = 1.96: 0.6805 – 0.9125 (the pooled n would claim 0.7472 – 0.8826).
    expect(a.low).toBeCloseTo(0.6805001, 6);
    expect(a.high).toBeCloseTo(0.9125459, 6);
    const one = wilson(33, 40);
    expect([a.low, a.high]).toEqual([one.low, one.high]);
    const pooled = wilson(99, 120);
    expect(a.high - a.low).toBeGreaterThan(pooled.high - pooled.low);
  });

  test('an effective n that is not an integer: 75 answers over two results, 60 correct', () => {
    const a = pooledAccuracy(60, 75, 2)!;
    expect(a.effectiveN).toBe(37.5);
    expect(a.rate).toBe(0.8);
    expect(a.low).toBeCloseTo(0.6470467, 6);
    expect(a.high).toBeCloseTo(0.8972012, 6);
  });

  test('the ends are exact at none and all correct; nothing answered gives null', () => {
    expect(pooledAccuracy(0, 80, 2)?.low).toBe(0);
    expect(pooledAccuracy(80, 80, 2)?.high).toBe(1);
    expect(pooledAccuracy(0, 0, 2)).toBeNull();
  });
});
