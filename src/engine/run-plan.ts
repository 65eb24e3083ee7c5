/**
 * Executes a measurement plan on one device: micro kernels first (they give the device's
 * ceilings), then one query per model role. Everything here runs in the worker; progress goes
 * out through a callback, cancellation and tab visibility come in through RunControl.
 *
 * Phases: acquire the device → per micro workload: verify, measure → per model role: build,
 * walkthrough, measure, profile → finish (release the device, report a loss as a loss).
 */
import type { AdapterSummary, KernelBreakdown, PresetName, TimingRecord, TimingSource, Workload } from '../shared/result.ts';
import type { TuningRecord } from '../shared/tuning.ts';
import { acquireDevice, type AcquiredDevice } from './device.ts';
import { PipelineCache, type Dispatch } from './dispatch.ts';
import { DeviceLostError, GpuValidationError, OutOfMemoryError } from './errors.ts';
import { microBindingBytes, prepareMicro, type MicroSpec } from './micro.ts';
import { specWithDtype, workloadConfig, type ModelWorkloadSpec } from './models/config.ts';
import { countQuery } from './models/flops.ts';
import { createModelRunner, type ModelRunner } from './models/model-runner.ts';
import { summarize } from './stats.ts';
import { GpuTimer, measure, type RunControl } from './timing.ts';
import { modelTensors, tensorElements } from './weights.ts';
import { tuneForRun } from './tuning/autotune.ts';
import { defaultTuningStore, tuningAdapterOf, type TuningStore } from './tuning/store.ts';

export interface MeasurementPlan {
  preset: PresetName;
  suiteVersion: string;
  micro: MicroSpec[];
  models: ModelWorkloadSpec[];
  warmup: number;
  /** Timed samples per micro workload. */
  samples: number;
  /** Timed samples (queries) per model workload. */
  modelSamples: number;
  /** Shortest batch with GPU timestamps (ms). */
  minBatchMs: number;
  /** Shortest batch on the wall clock (ms). */
  minWallBatchMs: number;
  /** Time each model runs before its samples (ms). */
  modelPreheatMs: number;
  /** Per-kernel breakdown passes (one pass per dispatch, timestamps around each). */
  profileRuns: number;
  preferF16: boolean;
  /**
   * Kernel autotuning before the graphs are built (src/engine/tuning/): its wall-clock budget.
   * Absent: the run uses the default kernels and records why ('disabled').
   */
  autotune?: { budgetMs: number };
}

export type Progress =
  | { type: 'device'; adapter: AdapterSummary; timing: TimingSource }
  | { type: 'workload-start'; index: number; total: number; id: string; kind: 'micro' | 'model'; role?: 'general' | 'specialized' }
  | { type: 'phase'; id: string; phase: 'verify' | 'build' | 'walkthrough' | 'measure' | 'profile' }
  | { type: 'step'; id: string; label: string; phase: 'prefill' | 'encode' | 'decode'; token?: { index: number; total: number }; step: number; steps: number }
  | { type: 'sample'; id: string; sample: number; samples: number; ms: number }
  | { type: 'paused'; reason: 'tab-hidden' }
  /** Step-through: the walkthrough ran this phase and waits for nextStep() (tokens: the input read, encode and prefill). */
  | { type: 'held'; id: string; role?: 'general' | 'specialized'; phase: 'prefill' | 'encode' | 'decode'; token?: { index: number; total: number }; tokens: number; step: number; steps: number }
  | { type: 'workload-done'; id: string; workload: Workload };

export interface EngineRunOutput {
  adapter: AdapterSummary;
  timing: TimingSource;
  workloads: Workload[];
  flags: string[];
  /** The kernel choices the run used and where they came from (absent from engines before tuning). */
  tuning?: TuningRecord;
}

/** The largest single binding the plan needs: limits are raised this far and no further. */
export function requiredBindingBytes(plan: Pick<MeasurementPlan, 'micro' | 'models'>): number {
  let need = 0;
  for (const m of plan.micro) need = Math.max(need, microBindingBytes(m));
  for (const s of plan.models) {
    for (const t of modelTensors(s.model)) need = Math.max(need, 4 * tensorElements(t));
  }
  return need;
}

