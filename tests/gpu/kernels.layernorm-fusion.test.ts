/**
 * The post-LN encoder's fusions against the chains they replace, bit for bit:
 *  - the LayerNorm prologue (code 3): layernorm → product equals the product reading LN(A) as it
 *    stages A (gemm vec4 and scalar, split-K, gemv's three entry points with an x offset, the
 *    subgroup GEMV when the adapter has `subgroups`);
 *  - the normalized-residual epilogue: layernorm(R) → product with that residual equals the product
 *    adding LN(R) of its row in the epilogue (after bias and GELU, as the encoder's O and down
 *    products), on the same kernels; gemv with a y offset.
 * Both repeat layernorm.wgsl's f32 operations in its order (64 lanes' strided sums, a halving tree,
 * mean first, then the centred squares), so nothing may differ. Rows have a mean far from 0 (the
 * two-pass variance matters) and are longer than 64 lanes; gamma and beta are packed [2, d].
 */
import { describe, expect, test } from 'vitest';
import { withDevice, type DeviceContext } from '../helpers/with-device.ts';
import { seededValues } from '../../kernels/testing.ts';
import { createGemm } from '../../src/engine/ops/gemm.ts';
import { createGemmSplitK } from '../../src/engine/ops/gemm-splitk.ts';
import { createGemv, type GemvArgs } from '../../src/engine/ops/gemv.ts';
import { createGemvSubgroup } from '../../src/engine/ops/gemv-subgroup.ts';
import { createLayerNorm } from '../../src/engine/ops/norms.ts';
import { PipelineCache, type Dispatch } from '../../src/engine/dispatch.ts';
import { submitDispatches } from '../../src/engine/ops/submit.ts';

const bits = (x: ArrayBuffer): number[] => Array.from(new Uint32Array(x));
const EPS = 1e-5;

/** Values in [1 − s, 1 + s]: a row mean near 1, so (x − mean) differs from x everywhere. */
const shifted = (seed: number, count: number, s = 3): Float32Array => seededValues(seed, count, s).map((v) => v + 1);

/** gamma, beta and their packed [2, d] copy. */
function norm(seed: number, d: number): { gamma: Float32Array; beta: Float32Array; packed: Float32Array } {
  const gamma = seededValues(seed, d, 2);
  const beta = seededValues(seed + 1, d);
  const packed = new Float32Array(2 * d);
  packed.set(gamma, 0);
  packed.set(beta, d);
  return { gamma, beta, packed };
}

/** Runs the fused and the chained dispatches, returns both outputs. */
async function compare(build: (ctx: DeviceContext, cache: PipelineCache, resources: GPUBuffer[]) => { list: Dispatch[]; fused: GPUBuffer; chain: GPUBuffer }, features: GPUFeatureName[] = []): Promise<[ArrayBuffer, ArrayBuffer] | null> {
  return withDevice(async (ctx) => {
    if (features.some((f) => !ctx.device.features.has(f))) return null;
    const cache = new PipelineCache(ctx.device);
    const resources: GPUBuffer[] = [];
    const { list, fused, chain } = build(ctx, cache, resources);
    submitDispatches(ctx.device, list);
    const out: [ArrayBuffer, ArrayBuffer] = [await ctx.read(fused), await ctx.read(chain)];
    resources.forEach(ctx.track);
    return out;
  }, { features });
}

const PRODUCTS = [
  // [m, n, k]: vec4 with two row tiles; scalar (k not a multiple of 4); scalar, tiny.
  [33, 16, 200],
  [40, 12, 130],
  [5, 6, 7],
] as const;

