/**
 * The tuner times the products the runner dispatches, on every device: the shape walk
 * (src/engine/tuning/shapes.ts) against the products createModelRunner builds, recorded from its
 * createLinear calls while the graph is built on the benchmark's stand-in device (no GPU). Q/K/V
 * or gate/up that do not fuse (a binding limit, f16 with an odd column count) run as separate
 * products, an LM head larger than one binding as one GEMV per block: the walk must list those.
 */
import { describe, expect, test, vi } from 'vitest';
import { DEFAULT_LIMITS, deviceWith, useGpuFlags } from '../helpers/gpu-stand-in.ts';
import type * as Linear from '../../src/engine/ops/linear.ts';
import type { LinearArgs } from '../../src/engine/ops/linear.ts';
import { modelPipelines } from '../../src/bench/pipelines.ts';
import { BERT_TINY, TINY_DECODER, type DecoderWorkloadSpec, type EncoderWorkloadSpec, type ModelWorkloadSpec } from '../../src/engine/models/config.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { fusedGroups, groupFuses, storageFor } from '../../src/engine/models/buffers.ts';
import { modelTensors } from '../../src/engine/weights.ts';
import { fusionKey, modelProducts, tuningFusion, tuningShapes, type DispatchContext, type TuningShapes } from '../../src/engine/tuning/shapes.ts';
import { tuneForRun } from '../../src/engine/tuning/autotune.ts';
import { MemoryTuningStore } from '../../src/engine/tuning/store.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import type { TuningRecord } from '../../src/shared/tuning.ts';

/** Every createLinear call of the graph builders, in order (the real builder still runs). */
const recorded = vi.hoisted(() => ({ calls: [] as LinearArgs[] }));
vi.mock('../../src/engine/ops/linear.ts', async (importOriginal) => {
  const original = await importOriginal<typeof Linear>();
  return {
    ...original,
    createLinear: (device: GPUDevice, cache: PipelineCache, args: LinearArgs) => {
      recorded.calls.push(args);
      return original.createLinear(device, cache, args);
    },
  };
});

useGpuFlags();

const device = deviceWith();

/** A product as a count key: shape, layout, weight storage and fusion. */
const productKey = (m: number, n: number, k: number, layout: string, f16: boolean, fusion: string): string => `${m}x${n}x${k}|${layout}|${f16 ? 'f16' : 'f32'}|${fusion}`;

/** The products the runner dispatches for one query, counted by key (a split weight: one GEMV per block). */
async function dispatched(spec: ModelWorkloadSpec, opts: { bindingLimitBytes?: number; forceF16Storage?: boolean }): Promise<Map<string, number>> {
  recorded.calls.length = 0;
  await modelPipelines(device, spec, opts);
  // Weight synthesis builds no products: every call is the query's.
  const out = new Map<string, number>();
  const bump = (key: string): void => {
    out.set(key, (out.get(key) ?? 0) + 1);
  };
  for (const a of recorded.calls) {
    const layout = a.layout ?? 'kn';
    const fusion = fusionKey(tuningFusion({
      ...(a.prologue ? { prologue: a.prologue.kind } : {}),
      bias: a.bias !== undefined,
      activation: a.activation ?? 'none',
      residual: a.residual === undefined ? false : a.residualNorm ? 'normalized' : true,
    }));
    if (a.m === 1) for (const b of a.blocks) bump(productKey(1, layout === 'kn' ? b.colCount : b.rowCount, a.k, layout, b.storage === 'f16', fusion));
    else bump(productKey(a.m, a.n, a.k, layout, a.blocks[0]?.storage === 'f16', fusion));
  }
  return out;
}

/** The walk's products, counted the same way. */
function walked(spec: ModelWorkloadSpec, ctx: DispatchContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of modelProducts(spec, ctx)) {
    const key = productKey(p.m, p.n, p.k, p.layout, p.f16, fusionKey(p.fusion));
    out.set(key, (out.get(key) ?? 0) + p.times);
  }
  return out;
}

const sorted = (m: Map<string, number>): [string, number][] => [...m].sort(([a], [b]) => a.localeCompare(b));
const gemmKeys = (s: TuningShapes): string[] => s.gemm.map((g) => `${g.m}x${g.n}x${g.k}`).sort();
const gemvKeys = (s: TuningShapes): string[] => s.gemv.map((g) => `1x${g.n}x${g.k}:${g.layout}`).sort();