/** Run a GPU step inside validation + OOM error scopes so failures name the workload. */
async function scoped<T>(device: GPUDevice, what: string, body: () => Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  // The scopes are popped whether or not the body failed; a scope's error names the cause better
  // than the body's own failure (often a consequence of it), so it takes precedence.
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await body() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (oom) throw new OutOfMemoryError(`${what}: the GPU ran out of memory (${oom.message}). Try a smaller preset.`);
  if (validation) throw new GpuValidationError(`${what}: WebGPU validation error: ${validation.message}`);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

function rates(flops: number, bytes: number, medianMs: number): { gflops: number | null; gbps: number | null } {
  return {
    gflops: flops > 0 ? flops / (medianMs * 1e6) : null,
    gbps: bytes > 0 ? bytes / (medianMs * 1e6) : null,
  };
}

/**
 * Per-kernel medians over profile runs: sum by kernel within a query, median across runs. One
 * pass per dispatch costs more than the batched query (pass overhead, timestamp writes), so
 * every share is scaled by `queryMs / raw total` when the measured query median is given: the
 * breakdown then sums to the measured query and keeps the profiled proportions.
 */
export function aggregateProfile(
  dispatches: readonly Dispatch[],
  runs: readonly (readonly number[])[],
  queryMs?: number,
): { kernels: KernelBreakdown[]; phases: Record<string, number>; rawTotalMs: number; scale: number } {
  const median = (idx: number[]): number => {
    const perRun = runs.map((r) => idx.reduce((s, i) => s + (r[i] ?? Number.NaN), 0)).filter(Number.isFinite);
    return perRun.length ? summarize(perRun).median : Number.NaN;
  };
  const all = dispatches.map((_, i) => i);
  const rawTotalMs = median(all);
  const scale = queryMs !== undefined && rawTotalMs > 0 ? queryMs / rawTotalMs : 1;
  const names = [...new Set(dispatches.map((d) => d.kernel))];
  const kernels: KernelBreakdown[] = names.map((name) => {
    const idx = all.filter((i) => dispatches[i]!.kernel === name);
    return {
      name,
      medianMs: median(idx) * scale,
      flops: idx.reduce((s, i) => s + dispatches[i]!.flops, 0),
      bytes: idx.reduce((s, i) => s + dispatches[i]!.bytes, 0),
      count: idx.length,
    };
  });
  const phases: Record<string, number> = {};
  for (const p of new Set(dispatches.map((d) => d.phase ?? 'query'))) {
    const v = median(all.filter((i) => (dispatches[i]!.phase ?? 'query') === p));
    if (Number.isFinite(v)) phases[p] = v * scale;
  }
  return { kernels: kernels.filter((k) => Number.isFinite(k.medianMs)).sort((a, b) => b.medianMs - a.medianMs), phases, rawTotalMs, scale };
}

/** What every phase of a run shares: the device, the timer, the plan and where results go. */
interface RunContext {
  readonly plan: MeasurementPlan;
  readonly control: RunControl;
  readonly onProgress: (p: Progress) => void;
  readonly acquired: AcquiredDevice;
  readonly device: GPUDevice;
  readonly timer: GpuTimer;
  readonly cache: PipelineCache;
  /** What the run's kernels were tuned to (set before any graph is built). */
  tuning: TuningRecord | null;
  readonly flags: Set<string>;
  readonly workloads: Workload[];
  readonly total: number;
  /** Index of the next workload to start (micro first, then models). */
  index: number;
  /**
   * Set once a model fell back to the wall clock: the models of a comparison share one timing
   * source, so the others are timed on the wall clock too.
   */
  wallOnly: boolean;
}

/** Acquire phase: a device with the plan's features and binding limits, and the timer on it. */
async function acquirePlanDevice(plan: MeasurementPlan): Promise<AcquiredDevice> {
  // (acquireDevice adds `subgroups` whenever the adapter has it, for the subgroup GEMV.)
  const features: GPUFeatureName[] = ['timestamp-query'];
  if (plan.preferF16) features.push('shader-f16');
  const need = requiredBindingBytes(plan);
  return acquireDevice({
    features,
    limits: { maxStorageBufferBindingSize: need, maxBufferSize: need },
  });
}

/** Races a GPU step against the loss of the device, so a lost device ends the run instead of hanging it. */
function lostOr<T>(ctx: RunContext, p: Promise<T>): Promise<T> {
  return Promise.race([p, ctx.acquired.lost]);
}

/** Called when the tab hides during a sample: the run waits, and the result says it was paused. */
function pause(ctx: RunContext): void {
  ctx.flags.add('tab-hidden');
  ctx.onProgress({ type: 'paused', reason: 'tab-hidden' });
}

/** Adds a finished workload, or replaces the earlier record of the same id (a model re-timed). */
function record(ctx: RunContext, w: Workload): void {
  const at = ctx.workloads.findIndex((x) => x.id === w.id);
  if (at >= 0) ctx.workloads[at] = w;
  else ctx.workloads.push(w);
  ctx.onProgress({ type: 'workload-done', id: w.id, workload: w });
}

/** Micro phase, one workload: verify against the CPU reference, then time it. */
async function runMicroWorkload(ctx: RunContext, spec: MicroSpec): Promise<void> {
  const { plan, control, onProgress } = ctx;
  control.throwIfCancelled();
  onProgress({ type: 'workload-start', index: ctx.index++, total: ctx.total, id: spec.id, kind: 'micro' });
  onProgress({ type: 'phase', id: spec.id, phase: 'verify' });
  const prepared = await lostOr(ctx, scoped(ctx.device, spec.id, () => prepareMicro(ctx.device, ctx.cache, spec)));
  try {
    onProgress({ type: 'phase', id: spec.id, phase: 'measure' });
    const timing = await lostOr(
      ctx,
      measure(ctx.timer, prepared.dispatches, {
        warmup: plan.warmup,
        samples: plan.samples,
        minBatchMs: plan.minBatchMs,
        minWallBatchMs: plan.minWallBatchMs,
        control,
        onPause: () => pause(ctx),
        onSample: (ms, sample, samples) => onProgress({ type: 'sample', id: spec.id, sample, samples, ms }),
      }),
    );
    record(ctx, {
      id: spec.id,
      kind: 'micro',
      config: prepared.config,
      flops: prepared.flops,
      bytes: prepared.bytes,
      timing,
      verified: prepared.verified,
      ...rates(prepared.flops, prepared.bytes, timing.medianMs),
    });
  } finally {
    prepared.destroy();
  }
}

/**
 * Walkthrough phase: the query step by step once. It shows progress (prefill, token i/N) and
 * doubles as the first warm-up run; the timed runs replay the whole query in one submission.
 * With step-through on (RunControl.setStepping), it holds after each phase, the GPU idle, until
 * the page says next: the classroom comments on each phase as it happens. The measure phase's
 * preheat comes after the last hold, so the timed samples do not see the idle GPU.
 */
async function walkThrough(ctx: RunContext, spec: ModelWorkloadSpec, runner: ModelRunner, hold: boolean): Promise<void> {
  ctx.onProgress({ type: 'phase', id: spec.id, phase: 'walkthrough' });
  const tokens = spec.family === 'decoder' ? spec.promptTokens : spec.inputTokens;
  for (let i = 0; i < runner.steps.length; i++) {
    await ctx.control.whenVisible(() => pause(ctx));
    const step = runner.steps[i]!;
    const where = { id: spec.id, phase: step.phase, ...(step.token ? { token: step.token } : {}), step: i + 1, steps: runner.steps.length };
    ctx.onProgress({ type: 'step', label: step.label, ...where });
    await lostOr(ctx, ctx.timer.run(step.dispatches, 1));
    if (hold) await ctx.control.holdStep(() => ctx.onProgress({ type: 'held', ...where, role: spec.role, tokens }));
  }
}

/**
 * Measure phase of a model: whole queries, batched, after a preheat; the walkthrough counted as
 * one warm-up. A model that falls back to the wall clock makes the later ones use it too.
 */
async function measureModel(ctx: RunContext, spec: ModelWorkloadSpec, runner: ModelRunner): Promise<TimingRecord> {
  const { plan, control, onProgress } = ctx;
  onProgress({ type: 'phase', id: spec.id, phase: 'measure' });
  const timing = await lostOr(
    ctx,
    measure(ctx.timer, runner.dispatches, {
      warmup: Math.max(0, plan.warmup - 1),
      samples: plan.modelSamples,
      minBatchMs: plan.minBatchMs,
      minWallBatchMs: plan.minWallBatchMs,
      preheatMs: plan.modelPreheatMs,
      wallOnly: ctx.wallOnly,
      // Short queries on a fast GPU need long batches to reach 50 ms on the wall clock.
      maxBatch: 256,
      control,
      onPause: () => pause(ctx),
      onSample: (ms, sample, samples) => onProgress({ type: 'sample', id: spec.id, sample, samples, ms }),
    }),
  );
  timing.warmup += 1; // the walkthrough
  if (timing.source === 'wall-clock' && ctx.timer.source === 'gpu-timestamp') ctx.wallOnly = true;
  return timing;
}

type ProfileFields = Pick<Workload, 'kernels' | 'profile' | 'tokensPerSecond'>;

/**
 * Profile phase (GPU timestamps only): one pass per dispatch, `profileRuns` times, aggregated
 * per kernel and scaled to the measured query; decoders also get prefill/decode tokens per second.
 */
async function profileModel(ctx: RunContext, spec: ModelWorkloadSpec, runner: ModelRunner, queryMs: number): Promise<ProfileFields> {
  const { plan, control } = ctx;
  if (!(plan.profileRuns > 0 && ctx.timer.source === 'gpu-timestamp')) return {};
  ctx.onProgress({ type: 'phase', id: spec.id, phase: 'profile' });
  const runs: number[][] = [];
  for (let r = 0, attempts = 0; r < plan.profileRuns && attempts < 4 * plan.profileRuns; attempts++) {
    await control.whenVisible(() => pause(ctx));
    control.hiddenDuringSample = false;
    const p = await lostOr(ctx, ctx.timer.profile(runner.dispatches));
    // A profile taken while the tab was hidden measures throttling: take it again.
    if (p && !control.hiddenDuringSample) {
      runs.push(p);
      r++;
    }
  }
  const agg = aggregateProfile(runner.dispatches, runs, queryMs);
  const out: ProfileFields = { kernels: agg.kernels, profile: { runs: runs.length, rawTotalMs: agg.rawTotalMs, scale: agg.scale } };
  if (spec.family === 'decoder') {
    const pre = agg.phases['prefill'];
    const dec = agg.phases['decode'];
    out.tokensPerSecond = {
      prefill: pre && pre > 0 ? spec.promptTokens / (pre / 1000) : null,
      decode: dec && dec > 0 && spec.outputTokens > 1 ? (spec.outputTokens - 1) / (dec / 1000) : null,
    };
  }
  return out;
}

/**
 * The energy ratio compares the models' busy times, which is only meaningful on one timing
 * source. When a later model fell back to the wall clock, every model timed with GPU timestamps
 * is timed again on the wall clock (rebuilt: runners are released after each model).
 */
async function oneTimingSource(ctx: RunContext): Promise<void> {
  const models = ctx.workloads.filter((w) => w.kind === 'model');
  if (!models.some((w) => w.timing.source === 'wall-clock')) return;
  ctx.wallOnly = true;
  const base = ctx.plan.micro.length;
  for (const [i, spec] of ctx.plan.models.entries()) {
    const w = models.find((x) => x.id === spec.id);
    if (w?.timing.source === 'gpu-timestamp') await runModelWorkload(ctx, spec, base + i, true);
  }
}

/** Model phase, one role: build (weights synthesized on the device), walkthrough, measure, profile. */
async function runModelWorkload(ctx: RunContext, spec: ModelWorkloadSpec, index: number, retimed = false): Promise<void> {
  const { plan, control, onProgress, device } = ctx;
  control.throwIfCancelled();
  onProgress({ type: 'workload-start', index, total: ctx.total, id: spec.id, kind: 'model', role: spec.role });
  onProgress({ type: 'phase', id: spec.id, phase: 'build' });
  // A cache of its own per model, as before tuning, carrying the run's kernel choices.
  const pipelineCache = new PipelineCache(device);
  if (ctx.tuning) pipelineCache.tuning = ctx.tuning.tuning;
  const runner = await lostOr(ctx, scoped(device, spec.model.name, () => createModelRunner(device, spec, { seed: spec.seed, preferF16: plan.preferF16, pipelineCache })));
  try {
    // A model timed again on the wall clock (oneTimingSource) has had its story told already.
    await walkThrough(ctx, spec, runner, !retimed);
    const timing = await measureModel(ctx, spec, runner);
    if (retimed) timing.flags = [...(timing.flags ?? []), 'retimed-wall-clock'];
    // Count and record what actually ran: the runner may fall back from f16 to f32.
    const ran = specWithDtype(spec, runner.dtype);
    const counted = countQuery(ran);
    const { kernels, profile, tokensPerSecond } = await profileModel(ctx, spec, runner, timing.medianMs);
    record(ctx, {
      id: spec.id,
      kind: 'model',
      role: spec.role,
      config: workloadConfig(ran),
      flops: counted.flops,
      bytes: counted.bytes,
      timing,
      dtype: runner.dtype,
      ...(kernels ? { kernels } : {}),
      ...(profile ? { profile } : {}),
      ...(tokensPerSecond ? { tokensPerSecond } : {}),
      ...rates(counted.flops, counted.bytes, timing.medianMs),
    });
  } finally {
    runner.destroy();
  }
}

/** Finish phase on failure: an error caused by a lost device is reported as the loss. */
function failure(acquired: AcquiredDevice, e: unknown): unknown {
  if (acquired.isLost() && !(e instanceof DeviceLostError)) {
    return new DeviceLostError(`The GPU device was lost during the run (${(e as Error).message}). Run again to get a new device.`);
  }
  return e;
}

export async function runPlan(
  plan: MeasurementPlan,
  control: RunControl,
  onProgress: (p: Progress) => void,
  hooks: { onDevice?: (d: AcquiredDevice) => void; tuningStore?: TuningStore } = {},
): Promise<EngineRunOutput> {
  const acquired = await acquirePlanDevice(plan);
  hooks.onDevice?.(acquired);
  const { device, summary } = acquired;
  const timer = new GpuTimer(device, acquired.lost);
  const ctx: RunContext = {
    plan, control, onProgress, acquired, device, timer,
    cache: new PipelineCache(device),
    tuning: null,
    flags: new Set<string>(),
    workloads: [],
    total: plan.micro.length + plan.models.length,
    index: 0,
    wallOnly: false,
  };
  onProgress({ type: 'device', adapter: summary, timing: timer.source });
  try {
    ctx.tuning = await lostOr(ctx, tuneForRun({
      device, cache: ctx.cache, models: plan.models, timer, preferF16: plan.preferF16,
      adapter: tuningAdapterOf(acquired.adapter.info, summary),
      budgetMs: plan.autotune?.budgetMs ?? null,
      store: hooks.tuningStore ?? defaultTuningStore(),
    }));
    for (const spec of plan.micro) await runMicroWorkload(ctx, spec);
    for (const spec of plan.models) await runModelWorkload(ctx, spec, ctx.index++);
    await oneTimingSource(ctx);
    return { adapter: summary, timing: timer.source, workloads: ctx.workloads, flags: [...ctx.flags], ...(ctx.tuning ? { tuning: ctx.tuning } : {}) };
  } catch (e) {
    throw failure(acquired, e);
  } finally {
    if (!acquired.isLost()) {
      timer.destroy();
      acquired.release();
    }
  }
}
