/**
 * Kernel metadata and CPU references, in Node (no GPU): the references reproduce the
 * hand-computed cases of each NAME.cases.json (so the GPU tests compare against something
 * checked), the metas follow the FLOP convention of kernels/README.md, and tensor splitting plans
 * cover every element exactly once.
 */
import { describe, expect, test } from 'vitest';
import { CASE_KERNELS, CaseFileError, parseCases } from '../../kernels/cases-schema.ts';
import { compareClose, f16BitsToF32, f32ToF16Bits, packF16, unpackF16 } from '../../kernels/testing.ts';
import { gemmRef } from '../../kernels/gemm/gemm.ref.ts';
import { gemmMeta, gemmUsesVec4 } from '../../kernels/gemm/gemm.meta.ts';
import { gemvRef } from '../../kernels/gemv/gemv.ref.ts';
import { gemvMeta } from '../../kernels/gemv/gemv.meta.ts';
import { layernormRef } from '../../kernels/layernorm/layernorm.ref.ts';
import { rmsnormRef } from '../../kernels/rmsnorm/rmsnorm.ref.ts';
import { attentionRef } from '../../kernels/attention/attention.ref.ts';
import { attentionMeta, attentionPairs } from '../../kernels/attention/attention.meta.ts';
import { geluRef, erf } from '../../kernels/gelu/gelu.ref.ts';
import { swigluRef } from '../../kernels/swiglu/swiglu.ref.ts';
import { ropeRef } from '../../kernels/rope/rope.ref.ts';
import { ropeTables } from '../../kernels/rope/rope.meta.ts';
import { embeddingRef } from '../../kernels/embedding/embedding.ref.ts';
import { argmaxRef } from '../../kernels/argmax/argmax.ref.ts';
import { classifierMeta } from '../../kernels/classifier/classifier.meta.ts';
import { grid2d } from '../../kernels/kernel-grid.ts';
import { planParts } from '../../src/engine/models/buffers.ts';
import { ModelTooLargeError } from '../../src/engine/errors.ts';
import gemmCases from '../../kernels/gemm/gemm.cases.json';
import gemvCases from '../../kernels/gemv/gemv.cases.json';
import layernormCases from '../../kernels/layernorm/layernorm.cases.json';
import rmsnormCases from '../../kernels/rmsnorm/rmsnorm.cases.json';
import attentionCases from '../../kernels/attention/attention.cases.json';
import attentionRopeCases from '../../kernels/attention-rope/attention-rope.cases.json';
import { attentionRopeRef } from '../../kernels/attention-rope/attention-rope.ref.ts';
import { attentionRopeMeta } from '../../kernels/attention-rope/attention-rope.meta.ts';
import geluCases from '../../kernels/gelu/gelu.cases.json';
import swigluCases from '../../kernels/swiglu/swiglu.cases.json';
import ropeCases from '../../kernels/rope/rope.cases.json';
import embeddingCases from '../../kernels/embedding/embedding.cases.json';
import argmaxCases from '../../kernels/argmax/argmax.cases.json';
import synthCases from '../../kernels/weight-synth/weight-synth.cases.json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthTensor } from '../../src/engine/weights.ts';

const close = (a: ArrayLike<number>, e: ArrayLike<number>, atol = 1e-7): void => {
  const r = compareClose(a, e, atol);
  expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
};
const F = (x: number[]): Float32Array => new Float32Array(x);
type Explicit<T> = T & { expected?: unknown };
/** The hand-computed cases of a file; a file without one fails (a loop over nothing passes). */
const explicit = <T>(cases: Explicit<T>[]): (T & { expected: never })[] => {
  const out = cases.filter((c) => c.expected !== undefined) as (T & { expected: never })[];
  expect(out.length, 'hand-computed cases').toBeGreaterThan(0);
  return out;
};

