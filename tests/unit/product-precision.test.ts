/**
 * The products' precision without a GPU: the f16 variant's source (`enable f16;` first, the weight
 * snippet that reads halves as f16), and the choice made once by the model runner reaching every
 * matrix product (and nothing else) through the weights: f16 products for an f16 model on a
 * shader-f16 device, f32 products for f32 models and for the tests-only forced f16 storage.
 * tests/f16/kernels.products-f16.test.ts runs the f16 products on a real shader-f16 adapter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { deviceWith, useGpuFlags } from '../helpers/gpu-stand-in.ts';
import { modelPipelines } from '../../src/bench/pipelines.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { rowProductSource, tileProductSource } from '../../src/engine/ops/product.ts';
import { precisionOf, withProductWeights } from '../../src/engine/ops/weight-storage.ts';
import { TUNED_KERNEL_SOURCES } from '../../src/engine/tuning/sources.ts';
import type { ModelRunnerOptions } from '../../src/engine/models/model-runner.ts';
import { DEFAULT_TUNING, GEMM_SPLIT_K, type GemmSplitK, type KernelTuning } from '../../src/shared/tuning.ts';

const ROOT = join(import.meta.dirname, '../../kernels');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
const F16_SNIPPET = read('weights/weights-f16-compute.wgsl');

useGpuFlags();

describe('the f16 product source', () => {
  test('enable f16 comes first, the kernel text is unchanged, the weights are read as f16', () => {
    for (const [file, source] of [['gemm/gemm.wgsl', tileProductSource], ['gemm-splitk/gemm-splitk.wgsl', tileProductSource], ['gemv/gemv.wgsl', rowProductSource], ['gemv-subgroup/gemv-subgroup.wgsl', rowProductSource]] as const) {
      const f32 = source(read(file), 'f16', 'f32');
      const f16 = source(read(file), 'f16', 'f16');
      expect(f16.startsWith('enable f16;\n'), file).toBe(true);
      expect(f16.endsWith(F16_SNIPPET), file).toBe(true);
      expect(f32).not.toMatch(/^enable f16;/m);
      expect(f32).toContain('alias ProductT = f32;');
      // One text: the f16 variant is the f32 one with another weight snippet, nothing copied.
      expect(f16.slice('enable f16;\n'.length, -F16_SNIPPET.length), file).toBe(f32.slice(0, f32.lastIndexOf('\n// Weight access') + 1));
    }
  });

  test('f16 products need f16 weights; f32 weights multiply in f32 whatever the run', () => {
    expect(() => withProductWeights('', 'f32', 'f16')).toThrow(RangeError);
    expect(() => withProductWeights('', undefined, 'f16')).toThrow(RangeError);
    expect([precisionOf('f32', 'f16'), precisionOf('f16', 'f16'), precisionOf('f16', 'f32')]).toEqual(['f32', 'f16', 'f32']);
  });

  test('the tuning cache key covers the f16 weight snippet', () => {
    expect(TUNED_KERNEL_SOURCES).toContain(F16_SNIPPET);
  });
});

describe('the runner decides once, the weights carry it to every product', () => {
    const PRODUCTS = new Set(['gemm', 'gemm-splitk', 'gemv', 'gemv-subgroup']);
  const splitAll: KernelTuning = {
    gemvReduction: 'subgroup',
    gemmSplitK: new Proxy<Record<string, GemmSplitK>>({}, { get: (_t, key) => (typeof key === 'string' ? GEMM_SPLIT_K[2] : undefined) }),
  };

  /** For each pipeline label: whether its sources enable f16 (true, false, or both as 'mixed'). */
  async function f16ByLabel(features: string[], opts: Omit<ModelRunnerOptions, 'pipelineCache'>, tuning: KernelTuning): Promise<Record<string, boolean | 'mixed'>> {
    const out: Record<string, boolean | 'mixed'> = {};
    for (const spec of resolveSuite('ci').workloads) {
      for (const r of await modelPipelines(deviceWith(features), spec, opts, tuning)) {
        const f16 = r.code.startsWith('enable f16;');
        if (f16) expect(r.code.endsWith(F16_SNIPPET), r.label).toBe(true);
        const seen = out[r.label];
        out[r.label] = seen === undefined || seen === f16 ? f16 : 'mixed';
      }
    }
    return out;
  }

  test('preferF16 on a shader-f16 device: every matrix product multiplies in f16 (the heads too), nothing else enables f16', async () => {
    for (const tuning of [DEFAULT_TUNING, splitAll]) {
      const byLabel = await f16ByLabel(['shader-f16', 'subgroups'], { preferF16: true }, tuning);
      for (const [label, f16] of Object.entries(byLabel)) expect(f16, label).toBe(PRODUCTS.has(label));
      expect(Object.keys(byLabel).filter((l) => PRODUCTS.has(l)).length, JSON.stringify(byLabel)).toBeGreaterThanOrEqual(2);
    }
  });

  test('f32 runs, no shader-f16, and the forced f16 storage keep f32 products', async () => {
    for (const [features, opts] of [[['shader-f16'], {}], [[], { preferF16: true }], [['shader-f16'], { forceF16Storage: true }], [[], { forceF16Storage: true }]] as const) {
      const byLabel = await f16ByLabel([...features], opts, DEFAULT_TUNING);
      expect(Object.values(byLabel).every((f16) => f16 === false), JSON.stringify({ features, opts, byLabel })).toBe(true);
    }
  });
});
