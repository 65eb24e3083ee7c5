/**
 * Trustworthy timing. GPU timestamps at the start and end of one compute pass that replays a
 * dispatch list `batch` times (Chrome rounds timestamps to 100 µs, so batches last ≥ minBatchMs
 * and the per-unit time is the batch time divided by `batch`); wall clock from submit to
 * onSubmittedWorkDone beside it, and instead of it when timestamps are missing. Warm-up runs are
 * excluded and counted; negative, zero or non-finite deltas are dropped and counted.
 */
import type { TimingRecord, TimingSource } from '../shared/result.ts';
import { type Dispatch, encodeDispatches } from './dispatch.ts';
import { RunCancelledError, TabHiddenError } from './errors.ts';

export class InvalidMeasurementError extends Error {
  override name = 'InvalidMeasurementError';
}
import { cleanDeltas, summarize, timingRecord } from './stats.ts';

/**
 * A batch this long keeps the error of Chrome's timestamp quantization (0.1 ms without
 * developer flags) under 5 % (0.1 ms / 2 ms).
 */
export const MIN_BATCH_MS = 2;

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
  private waiters: (() => void)[] = [];

  cancel(): void {
    this.cancelled = true;
    this.release();
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
  minBatchMs?: number;
  maxBatch?: number;
  control?: RunControl;
  onSample?: (sampleMs: number, index: number, total: number) => void;
  onPause?: () => void;
}

/**
 * Measures the per-unit time of a dispatch list. A unit is one replay of the list (one dispatch
 * for micro kernels, one query for models).
 */
export async function measure(timer: GpuTimer, list: readonly Dispatch[], opts: MeasureOptions): Promise<TimingRecord> {
  const control = opts.control ?? new RunControl();
  const minBatchMs = opts.minBatchMs ?? MIN_BATCH_MS;
  const maxBatch = opts.maxBatch ?? 4096;
  for (let i = 0; i < opts.warmup; i++) {
    await control.whenVisible(opts.onPause);
    await timer.run(list, 1);
  }
  // Calibrate the batch so one sample lasts ≥ minBatchMs (twice, since the first may include
  // lazy work). Both probes are warm-up runs too, and are counted as such.
  await control.whenVisible(opts.onPause);
  await timer.run(list, 1);
  const probe = await timer.run(list, 1);
  const warmupRuns = opts.warmup + 2;
  const unitMs = probe.gpuMs ?? probe.wallMs;
  const batch = Math.max(1, Math.min(maxBatch, Math.ceil((minBatchMs * 1.5) / Math.max(unitMs, 1e-4))));

  const gpu: number[] = [];
  const wall: number[] = [];
  const flags = new Set<string>();
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
    gpu.push(t.gpuMs === null ? Number.NaN : t.gpuMs / batch);
    wall.push(t.wallMs / batch);
    const shown = timer.source === 'gpu-timestamp' ? gpu[gpu.length - 1]! : wall[wall.length - 1]!;
    opts.onSample?.(shown, s, opts.samples);
  }

  // Timestamps can come back unusable (driver quirks, counter resets): then the wall clock we
  // took beside them is the measurement, and the record says so.
  let source: TimingSource = timer.source;
  let { kept, dropped } = cleanDeltas(source === 'gpu-timestamp' ? gpu : wall);
  if (source === 'gpu-timestamp' && kept.length < 2) {
    const fromWall = cleanDeltas(wall);
    if (fromWall.kept.length >= 2) {
      source = 'wall-clock';
      flags.add('timestamps-invalid');
      ({ kept, dropped } = { kept: fromWall.kept, dropped: gpu.length - fromWall.kept.length });
    }
  }
  const primary = source === 'gpu-timestamp' ? gpu : wall;
  if (kept.length < 2) {
    throw new InvalidMeasurementError(
      `Only ${kept.length} of ${primary.length} timing samples were valid (the rest were negative, zero or non-finite): no measurement.`,
    );
  }
  const wallKept = cleanDeltas(wall).kept;
  // The quantization check needs the median, so it is added after the record is built.
  const record = timingRecord(kept, {
    source,
    warmup: warmupRuns,
    batch,
    dropped,
    wallMedianMs: wallKept.length ? summarize(wallKept).median : null,
    flags,
  });
  if (source === 'gpu-timestamp' && batch * record.medianMs < minBatchMs) record.flags = [...(record.flags ?? []), 'below-quantization-target'];
  return record;
}