describe('CPU references reproduce the hand-computed cases', () => {
  test('gemm', () => {
    for (const c of explicit((parseCases('gemm', gemmCases) as { m: number; n: number; k: number; a: number[]; b: number[]; bias?: number[]; relu?: boolean }[]))) {
      close(gemmRef(F(c.a), F(c.b), c.m, c.n, c.k, { ...(c.bias ? { bias: F(c.bias) } : {}), relu: c.relu ?? false }), c.expected);
    }
  });
  test('gemv (both layouts)', () => {
    for (const c of explicit((parseCases('gemv', gemvCases) as { n: number; k: number; layout: 'kn' | 'nk'; x: number[]; w: number[]; bias?: number[]; activation?: 'none' | 'relu' | 'tanh' }[]))) {
      close(gemvRef(F(c.x), F(c.w), c.n, c.k, { layout: c.layout, ...(c.bias ? { bias: F(c.bias) } : {}), activation: c.activation ?? 'none' }), c.expected);
    }
  });
  test('layernorm, rmsnorm', () => {
    for (const c of explicit((parseCases('layernorm', layernormCases) as { rows: number; dim: number; eps: number; x: number[]; gamma: number[]; beta: number[] }[]))) {
      close(layernormRef(F(c.x), F(c.gamma), F(c.beta), c.rows, c.dim, c.eps), c.expected, 1e-6);
    }
    for (const c of explicit((parseCases('rmsnorm', rmsnormCases) as { rows: number; dim: number; eps: number; x: number[]; gamma: number[] }[]))) {
      close(rmsnormRef(F(c.x), F(c.gamma), c.rows, c.dim, c.eps), c.expected, 1e-6);
    }
  });
  test('attention', () => {
    for (const c of explicit((parseCases('attention', attentionCases) as { queries: number; heads: number; kvHeads: number; headDim: number; qPos0: number; kvLen: number; causal: boolean; q: number[]; k: number[]; v: number[] }[]))) {
      close(attentionRef(F(c.q), F(c.k), F(c.v), c), c.expected, 1e-6);
    }
  });
  test('attention-rope: outputs and the rotated K rows stored in the cache', () => {
    type C = { queries: number; heads: number; kvHeads: number; headDim: number; qPos0: number; theta: number; q: number[]; kNew: number[]; kCache?: number[]; v: number[]; expectedK: number[] };
    for (const c of explicit(parseCases('attention-rope', attentionRopeCases) as C[])) {
      const r = attentionRopeRef(F(c.q), F(c.kNew), F(c.kCache ?? []), F(c.v), c, c.theta);
      close(r.o, c.expected, 1e-6);
      close(r.kRotated, c.expectedK, 1e-7);
    }
  });
  test('gelu (with an accurate erf), swiglu', () => {
    expect(erf(0)).toBe(0);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 14);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 10);
    for (const c of explicit((parseCases('gelu', geluCases) as { x: number[] }[]))) close(geluRef(F(c.x)), c.expected, 1e-6);
    for (const c of explicit((parseCases('swiglu', swigluCases) as { gate: number[]; up: number[] }[]))) close(swigluRef(F(c.gate), F(c.up)), c.expected, 1e-6);
  });
  test('rope (and its tables)', () => {
    let handComputed = 0;
    for (const c of (parseCases('rope', ropeCases) as { tokens: number; heads: number; kvHeads: number; headDim: number; pos0: number; theta: number; q?: number[]; k?: number[]; expectedQ?: number[]; expectedK?: number[] }[])) {
      if (!c.q || !c.k || !c.expectedQ || !c.expectedK) continue;
      handComputed++;
      close(ropeRef(F(c.q), c.tokens, c.heads, c.headDim, c.pos0, c.theta), c.expectedQ, 1e-7);
      close(ropeRef(F(c.k), c.tokens, c.kvHeads, c.headDim, c.pos0, c.theta), c.expectedK, 1e-7);
    }
    expect(handComputed).toBeGreaterThanOrEqual(3);
    const t = ropeTables(3, 4, 100);
    // pos 0: identity; pos 2, pair 1: angle 2·100^(−1/2) = 0.2.
    expect(Array.from(t.cos.subarray(0, 2))).toEqual([1, 1]);
    expect(Array.from(t.sin.subarray(0, 2))).toEqual([0, 0]);
    expect(t.cos[2 * 2 + 1]).toBeCloseTo(Math.cos(0.2), 7);
    expect(t.sin[2 * 2 + 1]).toBeCloseTo(Math.sin(0.2), 7);
  });
  test('embedding, argmax', () => {
    for (const c of explicit((parseCases('embedding', embeddingCases) as { dim: number; ids: number[]; table: number[]; positions?: number[] }[]))) {
      close(embeddingRef(c.ids, F(c.table), c.dim, c.positions ? F(c.positions) : undefined), c.expected);
    }
    for (const c of explicit((parseCases('argmax', argmaxCases) as { x: number[] }[]))) expect(argmaxRef(c.x)).toBe(c.expected);
  });
});

