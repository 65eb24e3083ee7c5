/**
 * The autotuner on the GPU: each candidate of the plan's shapes (choose.ts) is built with
 * createLinear, exactly as a model builds it, on scratch buffers of the shape's size, and timed
 * with GPU timestamps through the run's own timer (GpuTimer.run: a warm-up, a probe, five
 * batches of ≥ 6.7 ms, the median). Without timestamps nothing is timed: the wall clock around one
 * short dispatch measures the submission, not the kernel, so the defaults run ('no-timestamps').
 * Each product is built with the prologue and epilogue it runs with in the model (shapes.ts), its
 * operands (gamma or up, bias, residual) scratch buffers too, so the candidates timed and checked
 * are the kernels that will run.
 *
 * `tuneForRun` is what a run calls before building its graphs: the cache per adapter first, then
 * the autotune, and the choice set on the pipeline cache the op builders read.
 */
import { DEFAULT_TUNING, type KernelTuning, type TuningDefaultReason, type TuningPrologue, type TuningRecord } from '../../shared/tuning.ts';
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import type { ModelWorkloadSpec } from '../models/config.ts';
import { createLinear } from '../ops/linear.ts';
import { UniformPool } from '../ops/common.ts';
import { precisionOf, weightBytesPerElement, type WeightStorage } from '../ops/weight-storage.ts';
import { GpuTimer } from '../timing.ts';
import { readBuffer } from '../readback.ts';
import { OVER_BUDGET, WRONG_OUTPUT, planJobs, runJobs, type TuneJob } from './choose.ts';
import { fusionKey, tuningShapes, type TuningShapes } from './shapes.ts';
import type { ProductPrologue } from '../ops/prologue.ts';
import { SafeTuningStore, runtimeBrowser, tuningKey, type TuningAdapter, type TuningStore } from './store.ts';
import { effectiveBindingLimit, runsF16 } from '../models/buffers.ts';
import type { BrowserFamily } from '../../shared/user-agent.ts';

/** Largest scratch buffer a timing allocates (bytes): bigger shapes (a large LM head) keep the default. */
const MAX_SCRATCH_BYTES = 64 * 1024 * 1024;

/** Timed samples per candidate (after a warm-up and a probe); their median is the trial. */
const TRIAL_SAMPLES = 5;
/** Each sample replays the dispatch group for at least this long (GPU time); see MIN_SAMPLE_MS. */
const TRIAL_BATCH_MS = 5;
const TRIAL_MAX_BATCH = 4096;
/**
 * A sample shorter than this (ms) cannot support the 3 % margin under 100 µs timestamp rounding
 * (2 × 0.1 ms ÷ 0.03): a kernel so short that even TRIAL_MAX_BATCH replays stay under it is
 * left untimed rather than decided on rounding noise.
 */
const MIN_SAMPLE_MS = (2 * 0.1) / 0.03;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * One candidate on the run's timer: a warm-up (pipeline creation and first use), a probe that
 * sizes the batch, then TRIAL_SAMPLES batches timed with GPU timestamps; the median per replay.
 * Null when the timestamps are unusable (fewer than three valid, or busy time above the wall
 * time around it); OVER_BUDGET when the samples would end past the deadline.
 */
async function timeTrial(timer: GpuTimer, list: readonly Dispatch[], deadline: number): Promise<number | null | typeof OVER_BUDGET> {
  await timer.run(list, 1);
  // A warm-up that alone ran past the deadline (a slow compile, a slow adapter) ends the timings.
  if (performance.now() > deadline) return OVER_BUDGET;
  const probe = await timer.run(list, 1);
  if (probe.gpuMs === null) return null;
  const batch = Math.max(1, Math.min(TRIAL_MAX_BATCH, Math.ceil(Math.max(TRIAL_BATCH_MS, MIN_SAMPLE_MS) / Math.max(probe.gpuMs, 1e-4))));
  if (batch * probe.gpuMs < MIN_SAMPLE_MS * 0.9) return null;
  // Each sample costs its GPU time plus the submission's own latency (the probe's wall time beyond its GPU time).
  const perSample = batch * probe.gpuMs + Math.max(0, probe.wallMs - probe.gpuMs);
  if (performance.now() + TRIAL_SAMPLES * perSample > deadline) return OVER_BUDGET;
  const gpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < TRIAL_SAMPLES; i++) {
    const t = await timer.run(list, batch);
    wall.push(t.wallMs);
    if (t.gpuMs !== null) gpu.push(t.gpuMs);
  }
  if (gpu.length < 3 || median(gpu) > median(wall) * 1.01 + 0.1) return null;
  return median(gpu) / batch;
}