const [ciEncoder, ciDecoder] = resolveSuite('ci').workloads as [EncoderWorkloadSpec, DecoderWorkloadSpec];
/** 100 KiB "binding limit": tiny-decoder's fused Q/K/V [128, 256] (128 KiB) and gate/up [128, 256] do not fit, each member does (ffn cut to 128 so the FFN weights fit too). */
const SMALL_LIMIT = 100 * 1024;
const smallDecoder: DecoderWorkloadSpec = { ...ciDecoder, model: { ...TINY_DECODER, ffn: 128 } };
/** bert-tiny's fused Q/K/V [128, 384] (192 KiB) does not fit; the position table cut to 64 rows so that it does. */
const smallEncoder: EncoderWorkloadSpec = { ...ciEncoder, model: { ...BERT_TINY, ffn: 128, maxPositions: 64 } };

describe('the fusion rule, shared by allocation and the tuner', () => {
  test('groupFuses: same storage and rows, f16 blocks on words, within one binding', () => {
    const m = (cols: number, storage: 'f32' | 'f16' = 'f32', rows = 128) => ({ rows, cols, storage });
    expect(groupFuses([m(128), m(64), m(64)], 4 * 128 * 256)).toBe(true);
    expect(groupFuses([m(128), m(64), m(64)], 4 * 128 * 256 - 1)).toBe(false);
    expect(groupFuses([m(128, 'f16'), m(64, 'f16')], 2 * 128 * 192)).toBe(true);
    expect(groupFuses([m(127, 'f16'), m(65, 'f16')], 2 ** 27)).toBe(false);
    expect(groupFuses([m(127), m(65)], 2 ** 27)).toBe(true);
    expect(groupFuses([m(64), m(64, 'f16')], 2 ** 27)).toBe(false);
    expect(groupFuses([m(64), m(64, 'f32', 2)], 2 ** 27)).toBe(false);
    expect(groupFuses([], 2 ** 27)).toBe(false);
  });

  test('a bias group fuses only with its weight group', () => {
    const specs = modelTensors(smallDecoder.model);
    const names = (limit: number) => fusedGroups(specs, storageFor('f32'), limit).map((g) => g.name);
    expect(names(2 ** 27)).toEqual(expect.arrayContaining(['layers.0.attn.qkv.weight', 'layers.0.attn.qkv.bias', 'layers.0.ffn.gateUp.weight']));
    expect(names(SMALL_LIMIT)).toEqual([]);
  });
});

