/**
 * Kernel autotuning without a GPU: the shapes a plan runs, the candidates and the decision rules
 * (3 % margin, ties, budget) on a fake timer and clock, the cache per adapter (hit, miss on a new
 * kernel source, storage that fails), the kernel sources guard, and `environment.tuning` in the
 * result schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { countQuery } from '../../src/engine/models/flops.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { MAX_TRIALS, OVER_BUDGET, planJobs, runJobs, splitKCandidates, TUNE_MARGIN, type TuneJob } from '../../src/engine/tuning/choose.ts';
import { autotune, tuneForRun } from '../../src/engine/tuning/autotune.ts';
import { tuningShapes, type GemmTuningShape, type TuningShapes } from '../../src/engine/tuning/shapes.ts';
import { TUNED_KERNEL_SOURCES, sourcesHash } from '../../src/engine/tuning/sources.ts';
import { IndexedDbTuningStore, MemoryTuningStore, SafeTuningStore, tuningKey, type StoredTuning, type TuningStore } from '../../src/engine/tuning/store.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { DEFAULT_TUNING, type TuningRecord } from '../../src/shared/tuning.ts';
import { buildPlan } from '../../src/lab/plan.ts';
import { buildDocument } from '../../src/lab/session.ts';
import { tuningSummary } from '../../src/ui/energy/TuningNote.tsx';
import { lang } from '../../src/i18n/index.ts';
import { formatTuning } from '../../src/bench/report.ts';

const shape = (m: number, n: number, k: number, count = 1): GemmTuningShape => ({ m, n, k, count, f16: false });
const key = (j: TuneJob): string => (j.op === 'gemm' ? `${j.shape.m}x${j.shape.n}x${j.shape.k}:${j.splitK}` : `1x${j.shape.n}x${j.shape.k}:${j.reduction}`);

/** A clock that advances `stepMs` per timing. */
function fakeClock(stepMs: number) {
  let now = 0;
  return { now: () => now, tick: () => (now += stepMs) };
}

/** Times each job from a table (ms), advancing the clock; a missing entry is 1 ms. */
function fakeTimer(table: Record<string, number | null | typeof OVER_BUDGET>, clock = fakeClock(1)) {
  const asked: string[] = [];
  return {
    clock,
    asked,
    time: async (j: TuneJob) => {
      asked.push(key(j));
      clock.tick();
      return key(j) in table ? table[key(j)]! : 1;
    },
  };
}

describe('shapes of a plan', () => {
  test.each(['ci', 'quick', 'paper'] as const)('%s: the GEMM and GEMV dispatches per query match the FLOP count', (preset) => {
    const { workloads } = resolveSuite(preset);
    const shapes = tuningShapes(workloads);
    const counted = workloads.map(countQuery);
    const kernel = (name: string) => counted.reduce((s, q) => s + (q.kernels.find((k) => k.name === name)?.count ?? 0), 0);
    expect(shapes.gemm.reduce((s, x) => s + x.count, 0)).toBe(kernel('gemm'));
    // The encoder's classifier head runs two GEMVs (counted as one 'classifier' dispatch).
    const encoders = workloads.filter((w) => w.family === 'encoder').length;
    expect(shapes.gemv.reduce((s, x) => s + x.count, 0)).toBe(kernel('gemv') + 2 * encoders);
    expect(shapes.gemm.every((s) => s.m > 1)).toBe(true);
  });
});

describe('candidates', () => {
  test('split-K only for few rows, a deep K, and at least 64 of K per split', () => {
    expect(splitKCandidates({ m: 64, n: 768, k: 3072 })).toEqual([2, 4, 8]);
    expect(splitKCandidates({ m: 16, n: 128, k: 256 })).toEqual([2, 4]);
    expect(splitKCandidates({ m: 65, n: 768, k: 3072 })).toEqual([]);
    expect(splitKCandidates({ m: 64, n: 3072, k: 768 })).toEqual([]);
    expect(splitKCandidates({ m: 1, n: 64, k: 4096 })).toEqual([]);
  });

  test('GEMVs are timed only with subgroups; each decision starts with its default; capped', () => {
    const shapes: TuningShapes = { gemm: [shape(16, 128, 512)], gemv: [{ n: 256, k: 128, layout: 'kn', count: 4, f16: false }] };
    expect(planJobs(shapes, { subgroups: false }).map(key)).toEqual(['16x128x512:1', '16x128x512:2', '16x128x512:4', '16x128x512:8']);
    expect(planJobs(shapes, { subgroups: true }).map(key).slice(0, 2)).toEqual(['1x256x128:workgroup', '1x256x128:subgroup']);
    const many: TuningShapes = { gemm: Array.from({ length: 40 }, (_, i) => shape(32, 64, 1024 + 64 * i)), gemv: [] };
    expect(planJobs(many, { subgroups: false })).toHaveLength(MAX_TRIALS);
    expect(planJobs({ gemm: [shape(128, 64, 64)], gemv: [] }, { subgroups: false })).toEqual([]);
  });
});