const isDefaultCandidate = (job: TuneJob): boolean => (job.op === 'gemm' ? job.splitK === 1 : job.reduction === 'workgroup');

/** A storage buffer of `bytes` holding values in {−0.5, −0.25, 0, 0.25, 0.5}, exact in f16 and f32. */
function patterned(device: GPUDevice, label: string, bytes: number, storage: WeightStorage): GPUBuffer {
  const buf = device.createBuffer({ label, size: bytes, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
  const value = (i: number): number => ((i * 7) % 5 - 2) * 0.25;
  if (storage === 'f16') {
    // f16 halves of those values: 0 and ±0.25 (0x3400) and ±0.5 (0x3800).
    const half = [0xb800, 0xb400, 0, 0x3400, 0x3800];
    const u = new Uint16Array(buf.getMappedRange());
    for (let i = 0; i < u.length; i++) u[i] = half[(i * 7) % 5]!;
  } else {
    const f = new Float32Array(buf.getMappedRange());
    for (let i = 0; i < f.length; i++) f[i] = value(i);
  }
  buf.unmap();
  return buf;
}

/**
 * Equal but for the f32 summation order (split-K and subgroup sums add in another order). `term`
 * bounds one product's magnitude: 0.25 for the patterned operands (|x|, |w| ≤ 0.5); an RMSNorm
 * prologue scales x by inv_rms (≤ 3 on these rows, mean square ≈ 0.125) times gamma (≤ 0.5).
 */
export function agrees(a: Float32Array, b: Float32Array, k: number, term = 0.25): boolean {
  if (a.length !== b.length) return false;
  // Each output sums k products of magnitude ≤ term: its rounding differs by a few ulps of k·term.
  const tol = 1e-5 * (1 + term * k);
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]! - b[i]!) <= tol)) return false;
  return true;
}

/**
 * The bound on one product term x̂·w on the patterned operands (values in ±0.5): a normalized row
 * (mean square 0.125, so inv_rms or rstd ≈ 2.83) reaches 1.42 · gamma 0.5 (RMSNorm: 0.71, times w
 * 0.5: ≤ 0.36), LayerNorm adds beta 0.5 (≤ 1.21 · 0.5 ≈ 0.6); SwiGLU stays ≤ 0.08, the bare product ≤ 0.25.
 */
function termBound(prologue: TuningPrologue | undefined): number {
  switch (prologue) {
    case 'rmsnorm':
      return 0.5;
    case 'layernorm':
      return 0.75;
    case 'swiglu':
    case undefined:
      return 0.25;
  }
}

const defaultRecord = (reason: TuningDefaultReason): TuningRecord => ({ source: 'default', reason, tuning: DEFAULT_TUNING, tuneMs: null, trials: [] });

const align4 = (bytes: number): number => Math.max(4, Math.ceil(bytes / 4) * 4);

interface Scratch {
  x: GPUBuffer;
  w: GPUBuffer;
  y: GPUBuffer;
  /** The prologue's operand: gamma [k] (RMSNorm), up [m, k] (SwiGLU) or gamma/beta [2, k] (LayerNorm). */
  pro?: GPUBuffer;
  bias?: GPUBuffer;
  residual?: GPUBuffer;
  /** The normalized residual's gamma/beta [2, n]. */
  residualNorm?: GPUBuffer;
  storage: WeightStorage;
}

/** The RMSNorm epsilon of the timed products (the models' is of the same order; time does not depend on it). */
const TUNE_EPS = 1e-6;

