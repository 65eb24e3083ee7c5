/**
 * The matrix products with f16 arithmetic (precision 'f16': weights-f16-compute.wgsl) on a real
 * shader-f16 adapter (lavapipe): gemm (vec4 and scalar entry), split-K, gemv (the three entry
 * points) and the subgroup GEMV, against the CPU references (kernels/NAME/NAME.ref.ts, f64) on
 * f16-rounded inputs (x and W rounded to f16 on the CPU; the prologues' outputs are rounded by the
 * kernel, which the bound below counts), with every prologue (RMSNorm, SwiGLU, LayerNorm) and
 * epilogue (bias, ReLU, GELU, tanh, residual, normalized residual) at least once.
 *
 * Tolerance, per output i, derived from the arithmetic (u = 2⁻¹¹, f16's unit roundoff: 11
 * significant bits; e = 2⁻²⁴, f32's), with S_i = Σ_k |x̂_k·w_k| (x̂: the input after the
 * prologue) computed by the same reference on absolute values. WGSL lets every conversion and
 * operation round to either neighbour (one ulp, 2u), so each rounding counts 2u here:
 *   tiled products: each 4-term block is 4 f16 products and 3 f16 adds (≤ 4·2u of the block's
 *   Σ|a·b|), plus x̂'s conversion to f16 (2u): c = 10;
 *   row products: x̂'s conversion and the f16 product: c = 4;
 *   f32 parts: the accumulation over ≤ K terms and the f32 prologue, (K + 16)·2e·S_i;
 *   the epilogue (f32): 16·e·(|y_i| + |bias_i| + |residual_i|), times 1.2 after GELU (|gelu'| ≤ 1.13);
 *   f16 subnormals near 0 (spacing 2⁻²⁴ = e): each product's rounding errs by ≤ e absolute, and
 *   x̂'s conversion by ≤ e·|w_k| per term: K·e·(1 + max|w|) absolute.
 *   |gpu_i − ref_i| ≤ D·(c·u + (K + 16)·2e)·S_i + 16·e·(|ref_i| + |bias_i| + |residual_i|)
 *                    + K·e·(1 + max|w|).
 * (Hardware rounding to nearest, lavapipe's, halves c.) The absolute term assumes f16 subnormals
 * are preserved, as lavapipe does: WGSL lets an implementation flush them to zero, an error up to
 * 2⁻¹⁴ per term, which would need K·2⁻¹⁴·(1 + max|w|) instead.
 * It grows with K only through S_i (≤ K·max|x̂|·max|w|), because the sums are f32.
 *
 * And the f16 pipeline really multiplies in f16: with x = w = 1 + 2⁻¹⁰ every product is 1 + 2⁻⁹ +
 * 2⁻²⁰, whose 2⁻²⁰ f16 drops and f32 keeps, so K = 32 gives exactly 32.0625 in f16 arithmetic
 * (any evaluation order: every partial sum is exact in f16 once the products are rounded) and
 * 32.0625 + 32·2⁻²⁰ with the same f16 weights unpacked to f32 (precision 'f32'), each matched
 * exactly by its own reference.
 */
import { describe, expect, test } from 'vitest';
import { withDevice, type DeviceContext } from '../helpers/with-device.ts';
import { f16Adapter } from './adapter.ts';
import { PipelineCache, type Dispatch } from '../../src/engine/dispatch.ts';
import { submitDispatches } from '../../src/engine/ops/submit.ts';
import { createGemm } from '../../src/engine/ops/gemm.ts';
import { createGemmSplitK } from '../../src/engine/ops/gemm-splitk.ts';
import { createGemv, type GemvActivation, type GemvArgs } from '../../src/engine/ops/gemv.ts';
import { createGemvSubgroup } from '../../src/engine/ops/gemv-subgroup.ts';
import type { ProductPrecision } from '../../src/engine/ops/weight-storage.ts';
import type { ProductPrologue } from '../../src/engine/ops/prologue.ts';
import { packF16, roundToF16, seededValues } from '../../kernels/testing.ts';
import { gemmRef } from '../../kernels/gemm/gemm.ref.ts';
import { gemmSplitKRef } from '../../kernels/gemm-splitk/gemm-splitk.ref.ts';
import { gemvRef } from '../../kernels/gemv/gemv.ref.ts';
import { rmsnormRef } from '../../kernels/rmsnorm/rmsnorm.ref.ts';
import { swigluRef } from '../../kernels/swiglu/swiglu.ref.ts';
import { layernormRef } from '../../kernels/layernorm/layernorm.ref.ts';
import { erf } from '../../kernels/gelu/gelu.ref.ts';

