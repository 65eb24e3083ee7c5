import { describe, expect, test } from 'vitest';
import { buildPlan, microSpecs } from '../../src/lab/plan.ts';
import { PRESET_NAMES as PRESETS } from '../../src/shared/presets.ts';
import { aggregateProfile, requiredBindingBytes } from '../../src/engine/run-plan.ts';
import type { Dispatch } from '../../src/engine/dispatch.ts';
import { summarize } from '../../src/engine/stats.ts';

describe('measurement plans', () => {
  test('every preset except custom builds a frozen plan with both roles', () => {
    for (const p of PRESETS.filter((x) => x !== 'custom')) {
      const { plan } = buildPlan({ preset: p });
      expect(Object.isFrozen(plan)).toBe(true);
      expect(plan.preset).toBe(p);
      expect(plan.models.map((m) => m.role).sort()).toEqual(['general', 'specialized']);
      expect(plan.micro.map((m) => m.id)).toEqual(['fma-peak', 'copy', 'gemm']);
      expect(plan.samples).toBeGreaterThanOrEqual(2);
      expect(plan.modelSamples).toBeGreaterThanOrEqual(2);
    }
  });

  test('model timings have enough samples for a 95 % CI of the median, long batches and a preheat', () => {
    // Before: 5 model samples (3 in ci), below the 6 the median's CI needs; 2 ms batches; no preheat.
    for (const p of PRESETS.filter((x) => x !== 'custom')) {
      const { plan } = buildPlan({ preset: p });
      const ci = p === 'ci';
      expect(plan.modelSamples).toBeGreaterThanOrEqual(ci ? 6 : 10);
      expect(summarize(Array.from({ length: plan.modelSamples }, (_, i) => 1 + i)).ciMedian).not.toBeNull();
      expect(plan.minBatchMs).toBeGreaterThanOrEqual(10);
      expect(0.1 / plan.minBatchMs).toBeLessThanOrEqual(0.01);
      expect(plan.minWallBatchMs).toBeGreaterThanOrEqual(50);
      expect(plan.modelPreheatMs).toBeGreaterThanOrEqual(ci ? 200 : 1000);
    }
    expect(buildPlan({ preset: 'ci' }).plan).toMatchObject({ modelSamples: 6, minBatchMs: 10, minWallBatchMs: 50, modelPreheatMs: 200 });
    expect(buildPlan({ preset: 'quick' }).plan).toMatchObject({ modelSamples: 10, minBatchMs: 10, minWallBatchMs: 50, modelPreheatMs: 1000 });
  });

  test('the demo runs only the two models', () => {
    expect(buildPlan({ preset: 'ci', modelsOnly: true }).plan.micro).toEqual([]);
  });

  test('custom reads the address and rejects bad fields', () => {
    const ok = buildPlan({ preset: 'custom', custom: new URLSearchParams('specialized=bert-tiny&general=tiny-decoder&promptTokens=12&outputTokens=3&autorun=1') });
    const g = ok.plan.models.find((m) => m.role === 'general')!;
    expect(g.family === 'decoder' && g.promptTokens).toBe(12);
    expect(g.family === 'decoder' && g.outputTokens).toBe(3);
    expect(() => buildPlan({ preset: 'custom', custom: new URLSearchParams('outputTokens=-1') })).toThrow(/outputTokens/);
  });

  test('copy buffers are clamped to the adapter binding limit', () => {
    const { plan } = buildPlan({ preset: 'paper', limits: { maxStorageBufferBindingSize: 64 << 20, maxBufferSize: 256 << 20 } });
    const copy = plan.micro.find((m) => m.id === 'copy');
    expect(copy && copy.id === 'copy' && copy.bytes).toBe(64 << 20);
  });

  test('limits are raised only as far as the plan needs', () => {
    const ci = buildPlan({ preset: 'ci' }).plan;
    const need = requiredBindingBytes(ci);
    expect(need).toBe(Math.max(...microSpecs('ci').map((m) => (m.id === 'copy' ? m.bytes : m.id === 'fma-peak' ? m.invocations * 16 : 4 * m.m * m.k)), need));
    expect(need).toBeLessThanOrEqual(128 << 20);
  });
});

describe('per-kernel aggregation', () => {
  const d = (kernel: string, flops: number, phase?: string) => ({ kernel, flops, bytes: flops * 2, ...(phase ? { phase } : {}) }) as unknown as Dispatch;
  test('sums per kernel within a query, median across runs, phases apart', () => {
    const list = [d('gemm', 10, 'prefill'), d('softmax', 1, 'prefill'), d('gemm', 10, 'decode'), d('gemv', 5, 'decode')];
    const runs = [
      [1, 0.1, 2, 0.5],
      [3, 0.1, 2, 0.7],
      [2, 0.3, 1, 0.6],
    ];
    const { kernels, phases } = aggregateProfile(list, runs);
    const gemm = kernels.find((k) => k.name === 'gemm')!;
    // gemm per run: 3, 5, 3 → median 3
    expect(gemm.medianMs).toBeCloseTo(3, 12);
    expect(gemm.count).toBe(2);
    expect(gemm.flops).toBe(20);
    expect(kernels[0]!.name).toBe('gemm'); // sorted by time
    expect(kernels.find((k) => k.name === 'gemv')!.medianMs).toBeCloseTo(0.6, 12);
    // prefill per run: 1.1, 3.1, 2.3 → 2.3; decode: 2.5, 2.7, 1.6 → 2.5
    expect(phases['prefill']).toBeCloseTo(2.3, 12);
    expect(phases['decode']).toBeCloseTo(2.5, 12);
  });
  test('scales the breakdown to the measured query median, keeping proportions', () => {
    const list = [d('gemm', 10, 'prefill'), d('softmax', 1, 'decode')];
    const runs = [
      [3, 1],
      [3, 1],
    ];
    // Profiled total 4 ms; the batched query measured 2 ms → every share halves.
    const agg = aggregateProfile(list, runs, 2);
    expect(agg.rawTotalMs).toBe(4);
    expect(agg.scale).toBe(0.5);
    expect(agg.kernels.map((k) => [k.name, k.medianMs])).toEqual([
      ['gemm', 1.5],
      ['softmax', 0.5],
    ]);
    expect(agg.phases).toEqual({ prefill: 1.5, decode: 0.5 });
  });
});