/**
 * Buffer sizes of a job's operands: x [m, k], W [k, n] in its storage, y [m, n], and what its
 * fusion reads: gamma [k] or up [m, k], bias [n], residual [m, n] (0: none).
 */
function operandBytes(job: TuneJob, storage: WeightStorage): { x: number; w: number; y: number; pro: number; bias: number; residual: number; residualNorm: number } {
  const { n, k, prologue, epilogue } = job.shape;
  const m = job.op === 'gemm' ? job.shape.m : 1;
  const pro = prologue === 'rmsnorm' ? align4(4 * k) : prologue === 'swiglu' ? align4(4 * m * k) : prologue === 'layernorm' ? align4(8 * k) : 0;
  return {
    x: align4(4 * m * k),
    w: align4(weightBytesPerElement(storage) * k * n),
    y: align4(4 * m * n),
    pro,
    bias: epilogue?.bias ? align4(4 * n) : 0,
    residual: epilogue?.residual ? align4(4 * m * n) : 0,
    residualNorm: epilogue?.residualNorm ? align4(8 * n) : 0,
  };
}

/** The prologue of a job's product on its scratch operands. */
function scratchPrologue(job: TuneJob, bufs: Scratch): ProductPrologue | undefined {
  if (!job.shape.prologue || !bufs.pro) return undefined;
  switch (job.shape.prologue) {
    case 'rmsnorm':
      return { kind: 'rmsnorm', gamma: bufs.pro, eps: TUNE_EPS };
    case 'swiglu':
      return { kind: 'swiglu', up: bufs.pro };
    case 'layernorm':
      return { kind: 'layernorm', gammaBeta: bufs.pro, eps: TUNE_EPS };
  }
}

/** The tuning under which a job's candidate runs: the default, with only this choice changed. */
function candidateTuning(job: TuneJob): KernelTuning {
  switch (job.op) {
    case 'gemm':
      return job.splitK === 1 ? DEFAULT_TUNING : { gemmSplitK: { [`${job.shape.m}x${job.shape.n}x${job.shape.k}`]: job.splitK }, gemvReduction: DEFAULT_TUNING.gemvReduction };
    case 'gemv':
      return { gemmSplitK: {}, gemvReduction: job.reduction };
  }
}

/** Shapes whose operands fit the scratch cap and the device's binding limit. */
function fitting(shapes: TuningShapes, device: GPUDevice, storageOf: (f16: boolean) => WeightStorage): TuningShapes {
  const cap = Math.min(MAX_SCRATCH_BYTES, device.limits.maxStorageBufferBindingSize);
  const fits = (job: TuneJob): boolean => {
    const b = operandBytes(job, storageOf(job.shape.f16));
    return Math.max(b.x, b.w, b.y, b.pro, b.bias, b.residual, b.residualNorm) <= cap;
  };
  return {
    gemm: shapes.gemm.filter((shape) => fits({ op: 'gemm', shape, splitK: 1 })),
    gemv: shapes.gemv.filter((shape) => fits({ op: 'gemv', shape, reduction: 'workgroup' })),
  };
}

interface AutotuneOptions {
  /** Wall-clock budget (ms): the timings stop there and the best so far is kept. */
  budgetMs: number;
  /** The run's timer (the autotune makes its own otherwise). */
  timer?: GpuTimer;
}

/**
 * Times the candidates of `shapes` on this device and sets `cache.tuning` to the choice. Never
 * throws for a candidate that fails to build or run (its trial is untimed); the caller handles
 * anything else (tuneForRun records it as 'failed').
 */