const U16 = 2 ** -11;
const E32 = 2 ** -24;
const EPS = 1e-5;

type PrologueKind = 'none' | 'rmsnorm' | 'swiglu' | 'layernorm';
type Activation = GemvActivation;

interface Case {
  m: number;
  n: number;
  k: number;
  prologue: PrologueKind;
  activation: Activation;
  bias: boolean;
  residual: 'none' | 'plain' | 'norm';
}

/** The CPU side of a case: f16-rounded operands, the prologue's output x̂, the reference and the bound. */
interface Operands {
  x: Float32Array;
  /** The SwiGLU prologue's `up`, or gamma [k] (RMSNorm), or gamma, beta [2, k] (LayerNorm). */
  pro: Float32Array | null;
  w: Float32Array;
  bias: Float32Array | null;
  residual: Float32Array | null;
  /** gamma, beta [2, n] of the normalized residual. */
  residualNorm: Float32Array | null;
  expected: Float32Array;
  tolerance: Float32Array;
}

const f16 = (v: Float32Array): Float32Array => v.map(roundToF16);
const abs = (v: Float32Array): Float32Array => v.map(Math.abs);

function operands(c: Case, layout: 'kn' | 'nk', tiled: boolean, seed: number): Operands {
  const { m, n, k } = c;
  const x = f16(seededValues(seed, m * k, 2));
  const w = f16(seededValues(seed + 1, k * n, 0.5));
  let pro: Float32Array | null = null;
  let xh = x;
  switch (c.prologue) {
    case 'none':
      break;
    case 'rmsnorm':
      pro = seededValues(seed + 2, k, 1.5);
      xh = rmsnormRef(x, pro, m, k, EPS);
      break;
    case 'swiglu':
      pro = f16(seededValues(seed + 2, m * k, 2));
      xh = swigluRef(x, pro);
      break;
    case 'layernorm': {
      pro = seededValues(seed + 2, 2 * k);
      xh = layernormRef(x, pro.subarray(0, k), pro.subarray(k), m, k, EPS);
      break;
    }
  }
  const bias = c.bias ? seededValues(seed + 3, n) : null;
  const raw = c.residual === 'none' ? null : seededValues(seed + 4, m * n, 3);
  const residualNorm = c.residual === 'norm' ? seededValues(seed + 5, 2 * n) : null;
  // The residual as added: R, or LayerNorm(R) of its row.
  const added = raw && residualNorm ? layernormRef(raw, residualNorm.subarray(0, n), residualNorm.subarray(n), m, n, EPS) : raw;
  const product = (a: Float32Array, b: Float32Array): Float32Array => (m === 1 ? gemvRef(a, b, n, k, { layout }) : gemmRef(a, b, m, n, k));
  const sums = product(abs(xh), abs(w));
  // Tiled: gemm-splitk.ref.ts (the whole epilogue); rows: gemv.ref.ts's product, then the same
  // epilogue in its order (bias, activation, residual).
  const act = (v: number): number => (c.activation === 'relu' ? Math.max(0, v) : c.activation === 'gelu' ? 0.5 * v * (1 + erf(v / Math.SQRT2)) : c.activation === 'tanh' ? Math.tanh(v) : v);
  const expected = tiled && c.activation !== 'tanh'
    ? gemmSplitKRef(xh, w, m, n, k, { activation: c.activation, ...(bias ? { bias } : {}), ...(added ? { residual: added } : {}) })
    : product(xh, w).map((v, i) => act(v + (bias ? bias[i % n]! : 0)) + (added ? added[i]! : 0));
  const cMult = tiled ? 10 : 4;
  const d = c.activation === 'gelu' ? 1.2 : 1;
  const wMax = w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const tolerance = sums.map((s, i) => d * (cMult * U16 + (k + 16) * 2 * E32) * s + 16 * E32 * (Math.abs(expected[i]!) + Math.abs(bias ? bias[i % n]! : 0) + Math.abs(added ? added[i]! : 0)) + k * E32 * (1 + wMax));
  return { x, pro, w, bias, residual: raw, residualNorm, expected, tolerance };
}

