/**
 * gemm on the GPU against the CPU reference, on the data-driven cases of kernels/gemm.
 * Tolerance: inputs are in [-1, 1), the reference accumulates in f64 and the GPU in f32 over
 * k terms, so the error grows like k·2^-24 at worst; 1e-5·(1+k) absolute is well above that
 * and far below any indexing mistake (which shows up as errors of order 0.1–1).
 */
import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import cases from '../../kernels/gemm/gemm.cases.json';
import splitKCases from '../../kernels/gemm-splitk/gemm-splitk.cases.json';
import { parseCases } from '../../kernels/cases-schema.ts';
import { gemmRef } from '../../kernels/gemm/gemm.ref.ts';
import { gemmSplitKRef } from '../../kernels/gemm-splitk/gemm-splitk.ref.ts';
import { splitKPlan } from '../../kernels/gemm-splitk/gemm-splitk.meta.ts';
import { compareClose, packF16, seededValues } from '../../kernels/testing.ts';
import { createGemm } from '../../src/engine/ops/gemm.ts';
import { createGemmSplitK } from '../../src/engine/ops/gemm-splitk.ts';
import { createGelu, createResidual } from '../../src/engine/ops/elementwise.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { submitDispatches } from '../../src/engine/ops/submit.ts';

describe('gemm kernel vs CPU reference', () => {
  for (const c of parseCases('gemm', cases)) {
    test(c.name, async () => {
      const { m, n, k } = c;
      const seed = c.seed ?? 0;
      const a = c.a ? new Float32Array(c.a) : seededValues(seed, m * k);
      const b = c.b ? new Float32Array(c.b) : seededValues(seed + 1000, k * n);
      const bias = c.bias === 'seeded' ? seededValues(seed + 2000, n) : c.bias ? new Float32Array(c.bias) : undefined;
      const expected = c.expected ? new Float32Array(c.expected) : gemmRef(a, b, m, n, k, { ...(bias ? { bias } : {}), relu: c.relu ?? false });
      const got = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const out = buffer(m * n * 4);
        const d = createGemm(device, cache, {
          a: buffer(a), b: buffer(b), c: out, m, n, k,
          ...(bias ? { bias: buffer(bias) } : {}),
          relu: c.relu ?? false,
          resources,
        });
        submitDispatches(device, [d]);
        const result = new Float32Array(await read(out, m * n * 4));
        resources.forEach(track);
        // 2·m·n·k for the product, m·n for the bias add (models/flops.ts convention).
        expect(d.flops).toBe(2 * m * n * k + (bias ? m * n : 0));
        return result;
      });
      const report = compareClose(got, expected, 1e-5 * (1 + k));
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
    });
  }
});

/**
 * The fused epilogues and output segments against the unfused chain they replace, bit for bit:
 * gemm + bias, then the gelu kernel, then the residual kernel (a model's FFN and residual path),
 * and three products into three blocks vs one product against the concatenated weight.
 */
describe('gemm fused epilogue and output segments', () => {
  const bits = (x: ArrayBuffer): number[] => Array.from(new Uint32Array(x));
  for (const [m, n, k] of [[9, 64, 32], [5, 6, 7]] as const) {
    test(`${m}×${n}×${k}: act(A·B + bias) + R equals gemm, gelu, residual`, async () => {
      const a = seededValues(1, m * k);
      const b = seededValues(2, k * n);
      const bias = seededValues(3, n);
      const r = seededValues(4, m * n);
      const [fused, chain] = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const [ab, bb, biasb, rb] = [buffer(a), buffer(b), buffer(bias), buffer(r)];
        const out = buffer(m * n * 4);
        const tmp = buffer(m * n * 4);
        const d = createGemm(device, cache, { a: ab, b: bb, c: out, m, n, k, bias: biasb, gelu: true, residual: rb, resources });
        submitDispatches(device, [
          d,
          createGemm(device, cache, { a: ab, b: bb, c: tmp, m, n, k, bias: biasb, resources }),
          createGelu(device, cache, { x: tmp, count: m * n, resources }),
          createResidual(device, cache, { x: tmp, y: rb, count: m * n, resources }),
        ]);
        // FLOPs as the three kernels declared them: product, bias, GELU 8 and residual 1 per element.
        expect(d.flops).toBe(2 * m * n * k + m * n + 8 * m * n + m * n);
        const result = [await read(out), await read(tmp)];
        resources.forEach(track);
        return result;
      });
      expect(bits(fused!)).toEqual(bits(chain!));
    });
  }

  test('one product into three segments equals three products', async () => {
    const [m, k, cols] = [9, 32, [16, 8, 8]] as const;
    const n = cols[0] + cols[1] + cols[2];
    const a = seededValues(5, m * k);
    const parts = cols.map((c, i) => seededValues(6 + i, k * c));
    // [k, n] with the three weights side by side.
    const cat = new Float32Array(k * n);
    for (let row = 0; row < k; row++) {
      let col0 = 0;
      parts.forEach((p, i) => {
        cat.set(p.subarray(row * cols[i]!, (row + 1) * cols[i]!), row * n + col0);
        col0 += cols[i]!;
      });
    }
    const offsets = [0, 256, 512];
    const [fused, separate] = await withDevice(async ({ device, buffer, read, track }) => {
      const cache = new PipelineCache(device);
      const resources: GPUBuffer[] = [];
      const ab = buffer(a);
      const one = buffer(4 * (offsets[2]! + m * cols[2]));
      const three = buffer(4 * (offsets[2]! + m * cols[2]));
      const segments = cols.map((c, i) => ({ cols: c, offset: offsets[i]! }));
      submitDispatches(device, [
        createGemm(device, cache, { a: ab, b: buffer(cat), c: one, m, n, k, segments, resources }),
        ...parts.map((p, i) => createGemm(device, cache, { a: ab, b: buffer(p), c: three, m, n: cols[i]!, k, segments: [segments[i]!], resources })),
      ]);
      const result = [await read(one), await read(three)];
      resources.forEach(track);
      return result;
    });
    expect(bits(fused!)).toEqual(bits(separate!));
  });
});

