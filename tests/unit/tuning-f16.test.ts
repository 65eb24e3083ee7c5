/**
 * The autotuner builds its f16 candidates as the model runner builds the products: an f16 shape on
 * a shader-f16 device multiplies in f16 (every product pipeline starts with `enable f16;`), an f32
 * shape does not. The tuning runs on the benchmark's stand-in device (no GPU, nothing compiled),
 * with a timer that reports no timestamps, so every candidate is built and none is timed; the
 * pipeline cache records what was requested.
 */
import { describe, expect, test } from 'vitest';
import { deviceWith, useGpuFlags } from '../helpers/gpu-stand-in.ts';
import { standInDevice } from '../../src/bench/pipelines.ts';
import { PipelineCache, type PipelineRequest } from '../../src/engine/dispatch.ts';
import { autotune } from '../../src/engine/tuning/autotune.ts';
import type { TuningShapes } from '../../src/engine/tuning/shapes.ts';
import type { GpuTimer } from '../../src/engine/timing.ts';

useGpuFlags();

const real = deviceWith(['timestamp-query', 'shader-f16', 'subgroups']);

/** A timer without timestamps: each candidate is built and run once, then left untimed. */
const timer = { run: () => Promise.resolve({ gpuMs: null, wallMs: 0 }), destroy: () => undefined } as unknown as GpuTimer;

/** A skinny product (split-K candidates) and a GEMV in each layout, all with the given storage. */
const shapes = (f16: boolean): TuningShapes => ({
  gemm: [{ m: 4, n: 64, k: 1024, count: 1, f16, prologue: 'rmsnorm' }],
  gemv: [
    { n: 64, k: 256, layout: 'kn', count: 1, f16 },
    { n: 256, k: 64, layout: 'nk', count: 1, f16 },
  ],
});

async function requested(f16: boolean): Promise<{ requests: PipelineRequest[]; candidates: string[] }> {
  const device = standInDevice(real);
  const cache = new PipelineCache(device);
  const record = await autotune(device, cache, shapes(f16), { budgetMs: 60_000, timer });
  return { requests: cache.requests(), candidates: record.trials.map((t) => `${t.op} ${t.shape} ${t.candidate}`) };
}

/** The product kernels' pipelines (split-K's reduce pass shares its partial pass's module, f16 enabled, and sums in f32). */
const PRODUCTS = new Set(['gemm', 'gemm-splitk', 'gemv', 'gemv-subgroup']);

describe('autotune candidates and the weight storage', () => {
  test('an f16 shape on a shader-f16 device: every product candidate multiplies in f16', async () => {
    const { requests, candidates } = await requested(true);
    // Split-K and both GEMV reductions were built, not only the defaults.
    expect(candidates.some((c) => c.startsWith('gemm') && !c.endsWith('splitK=1'))).toBe(true);
    expect(candidates.filter((c) => c.endsWith('reduction=subgroup'))).toHaveLength(2);
    const products = requests.filter((r) => PRODUCTS.has(r.label));
    expect(new Set(products.map((r) => r.label))).toEqual(PRODUCTS);
    expect(new Set(products.map((r) => r.entryPoint))).toEqual(new Set(['main_vec4', 'partial_vec4', 'reduce_vec4', 'main_rows']));
    for (const r of products) expect(r.code.startsWith('enable f16;'), `${r.label} ${r.entryPoint}`).toBe(true);
  });

  test('an f32 shape: no candidate enables f16', async () => {
    const { requests } = await requested(false);
    expect(new Set(requests.filter((r) => PRODUCTS.has(r.label)).map((r) => r.label))).toEqual(PRODUCTS);
    for (const r of requests) expect(r.code.includes('enable f16;'), `${r.label} ${r.entryPoint}`).toBe(false);
  });
});