function worst(actual: Float32Array, o: Operands): { ok: boolean; index: number; error: number; tolerance: number; expected: number; actual: number } {
  let index = 0;
  let excess = -Infinity;
  let ok = actual.length === o.expected.length;
  for (let i = 0; i < o.expected.length; i++) {
    const e = Number.isFinite(actual[i]!) ? Math.abs(actual[i]! - o.expected[i]!) - o.tolerance[i]! : Infinity;
    if (e > 0) ok = false;
    if (e > excess) [excess, index] = [e, i];
  }
  return { ok, index, error: Math.abs(actual[index]! - o.expected[index]!), tolerance: o.tolerance[index]!, expected: o.expected[index]!, actual: actual[index]! };
}

function prologueOf(kind: PrologueKind, buf: GPUBuffer | null): ProductPrologue | undefined {
  if (!buf) return undefined;
  switch (kind) {
    case 'none':
      return undefined;
    case 'rmsnorm':
      return { kind: 'rmsnorm', gamma: buf, eps: EPS };
    case 'swiglu':
      return { kind: 'swiglu', up: buf };
    case 'layernorm':
      return { kind: 'layernorm', gammaBeta: buf, eps: EPS };
  }
}

/** The GPU buffers of a case's operands (W packed as f16 halves) and an output of `outCount` f32. */
function upload(ctx: DeviceContext, o: Operands, kind: PrologueKind, outCount: number) {
  const opt = (v: Float32Array | null): GPUBuffer | null => (v ? ctx.buffer(v) : null);
  return { x: ctx.buffer(o.x), w: ctx.buffer(packF16(o.w)), y: ctx.buffer(4 * outCount), bias: opt(o.bias), residual: opt(o.residual), residualNorm: opt(o.residualNorm), prologue: prologueOf(kind, opt(o.pro)) };
}

const DEVICE = { features: ['shader-f16', 'subgroups'] as GPUFeatureName[] };

type TiledKind = 'gemm' | 'split-k';

async function runTiled(kind: TiledKind, c: Case, seed: number): Promise<{ out: Float32Array; o: Operands; entryVec4: boolean }> {
  const o = operands(c, 'kn', true, seed);
  return withDevice(async (ctx) => {
    const { device, read, track } = ctx;
    const cache = new PipelineCache(device);
    const resources: GPUBuffer[] = [];
    const b = upload(ctx, o, c.prologue, c.m * c.n);
    const args = {
      a: b.x, b: b.w, c: b.y, m: c.m, n: c.n, k: c.k, weights: 'f16' as const, precision: 'f16' as const, resources,
      ...(b.bias ? { bias: b.bias } : {}),
      ...(c.activation === 'relu' ? { relu: true } : c.activation === 'gelu' ? { gelu: true } : {}),
      ...(b.residual ? { residual: b.residual } : {}),
      ...(b.residualNorm ? { residualNorm: { gammaBeta: b.residualNorm, eps: EPS } } : {}),
      ...(b.prologue ? { prologue: b.prologue } : {}),
    };
    const list: Dispatch[] = kind === 'gemm' ? [createGemm(device, cache, args)] : createGemmSplitK(device, cache, { ...args, splits: 4 });
    submitDispatches(device, list);
    const out = new Float32Array(await read(b.y));
    resources.forEach(track);
    return { out: out.subarray(0, c.m * c.n), o, entryVec4: c.k % 4 === 0 && c.n % 4 === 0 };
  }, DEVICE);
}

interface RowCase extends Case {
  layout: 'kn' | 'nk';
  subgroup: boolean;
}