describe('decision', () => {
  const shapes: TuningShapes = { gemm: [shape(16, 128, 512)], gemv: [{ n: 256, k: 128, layout: 'kn', count: 4, f16: false }] };
  const jobs = planJobs(shapes, { subgroups: true });

  test(`a candidate wins only when more than ${TUNE_MARGIN * 100} % faster than the default`, async () => {
    const just = fakeTimer({ '16x128x512:1': 1, '16x128x512:2': 0.975, '16x128x512:4': 0.98, '16x128x512:8': 1.2, '1x256x128:workgroup': 1, '1x256x128:subgroup': 0.98 });
    const kept = await runJobs(jobs, just.time, { budgetMs: 1000, now: just.clock.now });
    expect(kept.tuning).toEqual(DEFAULT_TUNING);
    expect(kept.budgetHit).toBe(false);
    expect(kept.trials).toHaveLength(jobs.length);
    const clear = fakeTimer({ '16x128x512:1': 1, '16x128x512:2': 0.9, '16x128x512:4': 0.8, '16x128x512:8': 0.85, '1x256x128:workgroup': 1, '1x256x128:subgroup': 0.5 });
    const won = await runJobs(jobs, clear.time, { budgetMs: 1000, now: clear.clock.now });
    expect(won.tuning).toEqual({ gemmSplitK: { '16x128x512': 4 }, gemvReduction: 'subgroup' });
    expect(won.trials.find((t) => t.candidate === 'splitK=4')).toEqual({ op: 'gemm', shape: '16x128x512', candidate: 'splitK=4', medianMs: 0.8 });
  });

  test('a tie, or an untimed default, keeps the default', async () => {
    const tie = fakeTimer({ '16x128x512:1': 1, '16x128x512:2': 1, '16x128x512:4': 1, '16x128x512:8': 1 });
    expect((await runJobs(jobs, tie.time, { budgetMs: 1000, now: tie.clock.now })).tuning).toEqual(DEFAULT_TUNING);
    const noBase = fakeTimer({ '16x128x512:1': null, '16x128x512:2': 0.1, '1x256x128:workgroup': null, '1x256x128:subgroup': 0.1 });
    expect((await runJobs(jobs, noBase.time, { budgetMs: 1000, now: noBase.clock.now })).tuning).toEqual(DEFAULT_TUNING);
  });

  test('the budget stops the timings, keeps the best so far and records the rest as untimed', async () => {
    // 10 ms per timing, 25 ms budget: three timings (GEMV pair, then the GEMM default) run.
    const t = fakeTimer({ '1x256x128:workgroup': 1, '1x256x128:subgroup': 0.5, '16x128x512:1': 1 }, fakeClock(10));
    const out = await runJobs(jobs, t.time, { budgetMs: 25, now: t.clock.now });
    expect(t.asked).toEqual(['1x256x128:workgroup', '1x256x128:subgroup', '16x128x512:1']);
    expect(out.budgetHit).toBe(true);
    expect(out.tuning).toEqual({ gemmSplitK: {}, gemvReduction: 'subgroup' });
    expect(out.trials.filter((x) => x.medianMs === null).map((x) => x.candidate)).toEqual(['splitK=2', 'splitK=4', 'splitK=8']);
  });

  test('a job whose samples would overrun the budget stops the timings there', async () => {
    const t = fakeTimer({ '1x256x128:workgroup': 1, '1x256x128:subgroup': OVER_BUDGET });
    const out = await runJobs(jobs, t.time, { budgetMs: 1000, now: t.clock.now });
    expect(t.asked).toEqual(['1x256x128:workgroup', '1x256x128:subgroup']);
    expect(out.budgetHit).toBe(true);
    expect(out.tuning).toEqual(DEFAULT_TUNING);
    expect(out.trials.every((x, i) => (i === 0 ? x.medianMs === 1 : x.medianMs === null))).toBe(true);
  });

  test('without timestamps nothing is timed: the defaults, reason no-timestamps', async () => {
    const device = { features: new Set<string>(['subgroups']) } as unknown as GPUDevice;
    const cache = new PipelineCache(device);
    const r = await autotune(device, cache, shapes, { budgetMs: 1000 });
    expect(r).toEqual({ source: 'default', reason: 'no-timestamps', tuning: DEFAULT_TUNING, tuneMs: null, trials: [] });
  });
});

