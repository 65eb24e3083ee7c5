/**
 * The database-held sketch bins read back through DDSketch: on a known set, every published
 * quantile is within the stated relative accuracy of the exact value at the same rank, and
 * subtracting values restores the bins of the set without them.
 */
import { expect, test } from 'vitest';
import { binsOf, type GroupFigures } from '../../server/aggregates.ts';
import { binOf, DISTRIBUTION_QUANTILES, quantilesFromBins, RELATIVE_ACCURACY, type Bin } from '../../server/sketch.ts';

function binsOfValues(values: number[]): Bin[] {
  const m = new Map<string, Bin>();
  for (const v of values) {
    const b = binOf(v)!;
    const k = `${b.sign}:${b.bin}`;
    const prev = m.get(k);
    if (prev) prev.count++;
    else m.set(k, { ...b, count: 1 });
  }
  return [...m.values()];
}

test('quantiles of a known set are within the relative accuracy of the exact ones', () => {
  // Five decades, uneven: 1e-5 … 1 J, like per-query energies.
  const values = Array.from({ length: 5000 }, (_, i) => 1e-5 * 10 ** (5 * ((i * 7919) % 5000) / 5000) * (1 + (i % 3) * 0.1));
  const sorted = [...values].sort((a, b) => a - b);
  const qs = quantilesFromBins(binsOfValues(values), DISTRIBUTION_QUANTILES);
  expect(qs).toHaveLength(19);
  for (const { q, value } of qs) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    expect(Math.abs(value - exact)).toBeLessThanOrEqual(RELATIVE_ACCURACY * exact);
  }
  expect(quantilesFromBins([], DISTRIBUTION_QUANTILES)).toEqual([]);
});

test('zero, negative and non-finite values', () => {
  expect(binOf(0)).toEqual({ sign: 0, bin: 0 });
  expect(binOf(-2)?.sign).toBe(-1);
  expect(binOf(Number.NaN)).toBeNull();
  expect(quantilesFromBins(binsOfValues([0, 0, 3]), [0.5])).toEqual([{ q: 0.5, value: 0 }]);
});

test('a withdrawal subtracts exactly the bins its insert added', () => {
  const f: GroupFigures = {
    group: { vendor: 'nvidia', architecture: 'ada', preset: 'ci', suite_version: 'ci-1', model: '', dtype: '', task: '', task_version: '', role: '', model_sha256: '' },
    values: [['ratio', 12.5], ['generalJ', 0.3], ['specializedJ', null], ['w:gemm', 2], ['w:copy', 2], ['w:gemm', 2.0001]],
    correct: 0,
    answered: 0,
  };
  const plus = binsOf(f, 1);
  const minus = binsOf(f, -1);
  expect(minus.map((b) => ({ ...b, count: -b.count }))).toEqual(plus);
  // Two workloads with one id fall in one bin row (one upsert per row per statement).
  expect(plus.find((b) => b.metric === 'w:gemm')?.count).toBe(2);
  expect(plus.some((b) => b.metric === 'specializedJ')).toBe(false);
});