async function runRow(c: RowCase, seed: number): Promise<{ out: Float32Array; o: Operands }> {
  const o = operands(c, c.layout, false, seed);
  return withDevice(async (ctx) => {
    const { device, read, track } = ctx;
    const cache = new PipelineCache(device);
    const resources: GPUBuffer[] = [];
    const b = upload(ctx, o, c.prologue, c.n);
    const args: GemvArgs = {
      x: b.x, w: b.w, y: b.y, n: c.n, k: c.k, layout: c.layout, weights: 'f16', precision: 'f16', resources,
      activation: c.activation,
      ...(b.bias ? { bias: b.bias } : {}),
      ...(b.residual ? { residual: b.residual } : {}),
      ...(b.residualNorm ? { residualNorm: { gammaBeta: b.residualNorm, eps: EPS } } : {}),
      ...(b.prologue ? { prologue: b.prologue } : {}),
    };
    submitDispatches(device, [c.subgroup ? createGemvSubgroup(device, cache, args) : createGemv(device, cache, args)]);
    const out = new Float32Array(await read(b.y));
    resources.forEach(track);
    return { out: out.subarray(0, c.n), o };
  }, DEVICE);
}

const TILED: [TiledKind, Case][] = [
  // vec4 entry (k, n multiples of 4), more than one 32-row tile, K beyond one tile depth.
  ['gemm', { m: 40, n: 24, k: 96, prologue: 'none', activation: 'none', bias: false, residual: 'none' }],
  // scalar entry (odd shapes), bias and GELU.
  ['gemm', { m: 9, n: 10, k: 37, prologue: 'none', activation: 'gelu', bias: true, residual: 'none' }],
  ['gemm', { m: 33, n: 16, k: 200, prologue: 'rmsnorm', activation: 'none', bias: false, residual: 'plain' }],
  ['gemm', { m: 5, n: 6, k: 70, prologue: 'swiglu', activation: 'relu', bias: true, residual: 'none' }],
  ['gemm', { m: 12, n: 20, k: 64, prologue: 'layernorm', activation: 'none', bias: true, residual: 'norm' }],
  ['split-k', { m: 4, n: 32, k: 256, prologue: 'rmsnorm', activation: 'gelu', bias: true, residual: 'none' }],
  ['split-k', { m: 3, n: 9, k: 150, prologue: 'none', activation: 'none', bias: false, residual: 'norm' }],
];

const ROWS: RowCase[] = [
  { layout: 'kn', subgroup: false, m: 1, n: 64, k: 300, prologue: 'rmsnorm', activation: 'none', bias: false, residual: 'plain' },
  { layout: 'kn', subgroup: false, m: 1, n: 13, k: 90, prologue: 'swiglu', activation: 'tanh', bias: true, residual: 'none' },
  { layout: 'nk', subgroup: false, m: 1, n: 37, k: 128, prologue: 'layernorm', activation: 'none', bias: false, residual: 'none' },
  { layout: 'kn', subgroup: false, m: 1, n: 24, k: 64, prologue: 'none', activation: 'gelu', bias: true, residual: 'norm' },
  { layout: 'kn', subgroup: true, m: 1, n: 48, k: 200, prologue: 'rmsnorm', activation: 'relu', bias: true, residual: 'none' },
  { layout: 'nk', subgroup: true, m: 1, n: 29, k: 96, prologue: 'none', activation: 'none', bias: false, residual: 'plain' },
];

const describeCase = (c: Case): string => `${c.m}×${c.n}×${c.k} prologue ${c.prologue}, ${c.activation}${c.bias ? ', bias' : ''}${c.residual !== 'none' ? `, residual ${c.residual}` : ''}`;

