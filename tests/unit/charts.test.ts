import { expect, test } from 'vitest';
import { roofCurve, roofline } from '../../src/ui/charts.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';

function w(id: string, flops: number, bytes: number, medianMs: number): Workload {
  return { id, kind: 'micro', config: {}, flops, bytes, timing: { source: 'gpu-timestamp', warmup: 1, samplesMs: [medianMs], medianMs, p10Ms: medianMs, p90Ms: medianMs, cv: 0 } };
}

test('roofline from measured ceilings', () => {
  const doc = {
    workloads: [
      w('fma-peak', 10e9, 1e6, 10), // 1000 GFLOP/s
      w('copy', 0, 2e9, 20), // 100 GB/s
      w('gemm', 2e9, 8e6, 4), // intensity 250, 500 GFLOP/s
    ],
  } as unknown as ResultDocument;
  const r = roofline(doc)!;
  expect(r.peakGflops).toBeCloseTo(1000, 9);
  expect(r.bandwidthGbps).toBeCloseTo(100, 9);
  expect(r.ridge).toBeCloseTo(10, 9);
  expect(r.points).toHaveLength(1);
  expect(r.points[0]!.intensity).toBeCloseTo(250, 9);
  expect(r.points[0]!.gflops).toBeCloseTo(500, 9);
  expect(r.points[0]!.fractionOfRoof).toBeCloseTo(0.5, 9);
  const [x, y] = roofCurve(r);
  expect(x.length).toBe(49);
  expect(Math.max(...y)).toBeCloseTo(1000, 6);
  // Below the ridge the roof is bandwidth-bound.
  expect(y[0]! / x[0]!).toBeCloseTo(100, 6);
});

test('no roofline without both ceilings', () => {
  expect(roofline({ workloads: [w('gemm', 1, 1, 1)] } as unknown as ResultDocument)).toBeNull();
});
