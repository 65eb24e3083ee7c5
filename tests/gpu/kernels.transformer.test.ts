/**
 * Every transformer kernel on the GPU against its CPU reference, from the data-driven cases in
 * kernels/NAME/NAME.cases.json (explicit cases carry hand-computed outputs; seeded cases carry a
 * shape, their inputs come from `seededValues` and their expectation from NAME.ref.ts).
 * Tolerances are stated in each cases file (f32 vs an f64 reference).
 */
import { describe, expect, test } from 'vitest';
import { withDevice, type DeviceContext } from '../helpers/with-device.ts';
import { PipelineCache, type Dispatch } from '../../src/engine/dispatch.ts';
import { submitDispatches } from '../../src/engine/ops/submit.ts';
import { createAttention } from '../../src/engine/ops/attention.ts';
import { createAttentionRope } from '../../src/engine/ops/attention-rope.ts';
import { createGelu, createResidual, createSwiglu } from '../../src/engine/ops/elementwise.ts';
import { createGemm } from '../../src/engine/ops/gemm.ts';
import { createGemv } from '../../src/engine/ops/gemv.ts';
import { createLayerNorm, createRmsNorm } from '../../src/engine/ops/norms.ts';
import { createRope } from '../../src/engine/ops/rope.ts';
import { createArgmax, createEmbedding } from '../../src/engine/ops/tokens.ts';
import { createWeightSynth } from '../../src/engine/ops/weight-synth.ts';
import { parseCases } from '../../kernels/cases-schema.ts';
import { compareClose, packF16, roundToF16, seededValues, unpackF16 } from '../../kernels/testing.ts';
import { gemmRef } from '../../kernels/gemm/gemm.ref.ts';
import gemvCases from '../../kernels/gemv/gemv.cases.json';
import layernormCases from '../../kernels/layernorm/layernorm.cases.json';
import rmsnormCases from '../../kernels/rmsnorm/rmsnorm.cases.json';
import attentionCases from '../../kernels/attention/attention.cases.json';
import attentionRopeCases from '../../kernels/attention-rope/attention-rope.cases.json';
import { attentionRopeRef } from '../../kernels/attention-rope/attention-rope.ref.ts';
import geluCases from '../../kernels/gelu/gelu.cases.json';
import swigluCases from '../../kernels/swiglu/swiglu.cases.json';
import residualCases from '../../kernels/residual/residual.cases.json';
import ropeCases from '../../kernels/rope/rope.cases.json';
import embeddingCases from '../../kernels/embedding/embedding.cases.json';
import argmaxCases from '../../kernels/argmax/argmax.cases.json';
import synthCases from '../../kernels/weight-synth/weight-synth.cases.json';
import { gemvRef } from '../../kernels/gemv/gemv.ref.ts';
import { layernormRef } from '../../kernels/layernorm/layernorm.ref.ts';
import { rmsnormRef } from '../../kernels/rmsnorm/rmsnorm.ref.ts';
import { attentionRef } from '../../kernels/attention/attention.ref.ts';
import { geluRef } from '../../kernels/gelu/gelu.ref.ts';
import { swigluRef } from '../../kernels/swiglu/swiglu.ref.ts';
import { residualRef } from '../../kernels/residual/residual.ref.ts';
import { ropeRef } from '../../kernels/rope/rope.ref.ts';
import { ropeTables } from '../../kernels/rope/rope.meta.ts';
import { embeddingRef } from '../../kernels/embedding/embedding.ref.ts';
import { argmaxRef } from '../../kernels/argmax/argmax.ref.ts';
import { synthTensor } from '../../src/engine/weights.ts';

type Build = (ctx: DeviceContext, cache: PipelineCache, resources: GPUBuffer[]) => { dispatches: Dispatch[]; outputs: GPUBuffer[] };

/** Build, submit once, read every output back as f32 (or raw bytes for ids). */
async function runOnGpu(build: Build): Promise<ArrayBuffer[]> {
  return withDevice(async (ctx) => {
    const cache = new PipelineCache(ctx.device);
    const resources: GPUBuffer[] = [];
    const { dispatches, outputs } = build(ctx, cache, resources);
    resources.forEach(ctx.track);
    submitDispatches(ctx.device, dispatches);
    const out: ArrayBuffer[] = [];
    for (const b of outputs) out.push(await ctx.read(b));
    return out;
  });
}

