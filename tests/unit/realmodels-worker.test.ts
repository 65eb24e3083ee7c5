/**
 * The real-models race as the worker runs it (workers/realmodels.ts) and the page turns it into a
 * document (src/lab/realmodels-session.ts), in Node: the fixture models served by a fake fetch
 * (with a hub commit header), onnxruntime-web's WASM backend standing in for WebGPU (sessions
 * asked for `webgpu` run on WASM, so the record says webgpu), a fake replica run. Checks the
 * loading (hash, revision, cache hit), the document (both real-model workloads whose `real` block
 * validates, accuracy = Wilson, the replicas, the WASM reference), answerSentence, the
 * one-activity rule, cancel, and that named errors cross comlink by name.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test, vi } from 'vitest';
import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web';
import type { Capabilities } from '../../src/engine/device.ts';
import { RunCancelledError, RunInProgressError, TabHiddenError } from '../../src/engine/errors.ts';
import { countQuery } from '../../src/engine/models/flops.ts';
import { workloadConfig } from '../../src/engine/models/config.ts';
import { wallClockTiming } from '../../src/engine/onnx/measure.ts';
import type { OrtModule } from '../../src/engine/onnx/ort.ts';
import { HalfPrecisionUnavailableError, ModelSignatureError } from '../../src/engine/realmodels/checks.ts';
import { ChatTemplateError } from '../../src/engine/realmodels/generator.ts';
import { BaseNotAgreedError } from '../../src/lab/base-agreement.ts';
import { DownloadCancelledError, DownloadHttpError, DownloadNetworkError, DownloadReadError, ModelFileError } from '../../src/lab/model-download.ts';
import { REAL_MODEL_ERROR_NAMES } from '../../src/shared/errors.ts';
import { fixtureTree } from '../../src/engine/realmodels/fixtures.ts';
import { decoderFromConfig, encoderFromConfig, replicaDtypeOf, replicaSpecs } from '../../src/engine/realmodels/replica.ts';
import type { EngineRunOutput, MeasurementPlan } from '../../src/engine/run-plan.ts';
import { computeEnergy } from '../../src/energy/index.ts';
import type { LabApi } from '../../src/lab/api.ts';
import { memoryModelCache, ModelQuotaError } from '../../src/lab/model-cache.ts';
import { DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID, ModelRefError } from '../../src/lab/model-files.ts';
import { buildPlan } from '../../src/lab/plan.ts';
import type { RealRaceRequest } from '../../src/lab/realmodels-api.ts';
import { buildRealDocument, pageUrl, realDtype, runRealModelsSession } from '../../src/lab/realmodels-session.ts';
import { parseRealModelRecord } from '../../src/shared/realmodels-result.ts';
import { perCorrectEnergyRecord } from '../../src/shared/realmodels/per-correct.ts';
import { realModelCost, type RealModelConfig } from '../../src/shared/realmodels/cost.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';
import type { Workload } from '../../src/shared/result.ts';
import type { TuningRecord } from '../../src/shared/tuning.ts';
import { createLabApi, type LabEngine } from '../../workers/lab-api.ts';
import { balancedItems, createRealModels, NoModelsLoadedError, type RealModelsEngine } from '../../workers/realmodels.ts';
import setJson from '../../data/tasks/sentiment-en.json';
import type { TaskSet } from '../../src/shared/realmodels/task-set.ts';

ort.env.wasm.numThreads = 1;

const COMMIT = 'a'.repeat(40);
const ADAPTER = { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true, features: ['timestamp-query'] as string[], limits: { maxBufferSize: 268435456, maxStorageBufferBindingSize: 134217728 } };
const CAPS: Capabilities = { available: true, adapter: ADAPTER, secureContext: true } as unknown as Capabilities;

/** onnxruntime-web whose sessions run on WASM whatever provider is asked (Node has no WebGPU EP). */
function wasmAsWebGpu(): OrtModule {
  const create = (bytes: Uint8Array, o: ort.InferenceSession.SessionOptions = {}) => {
    const { preferredOutputLocation: _drop, ...rest } = o;
    return ort.InferenceSession.create(bytes, { ...rest, executionProviders: ['wasm'] });
  };
  const lost = new Promise<never>(() => {});
  return { ...ort, InferenceSession: { create }, env: { ...ort.env, webgpu: { device: Promise.resolve({ lost }) } } } as unknown as OrtModule;
}