describe('kernel metas follow the FLOP convention', () => {
  test('gemm: 2·m·n·k, 4 bytes per element moved, one workgroup per 32×32 tile', () => {
    expect(gemmMeta.flops({ m: 64, n: 768, k: 3072 })).toBe(2 * 64 * 768 * 3072);
    expect(gemmMeta.bytes({ m: 2, n: 3, k: 4 })).toBe(4 * (8 + 12 + 6));
    expect(gemmMeta.workgroups({ m: 33, n: 65, k: 17 })).toEqual([3, 2, 1]);
    expect(gemmUsesVec4({ m: 7, n: 64, k: 20 })).toBe(true);
    expect(gemmUsesVec4({ m: 7, n: 2, k: 768 })).toBe(false);
  });
  test('gemv: 2·n·k; row layout folds into a 2-D grid past 65535 workgroups', () => {
    expect(gemvMeta.flops({ n: 151936, k: 896, layout: 'nk' })).toBe(2 * 151936 * 896);
    expect(gemvMeta.workgroups({ n: 896, k: 896, layout: 'kn' })).toEqual([14, 1, 1]); // 224 vec4 columns, 16 per workgroup
    expect(gemvMeta.workgroups({ n: 2, k: 768, layout: 'kn' })).toEqual([1, 1, 1]);
    expect(gemvMeta.workgroups({ n: 151936, k: 896, layout: 'nk' })).toEqual([37984, 1, 1]);
    const [x, y] = gemvMeta.workgroups({ n: 4 * 70000, k: 8, layout: 'nk' });
    expect(x * y).toBeGreaterThanOrEqual(70000);
    expect(x).toBeLessThanOrEqual(65535);
  });
  test('attention pairs: causal prefill i+1 keys, bidirectional all, decode the cache length', () => {
    expect(attentionPairs({ queries: 112, qPos0: 0, kvLen: 112, causal: true })).toBe((112 * 113) / 2);
    expect(attentionPairs({ queries: 64, qPos0: 0, kvLen: 64, causal: false })).toBe(64 * 64);
    expect(attentionPairs({ queries: 1, qPos0: 115, kvLen: 116, causal: true })).toBe(116);
    // Qwen-shaped decode step: 14 heads, hd 64, 116 keys: (4·64 + 6) per pair and head.
    expect(attentionMeta.flops({ queries: 1, heads: 14, kvHeads: 2, headDim: 64, qPos0: 115, kvLen: 116, causal: true })).toBe(14 * 116 * 262);
  });
  test('attention-rope counts attention plus RoPE on the new Q and K rows, as the two kernels it replaces', () => {
    const s = { queries: 1, heads: 14, kvHeads: 2, headDim: 64, qPos0: 115 };
    expect(attentionRopeMeta.flops(s)).toBe(attentionMeta.flops({ ...s, kvLen: 116, causal: true }) + 3 * (14 + 2) * 64);
    expect(attentionRopeMeta.workgroups({ ...s, queries: 7 })).toEqual([7, 14, 1]);
  });
  test('classifier head: pre d×d + bias + activation, then d×labels + bias', () => {
    expect(classifierMeta.flops({ hidden: 768, labels: 2 })).toBe(2 * 768 * 768 + 768 + 768 + 2 * 768 * 2 + 2);
  });
  test('grid2d', () => {
    expect(grid2d(0)).toEqual([1, 1, 1]);
    expect(grid2d(65535)).toEqual([65535, 1, 1]);
    expect(grid2d(65536)).toEqual([32768, 2, 1]);
  });
});

