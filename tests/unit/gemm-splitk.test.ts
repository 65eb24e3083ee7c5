/**
 * Split-K without a GPU: the cut of K, the meta's counts, the reference on the hand-computed
 * cases, the tuning lookup, and the benchmark's skinny shapes and table line.
 */
import { describe, expect, test } from 'vitest';
import cases from '../../kernels/gemm-splitk/gemm-splitk.cases.json';
import { parseCases } from '../../kernels/cases-schema.ts';
import { gemmSplitKRef } from '../../kernels/gemm-splitk/gemm-splitk.ref.ts';
import { gemmRef } from '../../kernels/gemm/gemm.ref.ts';
import { gemmMeta } from '../../kernels/gemm/gemm.meta.ts';
import { gemmSplitKMeta, splitKPlan, splitKReduceWorkgroups } from '../../kernels/gemm-splitk/gemm-splitk.meta.ts';
import { compareClose, seededValues } from '../../kernels/testing.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { splitKScratchBytes, tunedSplitK } from '../../src/engine/ops/gemm-splitk.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { gemmShapeKey } from '../../src/shared/tuning.ts';
import { skinnyShapes } from '../../src/bench/splitk.ts';
import { computeRatios, formatReport, BENCH_VERSION, type BenchReport, type SplitKRow } from '../../src/bench/report.ts';

describe('split-K plan and meta', () => {
  test('K is cut into slices of a multiple of 4; empty slices are not launched', () => {
    expect(splitKPlan({ k: 37, splits: 4 })).toEqual({ kSlice: 12, slices: 4 });
    expect(splitKPlan({ k: 64, splits: 2 })).toEqual({ kSlice: 32, slices: 2 });
    expect(splitKPlan({ k: 12, splits: 8 })).toEqual({ kSlice: 4, slices: 3 });
    expect(splitKPlan({ k: 3072, splits: 8 })).toEqual({ kSlice: 384, slices: 8 });
    expect(splitKPlan({ k: 4864, splits: 8 })).toEqual({ kSlice: 608, slices: 8 });
    for (const k of [1, 5, 37, 100, 768, 4864]) {
      for (const splits of [2, 4, 8]) {
        const p = splitKPlan({ k, splits });
        expect(p.kSlice % 4).toBe(0);
        expect(p.slices).toBeLessThanOrEqual(splits);
        // Every column of A belongs to exactly one launched slice.
        expect((p.slices - 1) * p.kSlice).toBeLessThan(k);
        expect(p.slices * p.kSlice).toBeGreaterThanOrEqual(k);
      }
    }
  });

  test('FLOPs equal gemm\'s; bytes add the scratch written and read once; grids', () => {
    const s = { m: 64, n: 768, k: 3072, splits: 4 };
    expect(gemmSplitKMeta.flops(s)).toBe(gemmMeta.flops(s));
    const scratch = 4 * 4 * 64 * 768;
    expect(splitKScratchBytes(s)).toBe(scratch);
    expect(gemmSplitKMeta.bytes(s)).toBe(gemmMeta.bytes(s) + 2 * scratch);
    expect(gemmSplitKMeta.workgroups(s)).toEqual([24, 2, 4]);
    expect(splitKReduceWorkgroups({ m: 3, n: 5, k: 37, splits: 4 })).toEqual([1, 3, 1]);
    expect(splitKReduceWorkgroups({ m: 64, n: 768, k: 3072, splits: 4 })).toEqual([3, 64, 1]);
  });
});

describe('gemm-splitk reference', () => {
  test('the hand-computed cases', () => {
    for (const c of parseCases('gemm-splitk', cases)) {
      if (!c.expected || !c.a || !c.b) continue;
      const F = (x: number[]) => new Float32Array(x);
      const got = gemmSplitKRef(F(c.a), F(c.b), c.m, c.n, c.k, {
        ...(Array.isArray(c.bias) ? { bias: F(c.bias) } : {}),
        ...(Array.isArray(c.residual) ? { residual: F(c.residual) } : {}),
        activation: c.activation ?? 'none',
      });
      expect(Array.from(got), c.name).toEqual(c.expected);
    }
  });

  test('without GELU or a residual it is gemm\'s reference', () => {
    const [m, n, k] = [5, 7, 19];
    const a = seededValues(1, m * k);
    const b = seededValues(2, k * n);
    const bias = seededValues(3, n);
    const report = compareClose(gemmSplitKRef(a, b, m, n, k, { bias, activation: 'relu' }), gemmRef(a, b, m, n, k, { bias, relu: true }), 0);
    expect(report.ok).toBe(true);
  });
});

describe('split-K selection and benchmark rows', () => {
  test('the tuning names a split per shape; an absent shape runs unsplit', () => {
    const cache = new PipelineCache({} as GPUDevice);
    expect(tunedSplitK(cache, 64, 768, 3072)).toBe(1);
    cache.tuning = { gemmSplitK: { [gemmShapeKey(64, 768, 3072)]: 4 }, gemvReduction: 'workgroup' };
    expect(tunedSplitK(cache, 64, 768, 3072)).toBe(4);
    expect(tunedSplitK(cache, 64, 3072, 768)).toBe(1);
  });

  test('skinny shapes: the FFN projections at prefill, a short prompt for long ones', () => {
    const paper = skinnyShapes(resolveSuite('paper').workloads);
    // DistilBERT at 64 tokens; Qwen2.5-0.5B's 112-token prompt measured at 32 rows.
    expect(paper).toEqual(expect.arrayContaining([[64, 768, 3072], [64, 3072, 768], [32, 896, 4864], [32, 4864, 896]]));
    expect(paper.every(([m]) => m <= 64)).toBe(true);
    expect(skinnyShapes(resolveSuite('ci').workloads).length).toBeGreaterThan(0);
  });

  test('a split-K row prints its split and speed-up, and leaves the ratios alone', () => {
    const row: SplitKRow = {
      kind: 'splitk', shape: { m: 8, k: 64, n: 16 }, splitK: 8, slices: 8, dispatches: 2, flops: 16384, bytes: 1, oursKernelMs: 0.5,
      oursTiming: 'gpu-timestamp', achieved: 0.03, speedupVsUnsplit: 1.5,
    };
    const ratios = computeRatios([row]);
    expect(ratios.gemmVsFmaPeak.value).toBeNull();
    const report: BenchReport = {
      benchVersion: BENCH_VERSION, preset: 'ci', date: '2026-11-29', adapter: { vendor: 'google', architecture: 'swiftshader' }, softwareAdapter: true,
      timing: 'gpu-timestamp', ceilings: { peakGflops: 1, bandwidthGbps: 1, dispatch: { gpuMsPerDispatch: null, wallMsPerDispatch: 0.01, emptySubmitMs: 0.1 } },
      rows: [row], skipped: [], ratios, method: '',
    };
    const text = formatReport(report);
    expect(text).toMatch(/splitk 8×64×16 +S=8 .*×1\.50 vs unsplit \(software adapter\)/);
  });
});