/**
 * The fixture folder behind a fetch, counting requests. Like the hub, only the small files carry
 * `x-repo-commit`: the ONNX file (LFS) comes from a CDN whose headers lack it.
 */
function fixtureFetch(): { fetchImpl: typeof fetch; gets: string[] } {
  const tree = fixtureTree({ classifier: DEFAULT_CLASSIFIER_ID, generator: DEFAULT_GENERATOR_ID });
  const gets: string[] = [];
  const fetchImpl = (async (input: URL | RequestInfo, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const path = decodeURIComponent(url.pathname.replace(/^\/models\//, ''));
    const bytes = tree.get(path);
    if (!bytes) return new Response('not found', { status: 404 });
    const headers: Record<string, string> = { 'content-length': String(bytes.length), ...(path.endsWith('.onnx') ? {} : { 'x-repo-commit': COMMIT }) };
    if (init?.method === 'HEAD') return new Response(null, { status: 200, headers });
    gets.push(path);
    return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
  }) as typeof fetch;
  return { fetchImpl, gets };
}

/** The kernel choices the fake replica run reports, as the autotuner would. */
const TUNING: TuningRecord = {
  source: 'autotune',
  // The fake adapter has no subgroups: only split-K was tried and kept.
  tuning: { gemmSplitK: { '8x64x256': 4 }, gemvReduction: 'workgroup' },
  tuneMs: 12.5,
  trials: [
    { op: 'gemm', shape: '8x64x256', candidate: 'splitK=1', medianMs: 0.2 },
    { op: 'gemm', shape: '8x64x256', candidate: 'splitK=4', medianMs: 0.1 },
  ],
};

/** The replicas' run: one model workload per spec of the plan, with a wall-clock record and the tuning it ran with. */
async function fakeRunPlan(plan: MeasurementPlan): Promise<EngineRunOutput> {
  const workloads: Workload[] = plan.models.map((spec, i) => {
    const c = countQuery(spec);
    return {
      id: spec.id, kind: 'model', role: spec.role, config: workloadConfig(spec), flops: c.flops, bytes: c.bytes,
      timing: wallClockTiming([1 + i, 1.1 + i, 1.2 + i, 0.9 + i, 1.05 + i, 1.15 + i], plan.warmup, []), dtype: 'f32',
    };
  });
  return { adapter: ADAPTER, timing: 'wall-clock', workloads, flags: [], tuning: TUNING };
}

function engineWith(over: Partial<RealModelsEngine> = {}): { engine: RealModelsEngine; gets: string[]; plans: MeasurementPlan[] } {
  const { fetchImpl, gets } = fixtureFetch();
  const plans: MeasurementPlan[] = [];
  const engine: RealModelsEngine = {
    loadOrt: async () => wasmAsWebGpu(),
    probeCapabilities: async () => CAPS,
    runPlan: (plan) => (plans.push(plan), fakeRunPlan(plan)),
    cache: memoryModelCache({ partials: new Map() }),
    fetchImpl,
    ...over,
  };
  return { engine, gets, plans };
}

function labWith(realModels: LabEngine['realModels']): LabApi {
  const no = () => Promise.reject(new Error('not used'));
  return createLabApi({
    probeCapabilities: async () => CAPS, runPlan: no, computeEnergy, computeWorkloadEnergy: no, inspectOnnx: no, measureOnnx: no, runGpuLoad: no,
    ...(realModels ? { realModels } : {}),
  });
}

const CI_PLAN = buildPlan({ preset: 'ci', modelsOnly: true }).plan;

const REQ: RealRaceRequest = {
  models: { classifier: { task: 'classifier', id: DEFAULT_CLASSIFIER_ID, dtype: 'fp32' }, generator: { task: 'generator', id: DEFAULT_GENERATOR_ID, dtype: 'fp32' } },
  base: '/models/', origin: 'http://127.0.0.1:9/', language: 'en', items: 6, maxNewTokens: 3, reference: true, replicas: true, preset: 'ci',
};

describe('balanced items', () => {
  test('positives and negatives alternate, so every even prefix is balanced', () => {
    const items = balancedItems(setJson as TaskSet, 20);
    expect(items).toHaveLength(20);
    expect(items.filter((it) => it.label === 'positive')).toHaveLength(10);
    expect(items.map((it) => it.label).slice(0, 4)).toEqual(['positive', 'negative', 'positive', 'negative']);
    expect(new Set(items.map((it) => it.id)).size).toBe(20);
  });
});

describe('replica configs from config.json', () => {
  test('the fixtures and the real DistilBERT/Qwen2 fields map onto our engine configs', () => {
    expect(encoderFromConfig({ model_type: 'distilbert', dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, vocab_size: 30522, max_position_embeddings: 512, id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' } }, 'distilbert-sst2'))
      .toMatchObject({ layers: 6, hidden: 768, heads: 12, headDim: 64, ffn: 3072, vocab: 30522, labels: 2, preClassifier: 'relu' });
    expect(decoderFromConfig({ model_type: 'qwen2', hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, vocab_size: 151936, rope_theta: 1e6, tie_word_embeddings: true }, 'qwen2.5-0.5b-instruct'))
      .toMatchObject({ layers: 24, hidden: 896, heads: 14, kvHeads: 2, headDim: 64, ffn: 4864, qkvBias: true, tiedEmbeddings: true });
    expect(() => decoderFromConfig({ hidden_size: 16 }, 'custom')).toThrow(/num_attention_heads/);
  });

  test('a half-precision export gets an f16 replica (weights stored f16 where the device allows); the rest f32', () => {
    expect(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4', 'quantized'].map(replicaDtypeOf)).toEqual(['f32', 'f16', 'f32', 'f32', 'f32', 'f32', 'f16', 'f32', 'f32']);
    const qwen = { model_type: 'qwen2', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 128, vocab_size: 256 };
    const bert = { model_type: 'distilbert', dim: 32, n_layers: 2, n_heads: 2, hidden_dim: 64, vocab_size: 100 };
    const names = { classifier: 'distilbert-sst2', generator: 'qwen2.5-0.5b-instruct' };
    const tokens = { inputTokens: 9, promptTokens: 20, outputTokens: 3 };
    const [enc, dec] = replicaSpecs({ classifier: bert, generator: qwen }, names, tokens, { classifier: 'f32', generator: replicaDtypeOf('q4f16') });
    expect([enc.model.dtype, dec.model.dtype]).toEqual(['f32', 'f16']);
    const [enc32, dec32] = replicaSpecs({ classifier: bert, generator: qwen }, names, tokens);
    expect([enc32.model.dtype, dec32.model.dtype]).toEqual(['f32', 'f32']);
  });
});

// Creating sessions compiles onnxruntime's WASM: seconds on a loaded machine.
describe('the race in the worker, the document on the page', { timeout: 180_000 }, () => {
  test('loads, races, runs the reference and the replicas; the document validates; answerSentence answers; a second load hits the cache', async () => {
    const { engine, gets, plans } = engineWith();
    const lab = labWith(createRealModels(engine));
    const phases = new Set<string>();
    const { doc, output } = await runRealModelsSession({ ...REQ, onProgress: (p) => phases.add(p.phase) }, lab);
    // (The fake replica run reports no progress.)
    expect([...phases].sort()).toEqual(['download', 'load', 'race']);

    // What the worker knows of the files: the hash of the ONNX file run, the commit the host named for config.json.
    const onnx = fixtureTree({ classifier: DEFAULT_CLASSIFIER_ID, generator: DEFAULT_GENERATOR_ID }).get(`${DEFAULT_CLASSIFIER_ID}/onnx/model.onnx`)!;
    expect(output.models.classifier.sha256).toBe(createHash('sha256').update(onnx).digest('hex'));
    expect(output.models.classifier.revision).toBe(COMMIT);
    expect(output.taskSet).toEqual({ id: 'sentiment-en', version: (setJson as TaskSet).version });
    // Accuracy per kind of sentence (the results' difficulty chart) covers every answer once, per model.
    for (const run of [output.webgpu.specialized, output.webgpu.general]) {
      const parts = Object.values(run.accuracyByDifficulty).filter((a) => a !== null);
      expect([parts.reduce((s, a) => s + a.n, 0), parts.reduce((s, a) => s + a.correct, 0)]).toEqual([run.accuracy.n, run.accuracy.correct]);
    }

    // The replicas: the preset's settings, the shapes of config.json, the run's median token counts.
    expect(plans).toHaveLength(1);
    const [enc, dec] = plans[0]!.models;
    expect(enc).toMatchObject({ id: 'specialized:distilbert-sst2', inputTokens: output.webgpu.specialized.tokens.inputMedian });
    // fp32 exports: f32 replicas.
    expect([enc?.model.dtype, dec?.model.dtype]).toEqual(['f32', 'f32']);
    expect(dec).toMatchObject({ id: 'general:qwen2.5-0.5b-instruct', promptTokens: output.webgpu.general.tokens.inputMedian, outputTokens: output.webgpu.general.tokens.outputMedian });

    const ids = doc.workloads.map((w) => w.id).sort();
    expect(ids).toEqual([
      'general:qwen2.5-0.5b-instruct', 'general:qwen2.5-0.5b-instruct:wasm', 'general:qwen2.5-0.5b-instruct:webgpu',
      'specialized:distilbert-sst2', 'specialized:distilbert-sst2:wasm', 'specialized:distilbert-sst2:webgpu',
    ]);
    expect(doc.suite.preset).toBe('ci');
    // The replicas' kernel tuning is the document's (the real models run onnxruntime's kernels).
    expect(output.replicas?.tuning).toEqual(TUNING);
    expect(doc.environment.tuning).toEqual(TUNING);
    for (const w of doc.workloads.filter((x) => x.kind === 'real-model')) {
      expect(parseRealModelRecord(w.real)).toMatchObject({ ok: true });
      const a = w.real!.accuracy;
      const expected = wilson(a.correct, a.n);
      expect([a.low, a.high]).toEqual([expected.low, expected.high]);
      expect(w.real).toMatchObject({ revision: COMMIT, dtype: 'fp32', taskSet: { id: 'sentiment-en', language: 'en' } });
      expect(w.timing.source).toBe('wall-clock');
      // Timed as the preset's plan says (the page, the demo and the CLI alike); the reference without pre-heat.
      // (`warmup` counts every excluded query, the pre-heat's included.)
      if (w.real!.executionProvider === 'webgpu') {
        expect(w.timing.warmup).toBeGreaterThanOrEqual(CI_PLAN.warmup);
        expect(w.timing.preheatMs).toBeGreaterThanOrEqual(CI_PLAN.modelPreheatMs);
      } else {
        expect(w.timing.warmup).toBe(Math.min(CI_PLAN.warmup, 1));
        expect(w.timing.preheatMs).toBeUndefined();
      }
      expect(w.flops).toBeGreaterThan(0);
      // The config is the closed one the schema takes (architecture from config.json), FLOPs and bytes its estimate.
      expect(w.config).toMatchObject({ family: w.role === 'general' ? 'decoder' : 'encoder', onnxBytes: expect.any(Number) as unknown });
      expect({ flops: w.flops, bytes: w.bytes }).toEqual(realModelCost(w.config as RealModelConfig, w.real!.tokens));
    }
    // The whole document is what the server takes: schema, closed vocabulary, energy recomputed.
    const parsed = parseResult(doc);
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    expect(parsed.ok ? parsed.value.environment.tuning : null).toEqual(TUNING);
    expect(verifyEnergy(doc)).toEqual([]);
    const gpuGeneral = doc.workloads.find((w) => w.id === 'general:qwen2.5-0.5b-instruct:webgpu')!;
    expect(gpuGeneral.real).toMatchObject({ executionProvider: 'webgpu', answer: 'generation', promptVersion: 'sentiment-zs-1', accuracy: { n: 6 } });
    // The reference ran on WASM with the same weights: it agrees, and it is marked as the reference.
    expect(gpuGeneral.real!.agreement).toEqual({ measured: true, agree: 6, n: 6 });
    expect(doc.workloads.find((w) => w.id === 'specialized:distilbert-sst2:wasm')!.real!.agreement).toEqual({ measured: false, reason: 'is-reference' });
    // The energy rests on the real models on WebGPU, with the figures per correct answer beside it.
    expect(doc.energy?.perQuery.general.inputs?.workloadId).toBe('general:qwen2.5-0.5b-instruct:webgpu');
    expect(doc.energy?.perQuery.specialized.inputs?.workloadId).toBe('specialized:distilbert-sst2:webgpu');
    expect(doc.energy?.perQuery.general.joules.p50).toBeGreaterThan(0);
    const specialized = doc.workloads.find((w) => w.id === 'specialized:distilbert-sst2:webgpu')!.real!.accuracy;
    expect(doc.energy?.perQuery.specialized.perCorrect).toEqual(perCorrectEnergyRecord(doc.energy!.perQuery.specialized.joules, specialized));
    expect(doc.energy?.ratioPerCorrect).toBeDefined();

    const answer = await lab.answerSentence('What a wonderful film.', 'en');
    expect(['positive', 'negative', 'unparseable']).toContain(answer.general.label);
    expect(answer.specialized.tokensIn).toBeGreaterThan(2);

    // The second race reads every file from the cache.
    const before = gets.length;
    const again = await lab.runRealModels({ ...REQ, reference: false, replicas: false }, () => {});
    expect(gets.length).toBe(before);
    expect(again.models.generator.downloadedBytes).toBe(0);
    expect(again.wasm).toBeNull();
    const doc2 = buildRealDocument(again, { preset: 'ci', adapter: ADAPTER });
    expect(doc2.workloads.map((w) => w.real?.agreement)).toEqual([{ measured: false, reason: 'reference-not-run' }, { measured: false, reason: 'reference-not-run' }]);
    // No replicas, no tuning: the optional field stays absent rather than claiming default kernels.
    expect('tuning' in doc2.environment).toBe(false);
    // Cached files: their commit is not known again.
    expect(again.models.classifier.revision).toBeNull();

    // A custom model is identified by its file's SHA-256 only: no revision in the document, whatever the host said.
    const custom = { ...output, models: { ...output.models, generator: { ...output.models.generator, ref: { ...output.models.generator.ref, id: 'someone/my-model' } } } };
    const customDoc = buildRealDocument(custom, { preset: 'ci', adapter: ADAPTER });
    const customGeneral = customDoc.workloads.find((w) => w.id === 'general:custom:webgpu')!.real!;
    expect(customGeneral).toMatchObject({ model: 'custom', revision: null, sha256: output.models.generator.sha256 });
    expect(parseRealModelRecord(customGeneral)).toMatchObject({ ok: true });
  });

  test('one activity at a time; cancel stops the download with DownloadCancelledError; answerSentence before any race is refused by name', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { engine } = engineWith();
    const slow: RealModelsEngine = { ...engine, probeCapabilities: async () => (await held, CAPS) };
    const lab = labWith(createRealModels(slow));
    await expect(lab.answerSentence('Nice.', 'en')).rejects.toMatchObject({ name: 'NoModelsLoadedError' });
    const first = lab.runRealModels(REQ, () => {});
    await expect(lab.runRealModels(REQ, () => {})).rejects.toBeInstanceOf(RunInProgressError);
    await expect(lab.answerSentence('Nice.', 'en')).rejects.toBeInstanceOf(RunInProgressError);
    lab.cancel();
    release();
    await expect(first).rejects.toMatchObject({ name: 'DownloadCancelledError' });
  });

  test('answerSentence holds the worker while it answers: a race, a run or the GPU load started meanwhile is refused', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const reply = { label: 'positive' as const, ms: 1, tokensIn: 3, tokensOut: 1 };
    let races = 0;
    const lab = labWith({
      run: () => ((races += 1), Promise.reject(new Error('not used'))),
      answer: async () => (await held, { specialized: reply, general: reply }) as unknown as Awaited<ReturnType<LabApi['answerSentence']>>,
    });
    const answering = lab.answerSentence('Nice.', 'en');
    await expect(lab.runRealModels(REQ, () => {})).rejects.toBeInstanceOf(RunInProgressError);
    await expect(lab.startGpuLoad()).rejects.toBeInstanceOf(RunInProgressError);
    await expect(lab.answerSentence('Again.', 'en')).rejects.toBeInstanceOf(RunInProgressError);
    expect(races).toBe(0);
    release();
    await expect(answering).resolves.toMatchObject({ specialized: { label: 'positive' } });
    // Released in `finally`: the next activity may start.
    await expect(lab.runRealModels(REQ, () => {})).rejects.toThrow('not used');
    expect(races).toBe(1);
  });

  test('failed replicas keep the finished real race (replicas null, flag replica-failed); a cancel during the replicas cancels the run', async () => {
    let mode: 'fail' | 'cancel' = 'fail';
    const { engine } = engineWith({
      runPlan: () => {
        if (mode === 'cancel') {
          lab.cancel();
          return Promise.reject(new RunCancelledError());
        }
        return Promise.reject(new TabHiddenError());
      },
    });
    const lab = labWith(createRealModels(engine));
    const out = await lab.runRealModels({ ...REQ, reference: false }, () => {});
    expect(out.replicas).toBeNull();
    expect(out.replicaError).toBe(`TabHiddenError: ${new TabHiddenError().message}`);
    expect(out.webgpu.specialized.items).toHaveLength(6);
    const doc = buildRealDocument(out, { preset: 'ci', adapter: ADAPTER });
    expect(doc.flags).toEqual(['replica-failed']);
    expect('tuning' in doc.environment).toBe(false);
    expect(doc.workloads.map((w) => w.id).sort()).toEqual(['general:qwen2.5-0.5b-instruct:webgpu', 'specialized:distilbert-sst2:webgpu']);
    const parsed = parseResult(doc);
    expect(parsed.ok ? parsed.value.flags : parsed.issues).toEqual(['replica-failed']);
    // The sessions were kept: the own sentence still works after failed replicas.
    await expect(lab.answerSentence('Lovely.', 'en')).resolves.toMatchObject({ specialized: { tokensIn: expect.any(Number) as unknown } });

    mode = 'cancel';
    await expect(lab.runRealModels({ ...REQ, reference: false }, () => {})).rejects.toBeInstanceOf(RunCancelledError);
  });

  test('a named error from the worker reaches the page by name across comlink', async () => {
    const { port1, port2 } = new MessageChannel();
    const lab = labWith({
      run: () => Promise.reject(new ModelSignatureError('classifier', ['logits'])),
      answer: () => Promise.reject(new Error('not used')),
    });
    Comlink.expose(lab, port1);
    const remote = Comlink.wrap<LabApi>(port2);
    const err = await remote.runRealModels(REQ, Comlink.proxy(() => {})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ModelSignatureError', message: expect.stringContaining('logits') as unknown });
    port1.close();
    port2.close();
  });

  test('every real-model error class is listed by name for the page', () => {
    const thrown = [
      new ModelSignatureError('classifier', ['logits']), new HalfPrecisionUnavailableError('m'), new ChatTemplateError('x'), new ModelFileError('not-onnx', 'u', 'd'),
      new ModelRefError('x'), new DownloadHttpError(404, 'Not Found'), new DownloadNetworkError('h', 'x'), new DownloadReadError('x'),
      new DownloadCancelledError('u', 0), new ModelQuotaError('u', 1), new NoModelsLoadedError(), new BaseNotAgreedError('https://elsewhere.example'),
    ];
    expect(thrown.map((e) => e.name)).toEqual([...REAL_MODEL_ERROR_NAMES]);
  });

  test('a relative base resolves against the page\'s full address (the session and the size check alike)', () => {
    expect(pageUrl()).toBeUndefined();
    vi.stubGlobal('location', { href: 'https://lab.example/frugal/index.html#/models', origin: 'https://lab.example' });
    try {
      expect(pageUrl()).toBe('https://lab.example/frugal/index.html#/models');
      expect(new URL('models/', pageUrl()).href).toBe('https://lab.example/frugal/models/');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test('dtypes map onto the closed vocabulary', () => {
    expect((['fp32', 'fp16', 'quantized', 'q4', 'q4f16'] as const).map(realDtype)).toEqual(['fp32', 'fp16', 'q8', 'q4', 'q4f16']);
  });
});