describe('splitting tensors over the binding limit', () => {
  const limit = { bytes: 1000, name: 'maxStorageBufferBindingSize' };
  const cover = (parts: { rowStart: number; rowCount: number; colStart: number; colCount: number }[], rows: number, cols: number): number[] => {
    const seen = new Array<number>(rows * cols).fill(0);
    for (const p of parts) for (let r = 0; r < p.rowCount; r++) for (let c = 0; c < p.colCount; c++) seen[(p.rowStart + r) * cols + p.colStart + c]! += 1;
    return [...new Set(seen)];
  };
  test('fits: one part', () => {
    expect(planParts('m', 't', 10, 25, 'none', limit)).toEqual([{ rowStart: 0, rowCount: 10, colStart: 0, colCount: 25 }]);
  });
  test('rows: ranges of floor(limit / row bytes) rows covering every element once', () => {
    const parts = planParts('m', 'embed.tokens', 30, 10, 'rows', limit); // 40 B per row → 25 rows per part
    expect(parts.map((p) => [p.rowStart, p.rowCount])).toEqual([[0, 25], [25, 5]]);
    expect(cover(parts, 30, 10)).toEqual([1]);
  });
  test('cols: blocks of a multiple of 4 columns covering every element once', () => {
    const parts = planParts('m', 'lmHead.weight', 10, 70, 'cols', limit); // 25 cols fit → 24
    expect(parts.map((p) => [p.colStart, p.colCount])).toEqual([[0, 24], [24, 24], [48, 22]]);
    expect(cover(parts, 10, 70)).toEqual([1]);
  });
  test('an unsplittable tensor over the limit throws ModelTooLargeError naming model, tensor, limit', () => {
    expect(() => planParts('qwen2.5-0.5b-instruct', 'layers.0.ffn.up.weight', 896, 4864, 'none', { bytes: 1 << 20, name: 'maxStorageBufferBindingSize' })).toThrowError(ModelTooLargeError);
    try {
      planParts('qwen2.5-0.5b-instruct', 'layers.0.ffn.up.weight', 896, 4864, 'none', { bytes: 1 << 20, name: 'maxStorageBufferBindingSize' });
    } catch (e) {
      const err = e as ModelTooLargeError;
      expect(err.name).toBe('ModelTooLargeError');
      expect(err.message).toBe(
        'qwen2.5-0.5b-instruct: layers.0.ffn.up.weight needs 17.4 MB in one buffer, more than this adapter\'s maxStorageBufferBindingSize (1.0 MB). Choose a smaller preset (quick or ci) or a smaller custom model.',
      );
    }
  });
});

