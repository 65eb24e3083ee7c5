/**
 * Trustworthy timing. GPU timestamps at the start and end of one compute pass that replays a
 * dispatch list `batch` times (Chrome rounds timestamps to 100 µs, so batches last ≥ minBatchMs
 * and the per-unit time is the batch time divided by `batch`); wall clock from submit to
 * onSubmittedWorkDone beside it, and instead of it when timestamps are missing or fail their
 * checks. Warm-up runs are excluded and counted; negative, zero or non-finite deltas are dropped
 * and counted; the preheat, the batch target and the wall-clock baseline are recorded.
 */
import type { TimingRecord, TimingSource } from '../shared/result.ts';
import { MIN_BATCH_MS, MIN_WALL_BATCH_MS } from '../shared/batch-targets.ts';
import { type Dispatch, encodeDispatches } from './dispatch.ts';
import { RunCancelledError, TabHiddenError } from './errors.ts';
import { cleanDeltas, summarize, timingRecord } from './stats.ts';

export class InvalidMeasurementError extends Error {
  override name = 'InvalidMeasurementError';
}


export interface BatchTime {
  /** GPU time of the whole batch, null when timestamps are unavailable or the delta was invalid. */
  gpuMs: number | null;
  wallMs: number;
}

/** Cooperative cancellation and tab-visibility gate shared by the runner and the timer. */
export class RunControl {
  cancelled = false;
  hidden = false;
  /** Set when the tab was hidden at any time during the current sample. */
  hiddenDuringSample = false;
  /** Step-through (the classroom demo): the walkthrough holds after each phase until nextStep(). */
  stepping = false;
  private waiters: (() => void)[] = [];
  private stepWaiters: (() => void)[] = [];

  cancel(): void {
    this.cancelled = true;
    this.release();
    this.nextStep();
  }
  /** Turning step-through off also lets a held phase go on. */
  setStepping(on: boolean): void {
    this.stepping = on;
    if (!on) this.nextStep();
  }
  /** Lets the walkthrough go past the phase it is held at (no-op when none is held). */
  nextStep(): void {
    const w = this.stepWaiters;
    this.stepWaiters = [];
    for (const r of w) r();
  }
  /**
   * With step-through on, waits for nextStep() (or cancel, or step-through turned off); resolves
   * at once otherwise. Only the walkthrough calls it: it is outside every timed sample.
   */
  async holdStep(onHold?: () => void): Promise<void> {
    this.throwIfCancelled();
    if (!this.stepping) return;
    onHold?.();
    await new Promise<void>((r) => this.stepWaiters.push(r));
    this.throwIfCancelled();
  }
  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    if (hidden) this.hiddenDuringSample = true;
    else this.release();
  }
  throwIfCancelled(): void {
    if (this.cancelled) throw new RunCancelledError();
  }
  /** Resolves at once when visible; otherwise waits (a hidden tab throttles the GPU and timers). */
  async whenVisible(onPause?: () => void): Promise<void> {
    this.throwIfCancelled();
    if (!this.hidden) return;
    onPause?.();
    await new Promise<void>((r) => this.waiters.push(r));
    this.throwIfCancelled();
  }
  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

export class GpuTimer {
  readonly source: TimingSource;
  private readonly querySet: GPUQuerySet | null;
  private readonly resolveBuf: GPUBuffer | null;
  private readonly readBuf: GPUBuffer | null;
  private static readonly PROFILE_CHUNK = 1024; // dispatches per profiled submission (2 queries each)