const f32 = (x: number[] | undefined, fallback: () => Float32Array): Float32Array => (x ? new Float32Array(x) : fallback());

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number): void {
  const report = compareClose(actual, expected, atol);
  expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
}

describe('gemv', () => {
  for (const c of parseCases('gemv', gemvCases)) {
    test(c.name, async () => {
      const seed = c.seed ?? 0;
      const xRows = c.xRows ?? 1;
      const xAll = f32(c.x, () => seededValues(seed, xRows * c.k));
      const x = xAll.subarray((c.xRow ?? 0) * c.k, ((c.xRow ?? 0) + 1) * c.k);
      const w = f32(c.w, () => seededValues(seed + 1, c.n * c.k));
      const bias = c.bias === 'seeded' ? seededValues(seed + 2, c.n) : Array.isArray(c.bias) ? new Float32Array(c.bias) : undefined;
      const expected = c.expected ? new Float32Array(c.expected) : gemvRef(x, w, c.n, c.k, { layout: c.layout, ...(bias ? { bias } : {}), activation: c.activation ?? 'none' });
      const yOffset = c.yOffset ?? 0;
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const y = buffer((yOffset + c.n) * 4);
        const d = createGemv(device, cache, {
          x: buffer(xAll), w: buffer(w), y, n: c.n, k: c.k, layout: c.layout, activation: c.activation ?? 'none',
          xOffset: (c.xRow ?? 0) * c.k, yOffset, resources, ...(bias ? { bias: buffer(bias) } : {}),
        });
        expect(d.flops).toBe(2 * c.n * c.k + (bias ? c.n : 0) + ((c.activation ?? 'none') !== 'none' ? c.n : 0));
        return { dispatches: [d], outputs: [y] };
      });
      const y = new Float32Array(raw!);
      if (yOffset > 0) expect(Array.from(y.subarray(0, yOffset))).toEqual(new Array(yOffset).fill(0));
      expectClose(y.subarray(yOffset, yOffset + c.n), expected, 1e-5 * (1 + c.k));
    });
  }
});

describe('layernorm', () => {
  for (const c of parseCases('layernorm', layernormCases)) {
    test(c.name, async () => {
      const seed = c.seed ?? 0;
      const x = f32(c.x, () => seededValues(seed, c.rows * c.dim).map((v) => v + (c.shift ?? 0)));
      const gamma = f32(c.gamma, () => seededValues(seed + 1, c.dim));
      const beta = f32(c.beta, () => seededValues(seed + 2, c.dim));
      const expected = c.expected ? new Float32Array(c.expected) : layernormRef(x, gamma, beta, c.rows, c.dim, c.eps);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const y = buffer(x.byteLength);
        return { dispatches: [createLayerNorm(device, cache, { x: buffer(x), gamma: buffer(gamma), beta: buffer(beta), y, rows: c.rows, dim: c.dim, eps: c.eps, resources })], outputs: [y] };
      });
      expectClose(new Float32Array(raw!).subarray(0, c.rows * c.dim), expected, 2e-5);
    });
  }
});

describe('rmsnorm', () => {
  for (const c of parseCases('rmsnorm', rmsnormCases)) {
    test(c.name, async () => {
      const seed = c.seed ?? 0;
      const xRows = c.xRows ?? c.rows;
      const rowOffset = c.rowOffset ?? 0;
      const x = f32(c.x, () => seededValues(seed, xRows * c.dim));
      const gamma = f32(c.gamma, () => seededValues(seed + 1, c.dim));
      const expected = c.expected ? new Float32Array(c.expected) : rmsnormRef(x.subarray(rowOffset * c.dim), gamma, c.rows, c.dim, c.eps);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const y = buffer(x.byteLength);
        return { dispatches: [createRmsNorm(device, cache, { x: buffer(x), gamma: buffer(gamma), y, rows: c.rows, dim: c.dim, eps: c.eps, rowOffset, resources })], outputs: [y] };
      });
      const y = new Float32Array(raw!);
      expectClose(y.subarray(rowOffset * c.dim, (rowOffset + c.rows) * c.dim), expected, 2e-5);
      // Rows before rowOffset are untouched.
      expect(Array.from(y.subarray(0, rowOffset * c.dim)).every((v) => v === 0)).toBe(true);
    });
  }
});

