/**
 * The products' prologues against the chain they replace, bit for bit: rmsnorm → gemm/gemv and
 * swiglu → gemm/gemv. The prologues repeat the separate kernels' f32 operations in their order
 * (rmsnorm's 64-lane strided sums and halving tree, swiglu's expression), so nothing may differ.
 * Shapes cover both gemm entry points (vec4: k, n multiples of 4; scalar otherwise), more than
 * one 32-row tile, rows longer than 64 lanes, and the three gemv entry points with an x offset.
 * Split-K with a prologue against rmsnorm / swiglu → split-K (same slices), bit for bit: every
 * slice's workgroups compute inv_rms over the whole row with gemm's helpers; against the gemm with
 * the same prologue it agrees within the split-K tolerance (another K summation order).
 * (The subgroup GEMV's prologues are in tests/gpu/kernels.subgroup.test.ts: they need the feature.)
 */
import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import { compareClose, seededValues } from '../../kernels/testing.ts';
import { createGemm } from '../../src/engine/ops/gemm.ts';
import { createGemv } from '../../src/engine/ops/gemv.ts';
import { createGemmSplitK } from '../../src/engine/ops/gemm-splitk.ts';
import type { ProductPrologue } from '../../src/engine/ops/prologue.ts';
import type { Dispatch } from '../../src/engine/dispatch.ts';
import { createRmsNorm } from '../../src/engine/ops/norms.ts';
import { createSwiglu } from '../../src/engine/ops/elementwise.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { submitDispatches } from '../../src/engine/ops/submit.ts';

const bits = (x: ArrayBuffer): number[] => Array.from(new Uint32Array(x));
const EPS = 1e-6;

describe('gemm prologues', () => {
  for (const [m, n, k] of [[9, 64, 32], [33, 16, 200], [5, 6, 7], [40, 12, 130]] as const) {
    test(`${m}×${n}×${k}: RMSNorm prologue equals rmsnorm then gemm`, async () => {
      // Values up to 3 so that inv_rms is far from 1 and a wrong row or gamma index shows.
      const x = seededValues(11, m * k, 3);
      const gamma = seededValues(12, k);
      const w = seededValues(13, k * n);
      const [fused, chain] = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const [xb, gb, wb] = [buffer(x), buffer(gamma), buffer(w)];
        const normed = buffer(4 * m * k);
        const [out, ref] = [buffer(4 * m * n), buffer(4 * m * n)];
        const d = createGemm(device, cache, { a: xb, b: wb, c: out, m, n, k, prologue: { kind: 'rmsnorm', gamma: gb, eps: EPS }, resources });
        submitDispatches(device, [
          d,
          createRmsNorm(device, cache, { x: xb, gamma: gb, y: normed, rows: m, dim: k, eps: EPS, resources }),
          createGemm(device, cache, { a: normed, b: wb, c: ref, m, n, k, resources }),
        ]);
        // The norm's FLOPs as rmsnorm declared them (4 per element); gamma read on top of the product.
        expect(d.flops).toBe(2 * m * n * k + 4 * m * k);
        expect(d.bytes).toBe(4 * (m * k + k * n + m * n) + 4 * k);
        const result = [await read(out), await read(ref)];
        resources.forEach(track);
        return result;
      });
      expect(bits(fused!)).toEqual(bits(chain!));
    });

    test(`${m}×${n}×${k}: SwiGLU prologue equals swiglu then gemm (gate and up slices of one buffer)`, async () => {
      const gate = seededValues(21, m * k, 4);
      const up = seededValues(22, m * k, 2);
      const w = seededValues(23, k * n);
      // up starts on a 256-byte boundary after gate, as in the decoder's gate/up buffer.
      const upAt = Math.ceil((4 * m * k) / 256) * 256;
      const both = new Float32Array(upAt / 4 + m * k);
      both.set(gate, 0);
      both.set(up, upAt / 4);
      const [fused, chain] = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const gu = buffer(both);
        const wb = buffer(w);
        const [gateRef, upRef] = [{ buffer: gu, offset: 0, size: 4 * m * k }, { buffer: gu, offset: upAt, size: 4 * m * k }];
        const g2 = buffer(gate);
        const [out, ref] = [buffer(4 * m * n), buffer(4 * m * n)];
        const d = createGemm(device, cache, { a: gateRef, b: wb, c: out, m, n, k, prologue: { kind: 'swiglu', up: upRef }, resources });
        submitDispatches(device, [
          d,
          createSwiglu(device, cache, { gate: g2, up: buffer(up), count: m * k, resources }),
          createGemm(device, cache, { a: g2, b: wb, c: ref, m, n, k, resources }),
        ]);
        expect(d.flops).toBe(2 * m * n * k + 6 * m * k);
        expect(d.bytes).toBe(4 * (m * k + k * n + m * n) + 4 * m * k);
        const result = [await read(out), await read(ref)];
        resources.forEach(track);
        return result;
      });
      expect(bits(fused!)).toEqual(bits(chain!));
    });
  }
});

