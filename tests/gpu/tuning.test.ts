/**
 * The autotuner on a real WebGPU device (SwiftShader here): a tiny shape set is timed with GPU
 * timestamps, the record is well-formed under the document schema, the pipeline cache carries
 * the choice, and a second run on the same adapter takes it from the cache. A product with a
 * prologue is timed with it, and a candidate that is wrong only under the prologue is refused.
 */
import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { withDevice } from '../helpers/with-device.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { autotune, tuneForRun } from '../../src/engine/tuning/autotune.ts';
import { MemoryTuningStore } from '../../src/engine/tuning/store.ts';
import { tuningRecordSchema } from '../../src/shared/tuning-schema.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';

describe('autotune on the device', () => {
  test('a tiny shape set: timed, well-formed, set on the cache; the second run hits the cache', async () => {
    await withDevice(
      async ({ device, adapter }) => {
        const cache = new PipelineCache(device);
        const shapes = { gemm: [{ m: 8, n: 64, k: 256, count: 2, f16: false }], gemv: [{ n: 64, k: 64, layout: 'kn' as const, count: 3, f16: false }] };
        const t0 = performance.now();
        const r = await autotune(device, cache, shapes, { budgetMs: 60_000 });
        const wallMs = performance.now() - t0;
        expect(v.safeParse(tuningRecordSchema, r).success, JSON.stringify(r)).toBe(true);
        expect(r.source).toBe('autotune');
        expect(r.tuneMs).toBeGreaterThan(0);
        expect(r.tuneMs!).toBeLessThanOrEqual(wallMs + 1);
        // splitK 1, 2, 4 for 8×64×256 (8 would leave 32 of K per split); GEMVs only with subgroups.
        const gemm = r.trials.filter((t) => t.op === 'gemm');
        expect(gemm.map((t) => t.candidate)).toEqual(['splitK=1', 'splitK=2', 'splitK=4']);
        expect(gemm.every((t) => t.medianMs !== null && t.medianMs > 0), JSON.stringify(r)).toBe(true);
        expect(r.trials.some((t) => t.op === 'gemv')).toBe(device.features.has('subgroups'));
        // Every candidate computed what the default computes (else it would be left untimed).
        expect(r.trials.every((t) => t.medianMs !== null), JSON.stringify(r)).toBe(true);
        expect(cache.tuning).toEqual(r.tuning);

        // The whole path of a run: the ci preset's shapes within its budget, then the cache.
        const store = new MemoryTuningStore();
        const info = adapter.info;
        const args = { device, models: resolveSuite('ci').workloads, budgetMs: 300, store, adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description } };
        const first = new PipelineCache(device);
        const a = await tuneForRun({ ...args, cache: first });
        expect(v.safeParse(tuningRecordSchema, a).success, JSON.stringify(a)).toBe(true);
        expect(a.source).toBe('autotune');
        expect(first.tuning).toEqual(a.tuning);
        const second = new PipelineCache(device);
        const b = await tuneForRun({ ...args, cache: second });
        // Kept only when every candidate was timed within the budget; otherwise tuned again.
        if (a.trials.every((t) => t.medianMs !== null)) expect(b).toEqual({ source: 'cache', tuning: a.tuning, tuneMs: null, trials: a.trials });
        else expect(b.source).toBe('autotune');
        expect(second.tuning).toEqual(b.tuning);
        console.info(`autotune on ${info.vendor}/${info.architecture}: tiny set ${r.tuneMs!.toFixed(0)} ms, ci ${a.tuneMs!.toFixed(0)} ms (${a.trials.filter((t) => t.medianMs !== null).length}/${a.trials.length} timed)`);
      },
      { features: ['timestamp-query'] },
    );
  });

  test('a product with a prologue is tuned with it; a candidate wrong only under the prologue is refused', async () => {
    await withDevice(
      async ({ device }) => {
        // A split-K that forgets the RMSNorm prologue (its partial pass compiled with PROLOGUE=0):
        // right on a bare product, wrong on a normalized one.
        class ForgetsPrologue extends PipelineCache {
          override get(label: string, code: string, constants: Record<string, number> = {}, entryPoint = 'main'): GPUComputePipeline {
            const forget = label === 'gemm-splitk' && constants['PROLOGUE'] === 1;
            return super.get(label, code, forget ? { ...constants, PROLOGUE: 0 } : constants, entryPoint);
          }
        }
        const bare = { m: 8, n: 64, k: 256, count: 1, f16: false };
        const normed = { ...bare, prologue: 'rmsnorm' as const, epilogue: { bias: true, activation: 'none' as const, residual: true } };

        // Honest kernels: every candidate of the normalized product is built with PROLOGUE=1 and agrees.
        const cache = new PipelineCache(device);
        const ok = await autotune(device, cache, { gemm: [normed], gemv: [] }, { budgetMs: 60_000 });
        expect(v.safeParse(tuningRecordSchema, ok).success, JSON.stringify(ok)).toBe(true);
        expect(ok.trials.map((t) => [t.candidate, t.prologue, t.untimed])).toEqual([['splitK=1', 'rmsnorm', undefined], ['splitK=2', 'rmsnorm', undefined], ['splitK=4', 'rmsnorm', undefined]]);
        const partials = cache.requests().filter((r) => r.label === 'gemm' || r.entryPoint.startsWith('partial'));
        expect(partials.map((r) => `${r.label}:${r.constants['PROLOGUE']}`).sort()).toEqual(['gemm-splitk:1', 'gemm:1']);
        expect(cache.requests().filter((r) => r.label === 'gemm').map((r) => [r.constants['HAS_BIAS'], r.constants['HAS_RESIDUAL']])).toEqual([[1, 1]]);

        // The forgetful split-K passes the bare product and is refused on the normalized one.
        const plain = await autotune(device, new ForgetsPrologue(device), { gemm: [bare], gemv: [] }, { budgetMs: 60_000 });
        expect(plain.trials.every((t) => t.medianMs !== null && t.prologue === undefined), JSON.stringify(plain)).toBe(true);
        const refused = await autotune(device, new ForgetsPrologue(device), { gemm: [normed], gemv: [] }, { budgetMs: 60_000 });
        expect(v.safeParse(tuningRecordSchema, refused).success, JSON.stringify(refused)).toBe(true);
        expect(refused.trials.map((t) => [t.candidate, t.untimed ?? 'timed'])).toEqual([['splitK=1', 'timed'], ['splitK=2', 'wrong-output'], ['splitK=4', 'wrong-output']]);
        expect(refused.tuning).toEqual({ gemmSplitK: {}, gemvReduction: 'workgroup' });
      },
      { features: ['timestamp-query'] },
    );
  });
});
