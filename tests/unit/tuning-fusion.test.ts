/**
 * The autotuner times each product as the model runs it: with its prologue (RMSNorm, SwiGLU) and
 * epilogue (bias, activation, residual), read from the presets by shapes.ts; each trial names its
 * prologue, and every trial without a median says why (budget, wrong output, unusable). The GPU
 * side (the candidates built with PROLOGUE, a candidate wrong only under the prologue refused) is
 * tests/gpu/tuning.test.ts.
 */
import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { tuningShapes, type GemmTuningShape, type GemvTuningShape, type TuningShapes } from '../../src/engine/tuning/shapes.ts';
import { OVER_BUDGET, WRONG_OUTPUT, planJobs, runJobs, type TuneJob } from '../../src/engine/tuning/choose.ts';
import { agrees, tuneForRun } from '../../src/engine/tuning/autotune.ts';
import { MemoryTuningStore, tuningKey } from '../../src/engine/tuning/store.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { tuningRecordSchema } from '../../src/shared/tuning-schema.ts';
import { DEFAULT_TUNING, type TuningRecord } from '../../src/shared/tuning.ts';

const key = (j: TuneJob): string => (j.op === 'gemm' ? `${j.shape.m}x${j.shape.n}x${j.shape.k}:${j.splitK}` : `1x${j.shape.n}x${j.shape.k}:${j.reduction}`);
/** Times each job from a table (a missing entry is 1 ms), one clock tick per timing. */
function fakeTimer(table: Record<string, number | null | typeof OVER_BUDGET | typeof WRONG_OUTPUT>) {
  let now = 0;
  return { now: () => now, time: async (j: TuneJob) => (now++, key(j) in table ? table[key(j)]! : 1) };
}