/**
 * Split-K against the CPU reference: partial products over slices of K, then the reduce pass with
 * the fused epilogue. The f32 summation order differs from the unsplit gemm (per slice, then
 * across slices), so the comparison is gemm's tolerance, 1e-5·(1+k), never bit-identity.
 */
describe('gemm-splitk kernel vs CPU reference', () => {
  for (const c of parseCases('gemm-splitk', splitKCases)) {
    test(c.name, async () => {
      const { m, n, k, splits } = c;
      const seed = c.seed ?? 0;
      const a = c.a ? new Float32Array(c.a) : seededValues(seed, m * k);
      const b = c.b ? new Float32Array(c.b) : seededValues(seed + 1000, k * n);
      const bias = c.bias === 'seeded' ? seededValues(seed + 2000, n) : c.bias ? new Float32Array(c.bias) : undefined;
      const residual = c.residual === 'seeded' ? seededValues(seed + 3000, m * n) : c.residual ? new Float32Array(c.residual) : undefined;
      const activation = c.activation ?? 'none';
      const expected = c.expected
        ? new Float32Array(c.expected)
        : gemmSplitKRef(a, b, m, n, k, { ...(bias ? { bias } : {}), ...(residual ? { residual } : {}), activation });
      const got = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const out = buffer(m * n * 4);
        const ds = createGemmSplitK(device, cache, {
          a: buffer(a), b: buffer(b), c: out, m, n, k, splits,
          ...(bias ? { bias: buffer(bias) } : {}),
          ...(residual ? { residual: buffer(residual) } : {}),
          relu: activation === 'relu', gelu: activation === 'gelu',
          resources,
        });
        submitDispatches(device, ds);
        const result = new Float32Array(await read(out, m * n * 4));
        resources.forEach(track);
        // The two passes sum to gemm's FLOPs: the product, then bias m·n, GELU 8 and residual 1 per element.
        const mn = m * n;
        expect(ds[0].flops + ds[1].flops).toBe(2 * m * n * k + (bias ? mn : 0) + (activation === 'gelu' ? 8 * mn : 0) + (residual ? mn : 0));
        expect(ds[0].workgroups[2]).toBe(splitKPlan({ k, splits }).slices);
        return result;
      });
      const report = compareClose(got, expected, 1e-5 * (1 + k));
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
    });
  }

  test('into three output segments, f16 weights: equals gemm within tolerance', async () => {
    const [m, k, cols] = [9, 96, [16, 8, 8]] as const;
    const n = cols[0] + cols[1] + cols[2];
    const a = seededValues(21, m * k);
    const b = seededValues(22, k * n);
    const offsets = [0, 256, 512];
    const size = 4 * (offsets[2]! + m * cols[2]);
    const segments = cols.map((c, i) => ({ cols: c, offset: offsets[i]! }));
    const [split, plain, split16, plain16] = await withDevice(async ({ device, buffer, read, track }) => {
      const cache = new PipelineCache(device);
      const resources: GPUBuffer[] = [];
      const [ab, bb, b16] = [buffer(a), buffer(b), buffer(packF16(b))];
      const outs = [buffer(size), buffer(size), buffer(size), buffer(size)] as const;
      submitDispatches(device, [
        ...createGemmSplitK(device, cache, { a: ab, b: bb, c: outs[0], m, n, k, splits: 4, segments, resources }),
        createGemm(device, cache, { a: ab, b: bb, c: outs[1], m, n, k, segments, resources }),
        ...createGemmSplitK(device, cache, { a: ab, b: b16, weights: 'f16', c: outs[2], m, n, k, splits: 8, segments, resources }),
        createGemm(device, cache, { a: ab, b: b16, weights: 'f16', c: outs[3], m, n, k, segments, resources }),
      ]);
      const result = await Promise.all(outs.map(async (o) => new Float32Array(await read(o))));
      resources.forEach(track);
      return result;
    });
    for (const [got, want] of [[split!, plain!], [split16!, plain16!]] as const) {
      const report = compareClose(got, want, 1e-5 * (1 + k));
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
    }
    // The segments were written where gemm writes them (not all zeros), and the f16 path read halves.
    expect(split!.some((v) => v !== 0)).toBe(true);
    expect(compareClose(split16!, split!, 1e-5).ok).toBe(false);
  });
});
