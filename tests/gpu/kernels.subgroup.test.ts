/**
 * The subgroup GEMV (kernels/gemv-subgroup) on the GPU: every entry point against the CPU
 * reference (f64) and against the workgroup gemv on the same device, on tiny shapes with n not a
 * multiple of 4 or of the workgroup, k not a multiple of the reduction, bias, each activation, a
 * fused residual, output segments, x/y offsets and f16 weight storage; then the `ci` decoder with
 * gemvReduction 'subgroup' giving the default tuning's tokens.
 *
 * SwiftShader's subgroups hold 4 invocations. The default workgroups reduce over 16 ('kn') or 64
 * ('nk') invocations: subgroupAdd, then the shared-memory step across subgroups. Narrow
 * workgroup overrides (reductions over 4 or 2 invocations) exercise the other branch, a subgroup
 * as wide as or wider than the reduction (xor butterflies), as on GPUs with 32- to 128-wide subgroups.
 * Tolerance: 1e-5·(1 + k) absolute, as the gemv cases (f32 accumulation over k).
 * Prologues (RMSNorm, SwiGLU): bit for bit against rmsnorm / swiglu → gemv-subgroup with the same
 * workgroup (the prologue repeats those kernels' f32 operations; the K reduction is the same), and
 * within the tolerance above against gemv with the same prologue (another K summation order).
 * The `ci` decoder with the subgroup reduction and split-K on every GEMM shape gives the default
 * tuning's tokens (logits within models-splitk's tolerance).
 */
import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import { PipelineCache, type Dispatch } from '../../src/engine/dispatch.ts';
import { submitDispatches } from '../../src/engine/ops/submit.ts';
import { createGemv, type GemvActivation } from '../../src/engine/ops/gemv.ts';
import { createGemvSubgroup, type GemvSubgroupWorkgroup } from '../../src/engine/ops/gemv-subgroup.ts';
import type { OutputSegment } from '../../src/engine/ops/common.ts';
import { createModelRunner } from '../../src/engine/models/model-runner.ts';
import { createRmsNorm } from '../../src/engine/ops/norms.ts';
import { createSwiglu } from '../../src/engine/ops/elementwise.ts';
import type { ProductPrologue } from '../../src/engine/ops/prologue.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { createArgmax } from '../../src/engine/ops/tokens.ts';
import { DEFAULT_TUNING, GEMM_SPLIT_K, type GemmSplitK, type KernelTuning } from '../../src/shared/tuning.ts';
import { argmaxRef } from '../../kernels/argmax/argmax.ref.ts';
import { compareClose, packF16, roundToF16, seededValues } from '../../kernels/testing.ts';
import { erf } from '../../kernels/gelu/gelu.ref.ts';

const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;
const HAS_SUBGROUPS = adapter?.features.has('subgroups') ?? false;
const suite = HAS_SUBGROUPS ? 'subgroup GEMV' : 'subgroup GEMV (skipped: this adapter lacks the `subgroups` feature)';

interface Case {
  name: string;
  n: number;
  k: number;
  layout: 'kn' | 'nk';
  bias?: boolean;
  activation?: GemvActivation;
  residual?: boolean;
  segments?: readonly OutputSegment[];
  xRow?: number;
  yOffset?: number;
  f16?: boolean;
}

const CASES: Case[] = [
  { name: 'kn vec4 n=260 k=37', n: 260, k: 37, layout: 'kn' },
  { name: 'kn vec4 n=68 k=45 bias gelu residual', n: 68, k: 45, layout: 'kn', bias: true, activation: 'gelu', residual: true },
  { name: 'kn vec4 n=24 k=33 segments 8/8/8, x row 2', n: 24, k: 33, layout: 'kn', bias: true, segments: [{ cols: 8, offset: 0 }, { cols: 8, offset: 40 }, { cols: 8, offset: 20 }], xRow: 2 },
  { name: 'kn scalar n=131 k=19 relu', n: 131, k: 19, layout: 'kn', bias: true, activation: 'relu' },
  { name: 'kn scalar n=2 k=33 tanh (classifier head)', n: 2, k: 33, layout: 'kn', bias: true, activation: 'tanh' },
  { name: 'kn scalar n=7 k=50 residual, y at 5', n: 7, k: 50, layout: 'kn', residual: true, yOffset: 5 },
  { name: 'nk rows n=37 k=70', n: 37, k: 70, layout: 'nk' },
  { name: 'nk rows n=9 k=131 bias, y at 3, x row 1', n: 9, k: 131, layout: 'nk', bias: true, yOffset: 3, xRow: 1 },
  { name: 'kn vec4 n=36 k=29 f16 W bias gelu', n: 36, k: 29, layout: 'kn', bias: true, activation: 'gelu', f16: true },
  { name: 'kn scalar n=13 k=21 f16 W', n: 13, k: 21, layout: 'kn', f16: true },
  { name: 'nk rows n=11 k=66 f16 W', n: 11, k: 66, layout: 'nk', f16: true },
];