describe('cache per adapter', () => {
  const adapter = { vendor: 'nvidia', architecture: 'lovelace', device: '2684', description: 'RTX 4090' };
  const limits = { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 };
  const device = { features: new Set<string>(['timestamp-query']), limits } as unknown as GPUDevice;
  const models = resolveSuite('ci').workloads;
  const browser = { name: 'chrome', major: 140 };
  const chosen: StoredTuning = { tuning: { gemmSplitK: { '16x128x512': 2 }, gemvReduction: 'workgroup' }, trials: [{ op: 'gemm', shape: '16x128x512', candidate: 'splitK=2', medianMs: 0.5 }] };
  const timed = async (): Promise<TuningRecord> => ({ source: 'autotune', tuning: chosen.tuning, tuneMs: 12, trials: chosen.trials });

  test('first run times and stores; the second on the same adapter takes the cache (tuneMs null)', async () => {
    const store = new MemoryTuningStore();
    const first = new PipelineCache(device);
    const a = await tuneForRun({ device, adapter, cache: first, models, budgetMs: 1000, store, tune: timed });
    expect(a.source).toBe('autotune');
    expect(first.tuning).toEqual(chosen.tuning);
    const second = new PipelineCache(device);
    const b = await tuneForRun({ device, adapter, cache: second, models, budgetMs: 1000, store, tune: () => Promise.reject(new Error('must not tune')) });
    expect(b).toEqual({ source: 'cache', tuning: chosen.tuning, tuneMs: null, trials: chosen.trials });
    expect(second.tuning).toEqual(chosen.tuning);
  });

  test('a tuning the budget cut short (an untimed trial) is not kept: the next run tunes again', async () => {
    const store = new MemoryTuningStore();
    const partial = async (): Promise<TuningRecord> => ({ source: 'autotune', tuning: chosen.tuning, tuneMs: 12, trials: [...chosen.trials, { op: 'gemv', shape: '1x64x64', candidate: 'reduction=subgroup', medianMs: null }] });
    expect((await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store, tune: partial })).source).toBe('autotune');
    let tunedAgain = 0;
    const again = async (): Promise<TuningRecord> => {
      tunedAgain++;
      return timed();
    };
    expect((await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store, tune: again })).source).toBe('autotune');
    expect(tunedAgain).toBe(1);
    expect((await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store, tune: again })).source).toBe('cache');
    expect(tunedAgain).toBe(1);
  });

  test('a new kernel source, another adapter or other shapes miss', async () => {
    const shapes = tuningShapes(models);
    const k = tuningKey({ ...adapter, features: ['timestamp-query'], browser }, shapes);
    expect(tuningKey({ ...adapter, features: ['timestamp-query'], browser }, shapes, sourcesHash(['changed']))).not.toBe(k);
    expect(tuningKey({ ...adapter, device: '2685', features: ['timestamp-query'], browser }, shapes)).not.toBe(k);
    expect(tuningKey({ ...adapter, features: ['timestamp-query', 'subgroups'], browser }, shapes)).not.toBe(k);
    expect(tuningKey({ ...adapter, features: ['timestamp-query'], browser }, tuningShapes(resolveSuite('quick').workloads))).not.toBe(k);
    const store = new MemoryTuningStore();
    await store.put(k, chosen);
    let tuned = 0;
    const r = await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store, sources: sourcesHash(['changed']), tune: () => {
      tuned++;
      return timed();
    } });
    expect(tuned).toBe(1);
    expect(r.source).toBe('autotune');
  });

  test('storage that fails never fails the run: each run tunes', async () => {
    const broken: TuningStore = { get: () => Promise.reject(new Error('QuotaExceededError')), put: () => Promise.reject(new Error('QuotaExceededError')) };
    for (let i = 0; i < 2; i++) {
      const r = await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store: broken, tune: timed });
      expect(r.source).toBe('autotune');
    }
    // IndexedDB that cannot open (private mode): a miss, a dropped write.
    const factory = { open: () => { throw new Error('InvalidStateError'); } } as unknown as IDBFactory;
    const safe = new SafeTuningStore(new IndexedDbTuningStore(factory));
    expect(await safe.get('x')).toBeNull();
    await safe.put('x', chosen);
    expect(safe.lastError).toBeInstanceOf(Error);
    // A stored value that is not a tuning is a miss, not a crash.
    const junk: TuningStore = { get: async () => ({ tuning: { gemmSplitK: { big: 3 } } }) as unknown as StoredTuning, put: async () => {} };
    expect((await tuneForRun({ device, adapter, cache: new PipelineCache(device), models, budgetMs: 1000, store: junk, tune: timed })).source).toBe('autotune');
  });

  test('disabled, or a failing autotune: the defaults, with the reason', async () => {
    const store = new MemoryTuningStore();
    const cache = new PipelineCache(device);
    cache.tuning = chosen.tuning;
    expect(await tuneForRun({ device, adapter, cache, models, budgetMs: null, store })).toEqual({ source: 'default', reason: 'disabled', tuning: DEFAULT_TUNING, tuneMs: null, trials: [] });
    expect(cache.tuning).toEqual(DEFAULT_TUNING);
    const failed = await tuneForRun({ device, adapter, cache, models, budgetMs: 1000, store, tune: () => Promise.reject(new Error('device lost')) });
    expect(failed).toMatchObject({ source: 'default', reason: 'failed' });
  });
});