  constructor(
    private readonly device: GPUDevice,
    private readonly lost: Promise<never> = new Promise<never>(() => {}),
  ) {
    const ts = device.features.has('timestamp-query');
    this.source = ts ? 'gpu-timestamp' : 'wall-clock';
    const count = 2 * GpuTimer.PROFILE_CHUNK;
    this.querySet = ts ? device.createQuerySet({ label: 'Timer.queries', type: 'timestamp', count }) : null;
    this.resolveBuf = ts
      ? device.createBuffer({ label: 'Timer.resolve', size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC })
      : null;
    this.readBuf = ts
      ? device.createBuffer({ label: 'Timer.readback', size: count * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
      : null;
  }

  /** Any await on the GPU also races the device-lost promise, so a lost device never hangs a run. */
  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.lost]);
  }

  /** Replays `list` `batch` times in one compute pass and times it. */
  async run(list: readonly Dispatch[], batch = 1): Promise<BatchTime> {
    const enc = this.device.createCommandEncoder({ label: 'Timer.batch' });
    const pass = enc.beginComputePass({
      label: 'Timer.pass',
      ...(this.querySet ? { timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {}),
    });
    for (let i = 0; i < batch; i++) encodeDispatches(pass, list);
    pass.end();
    if (this.querySet && this.resolveBuf && this.readBuf) {
      enc.resolveQuerySet(this.querySet, 0, 2, this.resolveBuf, 0);
      enc.copyBufferToBuffer(this.resolveBuf, 0, this.readBuf, 0, 16);
    }
    const t0 = performance.now();
    this.device.queue.submit([enc.finish()]);
    await this.guard(this.device.queue.onSubmittedWorkDone());
    const wallMs = performance.now() - t0;
    if (!this.readBuf) return { gpuMs: null, wallMs };
    await this.guard(this.readBuf.mapAsync(GPUMapMode.READ, 0, 16));
    const ts = new BigUint64Array(this.readBuf.getMappedRange(0, 16).slice(0));
    this.readBuf.unmap();
    const deltaMs = Number(ts[1]! - ts[0]!) / 1e6;
    return { gpuMs: Number.isFinite(deltaMs) && deltaMs > 0 ? deltaMs : null, wallMs };
  }

  /**
   * Wall time of an empty submission, measured exactly like a batch (submit → onSubmittedWorkDone):
   * the fixed latency that every wall-clock sample carries besides the work itself.
   */
  async emptySubmit(): Promise<number> {
    const enc = this.device.createCommandEncoder({ label: 'Timer.empty' });
    const t0 = performance.now();
    this.device.queue.submit([enc.finish()]);
    await this.guard(this.device.queue.onSubmittedWorkDone());
    return performance.now() - t0;
  }

  /**
   * One pass per dispatch, each with its own timestamps: the per-kernel breakdown. Individual
   * kernels are often shorter than the 100 µs quantum, so callers aggregate over many dispatches
   * and samples. Returns null without timestamps.
   */
  async profile(list: readonly Dispatch[]): Promise<number[] | null> {
    if (!this.querySet || !this.resolveBuf || !this.readBuf) return null;
    const out: number[] = [];
    for (let start = 0; start < list.length; start += GpuTimer.PROFILE_CHUNK) {
      const chunk = list.slice(start, start + GpuTimer.PROFILE_CHUNK);
      const enc = this.device.createCommandEncoder({ label: 'Timer.profile' });
      chunk.forEach((d, i) => {
        const pass = enc.beginComputePass({
          label: `Timer.profile.${d.kernel}`,
          timestampWrites: { querySet: this.querySet!, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 },
        });
        encodeDispatches(pass, [d]);
        pass.end();
      });
      const bytes = chunk.length * 16;
      enc.resolveQuerySet(this.querySet, 0, chunk.length * 2, this.resolveBuf, 0);
      enc.copyBufferToBuffer(this.resolveBuf, 0, this.readBuf, 0, bytes);
      this.device.queue.submit([enc.finish()]);
      await this.guard(this.readBuf.mapAsync(GPUMapMode.READ, 0, bytes));
      const ts = new BigUint64Array(this.readBuf.getMappedRange(0, bytes).slice(0));
      this.readBuf.unmap();
      for (let i = 0; i < chunk.length; i++) {
        const d = Number(ts[2 * i + 1]! - ts[2 * i]!) / 1e6;
        // A zero here is a real reading below the quantum, not "unmeasured": keep it; drop only garbage.
        out.push(Number.isFinite(d) && d >= 0 ? d : Number.NaN);
      }
    }
    return out;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolveBuf?.destroy();
    this.readBuf?.destroy();
  }
}

