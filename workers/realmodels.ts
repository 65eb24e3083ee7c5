/**
 * The real-models race in the worker (LabApi.runRealModels / answerSentence): load both models'
 * files (cache or network, with progress; src/lab/model-download.ts), create their
 * onnxruntime-web sessions on WebGPU, run the WASM reference on the first items when asked (its
 * answers then measure the agreement of the WebGPU run), the race itself, and the synthetic
 * replicas (our engine, synthesized weights, the same shapes and median token counts). The WebGPU
 * sessions stay loaded for "type your own sentence" until the next race or a lost device.
 * See docs/ARCHITECTURE.md ("Real models").
 */
import type { AcquiredDevice, Capabilities } from '../src/engine/device.ts';
import { DeviceLostError, RunCancelledError, WebGpuUnavailableError } from '../src/engine/errors.ts';
import type { OrtModule } from '../src/engine/onnx/ort.ts';
import { checkModelFits } from '../src/engine/realmodels/checks.ts';
import { ClassifierSession } from '../src/engine/realmodels/classifier.ts';
import { GeneratorSession } from '../src/engine/realmodels/generator.ts';
import { answerOne, runRealRace, scoredAnswers, type RealRaceResult } from '../src/engine/realmodels/race.ts';
import { replicaDtypeOf, replicaSpecs } from '../src/engine/realmodels/replica.ts';
import type { EngineRunOutput, MeasurementPlan, Progress } from '../src/engine/run-plan.ts';
import type { RunControl } from '../src/engine/timing.ts';
import { cacheStorageModelCache, memoryModelCache, type ModelCache } from '../src/lab/model-cache.ts';
import { jsonFile, loadModelFiles, type LoadedModel } from '../src/lab/model-download.ts';
import { onnxPath, realModelKey, type ModelRef, type ModelTask } from '../src/lab/model-files.ts';
import { buildPlan } from '../src/lab/plan.ts';
import type { LoadedModelInfo, OwnSentenceAnswers, RealRaceOutput, RealRaceProgress, RealRaceRequest } from '../src/lab/realmodels-api.ts';
import { AGREEMENT_ITEMS } from '../src/shared/realmodels/scoring.ts';
import type { TaskItem, TaskLanguage, TaskSet } from '../src/shared/realmodels/task-set.ts';
import { NoModelsLoadedError } from './realmodels-errors.ts';

/** What the race needs from the engine (the worker passes the real functions; tests may pass others). */
export interface RealModelsEngine {
  loadOrt(): Promise<OrtModule>;
  probeCapabilities(): Promise<Capabilities>;
  runPlan(plan: MeasurementPlan, control: RunControl, onProgress: (p: Progress) => void, hooks: { onDevice?: (d: AcquiredDevice) => void }): Promise<EngineRunOutput>;
  /** Where downloaded files are kept: Cache Storage when the worker has it, else memory. */
  cache?: ModelCache;
  fetchImpl?: typeof fetch;
}

/** One race's hold on the worker: cancel (the signal and the control) and the tab's visibility. */
export interface RealActivity {
  signal: AbortSignal;
  control: RunControl;
  onDevice?: (d: AcquiredDevice) => void;
}

export interface RealModelsRunner {
  run(req: RealRaceRequest, activity: RealActivity, onProgress: (p: RealRaceProgress) => void): Promise<RealRaceOutput>;
  answer(text: string, language: TaskLanguage): Promise<OwnSentenceAnswers>;
}

export { NoModelsLoadedError };

/** The task set of a language (a static JSON file, bundled with the worker on first use). */
async function taskSet(language: TaskLanguage): Promise<TaskSet> {
  switch (language) {
    case 'en':
      return (await import('../data/tasks/sentiment-en.json')).default as TaskSet;
    case 'fr':
      return (await import('../data/tasks/sentiment-fr.json')).default as TaskSet;
  }
}

/**
 * The first `n` items of the set as a balanced sequence: positives and negatives alternate (each
 * in the set's order), so any prefix, the agreement items included, is balanced within one.
 */