describe('kernel sources', () => {
  test('every WGSL file of the GEMM and GEMV kernels is hashed into the cache key', () => {
    const root = fileURLToPath(new URL('../../kernels', import.meta.url));
    const files = readdirSync(root).filter((d) => /^gem[mv]/.test(d)).flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.wgsl')).map((f) => join(root, d, f)));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(TUNED_KERNEL_SOURCES, `${f}: add it to src/engine/tuning/sources.ts`).toContain(readFileSync(f, 'utf8'));
  });
});

describe('the run and its document', () => {
  test('plans tune by default, with a small budget on ci; tune=off switches it off', () => {
    expect(buildPlan({ preset: 'ci' }).plan.autotune).toEqual({ budgetMs: 0 });
    expect(buildPlan({ preset: 'quick' }).plan.autotune).toEqual({ budgetMs: 1500 });
    expect(buildPlan({ preset: 'quick', tune: false }).plan.autotune).toBeUndefined();
  });

  test('the record goes into environment.tuning and passes the schema', () => {
    const s = sampleResult();
    const tuning: TuningRecord = { source: 'autotune', tuning: { gemmSplitK: { '16x128x512': 4 }, gemvReduction: 'workgroup' }, tuneMs: 812, trials: [{ op: 'gemm', shape: '16x128x512', candidate: 'splitK=1', medianMs: 1 }, { op: 'gemm', shape: '16x128x512', candidate: 'splitK=4', medianMs: 0.5 }] };
    const doc = buildDocument({ adapter: s.environment.adapter, timing: 'gpu-timestamp', workloads: s.workloads, flags: [], tuning }, { preset: s.suite.preset, suiteVersion: s.suite.version }, 'Mozilla/5.0 Chrome/140.0');
    expect(doc.environment.tuning).toEqual(tuning);
    const parsed = parseResult(doc);
    expect(parsed.ok && parsed.value.environment.tuning).toEqual(tuning);
  });

  test('the line under the provenance says where the kernels came from', () => {
    lang.value = 'en';
    expect(tuningSummary({ source: 'autotune', tuning: { gemmSplitK: { '1x2x3': 2, '4x5x6': 4 }, gemvReduction: 'subgroup' }, tuneMs: 812, trials: [] })).toBe('Kernels tuned on this GPU in 0.81 s (split-K on 2 shapes, subgroup GEMV).');
    const timed = { op: 'gemm' as const, shape: '16x128x512', candidate: 'splitK=2', medianMs: 1 };
    expect(tuningSummary({ source: 'cache', tuning: DEFAULT_TUNING, tuneMs: null, trials: [timed] })).toBe('Kernels tuned earlier on this GPU, taken from the cache (the default kernels were fastest).');
    expect(tuningSummary({ source: 'autotune', tuning: DEFAULT_TUNING, tuneMs: 0.2, trials: [{ ...timed, medianMs: null }] })).toBe('Kernels tuned on this GPU in 0.0002 s (no candidate timed within the time budget).');
    expect(tuningSummary({ source: 'default', reason: 'no-timestamps', tuning: DEFAULT_TUNING, tuneMs: null, trials: [] })).toMatch(/^Default kernels: this GPU gives no timestamps/);
    // A candidate refused for its output is said apart from one the budget left untimed.
    const refused = { ...timed, candidate: 'splitK=4', medianMs: null, untimed: 'wrong-output' as const };
    expect(tuningSummary({ source: 'autotune', tuning: DEFAULT_TUNING, tuneMs: 500, trials: [timed, refused] }))
      .toBe('Kernels tuned on this GPU in 0.5 s (the default kernels were fastest, 1 candidate refused: its output differed from the default kernel’s).');
    expect(tuningSummary({ source: 'autotune', tuning: DEFAULT_TUNING, tuneMs: 500, trials: [timed, refused, { ...refused, untimed: 'budget' as const }] }))
      .toBe('Kernels tuned on this GPU in 0.5 s (the default kernels were fastest, 1 candidate refused: its output differed from the default kernel’s, some candidates left untimed (time budget)).');
    expect(tuningSummary({ source: 'autotune', tuning: DEFAULT_TUNING, tuneMs: 500, trials: [timed, { ...refused, untimed: 'unusable' as const }] }))
      .toBe('Kernels tuned on this GPU in 0.5 s (the default kernels were fastest, some candidates could not be timed on this GPU).');
  });
});