describe('gemm and split-K: LayerNorm prologue', () => {
  for (const [m, n, k] of PRODUCTS) {
    for (const splits of [1, 3]) {
      const what = splits === 1 ? 'gemm' : `split-K (${splits} slices)`;
      test(`${m}×${n}×${k} ${what}: LayerNorm prologue equals layernorm then the product`, async () => {
        const x = shifted(11, m * k);
        const ln = norm(12, k);
        const w = seededValues(13, k * n);
        const bias = seededValues(14, n);
        const got = await compare(({ device, buffer }, cache, resources) => {
          const [xb, wb, bb] = [buffer(x), buffer(w), buffer(bias)];
          const normed = buffer(4 * m * k);
          const [fused, chain] = [buffer(4 * m * n), buffer(4 * m * n)];
          const product = (a: GPUBuffer, c: GPUBuffer, prologue?: { kind: 'layernorm'; gammaBeta: GPUBuffer; eps: number }): Dispatch[] => {
            const args = { a, b: wb, c, m, n, k, bias: bb, gelu: true, resources, ...(prologue ? { prologue } : {}) };
            return splits === 1 ? [createGemm(device, cache, args)] : createGemmSplitK(device, cache, { ...args, splits });
          };
          const f = product(xb, fused, { kind: 'layernorm', gammaBeta: buffer(ln.packed), eps: EPS });
          const plain = product(xb, buffer(4 * m * n));
          // The norm's FLOPs as layernorm declared them (8 per element); gamma and beta read on top.
          expect(f.reduce((s, d) => s + d.flops, 0) - plain.reduce((s, d) => s + d.flops, 0)).toBe(8 * m * k);
          expect(f[0]!.bytes - plain[0]!.bytes).toBe(8 * k);
          const list = [
            ...f,
            createLayerNorm(device, cache, { x: xb, gamma: buffer(ln.gamma), beta: buffer(ln.beta), y: normed, rows: m, dim: k, eps: EPS, resources }),
            ...product(normed, chain),
          ];
          return { list, fused, chain };
        });
        expect(bits(got![0])).toEqual(bits(got![1]));
      });

      test(`${m}×${n}×${k} ${what}: normalized residual equals layernorm(R) then the product with that residual`, async () => {
        const a = seededValues(21, m * k, 2);
        const r = shifted(22, m * n);
        const ln = norm(23, n);
        const w = seededValues(24, k * n);
        const bias = seededValues(25, n);
        const got = await compare(({ device, buffer }, cache, resources) => {
          const [ab, rb, wb, bb] = [buffer(a), buffer(r), buffer(w), buffer(bias)];
          const normedR = buffer(4 * m * n);
          const [fused, chain] = [buffer(4 * m * n), buffer(4 * m * n)];
          const product = (c: GPUBuffer, residual: GPUBuffer, residualNorm?: { gammaBeta: GPUBuffer; eps: number }): Dispatch[] => {
            const args = { a: ab, b: wb, c, m, n, k, bias: bb, gelu: true, residual, resources, ...(residualNorm ? { residualNorm } : {}) };
            return splits === 1 ? [createGemm(device, cache, args)] : createGemmSplitK(device, cache, { ...args, splits });
          };
          const f = product(fused, rb, { gammaBeta: buffer(ln.packed), eps: EPS });
          const plain = product(buffer(4 * m * n), rb);
          // Not counted again (the encoder books each LayerNorm on the prologue reading it); gamma and beta read.
          expect(f.reduce((s, d) => s + d.flops, 0)).toBe(plain.reduce((s, d) => s + d.flops, 0));
          expect(f.at(-1)!.bytes - plain.at(-1)!.bytes).toBe(8 * n);
          const list = [
            ...f,
            createLayerNorm(device, cache, { x: rb, gamma: buffer(ln.gamma), beta: buffer(ln.beta), y: normedR, rows: m, dim: n, eps: EPS, resources }),
            ...product(chain, normedR),
          ];
          return { list, fused, chain };
        });
        expect(bits(got![0])).toEqual(bits(got![1]));
      });
    }
  }
});

describe('gemv and the subgroup GEMV: LayerNorm prologue and normalized residual', () => {
  // [layout, n, k]: 'kn' vec4, 'kn' scalar, 'nk' rows; x and y are row 2 of 3-row activations.
  const rows = 3;
  const row = 2;
  for (const [layout, n, k] of [['kn', 64, 200], ['kn', 6, 130], ['nk', 37, 200]] as const) {
    for (const kernel of ['gemv', 'gemv-subgroup'] as const) {
      const create = kernel === 'gemv' ? createGemv : createGemvSubgroup;
      const features: GPUFeatureName[] = kernel === 'gemv' ? [] : ['subgroups'];

      test(`${kernel} ${layout} n=${n} k=${k}: LayerNorm prologue equals layernorm then the product`, async () => {
        const x = shifted(31, rows * k);
        const ln = norm(32, k);
        const w = seededValues(33, k * n);
        const got = await compare(({ device, buffer }, cache, resources) => {
          const [xb, wb] = [buffer(x), buffer(w)];
          const normed = buffer(4 * rows * k);
          const [fused, chain] = [buffer(4 * n), buffer(4 * n)];
          const base: GemvArgs = { x: xb, w: wb, y: fused, n, k, layout, xOffset: row * k, activation: 'gelu', resources };
          const d = create(device, cache, { ...base, prologue: { kind: 'layernorm', gammaBeta: buffer(ln.packed), eps: EPS } });
          expect(d.flops).toBe(create(device, cache, base).flops + 8 * k);
          const list = [
            d,
            createLayerNorm(device, cache, { x: xb, gamma: buffer(ln.gamma), beta: buffer(ln.beta), y: normed, rows, dim: k, eps: EPS, resources }),
            create(device, cache, { ...base, x: normed, y: chain }),
          ];
          return { list, fused, chain };
        }, features);
        if (got === null) return; // no `subgroups` on this adapter
        expect(bits(got[0])).toEqual(bits(got[1]));
      });

      test(`${kernel} ${layout} n=${n} k=${k}: normalized residual (y row 2) equals layernorm(R) then the product`, async () => {
        const x = seededValues(41, k, 2);
        const r = shifted(42, rows * n);
        const ln = norm(43, n);
        const w = seededValues(44, k * n);
        const bias = seededValues(45, n);
        const got = await compare(({ device, buffer }, cache, resources) => {
          const [xb, rb, wb] = [buffer(x), buffer(r), buffer(w)];
          const normedR = buffer(4 * rows * n);
          const [fused, chain] = [buffer(4 * rows * n), buffer(4 * rows * n)];
          const base: GemvArgs = { x: xb, w: wb, y: fused, n, k, layout, yOffset: row * n, bias: buffer(bias), activation: 'gelu', residual: rb, resources };
          const list = [
            create(device, cache, { ...base, residualNorm: { gammaBeta: buffer(ln.packed), eps: EPS } }),
            createLayerNorm(device, cache, { x: rb, gamma: buffer(ln.gamma), beta: buffer(ln.beta), y: normedR, rows, dim: n, eps: EPS, resources }),
            create(device, cache, { ...base, y: chain, residual: normedR }),
          ];
          return { list, fused, chain };
        }, features);
        if (got === null) return;
        expect(bits(got[0])).toEqual(bits(got[1]));
      });
    }
  }
});