export function balancedItems(set: TaskSet, n = set.items.length): TaskItem[] {
  const pos = set.items.filter((it) => it.label === 'positive');
  const neg = set.items.filter((it) => it.label === 'negative');
  const out: TaskItem[] = [];
  for (let i = 0; out.length < Math.min(n, set.items.length); i++) {
    if (i < pos.length) out.push(pos[i]!);
    if (i < neg.length && out.length < n) out.push(neg[i]!);
  }
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const COMMIT = /^[0-9a-f]{40}$/;

interface Loaded {
  /** The downloaded bytes, until the sessions exist (then null, so hundreds of MB can be collected). */
  files: LoadedModel | null;
  info: LoadedModelInfo;
}

/** The bytes of a loaded model, asked for after they were dropped: a bug in the order of `run`. */
class ModelBytesReleasedError extends Error {
  override name = 'ModelBytesReleasedError';
  constructor(id: string) {
    super(`The files of ${id} were released before its sessions were created.`);
  }
}

function filesOf(l: Loaded): LoadedModel {
  if (!l.files) throw new ModelBytesReleasedError(l.info.ref.id);
  return l.files;
}

interface Sessions {
  classifier: ClassifierSession;
  generator: GeneratorSession;
}

async function releaseAll(s: Sessions | null): Promise<void> {
  if (!s) return;
  await Promise.allSettled([s.classifier.release(), s.generator.release()]);
}

export function createRealModels(engine: RealModelsEngine): RealModelsRunner {
  let cache: ModelCache | null = engine.cache ?? null;
  let kept: { sessions: Sessions; maxNewTokens: number | undefined } | null = null;
  let watchedDevice: GPUDevice | null = null;

  const modelCache = (): ModelCache => (cache ??= typeof caches === 'undefined' ? memoryModelCache() : cacheStorageModelCache());

  async function load(task: ModelTask, ref: ModelRef, req: RealRaceRequest, signal: AbortSignal, onProgress: (p: RealRaceProgress) => void): Promise<Loaded> {
    const commits = new Map<string, string>();
    const files = await loadModelFiles(ref, {
      ...(req.base !== undefined ? { base: req.base } : {}),
      ...(req.origin !== undefined ? { origin: req.origin } : {}),
      // No request leaves for a host other than the page's, the hub's and the one the visitor agreed to.
      guard: { agreedOrigin: req.agreedOrigin ?? null },
      ...(engine.fetchImpl ? { fetchImpl: engine.fetchImpl } : {}),
      cache: modelCache(),
      signal,
      onProgress: (progress) => onProgress({ phase: 'download', model: task, progress }),
      onResponse: (url, headers) => {
        const c = headers.get('x-repo-commit');
        if (c) commits.set(url, c);
      },
    });
    const onnx = files.files.get(onnxPath(ref.dtype))!;
    // The commit comes from config.json's response, for the whole model: the hub serves it itself,
    // while the large (LFS) files come through a redirect to a CDN whose headers lack
    // `x-repo-commit`. Not known again when config.json came from the cache.
    const commit = [...commits].find(([url]) => url.endsWith('/config.json'))?.[1] ?? null;
    const info: LoadedModelInfo = {
      ref,
      sha256: await sha256Hex(onnx),
      // A custom model is identified by its file's SHA-256 alone (no revision of a repository someone typed).
      revision: realModelKey(ref.id) !== 'custom' && commit !== null && COMMIT.test(commit) ? commit : null,
      bytes: [...files.files.values()].reduce((a, b) => a + b.length, 0),
      onnxBytes: onnx.length,
      downloadedBytes: files.downloadedBytes,
      notCached: files.notCached,
      config: jsonFile(files, 'config.json') as Record<string, unknown>,
    };
    return { files, info };
  }

  async function createSessions(ort: OrtModule, c: Loaded, g: Loaded, ep: 'webgpu' | 'wasm', caps: Capabilities, onProgress: (p: RealRaceProgress) => void): Promise<Sessions> {
    const onnx = (l: Loaded): Uint8Array => filesOf(l).files.get(onnxPath(l.info.ref.dtype))!;
    const json = (l: Loaded, path: string): object => jsonFile(filesOf(l), path);
    if (ep === 'webgpu' && caps.available) {
      // onnxruntime-web's WebGPU EP puts each initializer in one buffer: refuse by name what cannot fit.
      const limits = { maxBufferSize: caps.adapter.limits['maxBufferSize'] ?? Infinity, maxStorageBufferBindingSize: caps.adapter.limits['maxStorageBufferBindingSize'] ?? Infinity };
      checkModelFits(c.info.ref.id, onnx(c), limits);
      checkModelFits(g.info.ref.id, onnx(g), limits);
    }
    onProgress({ phase: 'load', model: 'classifier', ep });
    const classifier = await ClassifierSession.create(ort, { model: onnx(c), tokenizerJson: json(c, 'tokenizer.json'), tokenizerConfig: json(c, 'tokenizer_config.json'), config: json(c, 'config.json') }, ep);
    try {
      onProgress({ phase: 'load', model: 'generator', ep });
      const generator = await GeneratorSession.create(
        ort,
        { model: onnx(g), tokenizerJson: json(g, 'tokenizer.json'), tokenizerConfig: json(g, 'tokenizer_config.json'), config: json(g, 'config.json'), generationConfig: json(g, 'generation_config.json') },
        ep,
        { name: g.info.ref.id, ...(ep === 'webgpu' && caps.available ? { adapterFeatures: new Set(caps.adapter.features) } : {}) },
      );
      return { classifier, generator };
    } catch (e) {
      await classifier.release();
      throw e;
    }
  }

  /** A lost WebGPU device ends the kept sessions: their buffers are gone. */
  async function watchDevice(ort: OrtModule): Promise<void> {
    const device = await ort.env.webgpu.device;
    if (device === watchedDevice) return;
    watchedDevice = device;
    void device.lost.then(() => {
      const k = kept;
      kept = null;
      watchedDevice = null;
      void releaseAll(k?.sessions ?? null);
    });
  }

  async function replicas(plan: MeasurementPlan, race: RealRaceResult, c: Loaded, g: Loaded, activity: RealActivity, onProgress: (p: RealRaceProgress) => void): Promise<EngineRunOutput> {
    const name = (l: Loaded, known: string): string => (realModelKey(l.info.ref.id) === 'custom' ? 'custom' : known);
    const specs = replicaSpecs(
      { classifier: c.info.config, generator: g.info.config },
      { classifier: name(c, 'distilbert-sst2'), generator: name(g, 'qwen2.5-0.5b-instruct') },
      { inputTokens: race.specialized.tokens.inputMedian, promptTokens: race.general.tokens.inputMedian, outputTokens: race.general.tokens.outputMedian },
      { classifier: replicaDtypeOf(c.info.ref.dtype), generator: replicaDtypeOf(g.info.ref.dtype) },
    );
    // The preset's measurement settings (warm-up, samples, batches, pre-heat), with the replicas as its models.
    const replicaPlan: MeasurementPlan = Object.freeze({ ...plan, models: specs });
    const roles = new Map(specs.map((s) => [s.id, s.role]));
    return engine.runPlan(replicaPlan, activity.control, (p) => {
      if (p.type === 'workload-start') onProgress({ phase: 'replica', role: roles.get(p.id) ?? 'general', done: p.index, of: p.total });
    }, activity.onDevice ? { onDevice: activity.onDevice } : {});
  }

  return {
    async run(req, activity, onProgress) {
      // One race at a time holds the models: the previous sessions (and their GPU memory) go first.
      const previous = kept;
      kept = null;
      await releaseAll(previous?.sessions ?? null);
      const caps = await engine.probeCapabilities();
      if (!caps.available) throw new WebGpuUnavailableError(caps.reason, caps.message);
      const c = await load('classifier', req.models.classifier, req, activity.signal, onProgress);
      const g = await load('generator', req.models.generator, req, activity.signal, onProgress);
      activity.control.throwIfCancelled();
      const set = await taskSet(req.language);
      const items = balancedItems(set, req.items);
      const ort = await engine.loadOrt();
      // The preset's plan times the real race as it times the synthetic one: its warm-up queries and pre-heat.
      const { plan } = buildPlan({ preset: req.preset ?? 'quick', modelsOnly: true });
      const raceOpts = {
        language: req.language, warmup: plan.warmup, preheatMs: plan.modelPreheatMs, signal: activity.signal, visibility: activity.control,
        ...(req.maxNewTokens !== undefined ? { maxNewTokens: req.maxNewTokens } : {}),
      };

      let wasm: RealRaceResult | null = null;
      if (req.reference) {
        const cpu = await createSessions(ort, c, g, 'wasm', caps, onProgress);
        try {
          // The reference answers only the items agreement is measured on (at least two: a timing record needs two samples).
          const first = items.slice(0, Math.max(2, Math.min(AGREEMENT_ITEMS, items.length)));
          wasm = await runRealRace(cpu, first, { ...raceOpts, warmup: Math.min(plan.warmup, 1), preheatMs: 0, onProgress: (progress) => onProgress({ phase: 'race', ep: 'wasm', progress }) });
        } finally {
          await releaseAll(cpu);
        }
      }

      const gpu = await createSessions(ort, c, g, 'webgpu', caps, onProgress);
      let webgpu: RealRaceResult;
      try {
        await watchDevice(ort);
        webgpu = await runRealRace(gpu, items, {
          ...raceOpts,
          ...(wasm ? { reference: { specialized: scoredAnswers(wasm.specialized), general: scoredAnswers(wasm.general) } } : {}),
          onProgress: (progress) => onProgress({ phase: 'race', ep: 'webgpu', progress }),
        });
      } catch (e) {
        await releaseAll(gpu);
        // A failed run after the device went away says so by name, whatever onnxruntime threw.
        if (watchedDevice === null && !(e instanceof DeviceLostError || e instanceof RunCancelledError)) {
          throw new DeviceLostError(`The GPU device was lost during the race (${e instanceof Error ? e.message : String(e)}).`);
        }
        throw e;
      }
      kept = { sessions: gpu, maxNewTokens: req.maxNewTokens };
      // The sessions hold their own copies of the weights: the downloaded bytes can go.
      c.files = null;
      g.files = null;
      const out: RealRaceOutput = { models: { classifier: c.info, generator: g.info }, taskSet: { id: set.id, version: set.version }, webgpu, wasm, replicas: null };
      if (!req.replicas) return out;
      try {
        return { ...out, replicas: await replicas(plan, webgpu, c, g, activity, onProgress) };
      } catch (e) {
        // A cancel is the visitor's: it cancels the whole run, as at any other moment (never a partial result).
        if (activity.signal.aborted || activity.control.cancelled || e instanceof RunCancelledError) throw e;
        // Any other failure of the replicas keeps the finished real race; the document flags `replica-failed`.
        return { ...out, replicaError: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      }
    },

    async answer(text, language) {
      if (!kept) throw new NoModelsLoadedError();
      return answerOne(kept.sessions, text, language, kept.maxNewTokens);
    },
  };
}