describe('npm run bench', () => {
  test('the table shows the choice, then every trial (untimed ones say so)', () => {
    const lines = formatTuning({ source: 'autotune', tuning: { gemmSplitK: { '64x768x3072': 4 }, gemvReduction: 'workgroup' }, tuneMs: 812.4, trials: [{ op: 'gemm', shape: '64x768x3072', candidate: 'splitK=1', medianMs: 0.5 }, { op: 'gemm', shape: '64x768x3072', candidate: 'splitK=4', medianMs: null }] });
    expect(lines[0]).toBe('tuning autotune in 812 ms: split-K 64x768x3072→4, GEMV workgroup');
    expect(lines[1]).toMatch(/trial gemm 64x768x3072 +splitK=1 +0\.500 ms/);
    expect(lines[2]).toMatch(/splitK=4 +untimed$/);
    const why = formatTuning({ source: 'autotune', tuning: DEFAULT_TUNING, tuneMs: 5, trials: [{ op: 'gemm', shape: '64x768x3072', candidate: 'splitK=4', medianMs: null, untimed: 'wrong-output', prologue: 'rmsnorm' }] });
    expect(why[1]).toMatch(/splitK=4 +untimed \(wrong-output\) with rmsnorm$/);
    expect(formatTuning({ source: 'default', reason: 'no-timestamps', tuning: DEFAULT_TUNING, tuneMs: null, trials: [] })).toEqual(['tuning defaults (no-timestamps): split-K none, GEMV workgroup']);
  });
});