describe('shapes carry the fusion each product runs with', () => {
  test.each(['ci', 'quick', 'paper'] as const)('%s: the decoder products have their prologues, the encoder its epilogues', (preset) => {
    const { workloads } = resolveSuite(preset);
    const dec = workloads.find((w) => w.family === 'decoder')!;
    const enc = workloads.find((w) => w.family === 'encoder')!;
    if (dec.family !== 'decoder' || enc.family !== 'encoder') throw new Error('a suite has an encoder and a decoder');
    const c = dec.model;
    const d = c.hidden;
    const qkv = (c.heads + 2 * c.kvHeads) * c.headDim;
    const { gemm, gemv } = tuningShapes([dec]);
    const at = (m: number, n: number, k: number) => gemm.find((s) => s.m === m && s.n === n && s.k === k);
    const m = dec.promptTokens;
    expect(at(m, qkv, d)).toMatchObject({ prologue: 'rmsnorm' });
    expect(at(m, qkv, d)?.epilogue?.bias ?? false).toBe(c.qkvBias);
    expect(at(m, d, c.heads * c.headDim)).toMatchObject({ epilogue: { bias: false, activation: 'none', residual: true } });
    expect(at(m, d, c.heads * c.headDim)?.prologue).toBeUndefined();
    expect(at(m, 2 * c.ffn, d)).toMatchObject({ prologue: 'rmsnorm' });
    expect(at(m, d, c.ffn)).toMatchObject({ prologue: 'swiglu', epilogue: { residual: true } });
    // The LM head (m = 1) after the final norm.
    expect(gemv.find((s) => s.n === c.vocab && s.k === d)).toMatchObject({ prologue: 'rmsnorm' });
    // The post-LN encoder: bias everywhere; the LayerNorm in the prologue of Q/K/V, FFN up and the
    // classifier's first GEMV, and as the normalized residual of O and down; GELU on the FFN up.
    const e = tuningShapes([enc]);
    const ed = enc.model.hidden;
    const eq = enc.model.heads * enc.model.headDim;
    const T = enc.inputTokens;
    const g = (n: number, k: number) => e.gemm.find((s) => s.m === T && s.n === n && s.k === k);
    expect(e.gemm.every((s) => s.epilogue?.bias === true)).toBe(true);
    expect(g(eq + 2 * enc.model.kvHeads * enc.model.headDim, ed)).toMatchObject({ prologue: 'layernorm' });
    expect(g(enc.model.ffn, ed)).toMatchObject({ prologue: 'layernorm', epilogue: { activation: 'gelu', residual: false } });
    expect(g(ed, eq)).toMatchObject({ epilogue: { residual: true, residualNorm: true } });
    expect(g(ed, enc.model.ffn)).toMatchObject({ epilogue: { residual: true, residualNorm: true } });
    expect([g(ed, eq)?.prologue, g(ed, enc.model.ffn)?.prologue]).toEqual([undefined, undefined]);
    expect(e.gemv.find((s) => s.n === ed)).toMatchObject({ prologue: 'layernorm', epilogue: { activation: enc.model.preClassifier } });
    expect(e.gemv.find((s) => s.n === enc.model.labels)?.prologue).toBeUndefined();
  });

  test('a shape run with two fusions is timed with the one of most dispatches, counting all', () => {
    const { workloads } = resolveSuite('ci');
    const enc = workloads.find((w) => w.family === 'encoder')!;
    const dec = workloads.find((w) => w.family === 'decoder')!;
    if (dec.family !== 'decoder' || enc.family !== 'encoder') throw new Error('a suite has an encoder and a decoder');
    // Both O projections are [16, 64] × [64, 64]: the encoder's (bias + normalized residual) 3 times, the decoder's (residual) once.
    const dims = { hidden: 64, heads: 4, kvHeads: 4, headDim: 16, ffn: 96 };
    const shapes = tuningShapes([
      { ...enc, inputTokens: 16, model: { ...enc.model, ...dims, layers: 3 } },
      { ...dec, promptTokens: 16, model: { ...dec.model, ...dims, layers: 1 } },
    ]);
    const o = shapes.gemm.filter((s) => s.m === 16 && s.n === 64 && s.k === 64);
    expect(o).toHaveLength(1);
    expect(o[0]).toMatchObject({ count: 4, epilogue: { bias: true, activation: 'none', residual: true, residualNorm: true } });
    expect(o[0]!.prologue).toBeUndefined();
  });

  test('the cache key changes with a shape\'s fusion', () => {
    const adapter = { vendor: 'v', architecture: 'a', device: 'd', description: 'x', features: ['timestamp-query'], browser: { name: 'chrome', major: 140 } };
    const bare: TuningShapes = { gemm: [{ m: 16, n: 128, k: 512, count: 1, f16: false }], gemv: [] };
    const normed: TuningShapes = { gemm: [{ ...bare.gemm[0]!, prologue: 'rmsnorm' }], gemv: [] };
    const residual: TuningShapes = { gemm: [{ ...bare.gemm[0]!, epilogue: { bias: false, activation: 'none', residual: true } }], gemv: [] };
    const layerNormed: TuningShapes = { gemm: [{ ...bare.gemm[0]!, prologue: 'layernorm' }], gemv: [] };
    const normalizedResidual: TuningShapes = { gemm: [{ ...bare.gemm[0]!, epilogue: { bias: false, activation: 'none', residual: true, residualNorm: true } }], gemv: [] };
    const keys = new Set([bare, normed, residual, layerNormed, normalizedResidual].map((s) => tuningKey(adapter, s, 'k')));
    expect(keys.size).toBe(5);
    expect(tuningKey(adapter, bare, 'k')).toMatch(/^tuning\|v5\|/);
  });
});