describe('f16 helpers used by the f16-storage tests', () => {
  test('known encodings, ties to even, subnormals, overflow', () => {
    expect(f32ToF16Bits(1)).toBe(0x3c00);
    expect(f32ToF16Bits(0.5)).toBe(0x3800);
    expect(f32ToF16Bits(-2)).toBe(0xc000);
    expect(f32ToF16Bits(65504)).toBe(0x7bff);
    expect(f32ToF16Bits(1e6)).toBe(0x7c00);
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway: even mantissa stays
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway: odd mantissa rounds up
    expect(f32ToF16Bits(2 ** -24)).toBe(0x0001);
    expect(f16BitsToF32(0x0001)).toBe(2 ** -24);
    expect(f16BitsToF32(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(Array.from(packF16([1, -2, 0.5]))).toEqual([0xc0003c00, 0x3800]);
    expect(Array.from(unpackF16(new Uint32Array([0xc0003c00, 0x3800]), 3))).toEqual([1, -2, 0.5]);
  });
});

describe('paper-sized split plans', () => {
  test("Qwen2.5-0.5B's tied embedding (151936 × 896) under the default 128 MiB binding limit", () => {
    const limit = { bytes: 128 * 2 ** 20, name: 'maxStorageBufferBindingSize' };
    const f32 = planParts('qwen2.5-0.5b-instruct', 'embed.tokens', 151936, 896, 'rows', limit);
    // 128 MiB / (896 × 4 B) = 37449 rows per buffer → 5 buffers (4 full + 2140 rows).
    expect(f32.map((p) => p.rowCount)).toEqual([37449, 37449, 37449, 37449, 2140]);
    const f16 = planParts('qwen2.5-0.5b-instruct', 'embed.tokens', 151936, 896, 'rows', limit, 2);
    expect(f16.map((p) => p.rowCount)).toEqual([74898, 74898, 2140]);
  });
});

describe('case files', () => {
  const root = join(import.meta.dirname, '../../kernels');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cases.json'));

  test('every NAME.cases.json is valid against kernels/cases-schema.ts and has cases', () => {
    expect(files.map((f) => f.split(/[\\/]/)[0]).sort()).toEqual([...CASE_KERNELS].sort());
    for (const kernel of CASE_KERNELS) {
      const json: unknown = JSON.parse(readFileSync(join(root, kernel, `${kernel}.cases.json`), 'utf8'));
      expect(parseCases(kernel, json).length, kernel).toBeGreaterThan(0);
    }
  });

  test('every kernel with a CPU reference has a case file', () => {
    const withRef = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && readdirSync(join(root, d.name)).some((f) => f.endsWith('.ref.ts')))
      .map((d) => d.name);
    for (const k of withRef) expect(CASE_KERNELS, k).toContain(k);
  });

  test('an empty file, a typo and a wrong kernel name are refused', () => {
    expect(() => parseCases('rope', { kernel: 'rope', cases: [] })).toThrowError(CaseFileError);
    expect(() => parseCases('rope', { kernel: 'rope', cases: [] })).toThrowError(/has no case/);
    const good = { name: 'x', tokens: 1, heads: 1, kvHeads: 1, headDim: 2, pos0: 0, theta: 10000 };
    expect(parseCases('rope', { kernel: 'rope', cases: [good] })).toHaveLength(1);
    expect(() => parseCases('rope', { kernel: 'rope', cases: [{ ...good, expectedq: [1, 2] }] })).toThrowError(/expectedq/);
    expect(() => parseCases('rope', { kernel: 'gelu', cases: [good] })).toThrowError(CaseFileError);
    expect(() => parseCases('rope', { kernel: 'rope', cases: [good, good] })).toThrowError(/two cases/);
    expect(() => parseCases('gemv', { kernel: 'gemv', cases: [{ name: 'x', n: 1, k: 1, layout: 'kx' }] })).toThrowError(CaseFileError);
  });

  test('weight-synth: the TypeScript synth reproduces the independent bit patterns', () => {
    let checked = 0;
    for (const c of parseCases('weight-synth', synthCases)) {
      if (!c.expectedBits) continue;
      const full = synthTensor(c.seed, { id: c.tensorId, name: 't', shape: [c.rows, c.cols], init: c.init, scale: Math.fround(c.scale) });
      const colCount = c.colCount ?? c.cols;
      const got = new Float32Array(c.expectedBits.length);
      for (let e = 0; e < got.length; e++) {
        const r = Math.floor(e / colCount);
        const j = e % colCount;
        got[e] = full[((c.rowStart ?? 0) + r) * c.cols + (c.colStart ?? 0) + j]!;
      }
      expect(Array.from(new Uint32Array(got.buffer)), c.name).toEqual(c.expectedBits);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