describe('gemv prologues', () => {
  // [layout, n, k]: 'kn' vec4, 'kn' scalar, 'nk' rows; x is row 2 of a 3-row activation.
  for (const [layout, n, k] of [['kn', 64, 200], ['kn', 6, 130], ['nk', 37, 200]] as const) {
    const rows = 3;
    const row = 2;
    test(`${layout} n=${n} k=${k}: RMSNorm prologue equals rmsnorm then gemv`, async () => {
      const x = seededValues(31, rows * k, 3);
      const gamma = seededValues(32, k);
      const w = seededValues(33, k * n);
      const [fused, chain] = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const [xb, gb, wb] = [buffer(x), buffer(gamma), buffer(w)];
        const normed = buffer(4 * rows * k);
        const [out, ref] = [buffer(4 * n), buffer(4 * n)];
        const d = createGemv(device, cache, { x: xb, w: wb, y: out, n, k, layout, xOffset: row * k, prologue: { kind: 'rmsnorm', gamma: gb, eps: EPS }, resources });
        submitDispatches(device, [
          d,
          createRmsNorm(device, cache, { x: xb, gamma: gb, y: normed, rows: 1, dim: k, eps: EPS, rowOffset: row, resources }),
          createGemv(device, cache, { x: normed, w: wb, y: ref, n, k, layout, xOffset: row * k, resources }),
        ]);
        expect(d.flops).toBe(2 * n * k + 4 * k);
        // A later block of a split weight repeats the norm but does not count it again.
        const again = createGemv(device, cache, { x: xb, w: wb, y: out, n, k, layout, xOffset: row * k, prologue: { kind: 'rmsnorm', gamma: gb, eps: EPS }, countPrologue: false, resources });
        expect(again.flops).toBe(2 * n * k);
        const result = [await read(out), await read(ref)];
        resources.forEach(track);
        return result;
      });
      expect(bits(fused!)).toEqual(bits(chain!));
    });
  }

  for (const [n, k] of [[64, 200], [6, 130]] as const) {
    test(`kn n=${n} k=${k}: SwiGLU prologue equals swiglu then gemv`, async () => {
      const gate = seededValues(41, k, 4);
      const up = seededValues(42, k, 2);
      const w = seededValues(43, k * n);
      const upAt = Math.ceil((4 * k) / 256) * 256;
      const both = new Float32Array(upAt / 4 + k);
      both.set(gate, 0);
      both.set(up, upAt / 4);
      const [fused, chain] = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const gu = buffer(both);
        const wb = buffer(w);
        const g2 = buffer(gate);
        const [out, ref] = [buffer(4 * n), buffer(4 * n)];
        const d = createGemv(device, cache, {
          x: { buffer: gu, offset: 0, size: 4 * k }, w: wb, y: out, n, k,
          prologue: { kind: 'swiglu', up: { buffer: gu, offset: upAt, size: 4 * k } }, resources,
        });
        submitDispatches(device, [
          d,
          createSwiglu(device, cache, { gate: g2, up: buffer(up), count: k, resources }),
          createGemv(device, cache, { x: g2, w: wb, y: ref, n, k, resources }),
        ]);
        expect(d.flops).toBe(2 * n * k + 6 * k);
        const result = [await read(out), await read(ref)];
        resources.forEach(track);
        return result;
      });
      expect(bits(fused!)).toEqual(bits(chain!));
    });
  }
});

describe('split-K prologues', () => {
  // [m, n, k, splits]: vec4 with two row tiles and 3 slices of a 200-long row; scalar with a short last slice.
  for (const [m, n, k, splits] of [[33, 16, 200, 3], [5, 6, 130, 4]] as const) {
    for (const kind of ['rmsnorm', 'swiglu'] as const) {
      test(`${m}×${n}×${k} in ${splits} slices: ${kind} prologue equals ${kind} then split-K`, async () => {
        const x = seededValues(61, m * k, 3);
        const operand = seededValues(62, kind === 'rmsnorm' ? k : m * k, 2);
        const w = seededValues(63, k * n);
        const got = await withDevice(async ({ device, buffer, read, track }) => {
          const cache = new PipelineCache(device);
          const resources: GPUBuffer[] = [];
          const [xb, ob, wb] = [buffer(x), buffer(operand), buffer(w)];
          const prologue: ProductPrologue = kind === 'rmsnorm' ? { kind, gamma: ob, eps: EPS } : { kind, up: ob };
          const pre = buffer(kind === 'rmsnorm' ? 4 * m * k : x);
          const [fused, chain, plain] = [buffer(4 * m * n), buffer(4 * m * n), buffer(4 * m * n)];
          const split = createGemmSplitK(device, cache, { a: xb, b: wb, c: fused, m, n, k, splits, prologue, resources });
          const gemm = createGemm(device, cache, { a: xb, b: wb, c: plain, m, n, k, prologue, resources });
          // FLOPs as gemm counts them with the prologue (on the first pass); bytes add gamma or up there.
          expect(split[0].flops + split[1].flops).toBe(gemm.flops);
          const unfused = createGemmSplitK(device, cache, { a: pre, b: wb, c: chain, m, n, k, splits, resources });
          expect(split[0].bytes - unfused[0].bytes).toBe(kind === 'rmsnorm' ? 4 * k : 4 * m * k);
          const list: Dispatch[] = [
            ...split,
            kind === 'rmsnorm'
              ? createRmsNorm(device, cache, { x: xb, gamma: ob, y: pre, rows: m, dim: k, eps: EPS, resources })
              : createSwiglu(device, cache, { gate: pre, up: ob, count: m * k, resources }),
            ...unfused,
            gemm,
          ];
          submitDispatches(device, list);
          const result = [await read(fused), await read(chain), await read(plain)];
          resources.forEach(track);
          return result;
        });
        expect(bits(got[0]!)).toEqual(bits(got[1]!));
        const vsGemm = compareClose(new Float32Array(got[0]!), new Float32Array(got[2]!), 1e-5 * (1 + k), 1e-4);
        expect(vsGemm, JSON.stringify(vsGemm)).toMatchObject({ ok: true });
      });
    }
  }
});