describe('trials', () => {
  const normed: GemmTuningShape = { m: 16, n: 128, k: 512, count: 1, f16: false, prologue: 'swiglu' };
  const shapes: TuningShapes = { gemm: [normed], gemv: [{ n: 256, k: 128, layout: 'kn', count: 4, f16: false, prologue: 'rmsnorm' }] };
  const jobs = planJobs(shapes, { subgroups: true });

  test('name the prologue their product was timed with', async () => {
    const t = fakeTimer({});
    const out = await runJobs(jobs, t.time, { budgetMs: 1000, now: t.now });
    expect(out.trials.filter((x) => x.op === 'gemm').every((x) => x.prologue === 'swiglu')).toBe(true);
    expect(out.trials.filter((x) => x.op === 'gemv').every((x) => x.prologue === 'rmsnorm')).toBe(true);
    expect(out.trials.every((x) => x.untimed === undefined)).toBe(true);
    const bare = await runJobs(planJobs({ gemm: [{ ...normed, prologue: undefined }], gemv: [] }, { subgroups: false }), t.time, { budgetMs: 1000, now: t.now });
    expect(bare.trials.every((x) => !('prologue' in x) && !('untimed' in x))).toBe(true);
  });

  test('say why they are untimed: a wrong output is refused (never chosen), apart from the budget and a failure', async () => {
    // splitK=2 and the subgroup GEMV are fastest but compute something else; splitK=4 failed.
    const t = fakeTimer({ '16x128x512:1': 1, '16x128x512:2': WRONG_OUTPUT, '16x128x512:4': null, '16x128x512:8': 0.9, '1x256x128:workgroup': 1, '1x256x128:subgroup': WRONG_OUTPUT });
    const out = await runJobs(jobs, t.time, { budgetMs: 1000, now: t.now });
    const why = Object.fromEntries(out.trials.map((x) => [x.candidate, x.untimed ?? x.medianMs]));
    expect(why).toEqual({ 'splitK=1': 1, 'splitK=2': 'wrong-output', 'splitK=4': 'unusable', 'splitK=8': 0.9, 'reduction=workgroup': 1, 'reduction=subgroup': 'wrong-output' });
    expect(out.tuning).toEqual({ gemmSplitK: { '16x128x512': 8 }, gemvReduction: 'workgroup' });
    expect(out.trials.filter((x) => x.untimed !== undefined).every((x) => x.medianMs === null)).toBe(true);
    // The budget: the job that would overrun it and every job after it.
    const b = fakeTimer({ '16x128x512:1': OVER_BUDGET });
    const cut = await runJobs(jobs, b.time, { budgetMs: 1000, now: b.now });
    expect(cut.trials.map((x) => x.untimed ?? 'timed')).toEqual(['timed', 'timed', 'budget', 'budget', 'budget', 'budget']);
  });

  test('a subgroup GEMV refused on one shape is not chosen for all, however fast it was on the others', async () => {
    // One GEMV choice serves every GEMV of the run, the LM head included (refused there).
    const gemv: GemvTuningShape[] = [{ n: 896, k: 896, count: 24, layout: 'kn', f16: false }, { n: 151936, k: 896, count: 1, layout: 'nk', f16: false, prologue: 'rmsnorm' }];
    const planned = planJobs({ gemm: [], gemv }, { subgroups: true });
    const t = fakeTimer({ '1x896x896:workgroup': 1, '1x896x896:subgroup': 0.5, '1x151936x896:workgroup': 2, '1x151936x896:subgroup': WRONG_OUTPUT });
    const out = await runJobs(planned, t.time, { budgetMs: 1000, now: t.now });
    expect(out.tuning.gemvReduction).toBe('workgroup');
    // Without the refusal, the same timings pick the subgroup reduction.
    const ok = fakeTimer({ '1x896x896:workgroup': 1, '1x896x896:subgroup': 0.5, '1x151936x896:workgroup': 2, '1x151936x896:subgroup': 1.9 });
    expect((await runJobs(planned, ok.time, { budgetMs: 1000, now: ok.now })).tuning.gemvReduction).toBe('subgroup');
  });

  test('records with reasons and prologues pass the schema; an untimed trial with a median does not', () => {
    const record: TuningRecord = {
      source: 'autotune', tuning: DEFAULT_TUNING, tuneMs: 10,
      trials: [
        { op: 'gemm', shape: '16x128x512', candidate: 'splitK=1', medianMs: 1, prologue: 'rmsnorm' },
        { op: 'gemm', shape: '16x128x512', candidate: 'splitK=2', medianMs: null, untimed: 'wrong-output', prologue: 'rmsnorm' },
        { op: 'gemm', shape: '16x128x512', candidate: 'splitK=4', medianMs: null, untimed: 'budget', prologue: 'rmsnorm' },
        { op: 'gemm', shape: '16x128x512', candidate: 'splitK=8', medianMs: null },
      ],
    };
    expect(v.safeParse(tuningRecordSchema, record).success).toBe(true);
    // The default candidate is the reference: a record cannot say it was refused for its output.
    const refusedDefault = { ...record, trials: [{ op: 'gemm' as const, shape: '16x128x512', candidate: 'splitK=1', medianMs: null, untimed: 'wrong-output' as const }] };
    expect(v.safeParse(tuningRecordSchema, refusedDefault).issues?.map((i) => i.message)).toEqual(['the default candidate is the reference, never refused for a wrong output']);
    const bad = (trial: object): string => {
      const r = v.safeParse(tuningRecordSchema, { ...record, trials: [trial] });
      return r.success ? '(accepted)' : r.issues.map((i) => i.message).join('\n');
    };
    expect(bad({ ...record.trials[0], untimed: 'budget' })).toMatch(/untimed is given only when medianMs is null/);
    expect(bad({ ...record.trials[1], untimed: 'bored' })).toMatch(/must be one of budget, wrong-output, unusable/);
    expect(bad({ ...record.trials[0], prologue: 'groupnorm' })).toMatch(/must be one of rmsnorm, swiglu, layernorm/);
    expect(v.safeParse(tuningRecordSchema, { ...record, trials: [{ ...record.trials[0], prologue: 'layernorm' }] }).success).toBe(true);
  });
});