/**
 * Workgroup shapes: the defaults (reductions over 16 and 64 invocations: 4 and 16 subgroups of 4
 * meet in workgroup memory), then reductions over 4 (one subgroup) and 2 (two groups per subgroup).
 * Each shape is a pipeline, and SwiftShader compiles slowly: keep this list short.
 */
const WORKGROUPS: { name: string; kn: GemvSubgroupWorkgroup; nk: GemvSubgroupWorkgroup }[] = [
  { name: 'default', kn: {}, nk: {} },
  { name: 'reduce over 4', kn: { cols: 16, ksplit: 4 }, nk: { rowLanes: 4, rowsPerWorkgroup: 8 } },
  { name: 'reduce over 2', kn: { cols: 8, ksplit: 2 }, nk: { rowLanes: 2, rowsPerWorkgroup: 4 } },
];

const act = (v: number, a: GemvActivation): number => {
  switch (a) {
    case 'none': return v;
    case 'relu': return Math.max(0, v);
    case 'tanh': return Math.tanh(v);
    case 'gelu': return 0.5 * v * (1 + erf(v / Math.SQRT2));
  }
};

/** f64 reference of the whole op, written where the kernel writes: y[outIndex(col)]. */
function reference(c: Case, x: Float32Array, w: Float32Array, bias: Float32Array, residual: Float32Array, size: number): Float64Array {
  const y = new Float64Array(size);
  const segs = c.segments ?? [{ cols: c.n, offset: c.yOffset ?? 0 }];
  const y0 = segs[0]!.offset;
  for (let j = 0; j < c.n; j++) {
    let s = 0;
    for (let p = 0; p < c.k; p++) s += x[p]! * (c.layout === 'kn' ? w[p * c.n + j]! : w[j * c.k + p]!);
    if (c.bias) s += bias[j]!;
    s = act(s, c.activation ?? 'none');
    if (c.residual) s += residual[y0 + j]!;
    let col = j;
    let seg = 0;
    while (col >= segs[seg]!.cols) col -= segs[seg++]!.cols;
    y[segs[seg]!.offset + col] = s;
  }
  return y;
}

