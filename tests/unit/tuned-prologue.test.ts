/**
 * The tuned kernels' prologues without a GPU: the subgroup GEMV reads x through gemv's `xin`
 * (the same text), split-K stages A through gemm's prologue helpers (the same text), and with a
 * tuning that splits every GEMM shape and reduces GEMVs on subgroups the `ci` decoder's prologue
 * products (attention norm + Q/K/V, FFN norm + gate/up, SwiGLU + down, final norm + LM head) all
 * run on the tuned kernels: no plain gemm or gemv pipeline is left. tests/gpu/kernels.subgroup.test.ts
 * and tests/gpu/kernels.prologue.test.ts run them on SwiftShader.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { deviceWith, useGpuFlags } from '../helpers/gpu-stand-in.ts';
import { modelPipelines } from '../../src/bench/pipelines.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { rowProductSource, tileProductSource } from '../../src/engine/ops/product.ts';
import { DEFAULT_TUNING, GEMM_SPLIT_K, type GemmSplitK, type KernelTuning } from '../../src/shared/tuning.ts';

const ROOT = join(import.meta.dirname, '../../kernels');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
/** A kernel as compiled: its file with the shared product snippets appended (src/engine/ops/product.ts). */
const tiled = (file: string): string => tileProductSource(read(file), 'f32');
const rowed = (file: string): string => rowProductSource(read(file), 'f32');

/** From the line starting with `from` to the end of the function starting with `last`. */
function span(code: string, from: string, last: string): string {
  const start = code.indexOf(from);
  const at = code.indexOf(last, start);
  const end = code.indexOf('\n}\n', at);
  expect(start, from).toBeGreaterThanOrEqual(0);
  expect(end, last).toBeGreaterThan(at);
  return code.slice(start, end + 2);
}

useGpuFlags();

describe('prologue text shared with the plain kernels', () => {
  test("gemv-subgroup reads x through gemv's xin, with rmsnorm's 64 lanes", () => {
    const sub = rowed('gemv-subgroup/gemv-subgroup.wgsl');
    const plain = rowed('gemv/gemv.wgsl');
    expect(span(sub, '// x[kk] as the product reads it', 'fn xin')).toBe(span(plain, '// x[kk] as the product reads it', 'fn xin'));
    const lanes = 'const NORM_LANES: u32 = 64u;';
    expect([sub.includes(lanes), plain.includes(lanes)]).toEqual([true, true]);
    expect(sub).toMatch(/override PROLOGUE: u32 = 0u;/);
    expect(sub).toMatch(/@binding\(6\) var<storage, read> prologue: array<f32>;/);
  });

  test("split-K's pass 1 uses gemm's prologue helpers (row statistics, SwiGLU) verbatim", () => {
    const split = tiled('gemm-splitk/gemm-splitk.wgsl');
    const gemm = tiled('gemm/gemm.wgsl');
    const helpers = (code: string) => span(code, '// ---- Prologue: A transformed as it is staged ----', 'fn swiglu4');
    expect(helpers(split)).toBe(helpers(gemm));
    // The staging expressions too (vec4 and scalar entry points).
    for (const line of [
      'if (PROLOGUE == 1u) { v = v * rowInv[r] * prologue4[min(gk, arrayLength(&prologue4) - 1u)]; }',
      'if (PROLOGUE == 2u) { v = swiglu4(v, prologue4[min(ai, arrayLength(&prologue4) - 1u)]); }',
      'if (PROLOGUE == 1u) { x = x * rowInv[r] * prologue1[kk]; }',
      'if (PROLOGUE == 2u) { x = x / (1.0 + exp(-x)) * prologue1[ai]; }',
    ]) {
      expect(gemm, line).toContain(line);
      expect(split, line).toContain(line);
    }
    // One copy: the staging and the row statistics live in the shared snippet, not in either kernel.
    for (const file of ['gemm/gemm.wgsl', 'gemm-splitk/gemm-splitk.wgsl']) {
      expect(read(file), file).not.toMatch(/fn (tileProduct4|tileProduct1|stageA4|stageA1|reduceNormRows|epilogue)\b/);
      expect(read(file), file).toMatch(/tileProduct4\(/);
    }
  });
});

describe('the decoder with every product tuned', () => {
  const device = deviceWith(['subgroups']);
  const tuned: KernelTuning = {
    gemvReduction: 'subgroup',
    gemmSplitK: new Proxy<Record<string, GemmSplitK>>({}, { get: (_t, key) => (typeof key === 'string' ? GEMM_SPLIT_K[2] : undefined) }),
  };

  test('prologue products run split-K and subgroup GEMV; no plain gemm or gemv remains', async () => {
    const dec = resolveSuite('ci').workloads.find((w) => w.family === 'decoder')!;
    const rs = await modelPipelines(device, dec, {}, tuned);
    const labels = new Set(rs.map((r) => r.label));
    expect(labels.has('gemm-splitk')).toBe(true);
    expect(labels.has('gemv-subgroup')).toBe(true);
    expect(labels.has('gemm')).toBe(false);
    expect(labels.has('gemv')).toBe(false);
    const prologues = (label: string, entry: RegExp) =>
      [...new Set(rs.filter((r) => r.label === label && entry.test(r.entryPoint)).map((r) => r.constants.PROLOGUE ?? 0))].sort();
    // RMSNorm (Q/K/V, gate/up) and SwiGLU (down) in the split products' first pass; the O projection has none.
    expect(prologues('gemm-splitk', /^partial_/)).toEqual([0, 1, 2]);
    // Decode: the same three, and the final norm on the LM head.
    expect(prologues('gemv-subgroup', /./)).toEqual([0, 1, 2]);
  });

  test('the default tuning keeps the plain kernels', async () => {
    const dec = resolveSuite('ci').workloads.find((w) => w.family === 'decoder')!;
    const labels = new Set((await modelPipelines(device, dec, {}, DEFAULT_TUNING)).map((r) => r.label));
    expect([labels.has('gemm'), labels.has('gemv'), labels.has('gemm-splitk'), labels.has('gemv-subgroup')]).toEqual([true, true, false, false]);
  });
});