describe('schema of environment.tuning', () => {
  const good: TuningRecord = { source: 'autotune', tuning: { gemmSplitK: { '64x768x3072': 4 }, gemvReduction: 'subgroup' }, tuneMs: 800, trials: [{ op: 'gemv', shape: '1x896x4864', candidate: 'reduction=subgroup', medianMs: 0.2 }, { op: 'gemm', shape: '64x768x3072', candidate: 'splitK=4', medianMs: 0.4 }] };
  const withTuning = (t: unknown) => {
    const d = structuredClone(sampleResult()) as unknown as { environment: Record<string, unknown> };
    d.environment['tuning'] = t;
    return d;
  };
  const issues = (t: unknown): string => {
    const r = parseResult(withTuning(t));
    return r.ok ? '(accepted)' : r.issues.join('\n');
  };

  test('a valid record is kept; a document without one stays valid', () => {
    const r = parseResult(withTuning(good));
    expect(r.ok && r.value.environment.tuning).toEqual(good);
    expect(parseResult(sampleResult()).ok).toBe(true);
    expect(issues({ source: 'default', reason: 'disabled', tuning: DEFAULT_TUNING, tuneMs: null, trials: [] })).toBe('(accepted)');
  });

  test.each([
    ['source', { ...good, source: 'guess' }, /environment\.tuning\.source: must be one of autotune, cache, default/],
    ['reason', { ...good, source: 'default', reason: 'bored', tuning: DEFAULT_TUNING, tuneMs: null }, /environment\.tuning\.reason: must be one of disabled/],
    ['reason missing', { ...good, source: 'default', tuning: DEFAULT_TUNING, tuneMs: null }, /environment\.tuning: reason is given exactly when source is "default"/],
    ['split value', { ...good, tuning: { ...good.tuning, gemmSplitK: { '64x768x3072': 3 } } }, /environment\.tuning\.tuning\.gemmSplitK\.64x768x3072: must be one of 1, 2, 4, 8/],
    ['shape key', { ...good, tuning: { ...good.tuning, gemmSplitK: { 'big': 2 } } }, /environment\.tuning\.tuning\.gemmSplitK\.big: keys must be shape keys/],
    ['too many shapes', { ...good, tuning: { ...good.tuning, gemmSplitK: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`${i + 2}x8x8`, 2])) } }, /gemmSplitK: must have at most 64 shapes/],
    ['reduction', { ...good, tuning: { ...good.tuning, gemvReduction: 'warp' } }, /environment\.tuning\.tuning\.gemvReduction: must be one of workgroup, subgroup/],
    ['tuneMs', { ...good, tuneMs: -1 }, /environment\.tuning\.tuneMs: must be ≥ 0/],
    ['tuneMs from cache', { ...good, source: 'cache', tuneMs: 5 }, /tuneMs is null unless source is "autotune"/],
    ['trial median', { ...good, trials: [{ ...good.trials[0], medianMs: Number.NaN }] }, /environment\.tuning\.trials\.0\.medianMs/],
    ['trial candidate', { ...good, trials: [{ ...good.trials[0], candidate: 'tiles=64' }] }, /environment\.tuning\.trials\.0\.candidate: must be one of/],
    ['trial op/candidate', { ...good, trials: [{ ...good.trials[0], op: 'gemm' }] }, /a gemm trial times a splitK candidate/],
    ['trial shape', { ...good, trials: [{ ...good.trials[0], shape: '1x2' }] }, /environment\.tuning\.trials\.0\.shape: must be a shape key/],
    ['too many trials', { ...good, trials: Array.from({ length: 257 }, () => good.trials[0]) }, /environment\.tuning\.trials: must have at most 256 items/],
    ['default with choices', { ...good, source: 'default', reason: 'failed', tuneMs: null }, /source "default" runs the default tuning/],
    ['autotune without its time', { ...good, tuneMs: null }, /tuneMs is a number when source is "autotune"/],
    ['split without a timed trial', { ...good, trials: good.trials.filter((t) => t.op === 'gemv') }, /every gemmSplitK choice above 1 has a timed trial/],
    ['split of one row', { ...good, tuning: { ...good.tuning, gemmSplitK: { '1x768x3072': 4 } }, trials: [...good.trials, { op: 'gemm', shape: '1x768x3072', candidate: 'splitK=4', medianMs: 0.1 }] }, /shape of at least 2 rows/],
    ['subgroup without a timed trial', { ...good, trials: good.trials.filter((t) => t.op === 'gemm') }, /a subgroup reduction has a timed trial/],
  ])('refuses a bad %s, naming the field', (_name, value, message) => {
    expect(issues(value)).toMatch(message);
  });
});