describe.skipIf(!HAS_SUBGROUPS)(suite, () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const xRows = (c.xRow ?? 0) + 1;
      const xAll = seededValues(1, xRows * c.k);
      const x = xAll.subarray((c.xRow ?? 0) * c.k, xRows * c.k);
      const w = seededValues(2, c.n * c.k).map((v) => (c.f16 ? roundToF16(v) : v));
      const bias = seededValues(3, c.n);
      const size = Math.max(c.n + (c.yOffset ?? 0), ...(c.segments ?? []).map((s) => s.offset + s.cols));
      const residual = seededValues(4, size);
      const expected = reference(c, x, w, bias, residual, size);
      const outputs = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const xb = buffer(xAll);
        const wb = buffer(c.f16 ? packF16(w) : w);
        const common = {
          x: xb, w: wb, n: c.n, k: c.k, layout: c.layout, weights: c.f16 ? ('f16' as const) : ('f32' as const), activation: c.activation ?? 'none', resources,
          xOffset: (c.xRow ?? 0) * c.k,
          ...(c.yOffset !== undefined ? { yOffset: c.yOffset } : {}),
          ...(c.bias ? { bias: buffer(bias) } : {}),
          ...(c.residual ? { residual: buffer(residual) } : {}),
          ...(c.segments ? { segments: c.segments } : {}),
        };
        const ys: GPUBuffer[] = [];
        const list: Dispatch[] = [];
        const yPlain = buffer(size * 4);
        const plain = createGemv(device, cache, { ...common, y: yPlain });
        list.push(plain);
        for (const wg of WORKGROUPS) {
          const y = buffer(size * 4);
          const d = createGemvSubgroup(device, cache, { ...common, y, workgroup: c.layout === 'kn' ? wg.kn : wg.nk });
          // The reduction changes neither what is counted nor (with the default workgroups) the grid.
          expect(d.kernel).toBe('gemv');
          expect([d.flops, d.bytes]).toEqual([plain.flops, plain.bytes]);
          if (wg.name === 'default') expect(d.workgroups).toEqual(plain.workgroups);
          ys.push(y);
          list.push(d);
        }
        resources.forEach(track);
        submitDispatches(device, list);
        const out: Float32Array[] = [new Float32Array(await read(yPlain))];
        for (const y of ys) out.push(new Float32Array(await read(y)));
        return out;
      }, { features: ['subgroups'] });
      const atol = 1e-5 * (1 + c.k);
      const [plain, ...subgroup] = outputs;
      subgroup.forEach((got, i) => {
        const name = WORKGROUPS[i]!.name;
        const vsRef = compareClose(got.subarray(0, size), expected, atol);
        expect(vsRef, `${name} vs CPU: ${JSON.stringify(vsRef)}`).toMatchObject({ ok: true });
        const vsGemv = compareClose(got.subarray(0, size), plain!.subarray(0, size), atol);
        expect(vsGemv, `${name} vs gemv: ${JSON.stringify(vsGemv)}`).toMatchObject({ ok: true });
      });
    });
  }

  // [layout, n, k]: the three entry points; x (and up) at row 2 of a 3-row activation.
  for (const [layout, n, k] of [['kn', 64, 200], ['kn', 6, 130], ['nk', 37, 200]] as const) {
    for (const kind of layout === 'nk' ? (['rmsnorm'] as const) : (['rmsnorm', 'swiglu'] as const)) {
      test(`${kind} prologue, ${layout} n=${n} k=${k}: equals ${kind} then gemv-subgroup bit for bit, every workgroup`, async () => {
        const [rows, row] = [3, 2];
        const x = seededValues(51, rows * k, 3);
        const operand = seededValues(52, kind === 'rmsnorm' ? k : rows * k, 2);
        const w = seededValues(53, k * n);
        const EPS = 1e-6;
        const outputs = await withDevice(async ({ device, buffer, read, track }) => {
          const cache = new PipelineCache(device);
          const resources: GPUBuffer[] = [];
          const [xb, ob, wb] = [buffer(x), buffer(operand), buffer(w)];
          const prologue: ProductPrologue = kind === 'rmsnorm' ? { kind, gamma: ob, eps: EPS } : { kind, up: ob };
          // The chain's input: rmsnorm's output row, or swiglu applied in place to a copy of x.
          const pre = buffer(kind === 'rmsnorm' ? 4 * rows * k : x);
          const list: Dispatch[] = [
            kind === 'rmsnorm'
              ? createRmsNorm(device, cache, { x: xb, gamma: ob, y: pre, rows: 1, dim: k, eps: EPS, rowOffset: row, resources })
              : createSwiglu(device, cache, { gate: pre, up: ob, count: rows * k, resources }),
          ];
          const common = { w: wb, n, k, layout, xOffset: row * k, resources };
          const yPlain = buffer(4 * n);
          const plain = createGemv(device, cache, { ...common, x: xb, y: yPlain, prologue });
          list.push(plain);
          const pairs: [GPUBuffer, GPUBuffer][] = [];
          for (const wg of WORKGROUPS) {
            const [fused, chain] = [buffer(4 * n), buffer(4 * n)];
            const workgroup = layout === 'kn' ? wg.kn : wg.nk;
            const d = createGemvSubgroup(device, cache, { ...common, x: xb, y: fused, prologue, workgroup });
            // Counted as gemv counts the same prologue (rmsnorm 4, swiglu 6 per element; gamma or up read).
            expect([d.flops, d.bytes]).toEqual([plain.flops, plain.bytes]);
            expect(d.flops).toBe(2 * n * k + (kind === 'rmsnorm' ? 4 : 6) * k);
            list.push(d, createGemvSubgroup(device, cache, { ...common, x: pre, y: chain, workgroup }));
            pairs.push([fused, chain]);
          }
          // A later block of a split weight does not count the prologue again.
          expect(createGemvSubgroup(device, cache, { ...common, x: xb, y: yPlain, prologue, countPrologue: false }).flops).toBe(2 * n * k);
          resources.forEach(track);
          submitDispatches(device, list);
          const out: { plain: Float32Array; pairs: [Float32Array, Float32Array][] } = { plain: new Float32Array(await read(yPlain)), pairs: [] };
          for (const [a, b] of pairs) out.pairs.push([new Float32Array(await read(a)), new Float32Array(await read(b))]);
          return out;
        }, { features: ['subgroups'] });
        outputs.pairs.forEach(([fused, chain], i) => {
          const name = WORKGROUPS[i]!.name;
          expect(Array.from(new Uint32Array(fused.buffer)), name).toEqual(Array.from(new Uint32Array(chain.buffer)));
          const vsGemv = compareClose(fused.subarray(0, n), outputs.plain.subarray(0, n), 1e-5 * (1 + k));
          expect(vsGemv, `${name} vs gemv: ${JSON.stringify(vsGemv)}`).toMatchObject({ ok: true });
        });
      });
    }
  }

  test('argmax-subgroup: ties to the lowest index, across subgroups and slots, -Infinity and NaN never win', async () => {
    const tieAcross = new Float32Array(600).fill(-1);
    for (const i of [517, 261, 7, 300]) tieAcross[i] = 5; // lowest is 7; 261 = 7 + 254 sits in another subgroup
    const lateMax = seededValues(9, 1000);
    lateMax[999] = 2;
    const withNaN = new Float32Array([-Infinity, Number.NaN, 3, Number.NaN, 3, 1]);
    const cases: [string, Float32Array][] = [
      ['hand-computed', new Float32Array([0.5, 3, -1, 2.5])],
      ['all equal', new Float32Array(300).fill(0.25)],
      ['ties across subgroups', tieAcross],
      ['max at the last of 1000', lateMax],
      ['NaN and -Infinity', withNaN],
      ['2048 seeded', seededValues(111, 2048)],
      ['3 values (most lanes empty)', new Float32Array([-2, -1, -1.5])],
    ];
    const got = await withDevice(
      async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        cache.tuning = { ...DEFAULT_TUNING, gemvReduction: 'subgroup' };
        const resources: GPUBuffer[] = [];
        const ids = buffer(4 * (cases.length + 1));
        const list = cases.map(([, x], i) => createArgmax(device, cache, { logits: buffer(x), ids, n: x.length, outIndex: i + 1, resources }));
        // One pipeline, shared by every dispatch.
        expect(cache.requests().map((r) => r.label)).toEqual(['argmax-subgroup']);
        expect(list.every((d) => d.kernel === 'argmax')).toBe(true);
        resources.forEach(track);
        submitDispatches(device, list);
        return Array.from(new Uint32Array(await read(ids)));
      },
      { features: ['subgroups'] },
    );
    cases.forEach(([name, x], i) => expect(got[i + 1], name).toBe(argmaxRef(x)));
    expect(got[0]).toBe(0);
  });

  // Three model builds on SwiftShader (under a shared CPU): one run per test, the default tuning's
  // run shared, and a timeout above the default 120 s.
  const DECODER_TIMEOUT_MS = 300_000;
  const spec = resolveSuite('ci').workloads.find((w) => w.family === 'decoder')!;
  // Every GEMM shape split (2, 4 or 8 slices by the key's length), as tests/gpu/models-splitk.test.ts.
  const splitEverything: KernelTuning['gemmSplitK'] = new Proxy<Record<string, GemmSplitK>>({}, {
    get: (_target, key) => (typeof key === 'string' ? GEMM_SPLIT_K[1 + (key.length % 3)] : undefined),
  });
  const run = (subgroup: boolean, gemmSplitK: KernelTuning['gemmSplitK'] = {}) =>
    withDevice(
      async ({ device }) => {
        const cache = new PipelineCache(device);
        cache.tuning = { gemmSplitK, gemvReduction: subgroup ? 'subgroup' : 'workgroup' };
        const runner = await createModelRunner(device, spec, { pipelineCache: cache });
        try {
          runner.submit();
          const out = await runner.readOutputs();
          return { ...out, labels: new Set(cache.requests().map((r) => r.label)) };
        } finally {
          runner.destroy();
        }
      },
      { features: ['subgroups'] },
    );
  let baseRun: ReturnType<typeof run> | undefined;
  const defaultRun = () => (baseRun ??= run(false));

  test('ci decoder: gemvReduction "subgroup" gives the default tuning\'s tokens', async () => {
    const base = await defaultRun();
    const sub = await run(true);
    expect(base.labels.has('gemv-subgroup')).toBe(false);
    expect(sub.labels.has('gemv-subgroup')).toBe(true);
    expect(sub.labels.has('gemv')).toBe(false);
    expect(sub.labels.has('argmax-subgroup')).toBe(true);
    expect(sub.labels.has('argmax')).toBe(false);
    expect(sub.tokens).toEqual(base.tokens);
    // Same products summed in another order: the logits agree to f32 rounding.
    const report = compareClose(sub.logits, base.logits, 2e-5, 1e-4);
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
  }, DECODER_TIMEOUT_MS);

  test('ci decoder: gemvReduction "subgroup" and split-K on every GEMM (prologue products included) give the default tuning\'s tokens', async () => {
    const base = await defaultRun();
    const both = await run(true, splitEverything);
    // No plain gemm or gemv left: the normed / gated products run on the tuned kernels too.
    expect([both.labels.has('gemm-splitk'), both.labels.has('gemm'), both.labels.has('gemv-subgroup'), both.labels.has('gemv')]).toEqual([true, false, true, false]);
    expect(both.tokens).toEqual(base.tokens);
    const report = compareClose(both.logits, base.logits, 2e-5, 1e-4);
    expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
  }, DECODER_TIMEOUT_MS);
});