describe('the output check and the cache', () => {
  test('agrees within the summation-order tolerance, scaled by the term bound', () => {
    const a = new Float32Array([1, 2, 3]);
    expect(agrees(a, new Float32Array([1, 2, 3 + 1e-4]), 64)).toBe(true);
    expect(agrees(a, new Float32Array([1, 2, 3.01]), 64)).toBe(false);
    expect(agrees(a, new Float32Array([1, 2, 3 + 2.5e-4]), 64, 0.25)).toBe(false);
    expect(agrees(a, new Float32Array([1, 2, 3 + 2.5e-4]), 64, 0.5)).toBe(true);
    expect(agrees(a, new Float32Array([1, 2, Number.NaN]), 64)).toBe(false);
  });

  test('a tuning whose only untimed trials were refused for a wrong output is kept; an unusable one is not', async () => {
    const device = { features: new Set<string>(['timestamp-query']), limits: { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 } } as unknown as GPUDevice;
    const adapter = { vendor: 'v', architecture: 'a', device: 'd', description: 'x' };
    const models = resolveSuite('ci').workloads;
    const refused: TuningRecord = { source: 'autotune', tuning: DEFAULT_TUNING, tuneMs: 5, trials: [{ op: 'gemm', shape: '16x128x512', candidate: 'splitK=1', medianMs: 1 }, { op: 'gemm', shape: '16x128x512', candidate: 'splitK=2', medianMs: null, untimed: 'wrong-output' }] };
    const store = new MemoryTuningStore();
    await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store, tune: async () => refused });
    const again = await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store, tune: () => Promise.reject(new Error('must not tune')) });
    expect(again).toEqual({ source: 'cache', tuning: DEFAULT_TUNING, tuneMs: null, trials: refused.trials });

    const unusable: TuningRecord = { ...refused, trials: [refused.trials[0]!, { ...refused.trials[1]!, untimed: 'unusable' }] };
    const other = new MemoryTuningStore();
    await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store: other, tune: async () => unusable });
    let tuned = 0;
    await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store: other, tune: async () => (tuned++, unusable) });
    expect(tuned).toBe(1);
  });
});