describe('attention', () => {
  for (const c of parseCases('attention', attentionCases)) {
    test(c.name, async () => {
      const seed = c.seed ?? 0;
      const shape = { queries: c.queries, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, qPos0: c.qPos0, kvLen: c.kvLen, causal: c.causal };
      const q = f32(c.q, () => seededValues(seed, c.queries * c.heads * c.headDim));
      const k = f32(c.k, () => seededValues(seed + 1, c.kvLen * c.kvHeads * c.headDim));
      const v = f32(c.v, () => seededValues(seed + 2, c.kvLen * c.kvHeads * c.headDim));
      const expected = c.expected ? new Float32Array(c.expected) : attentionRef(q, k, v, shape);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const o = buffer(q.byteLength);
        return { dispatches: [createAttention(device, cache, { q: buffer(q), k: buffer(k), v: buffer(v), o, shape, resources })], outputs: [o] };
      });
      expectClose(new Float32Array(raw!).subarray(0, q.length), expected, 2e-5);
    });
  }
});

/**
 * RoPE folded into causal attention, against the CPU reference and against the path it replaces
 * (the rope kernel on Q and the new K cache rows, then the attention kernel), on the same inputs.
 */
describe('attention-rope', () => {
  for (const c of parseCases('attention-rope', attentionRopeCases)) {
    test(c.name, async () => {
      const seed = c.seed ?? 0;
      const shape = { queries: c.queries, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, qPos0: c.qPos0 };
      const kvd = c.kvHeads * c.headDim;
      const positions = c.qPos0 + c.queries;
      const q = f32(c.q, () => seededValues(seed, c.queries * c.heads * c.headDim));
      const kNew = f32(c.kNew, () => seededValues(seed + 1, c.queries * kvd));
      const kCache = f32(c.kCache, () => seededValues(seed + 2, c.qPos0 * kvd));
      const v = f32(c.v, () => seededValues(seed + 3, positions * kvd));
      const ref = attentionRopeRef(q, kNew, kCache, v, shape, c.theta);
      const expected = c.expected ? new Float32Array(c.expected) : ref.o;
      const expectedK = c.expectedK ? new Float32Array(c.expectedK) : ref.kRotated;
      const tables = ropeTables(positions, c.headDim, c.theta);
      // One layer buffer: Q | new K | K cache | V cache, blocks on 256-byte boundaries. Cache rows
      // from qPos0 on hold a sentinel the kernel must overwrite with the rotated new K.
      const up = (x: number) => Math.ceil(x / 64) * 64;
      const L = { q: 0, kNew: up(q.length), k: up(q.length) + up(kNew.length), v: up(q.length) + up(kNew.length) + up(positions * kvd) };
      const all = new Float32Array(L.v + positions * kvd);
      all.set(q, L.q);
      all.set(kNew, L.kNew);
      all.fill(7, L.k, L.k + positions * kvd);
      all.set(kCache, L.k);
      all.set(v, L.v);
      // The previous path: rope in place on Q and on the new rows of a K cache, then attention.
      const oldK = new Float32Array(positions * kvd);
      oldK.set(kCache);
      oldK.set(kNew, c.qPos0 * kvd);
      const [fused, buf, old] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const qkv = buffer(all);
        const o = buffer(q.byteLength);
        const cos = buffer(tables.cos);
        const sin = buffer(tables.sin);
        const qOld = buffer(q);
        const kOld = buffer(oldK);
        const oOld = buffer(q.byteLength);
        return {
          dispatches: [
            createAttentionRope(device, cache, { qkv, layout: L, cos, sin, o, shape, resources }),
            createRope(device, cache, { q: qOld, k: kOld, cos, sin, tokens: c.queries, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, pos0: c.qPos0, resources }),
            createAttention(device, cache, { q: qOld, k: kOld, v: buffer(v), o: oOld, shape: { ...shape, kvLen: positions, causal: true }, resources }),
          ],
          outputs: [o, qkv, oOld],
        };
      });
      const o = new Float32Array(fused!).subarray(0, q.length);
      expectClose(o, expected, 2e-5);
      expectClose(o, new Float32Array(old!).subarray(0, q.length), 1e-6);
      const cacheOut = new Float32Array(buf!).subarray(L.k, L.k + positions * kvd);
      expect(Array.from(cacheOut.subarray(0, c.qPos0 * kvd))).toEqual(Array.from(kCache));
      expectClose(cacheOut.subarray(c.qPos0 * kvd), expectedK, 2e-6);
    });
  }
});