export async function autotune(device: GPUDevice, cache: PipelineCache, shapes: TuningShapes, opts: AutotuneOptions): Promise<TuningRecord> {
  if (!device.features.has('timestamp-query')) return defaultRecord('no-timestamps');
  const storageOf = (f16: boolean): WeightStorage => (f16 && device.features.has('shader-f16') ? 'f16' : 'f32');
  const jobs = planJobs(fitting(shapes, device, storageOf), { subgroups: device.features.has('subgroups') });
  if (jobs.length === 0) return defaultRecord('no-candidates');
  const t0 = performance.now();
  const timer = opts.timer ?? new GpuTimer(device);
  // Operands are shared by the candidates of one shape (jobs come grouped by shape).
  let scratch: { key: string; bufs: Scratch } | null = null;
  const release = (): void => {
    if (!scratch) return;
    for (const b of [scratch.bufs.x, scratch.bufs.w, scratch.bufs.y, scratch.bufs.pro, scratch.bufs.bias, scratch.bufs.residual, scratch.bufs.residualNorm]) b?.destroy();
    scratch = null;
  };
  const operands = (job: TuneJob): Scratch => {
    const storage = storageOf(job.shape.f16);
    const key = `${job.op}:${job.op === 'gemm' ? job.shape.m : 1}x${job.shape.n}x${job.shape.k}:${job.op === 'gemv' ? job.shape.layout : 'kn'}:${storage}:${fusionKey(job.shape)}`;
    if (scratch?.key === key) return scratch.bufs;
    release();
    const b = operandBytes(job, storage);
    // Small exact values (the time does not depend on them), so every candidate's output can be
    // checked against the default's: a candidate that computes something else is never chosen.
    const bufs: Scratch = {
      x: patterned(device, 'Tune.x', b.x, 'f32'),
      w: patterned(device, 'Tune.w', b.w, storage),
      y: device.createBuffer({ label: 'Tune.y', size: b.y, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }),
      ...(b.pro ? { pro: patterned(device, 'Tune.prologue', b.pro, 'f32') } : {}),
      ...(b.bias ? { bias: patterned(device, 'Tune.bias', b.bias, 'f32') } : {}),
      ...(b.residual ? { residual: patterned(device, 'Tune.residual', b.residual, 'f32') } : {}),
      ...(b.residualNorm ? { residualNorm: patterned(device, 'Tune.residualNorm', b.residualNorm, 'f32') } : {}),
      storage,
    };
    scratch = { key, bufs };
    reference = null;
    return bufs;
  };
  // The default candidate's output for the current operands (jobs of a shape start with it).
  let reference: Float32Array | null = null;
  const time = async (job: TuneJob, deadline: number): Promise<number | null | typeof OVER_BUDGET | typeof WRONG_OUTPUT> => {
    const bufs = operands(job);
    const pool = new UniformPool();
    const kept = cache.tuning;
    device.pushErrorScope('validation');
    let ms: number | null | typeof OVER_BUDGET;
    try {
      cache.tuning = candidateTuning(job);
      const m = job.op === 'gemm' ? job.shape.m : 1;
      const layout = job.op === 'gemv' ? job.shape.layout : 'kn';
      const { n, k } = job.shape;
      // f16 weights (only on a shader-f16 device) multiply in f16, as the model runner runs them.
      const weights = { storage: bufs.storage, precision: precisionOf(bufs.storage, 'f16') };
      const block = layout === 'kn'
        ? { buffer: bufs.w, rowStart: 0, rowCount: k, colStart: 0, colCount: n, ...weights }
        : { buffer: bufs.w, rowStart: 0, rowCount: n, colStart: 0, colCount: k, ...weights };
      const prologue = scratchPrologue(job, bufs);
      const epi = job.shape.epilogue;
      const list = createLinear(device, cache, {
        x: bufs.x, blocks: [block], layout, y: bufs.y, m, k, n, label: 'Tune', resources: pool, phase: 'tune',
        ...(prologue ? { prologue } : {}),
        ...(epi && epi.activation !== 'none' ? { activation: epi.activation } : {}),
        ...(bufs.bias ? { bias: bufs.bias } : {}),
        ...(bufs.residual ? { residual: bufs.residual } : {}),
        ...(bufs.residual && bufs.residualNorm ? { residualNorm: { gammaBeta: bufs.residualNorm, eps: TUNE_EPS } } : {}),
      });
      cache.tuning = kept;
      ms = await timeTrial(timer, list, deadline);
    } catch {
      ms = null;
    } finally {
      cache.tuning = kept;
    }
    // A validation error makes the timing meaningless (the kernel may not have run at all).
    const error = await device.popErrorScope().catch((e: unknown) => e);
    pool.destroy();
    if (error && ms !== OVER_BUDGET) return null;
    if (typeof ms === 'number') {
      const out = new Float32Array(await readBuffer(device, bufs.y, 'Tune'));
      if (isDefaultCandidate(job)) reference = out;
      // A candidate whose output differs from the default's is left untimed, so never chosen:
      // e.g. a driver whose subgroups are not consecutive invocations, which the subgroup kernels assume.
      else if (!reference) return null;
      else if (!agrees(out, reference, job.shape.k, termBound(job.shape.prologue))) return WRONG_OUTPUT;
    }
    return ms;
  };
  try {
    const outcome = await runJobs(jobs, time, { budgetMs: opts.budgetMs, now: () => performance.now() });
    cache.tuning = outcome.tuning;
    return { source: 'autotune', tuning: outcome.tuning, tuneMs: performance.now() - t0, trials: outcome.trials };
  } finally {
    release();
    if (!opts.timer) timer.destroy();
  }
}

