/**
 * The subgroup GEMV without a GPU: its epilogue is gemv's text, its grids are gemv's, and the
 * graph builders pick it only when the tuning asks for it AND the device has `subgroups` (the
 * tuning is ignored otherwise). Pipelines are discovered on the benchmark's stand-in device.
 * tests/gpu/kernels.subgroup.test.ts runs it on SwiftShader against the CPU reference.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { deviceWith, useGpuFlags } from '../helpers/gpu-stand-in.ts';
import { acquireDevice } from '../../src/engine/device.ts';
import { modelPipelines } from '../../src/bench/pipelines.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { KernelLimitError } from '../../src/engine/errors.ts';
import { createGemvSubgroup, useSubgroupReduction } from '../../src/engine/ops/gemv-subgroup.ts';
import { rowProductSource } from '../../src/engine/ops/product.ts';
import { gemvMeta } from '../../kernels/gemv/gemv.meta.ts';
import { gemvSubgroupMeta } from '../../kernels/gemv-subgroup/gemv-subgroup.meta.ts';
import { DEFAULT_TUNING, type KernelTuning } from '../../src/shared/tuning.ts';
import { computeRatios, formatReport, type BenchReport, type BenchRow } from '../../src/bench/report.ts';

const ROOT = join(import.meta.dirname, '../../kernels');

useGpuFlags();

const SUBGROUP: KernelTuning = { ...DEFAULT_TUNING, gemvReduction: 'subgroup' };

/**
 * The fused epilogue as compiled (the kernel with the shared product snippets appended): from
 * `fn activate` to the end of `fn finish`, and the GELU it calls.
 */
function epilogue(file: string): string {
  const code = rowProductSource(readFileSync(join(ROOT, file), 'utf8'), 'f32');
  const start = code.indexOf('fn activate');
  const finish = code.indexOf('fn finish');
  const end = code.indexOf('\n}\n', finish);
  expect(start, file).toBeGreaterThan(0);
  expect(end, file).toBeGreaterThan(finish);
  const gelu = code.indexOf('fn erf_approx');
  expect(gelu, file).toBeGreaterThan(0);
  return code.slice(start, end + 2) + code.slice(gelu, code.indexOf('\n}\n', code.indexOf('fn gelu')) + 2);
}

describe('gemv-subgroup kernel', () => {
  test('its epilogue is the text of gemv.wgsl (bias, activation, residual, segments)', () => {
    expect(epilogue('gemv-subgroup/gemv-subgroup.wgsl')).toBe(epilogue('gemv/gemv.wgsl'));
  });

  test('same FLOPs, bytes and grids as gemv for the default workgroups', () => {
    for (const s of [{ n: 896, k: 4864, layout: 'kn' as const }, { n: 131, k: 19, layout: 'kn' as const }, { n: 151936, k: 896, layout: 'nk' as const }, { n: 300_000, k: 64, layout: 'nk' as const }]) {
      expect(gemvSubgroupMeta.workgroups(s)).toEqual(gemvMeta.workgroups(s));
      expect(gemvSubgroupMeta.flops(s)).toBe(gemvMeta.flops(s));
      expect(gemvSubgroupMeta.bytes(s)).toBe(gemvMeta.bytes(s));
    }
  });

  test('refuses a device without the feature and workgroups that are not powers of two', () => {
    const args = { x: {} as GPUBuffer, w: {} as GPUBuffer, y: {} as GPUBuffer, n: 8, k: 8 };
    const none = deviceWith([]);
    expect(() => createGemvSubgroup(none, new PipelineCache(none), args)).toThrow(KernelLimitError);
    const sg = deviceWith(['subgroups']);
    expect(() => createGemvSubgroup(sg, new PipelineCache(sg), { ...args, workgroup: { cols: 16, ksplit: 12 } })).toThrow(KernelLimitError);
    expect(() => createGemvSubgroup(sg, new PipelineCache(sg), { ...args, layout: 'nk', workgroup: { rowLanes: 128, rowsPerWorkgroup: 4 } })).toThrow(KernelLimitError);
  });
});