describe('gelu, swiglu, residual', () => {
  for (const c of parseCases('gelu', geluCases)) {
    test(`gelu: ${c.name}`, async () => {
      const x = f32(c.x, () => seededValues(c.seed ?? 0, c.count ?? 0, c.scale ?? 1));
      const expected = c.expected ? new Float32Array(c.expected) : geluRef(x);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const xb = buffer(x);
        return { dispatches: [createGelu(device, cache, { x: xb, count: x.length, resources })], outputs: [xb] };
      });
      expectClose(new Float32Array(raw!).subarray(0, x.length), expected, 1e-6);
    });
  }
  for (const c of parseCases('swiglu', swigluCases)) {
    test(`swiglu: ${c.name}`, async () => {
      const gate = f32(c.gate, () => seededValues(c.seed ?? 0, c.count ?? 0, c.scale ?? 1));
      const up = f32(c.up, () => seededValues((c.seed ?? 0) + 1, c.count ?? 0, c.scale ?? 1));
      const expected = c.expected ? new Float32Array(c.expected) : swigluRef(gate, up);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const g = buffer(gate);
        return { dispatches: [createSwiglu(device, cache, { gate: g, up: buffer(up), count: gate.length, resources })], outputs: [g] };
      });
      expectClose(new Float32Array(raw!).subarray(0, gate.length), expected, 1e-6 * (1 + (c.scale ?? 1) ** 2));
    });
  }
  for (const c of parseCases('residual', residualCases)) {
    test(`residual: ${c.name}`, async () => {
      const x = f32(c.x, () => seededValues(c.seed ?? 0, c.count ?? 0));
      const y = f32(c.y, () => seededValues((c.seed ?? 0) + 1, c.count ?? 0));
      const expected = c.expected ? new Float32Array(c.expected) : residualRef(x, y);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const xb = buffer(x);
        return { dispatches: [createResidual(device, cache, { x: xb, y: buffer(y), count: x.length, resources })], outputs: [xb] };
      });
      expect(Array.from(new Float32Array(raw!).subarray(0, x.length))).toEqual(Array.from(expected));
    });
  }
});

describe('rope', () => {
  for (const c of parseCases('rope', ropeCases)) {
    test(c.name, async () => {
      const seed = c.seed ?? 0;
      const kvDim = c.kvHeads * c.headDim;
      const q = f32(c.q, () => seededValues(seed, c.tokens * c.heads * c.headDim));
      const kNew = f32(c.k, () => seededValues(seed + 1, c.tokens * kvDim));
      // K lives in a cache whose rows pos0.. hold the new tokens; earlier rows must not move.
      const cacheRows = c.pos0 + c.tokens;
      const kCache = new Float32Array(cacheRows * kvDim).fill(7);
      kCache.set(kNew, c.pos0 * kvDim);
      const expectedQ = c.expectedQ ? new Float32Array(c.expectedQ) : ropeRef(q, c.tokens, c.heads, c.headDim, c.pos0, c.theta);
      const expectedK = c.expectedK ? new Float32Array(c.expectedK) : ropeRef(kNew, c.tokens, c.kvHeads, c.headDim, c.pos0, c.theta);
      const tables = ropeTables(cacheRows, c.headDim, c.theta);
      const [rq, rk] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const qb = buffer(q);
        const kb = buffer(kCache);
        const d = createRope(device, cache, { q: qb, k: kb, cos: buffer(tables.cos), sin: buffer(tables.sin), tokens: c.tokens, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, pos0: c.pos0, resources });
        return { dispatches: [d], outputs: [qb, kb] };
      });
      expectClose(new Float32Array(rq!).subarray(0, q.length), expectedQ, 2e-6);
      const kOut = new Float32Array(rk!);
      expect(Array.from(kOut.subarray(0, c.pos0 * kvDim)).every((v) => v === 7)).toBe(true);
      expectClose(kOut.subarray(c.pos0 * kvDim, cacheRows * kvDim), expectedK, 2e-6);
    });
  }
});