export interface MeasureOptions {
  warmup: number;
  samples: number;
  /** Shortest batch when GPU timestamps are used (ms): 100 µs rounding is then ≤ 0.1 / minBatchMs. */
  minBatchMs?: number;
  /** Shortest batch on the wall clock (ms): the fixed submit→done latency left after the baseline is subtracted stays small. */
  minWallBatchMs?: number;
  /** Time the workload runs before sampling (ms), so clocks and temperatures settle. */
  preheatMs?: number;
  maxBatch?: number;
  /** Time on the wall clock even when timestamps exist (both models of a comparison share one source). */
  wallOnly?: boolean;
  control?: RunControl;
  onSample?: (sampleMs: number, index: number, total: number) => void;
  onPause?: () => void;
}

/** Batches are sized for this multiple of their target, so a slightly faster sample still meets it. */
const BATCH_MARGIN = 1.5;
/** Empty submissions whose median is the wall-clock baseline (the first is discarded as lazy setup). */
const BASELINE_RUNS = 7;
/** Chrome's timestamp quantum without developer flags (ms). */
const TIMESTAMP_QUANTUM_MS = 0.1;
/** At most this many preheat batches, so a timer that reports no time cannot loop forever. */
const PREHEAT_BATCH_CAP = 10_000;

function median(xs: readonly number[]): number {
  const kept = xs.filter(Number.isFinite);
  return kept.length ? summarize(kept).median : Number.NaN;
}

function batchFor(unitMs: number, targetMs: number, maxBatch: number): number {
  return Math.max(1, Math.min(maxBatch, Math.ceil((targetMs * BATCH_MARGIN) / Math.max(unitMs, 1e-4))));
}

/** Raw per-batch times of one sampling pass (before division by the batch and baseline subtraction). */
interface Pass {
  gpuBatchMs: number[];
  wallBatchMs: number[];
}

async function samplePass(timer: GpuTimer, list: readonly Dispatch[], batch: number, opts: MeasureOptions, control: RunControl, flags: Set<string>, show: (t: BatchTime) => number): Promise<Pass> {
  const gpuBatchMs: number[] = [];
  const wallBatchMs: number[] = [];
  let hiddenDropped = 0;
  for (let s = 0; s < opts.samples; s++) {
    await control.whenVisible(() => {
      flags.add('tab-hidden');
      opts.onPause?.();
    });
    control.hiddenDuringSample = false;
    const t = await timer.run(list, batch);
    if (control.hiddenDuringSample) {
      // A hidden tab is throttled: this sample measures the browser, not the GPU.
      hiddenDropped++;
      flags.add('tab-hidden');
      s--;
      if (hiddenDropped > opts.samples) {
        throw new TabHiddenError('The tab kept being hidden during the measurement: keep the lab visible while it runs, then run again.');
      }
      continue;
    }
    gpuBatchMs.push(t.gpuMs ?? Number.NaN);
    wallBatchMs.push(t.wallMs);
    opts.onSample?.(show(t) / batch, s, opts.samples);
  }
  return { gpuBatchMs, wallBatchMs };
}

/**
 * Runs the workload for at least `preheatMs` (GPU clocks ramp up and temperatures settle before
 * the first sample). Returns the time spent and the last batch, from which the batch is re-sized.
 */
async function preheat(timer: GpuTimer, list: readonly Dispatch[], batch: number, preheatMs: number, control: RunControl, onPause?: () => void): Promise<{ spentMs: number; last: BatchTime | null }> {
  const start = performance.now();
  let summed = 0;
  let last: BatchTime | null = null;
  for (let i = 0; i < PREHEAT_BATCH_CAP && Math.max(summed, performance.now() - start) < preheatMs; i++) {
    await control.whenVisible(onPause);
    last = await timer.run(list, batch);
    summed += last.wallMs;
  }
  return { spentMs: last === null ? 0 : Math.max(summed, performance.now() - start), last };
}

/** Median wall time of an empty submission (submit → onSubmittedWorkDone), measured like a batch. */
async function wallBaseline(timer: GpuTimer): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) runs.push(await timer.emptySubmit());
  return median(runs.slice(1));
}

/**
 * Measures the per-unit time of a dispatch list. A unit is one replay of the list (one dispatch
 * for micro kernels, one query for models).
 *
 * Warm-up, two calibration probes, preheat, re-sizing, an empty-submit baseline, then the timed
 * samples. GPU timestamps are the measurement when they exist and pass two checks: enough valid
 * deltas, and busy time no longer than the wall time around it (a busy time above it is
 * physically impossible, so the counters are wrong). Otherwise the workload is sampled again on
 * the wall clock, with batches long enough for that clock, and the record says why.
 */