describe.skipIf(!f16Adapter.ok)('f16 products on a shader-f16 adapter', () => {
  TILED.forEach(([kind, c], i) => {
    test(`${kind} ${describeCase(c)}: within the f16 bound of the f64 reference`, async () => {
      const { out, o } = await runTiled(kind, c, 100 + 10 * i);
      const report = worst(out, o);
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
      // The bound is not loose enough to hide a wrong product: the largest tolerance is a small
      // fraction of the outputs' scale.
      expect(Math.max(...o.tolerance)).toBeLessThan(0.05 * Math.max(...o.expected.map(Math.abs)));
    });
  });

  ROWS.forEach((c, i) => {
    test(`${c.subgroup ? 'gemv-subgroup' : 'gemv'} '${c.layout}' ${describeCase(c)}: within the f16 bound of the f64 reference`, async () => {
      const { out, o } = await runRow(c, 300 + 10 * i);
      const report = worst(out, o);
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
      expect(Math.max(...o.tolerance)).toBeLessThan(0.05 * Math.max(...o.expected.map(Math.abs)));
    });
  });

  const ENTRY_POINTS = 10;
  test('the products multiply in f16: 1 + 2⁻¹⁰ squared loses its 2⁻²⁰ term, unlike the f32 products of the same f16 weights', async () => {
    const k = 32;
    const v = 1 + 2 ** -10; // exact in f16
    const results = await withDevice(async ({ device, buffer, read }) => {
      const cache = new PipelineCache(device);
      const resources: GPUBuffer[] = [];
      const run = async (precision: ProductPrecision): Promise<number[]> => {
        // Every entry point of every product: gemm main_vec4 (4×4×32) and main_scalar (3×5×32),
        // split-K partial_vec4 and partial_scalar (2 slices, n = 4 and 5), and gemv and the
        // subgroup GEMV in main_vec4 ('kn', n = 4), main_scalar ('kn', n = 5) and main_rows ('nk').
        // All the weights are equal, so each layout reads the same values.
        const x = buffer(new Float32Array(4 * k).fill(v));
        const w = buffer(packF16(new Float32Array(k * 5).fill(v)));
        const outs = Array.from({ length: ENTRY_POINTS }, () => buffer(4 * 25));
        const row = { x, w, k, weights: 'f16', precision, resources } as const;
        submitDispatches(device, [
          createGemm(device, cache, { a: x, b: w, c: outs[0]!, m: 4, n: 4, k, weights: 'f16', precision, resources }),
          createGemm(device, cache, { a: x, b: w, c: outs[1]!, m: 3, n: 5, k, weights: 'f16', precision, resources }),
          ...createGemmSplitK(device, cache, { a: x, b: w, c: outs[2]!, m: 4, n: 4, k, splits: 2, weights: 'f16', precision, resources }),
          ...createGemmSplitK(device, cache, { a: x, b: w, c: outs[3]!, m: 3, n: 5, k, splits: 2, weights: 'f16', precision, resources }),
          createGemv(device, cache, { ...row, y: outs[4]!, n: 4, layout: 'kn' }),
          createGemv(device, cache, { ...row, y: outs[5]!, n: 5, layout: 'kn' }),
          createGemv(device, cache, { ...row, y: outs[6]!, n: 5, layout: 'nk' }),
          createGemvSubgroup(device, cache, { ...row, y: outs[7]!, n: 4, layout: 'kn' }),
          createGemvSubgroup(device, cache, { ...row, y: outs[8]!, n: 5, layout: 'kn' }),
          createGemvSubgroup(device, cache, { ...row, y: outs[9]!, n: 5, layout: 'nk' }),
        ]);
        const firsts: number[] = [];
        for (const o of outs) firsts.push(new Float32Array(await read(o))[0]!);
        for (const r of resources) r.destroy();
        return firsts;
      };
      return { f16: await run('f16'), f32: await run('f32') };
    }, DEVICE);
    // f16: each product rounds to 1 + 2⁻⁹ (4-term blocks: 4 + 2⁻⁷, exact), f32 keeps 1 + 2⁻⁹ + 2⁻²⁰.
    const f16Ref = k * (1 + 2 ** -9);
    const f32Ref = k * (1 + 2 ** -9 + 2 ** -20);
    expect(Math.fround(f16Ref)).toBe(32.0625);
    expect(results.f16).toEqual(Array<number>(ENTRY_POINTS).fill(f16Ref));
    expect(results.f32).toEqual(Array<number>(ENTRY_POINTS).fill(f32Ref));
  });

  test('f16 products need f16 weights', async () => {
    await withDevice(async ({ device, buffer }) => {
      const cache = new PipelineCache(device);
      const [a, b, c] = [buffer(64), buffer(64), buffer(64)];
      expect(() => createGemm(device, cache, { a, b, c, m: 2, n: 2, k: 4, weights: 'f32', precision: 'f16' })).toThrow(RangeError);
    }, DEVICE);
  });
});