describe('embedding', () => {
  for (const c of parseCases('embedding', embeddingCases)) {
    test(c.name, async () => {
      const seed = c.seed ?? 0;
      const idOffset = c.idOffset ?? 0;
      const tokens = c.tokens ?? c.ids.length - idOffset;
      const table = f32(c.table, () => seededValues(seed, c.vocab * c.dim));
      const positions = c.positions ? new Float32Array(c.positions) : c.positionsRows ? seededValues(seed + 1, c.positionsRows * c.dim) : undefined;
      const ids = c.ids.slice(idOffset, idOffset + tokens);
      const expected = c.expected ? new Float32Array(c.expected) : embeddingRef(ids, table, c.dim, positions, c.posOffset ?? 0);
      const chunkRows = c.chunkRows ?? c.vocab;
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const chunks = [];
        for (let r = 0; r < c.vocab; r += chunkRows) {
          const rows = Math.min(chunkRows, c.vocab - r);
          chunks.push({ buffer: buffer(table.slice(r * c.dim, (r + rows) * c.dim)), rowStart: r, rowCount: rows });
        }
        const out = buffer(tokens * c.dim * 4);
        const ds = createEmbedding(device, cache, {
          ids: buffer(new Uint32Array(c.ids)), chunks, out, tokens, dim: c.dim, idOffset, posOffset: c.posOffset ?? 0, resources,
          ...(positions ? { positions: buffer(positions) } : {}),
        });
        expect(ds).toHaveLength(chunks.length);
        return { dispatches: ds, outputs: [out] };
      });
      expect(Array.from(new Float32Array(raw!).subarray(0, tokens * c.dim))).toEqual(Array.from(expected));
    });
  }
});

describe('argmax', () => {
  for (const c of parseCases('argmax', argmaxCases)) {
    test(c.name, async () => {
      const x = f32(c.x, () => seededValues(c.seed ?? 0, c.count ?? 0));
      const expected = c.expected ?? argmaxRef(x);
      const outIndex = c.outIndex ?? 0;
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const ids = buffer(new Uint32Array(outIndex + 2).fill(99));
        return { dispatches: [createArgmax(device, cache, { logits: buffer(x), ids, n: x.length, outIndex, resources })], outputs: [ids] };
      });
      const ids = new Uint32Array(raw!);
      expect(ids[outIndex]).toBe(expected);
      expect(ids[outIndex + 1]).toBe(99);
    });
  }
});

describe('weight-synth (bit-exact with weights.ts)', () => {
  for (const c of parseCases('weight-synth', synthCases)) {
    test(c.name, async () => {
      const full = synthTensor(c.seed, { id: c.tensorId, name: 't', shape: [c.rows, c.cols], init: c.init, scale: Math.fround(c.scale) });
      const rowStart = c.rowStart ?? 0;
      const rowCount = c.rowCount ?? c.rows;
      const colStart = c.colStart ?? 0;
      const colCount = c.colCount ?? c.cols;
      const expected = new Float32Array(rowCount * colCount);
      for (let r = 0; r < rowCount; r++) for (let j = 0; j < colCount; j++) expected[r * colCount + j] = full[(rowStart + r) * c.cols + colStart + j]!;
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const out = buffer(expected.byteLength);
        const d = createWeightSynth(device, cache, {
          out, count: expected.length, seed: c.seed, tensorId: c.tensorId, init: c.init, scale: c.scale,
          baseIndex: rowStart * c.cols + colStart, chunkCols: colCount, fullCols: c.cols, resources,
        });
        return { dispatches: [d], outputs: [out] };
      });
      const got = new Float32Array(raw!).subarray(0, expected.length);
      // Bit-exact: compare the u32 patterns (with the TypeScript synth, and with the independent
      // expectations of the case file where it has them).
      expect(Array.from(new Uint32Array(got.slice().buffer))).toEqual(Array.from(new Uint32Array(expected.buffer)));
      if (c.expectedBits) expect(Array.from(new Uint32Array(got.slice(0, c.expectedBits.length).buffer))).toEqual(c.expectedBits);
    });
  }
});