describe('the tuner\'s shapes are the products the runner dispatches', () => {
  test('fused (the ci preset, a real binding limit): unchanged from the walk without a device', async () => {
    for (const spec of [ciEncoder, ciDecoder]) {
      const ctx = { bindingLimitBytes: 2 ** 27 };
      expect(sorted(walked(spec, ctx))).toEqual(sorted(await dispatched(spec, {})));
      expect(tuningShapes([spec], ctx)).toEqual(tuningShapes([spec]));
    }
    // The fused products themselves: Q/K/V [128, 256] and gate/up [128, 768] for tiny-decoder.
    expect(gemmKeys(tuningShapes([ciDecoder]))).toEqual(['24x128x128', '24x128x384', '24x256x128', '24x768x128']);
  });

  test('decoder over a binding limit: separate Q, K, V and gate, up; the split LM head as its column blocks', async () => {
    const ctx = { bindingLimitBytes: SMALL_LIMIT };
    const runner = await dispatched(smallDecoder, { bindingLimitBytes: SMALL_LIMIT });
    expect(sorted(walked(smallDecoder, ctx))).toEqual(sorted(runner));
    const shapes = tuningShapes([smallDecoder], ctx);
    // Q [128, 128], K and V [128, 64]; gate and up [128, 128]: no fused [128, 256].
    expect(gemmKeys(shapes)).toEqual(['24x128x128', '24x64x128']);
    // lmHead [128, 2048] f32 in 100 KiB: blocks of 200 columns (a multiple of 4), the last 48.
    expect(gemvKeys(shapes)).toEqual(['1x128x128:kn', '1x200x128:kn', '1x48x128:kn', '1x64x128:kn']);
    // Unfused Q/K/V and gate/up read rows a separate RMSNorm wrote: no prologue; Q/K/V keep their bias.
    const q = shapes.gemm.find((s) => s.n === 64);
    expect(q).toMatchObject({ count: 2 * 2, epilogue: { bias: true, activation: 'none', residual: false } });
    expect(q?.prologue).toBeUndefined();
  });

  test('a tied LM head over a binding limit: one GEMV per row range of the embedding', async () => {
    const tied: DecoderWorkloadSpec = { ...smallDecoder, model: { ...smallDecoder.model, tiedEmbeddings: true, qkvBias: false } };
    const ctx = { bindingLimitBytes: SMALL_LIMIT };
    expect(sorted(walked(tied, ctx))).toEqual(sorted(await dispatched(tied, { bindingLimitBytes: SMALL_LIMIT })));
    // embed.tokens [2048, 128] f32 in 100 KiB: ranges of 200 rows, the last 48.
    expect(gemvKeys(tuningShapes([tied], ctx)).filter((k) => k.endsWith(':nk'))).toEqual(['1x200x128:nk', '1x48x128:nk']);
  });

  test('encoder over a binding limit: Q, K and V each with the LayerNorm prologue and bias', async () => {
    const ctx = { bindingLimitBytes: SMALL_LIMIT };
    expect(sorted(walked(smallEncoder, ctx))).toEqual(sorted(await dispatched(smallEncoder, { bindingLimitBytes: SMALL_LIMIT })));
    const square = tuningShapes([smallEncoder], ctx).gemm.find((s) => s.n === 128 && s.k === 128);
    // 2 layers × Q, K, V, O, up and down, all [128, 128] here; timed with the fusion of most of
    // them: Q, K and V's LayerNorm prologue and bias.
    expect(square).toMatchObject({ m: 16, count: 2 * 6, prologue: 'layernorm', epilogue: { bias: true, activation: 'none', residual: false } });
    expect(gemmKeys(tuningShapes([smallEncoder], ctx))).not.toContain('16x384x128');
  });

  test('f16 with an odd column count: gate and up stay separate (two halves per word), Q/K/V still fuse', async () => {
    const odd: DecoderWorkloadSpec = { ...ciDecoder, model: { ...TINY_DECODER, ffn: 383 } };
    const ctx = { bindingLimitBytes: 2 ** 27, f16: () => true };
    expect(sorted(walked(odd, ctx))).toEqual(sorted(await dispatched(odd, { forceF16Storage: true })));
    const shapes = tuningShapes([odd], ctx);
    expect(gemmKeys(shapes)).toEqual(['24x128x128', '24x128x383', '24x256x128', '24x383x128']);
    expect(shapes.gemm.every((s) => s.f16)).toBe(true);
    // The same model in f32 fuses gate and up.
    expect(gemmKeys(tuningShapes([odd], { bindingLimitBytes: 2 ** 27 }))).toContain('24x766x128');
  });

  test('tuneForRun walks with the device\'s binding limit and the runner\'s storage choice', async () => {
    const seen: TuningShapes[] = [];
    const tune = async (_d: GPUDevice, _c: PipelineCache, shapes: TuningShapes): Promise<TuningRecord> => {
      seen.push(shapes);
      return { source: 'autotune', tuning: { gemmSplitK: {}, gemvReduction: 'workgroup' }, tuneMs: 1, trials: [] };
    };
    const adapter = { vendor: 'v', architecture: 'a', device: 'd', description: 'x' };
    const small = { features: new Set(['timestamp-query', 'shader-f16']), limits: { ...DEFAULT_LIMITS, maxStorageBufferBindingSize: SMALL_LIMIT } } as unknown as GPUDevice;
    await tuneForRun({ device: small, adapter, cache: new PipelineCache(small), models: [smallDecoder], budgetMs: 1000, store: new MemoryTuningStore(), tune });
    expect(seen[0]).toEqual(tuningShapes([smallDecoder], { bindingLimitBytes: SMALL_LIMIT, f16: () => false }));
    // preferF16 on a device with shader-f16: the matrices are f16, as the runner stores them.
    await tuneForRun({ device: small, adapter, cache: new PipelineCache(small), models: [smallDecoder], budgetMs: 1000, store: new MemoryTuningStore(), tune, preferF16: true });
    expect(seen[1]).toEqual(tuningShapes([smallDecoder], { bindingLimitBytes: SMALL_LIMIT, f16: () => true }));
    expect(seen[1]?.gemm.every((s) => s.f16)).toBe(true);
  });
});