describe('which GEMV the graph builders pick', () => {
  const labels = async (features: string[], tuning: KernelTuning, which: 0 | 1) => {
    const spec = resolveSuite('ci').workloads[which]!;
    return new Set((await modelPipelines(deviceWith(features), spec, {}, tuning)).map((r) => r.label));
  };

  test('tuning "subgroup" on a device with subgroups: every m = 1 product (decode, LM head, classifier head) runs gemv-subgroup', async () => {
    for (const which of [0, 1] as const) {
      const l = await labels(['subgroups'], SUBGROUP, which);
      expect(l.has('gemv-subgroup')).toBe(true);
      expect(l.has('gemv')).toBe(false);
    }
    // Greedy argmax follows the same choice.
    const d = await labels(['subgroups'], SUBGROUP, 1);
    expect([d.has('argmax-subgroup'), d.has('argmax')]).toEqual([true, false]);
  });

  test('without the feature the tuning is ignored: gemv, never gemv-subgroup', async () => {
    for (const which of [0, 1] as const) {
      const l = await labels([], SUBGROUP, which);
      expect(l.has('gemv')).toBe(true);
      expect(l.has('gemv-subgroup')).toBe(false);
      expect(l.has('argmax-subgroup')).toBe(false);
    }
    expect(useSubgroupReduction(deviceWith([]), Object.assign(new PipelineCache(deviceWith([])), { tuning: SUBGROUP }))).toBe(false);
  });

  test('the default tuning runs gemv even where subgroups exist', async () => {
    const l = await labels(['subgroups'], DEFAULT_TUNING, 1);
    expect(l.has('gemv')).toBe(true);
    expect(l.has('gemv-subgroup')).toBe(false);
  });
});

describe('benchmark rows: the GEMV K reduction', () => {
  test('printed per reduction, labelled as software figures, and kept out of the engine ratios', () => {
    const row = (reduction: 'workgroup' | 'subgroup', kernelMs: number): BenchRow => ({
      kind: 'gemv-reduction', reduction, shape: { m: 1, k: 896, n: 4864 }, bytes: 4 * 896 * 4864, kernelMs, timing: 'gpu-timestamp',
      achieved: (4 * 896 * 4864) / (kernelMs * 1e6), fractionOfCeiling: 0.5,
    });
    const rows = [row('workgroup', 2), row('subgroup', 1)];
    const report: BenchReport = {
      benchVersion: 3, preset: 'ci', date: '2026-11-29', adapter: { vendor: 'google', architecture: 'swiftshader' }, softwareAdapter: true,
      timing: 'gpu-timestamp', ceilings: { peakGflops: 1, bandwidthGbps: 1, dispatch: { gpuMsPerDispatch: 0.001, wallMsPerDispatch: 0.002, emptySubmitMs: 0.1 } },
      rows, skipped: [], ratios: computeRatios(rows), method: 'test',
    };
    const text = formatReport(report);
    expect(text).toContain('SOFTWARE ADAPTER: not GPU performance');
    expect(text).toMatch(/gemv\s+1×896×4864\s+8\.72 GB\/s .* K reduction workgroup, 2\.00 ms \(gpu-timestamp\)/);
    expect(text).toMatch(/K reduction subgroup, 1\.00 ms/);
    expect(report.ratios.gemvVsCopy).toMatchObject({ value: null });
  });
});

describe('device acquisition', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** A navigator.gpu whose adapter has `features` and records what requestDevice was asked for. */
  function fakeGpu(features: string[]) {
    const asked: string[][] = [];
    const adapter = {
      features: new Set(features),
      limits: { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 },
      info: { vendor: 'test', architecture: 'fake', subgroupMinSize: 4, subgroupMaxSize: 4 },
      requestDevice: (d: GPUDeviceDescriptor) => {
        asked.push([...(d.requiredFeatures ?? [])].sort());
        return Promise.resolve({ lost: new Promise(() => undefined), destroy: () => undefined });
      },
    };
    vi.stubGlobal('navigator', { gpu: { requestAdapter: () => Promise.resolve(adapter) } });
    return asked;
  }

  test('asks for subgroups whenever the adapter has it, and only then; the summary records the adapter', async () => {
    const asked = fakeGpu(['subgroups', 'timestamp-query']);
    const a = await acquireDevice({ features: ['timestamp-query', 'shader-f16'] });
    expect(asked).toEqual([['subgroups', 'timestamp-query']]);
    expect(a.features.sort()).toEqual(['subgroups', 'timestamp-query']);
    expect(a.summary).toMatchObject({ features: ['subgroups', 'timestamp-query'], subgroupMinSize: 4, subgroupMaxSize: 4 });
    a.release();
    const without = fakeGpu(['timestamp-query']);
    (await acquireDevice({})).release();
    expect(without).toEqual([[]]);
  });
});