/**
 * f16 weight storage (halves packed in u32, f32 arithmetic). Inputs are rounded to f16 on the
 * CPU first, so the reference sees exactly the weights the GPU reads and the f32 tolerances of
 * the f32 cases apply unchanged. Weight synthesis rounds on the GPU (pack2x16float; WGSL lets the
 * implementation pick the rounding direction), so there the bound is one f16 ulp of values
 * below 1 in magnitude: 2⁻¹¹.
 */
describe('f16 weight storage', () => {
  test('gemm 33x64x20 (vec4) and 7x13x5 (scalar) with f16 B', async () => {
    for (const [m, n, k] of [[33, 64, 20], [7, 13, 5]] as const) {
      const a = seededValues(1, m * k);
      const b = seededValues(2, k * n).map(roundToF16);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const c = buffer(m * n * 4);
        const d = createGemm(device, cache, { a: buffer(a), b: buffer(packF16(b)), c, m, n, k, weights: 'f16', resources });
        expect(d.bytes).toBe(4 * (m * k + m * n) + 2 * k * n);
        return { dispatches: [d], outputs: [c] };
      });
      expectClose(new Float32Array(raw!).subarray(0, m * n), gemmRef(a, b, m, n, k), 1e-5 * (1 + k));
    }
  });
  test('gemv kn vec4, kn scalar and nk rows with f16 W', async () => {
    for (const [n, k, layout] of [[64, 37, 'kn'], [131, 19, 'kn'], [37, 70, 'nk']] as const) {
      const x = seededValues(3, k);
      const w = seededValues(4, n * k).map(roundToF16);
      const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
        const y = buffer(n * 4);
        return { dispatches: [createGemv(device, cache, { x: buffer(x), w: buffer(packF16(w)), y, n, k, layout, weights: 'f16', resources })], outputs: [y] };
      });
      expectClose(new Float32Array(raw!).subarray(0, n), gemvRef(x, w, n, k, { layout }), 1e-5 * (1 + k));
    }
  });
  test('embedding gather from an f16 table split in two, positions in f32', async () => {
    const dim = 6;
    const vocab = 11;
    const table = seededValues(5, vocab * dim).map(roundToF16);
    const positions = seededValues(6, 4 * dim);
    const ids = [10, 0, 5, 6];
    const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
      const out = buffer(ids.length * dim * 4);
      const chunks = [
        { buffer: buffer(packF16(table.subarray(0, 6 * dim))), rowStart: 0, rowCount: 6 },
        { buffer: buffer(packF16(table.subarray(6 * dim))), rowStart: 6, rowCount: 5 },
      ];
      const ds = createEmbedding(device, cache, { ids: buffer(new Uint32Array(ids)), chunks, positions: buffer(positions), out, tokens: ids.length, dim, weights: 'f16', resources });
      return { dispatches: ds, outputs: [out] };
    });
    expect(Array.from(new Float32Array(raw!).subarray(0, ids.length * dim))).toEqual(Array.from(embeddingRef(ids, table, dim, positions)));
  });
  test('weight-synth f16: within one f16 ulp of weights.ts, odd count, column block', async () => {
    const rows = 5;
    const cols = 21;
    const colStart = 4;
    const colCount = 13;
    const scale = Math.fround(1 / Math.sqrt(21));
    const full = synthTensor(9, { id: 4, name: 't', shape: [rows, cols], init: 'synth', scale });
    const expected = new Float32Array(rows * colCount);
    for (let r = 0; r < rows; r++) for (let j = 0; j < colCount; j++) expected[r * colCount + j] = full[r * cols + colStart + j]!;
    const [raw] = await runOnGpu(({ device, buffer }, cache, resources) => {
      const out = buffer(Math.ceil(expected.length / 2) * 4);
      const d = createWeightSynth(device, cache, { out, count: expected.length, seed: 9, tensorId: 4, init: 'synth', scale, baseIndex: colStart, chunkCols: colCount, fullCols: cols, storage: 'f16', resources });
      expect(d.workgroups).toEqual([1, 1, 1]);
      return { dispatches: [d], outputs: [out] };
    });
    const got = unpackF16(new Uint32Array(raw!), expected.length);
    expectClose(got, expected, 2 ** -11);
    // Not merely close: each value is one of the two f16 neighbours of the f32 weight.
    expect(got.every((g, i) => Math.abs(g - expected[i]!) < 2 ** -11 && roundToF16(g) === g)).toBe(true);
  });
});