export async function measure(timer: GpuTimer, list: readonly Dispatch[], opts: MeasureOptions): Promise<TimingRecord> {
  const control = opts.control ?? new RunControl();
  const minBatchMs = opts.minBatchMs ?? MIN_BATCH_MS;
  const minWallBatchMs = Math.max(minBatchMs, opts.minWallBatchMs ?? MIN_WALL_BATCH_MS);
  const maxBatch = opts.maxBatch ?? 4096;
  const flags = new Set<string>();
  for (let i = 0; i < opts.warmup; i++) {
    await control.whenVisible(opts.onPause);
    await timer.run(list, 1);
  }
  // Calibrate the batch (twice, since the first run may include lazy work). Both probes are
  // warm-up runs too, and are counted as such.
  await control.whenVisible(opts.onPause);
  await timer.run(list, 1);
  const probe = await timer.run(list, 1);
  const warmupRuns = opts.warmup + 2;
  let source: TimingSource = opts.wallOnly ? 'wall-clock' : timer.source;
  const targetFor = (s: TimingSource): number => (s === 'gpu-timestamp' ? minBatchMs : minWallBatchMs);
  const unitOf = (t: BatchTime, b: number): number => (source === 'gpu-timestamp' ? (t.gpuMs ?? t.wallMs) : t.wallMs) / b;
  let batch = batchFor(unitOf(probe, 1), targetFor(source), maxBatch);

  const heat = await preheat(timer, list, batch, opts.preheatMs ?? 0, control, opts.onPause);
  // Clocks may have risen while preheating: size the batch again from the last preheat run.
  if (heat.last) batch = batchFor(unitOf(heat.last, batch), targetFor(source), maxBatch);
  let baselineMs = await wallBaseline(timer);

  const show = (t: BatchTime): number => (source === 'gpu-timestamp' ? (t.gpuMs ?? Number.NaN) : t.wallMs - baselineMs);
  let pass = await samplePass(timer, list, batch, opts, control, flags, show);

  if (source === 'gpu-timestamp') {
    const valid = cleanDeltas(pass.gpuBatchMs).kept.length;
    // GPU busy time cannot exceed the submit → done wall time around it (one quantum of slack).
    const busyExceedsWall = median(pass.gpuBatchMs) > median(pass.wallBatchMs) * 1.01 + TIMESTAMP_QUANTUM_MS;
    const reason = valid < 2 ? 'timestamps-invalid' : busyExceedsWall ? 'busy-exceeds-wall' : null;
    if (reason !== null) {
      // Timestamps can come back unusable (driver quirks, counter resets): time the workload
      // again on the wall clock, in batches sized for it, and say so.
      flags.add(reason);
      source = 'wall-clock';
      batch = batchFor(median(pass.wallBatchMs.map((w) => w - baselineMs)) / batch, minWallBatchMs, maxBatch);
      baselineMs = await wallBaseline(timer);
      pass = await samplePass(timer, list, batch, opts, control, flags, show);
    }
  }

  const wallUnits = pass.wallBatchMs.map((w) => (w - baselineMs) / batch);
  const primary = source === 'gpu-timestamp' ? pass.gpuBatchMs.map((g) => g / batch) : wallUnits;
  const { kept, dropped } = cleanDeltas(primary);
  if (kept.length < 2) {
    throw new InvalidMeasurementError(
      `Only ${kept.length} of ${primary.length} timing samples were valid (the rest were negative, zero or non-finite): no measurement.`,
    );
  }
  const wallKept = cleanDeltas(wallUnits).kept;
  const targetBatchMs = targetFor(source);
  // The batch-length check needs the median, so it is added after the record is built.
  const record = timingRecord(kept, {
    source,
    warmup: warmupRuns,
    batch,
    dropped,
    wallMedianMs: wallKept.length ? summarize(wallKept).median : null,
    flags,
  });
  if (batch * record.medianMs < targetBatchMs) {
    record.flags = [...(record.flags ?? []), source === 'gpu-timestamp' ? 'below-quantization-target' : 'below-wall-batch-target'];
  }
  return { ...record, preheatMs: heat.spentMs, targetBatchMs, wallBaselineMs: baselineMs };
}