interface TuneForRunArgs {
  device: GPUDevice;
  /** The adapter's identity (GPUAdapterInfo) for the cache key; the device gives the features. */
  adapter: Omit<TuningAdapter, 'features' | 'browser'>;
  /** The browser in the cache key (default: the one this engine runs in, runtimeBrowser). */
  browser?: BrowserFamily;
  /** The run's models store their matrices in f16 where the device has shader-f16 (the runner's `preferF16`). */
  preferF16?: boolean;
  /** A test's binding limit override (only lowers the device's, as in ModelBuffers: buffers.ts effectiveBindingLimit). */
  bindingLimitBytes?: number;
  cache: PipelineCache;
  models: readonly ModelWorkloadSpec[];
  /** Wall-clock budget (ms); null: tuning is switched off for this run. */
  budgetMs: number | null;
  store: TuningStore;
  timer?: GpuTimer;
  /** The kernel sources' hash in the cache key (default: the sources of this build). */
  sources?: string;
  /** Tests only: what times the candidates (default: autotune). */
  tune?: typeof autotune;
}

/**
 * The tuning of a run, set on `cache.tuning`: from the store when this adapter already tuned the
 * same shapes with the same kernel sources ('cache'), timed now ('autotune', then stored), or the
 * defaults with the reason. Never throws: a failed autotune runs the defaults ('failed').
 */
export async function tuneForRun(args: TuneForRunArgs): Promise<TuningRecord> {
  const { device, cache } = args;
  let record: TuningRecord;
  if (args.budgetMs === null) record = defaultRecord('disabled');
  else {
    // The products the runners will dispatch on this device: its binding limit and each model's
    // weight storage, decided as createModelRunner decides its dtype, pick fused or separate products.
    const shapes = tuningShapes(args.models, {
      bindingLimitBytes: effectiveBindingLimit(device.limits, args.bindingLimitBytes).bytes,
      f16: (spec) => runsF16(device, spec, args.preferF16),
    });
    const store = args.store instanceof SafeTuningStore ? args.store : new SafeTuningStore(args.store);
    const key = tuningKey({ ...args.adapter, features: [...device.features], browser: args.browser ?? runtimeBrowser() }, shapes, args.sources);
    const cached = await store.get(key);
    if (cached) record = { source: 'cache', tuning: cached.tuning, tuneMs: null, trials: cached.trials };
    else {
      try {
        record = await (args.tune ?? autotune)(device, cache, shapes, { budgetMs: args.budgetMs, ...(args.timer ? { timer: args.timer } : {}) });
      } catch {
        record = defaultRecord('failed');
      }
      // Only a complete tuning is kept: one the budget cut short (or with a candidate that failed
      // or could not be timed) is timed again next run, rather than fixing its untimed candidates
      // at the default for good. A candidate refused for a wrong output would be refused again.
      if (record.source === 'autotune' && record.trials.every((t) => t.medianMs !== null || t.untimed === 'wrong-output')) await store.put(key, { tuning: record.tuning, trials: record.trials });
    }
  }
  cache.tuning = record.tuning;
  return record;
}
