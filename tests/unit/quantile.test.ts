import { describe, expect, test } from 'vitest';
import { EmptySampleError, quantileSorted } from '../../src/shared/quantile.ts';

describe('quantileSorted (one definition for timings and energy draws)', () => {
  test('edges are the extreme order statistics', () => {
    const s = [3, 5, 11];
    expect(quantileSorted(s, 0)).toBe(3);
    expect(quantileSorted(s, 1)).toBe(11);
  });
  test('interpolates linearly between neighbours (type 7)', () => {
    const s = [0, 10, 20, 30];
    // pos = 3 · 0.25 = 0.75 → 0 + 0.75 · 10
    expect(quantileSorted(s, 0.25)).toBeCloseTo(7.5, 12);
    // pos = 3 · 0.99 = 2.97 → 20 + 0.97 · 10
    expect(quantileSorted(s, 0.99)).toBeCloseTo(29.7, 12);
    expect(quantileSorted(s, 0.01)).toBeCloseTo(0.3, 12);
  });
  test('typed arrays work like plain arrays', () => {
    expect(quantileSorted(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
  });
  test('a single value is every quantile', () => {
    for (const q of [0, 0.05, 0.5, 0.95, 1]) expect(quantileSorted([42], q)).toBe(42);
  });
  test('an exact order statistic is returned as is, even next to an infinity', () => {
    expect(quantileSorted([1, 2, Infinity], 0.5)).toBe(2);
    expect(quantileSorted([1, Infinity], 0)).toBe(1);
  });
  test('an empty sample or a quantile outside [0, 1] throws', () => {
    expect(() => quantileSorted([], 0.5)).toThrow(EmptySampleError);
    expect(() => quantileSorted(new Float64Array(0), 0.5)).toThrow(EmptySampleError);
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], -0.1)).toThrow(RangeError);
    expect(() => quantileSorted([1, 2], Number.NaN)).toThrow(RangeError);
  });
});
