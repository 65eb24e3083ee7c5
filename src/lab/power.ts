/**
 * Measured watts during a run, on the page side. When the page is served by `npm start` on the
 * machine that runs it, the local server can read the machine's power sensors (GET /api/power);
 * a recording then samples the best sensor for this adapter while the page marks an idle
 * baseline and each model's load window, and the server integrates the trace between the marks
 * (server/power). The marks are stamped with the server's clock on arrival, so the page's and
 * the server's clocks never need to agree.
 *
 * Everything here is best effort: a page with no local server (hosted: 404, a network error, an
 * HTML fallback), no readable sensor, a sensor that fails mid-run, a trace with a gap — each
 * becomes a closed reason id, and the run and its estimate go on untouched. Nothing throws.
 */
import type { Progress } from '../engine/run-plan.ts';
import { measuredSection } from '../shared/measured.ts';
import {
  chooseSensor, markName, type MeasuredReason, type MeasuredSection, type PowerListing, type RecordingSummary, type SensorInfo,
} from '../shared/power.ts';
import type { ResultDocument, Role } from '../shared/result.ts';

export interface PowerRecordingOptions {
  /** The adapter's vendor as WebGPU reports it: chooses the sensor that covers that GPU. */
  adapterVendor: string;
  /** Origin of the local server; '' (default) is the page's own. */
  base?: string;
  /** Idle baseline measured before the run, ms (tests shorten it). */
  idleMs?: number;
  /** Longest wait for one request, ms (the server waits up to 5 s for a sensor's first reading). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** What a recording ended with: the server's final summary, or why there is none. */
export type PowerOutcome = { ok: true; summary: RecordingSummary } | { ok: false; reason: MeasuredReason };

const IDLE_MS = 2_000;
const TIMEOUT_MS = 10_000;

/** One request's answer: the status and parsed JSON body, or null for a network failure or a non-JSON answer. */
type Answer = { status: number; json: unknown } | null;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isListing = (x: unknown): x is PowerListing =>
  isObject(x) && Array.isArray(x['sensors']) && x['sensors'].every((s) => isObject(s) && typeof s['id'] === 'string' && typeof s['readable'] === 'boolean');
const isSummary = (x: unknown): x is RecordingSummary =>
  isObject(x) && typeof x['id'] === 'string' && Array.isArray(x['windows']) && Array.isArray(x['marks']) && isObject(x['sensor']);

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * What a run needs from a power recording, wherever the sensor is read: through the local
 * server's HTTP API (PowerRecording, on the page) or in-process (the Node runner).
 */
export interface RunRecorder {
  /** Fed every progress event of the run; never throws. */
  readonly onProgress: (p: Progress) => void;
  /** Stops the recording (once) and returns its final summary, or why there is none. */
  stop(): Promise<PowerOutcome>;
}

/**
 * The marks a run's progress becomes: each model workload's start, the beginning of its timed
 * queries (the `measure` phase: pre-heat and samples), its per-kernel profiling and its end.
 * Micro workloads are not marked.
 */
export class ProgressMarks {
  private readonly roles = new Map<string, Role>();

  /** The mark this event calls for, or null. */
  next(p: Progress): string | null {
    switch (p.type) {
      case 'workload-start':
        if (p.kind === 'model' && p.role) {
          this.roles.set(p.id, p.role);
          return markName.start(p.role);
        }
        return null;
      case 'phase': {
        const role = this.roles.get(p.id);
        if (role && p.phase === 'measure') return markName.load(role);
        if (role && p.phase === 'profile') return markName.profile(role);
        return null;
      }
      case 'workload-done': {
        const role = this.roles.get(p.id);
        return role ? markName.end(role) : null;
      }
      case 'device':
      case 'step':
      case 'sample':
      case 'paused':
      case 'held':
        return null;
    }
  }
}

/** Why a recording could not be started, from the server's status (routes.ts). */
function startRefusal(status: number): MeasuredReason {
  switch (status) {
    case 403: return 'no-local-server'; // the server is not on this machine (not a loopback peer)
    case 404:
    case 409: return 'no-readable-sensor';
    case 429: return 'sensor-busy';
    case 504: return 'sensor-failed';
    default: return 'no-local-server';
  }
}

export class PowerRecording implements RunRecorder {
  /** The first failure after the start (a mark refused, the recording lost); null while all is well. */
  private failure: MeasuredReason | null = null;
  /** Marks go out one after the other, so that they arrive (and are stamped) in order. */
  private queue: Promise<void> = Promise.resolve();
  private readonly marks = new ProgressMarks();
  private stopped: Promise<PowerOutcome> | null = null;

  private constructor(
    private readonly opts: PowerRecordingOptions,
    /** The recording's id, or why there is none. */
    private readonly state: { id: string; sensor: SensorInfo } | { reason: MeasuredReason },
  ) {}

  /**
   * Starts a recording on the best readable sensor and measures the idle baseline (marks
   * `idle:start` and `idle:end` around `idleMs`). Resolves to an inert recording, holding the
   * reason, when there is nothing to record; never rejects.
   */
  static async start(opts: PowerRecordingOptions): Promise<PowerRecording> {
    const off = (reason: MeasuredReason) => new PowerRecording(opts, { reason });
    const probe = new PowerRecording(opts, { reason: 'no-local-server' });
    const listing = await probe.request('GET', '/api/power');
    if (listing === null || listing.status !== 200 || !isListing(listing.json)) return off('no-local-server');
    const sensor = chooseSensor(listing.json.sensors, opts.adapterVendor);
    if (!sensor) return off('no-readable-sensor');
    const started = await probe.request('POST', '/api/power/recordings', { sensor: sensor.id });
    if (started === null) return off('no-local-server');
    if (started.status !== 201 || !isSummary(started.json)) return off(startRefusal(started.status));
    const rec = new PowerRecording(opts, { id: started.json.id, sensor });
    rec.mark(markName.idleStart);
    await rec.queue;
    if (rec.failure) return rec;
    await sleep(opts.idleMs ?? IDLE_MS);
    rec.mark(markName.idleEnd);
    await rec.queue;
    return rec;
  }

  /** The sensor recorded, or null when nothing is. */
  get sensor(): SensorInfo | null {
    return 'id' in this.state ? this.state.sensor : null;
  }

  /**
   * Feeds the run's progress (see ProgressMarks). Synchronous; the marks go out in the background.
   */
  readonly onProgress = (p: Progress): void => {
    if (!('id' in this.state) || this.stopped) return;
    const name = this.marks.next(p);
    if (name !== null) this.mark(name);
  };

  /** Stops the recording (once) and returns the server's final summary, or why there is none. */
  stop(): Promise<PowerOutcome> {
    this.stopped ??= this.finish();
    return this.stopped;
  }

  private async finish(): Promise<PowerOutcome> {
    if (!('id' in this.state)) return { ok: false, reason: this.state.reason };
    await this.queue;
    // The last window needs a reading after its end mark, or its end cannot be interpolated:
    // let the sensor give a couple more before stopping it.
    await sleep(Math.min(2_000, 2.5 * this.state.sensor.periodMs));
    const done = await this.request('DELETE', `/api/power/recordings/${encodeURIComponent(this.state.id)}`);
    if (this.failure) return { ok: false, reason: this.failure };
    if (done === null || done.status !== 200 || !isSummary(done.json)) return { ok: false, reason: 'recording-lost' };
    return { ok: true, summary: done.json };
  }

  private mark(name: string): void {
    if (!('id' in this.state)) return;
    const path = `/api/power/recordings/${encodeURIComponent(this.state.id)}/marks`;
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      const res = await this.request('POST', path, { name });
      if (res === null || res.status !== 200) this.failure = 'recording-lost';
    });
  }

  private async request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer> {
    const f = this.opts.fetch ?? fetch;
    try {
      const res = await f(`${this.opts.base ?? ''}${path}`, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? TIMEOUT_MS),
      });
      // A static host answers /api/power with its HTML fallback: not JSON, not a server.
      const json: unknown = (res.headers.get('content-type') ?? '').includes('application/json') ? await res.json() : null;
      return { status: res.status, json };
    } catch {
      return null;
    }
  }
}

/** The document's `measured` block from a recording's outcome (the estimate, when present, gives estimate ÷ measured). */
export function measuredFrom(outcome: PowerOutcome, doc: Pick<ResultDocument, 'workloads' | 'energy'>): MeasuredSection {
  return outcome.ok ? measuredSection(outcome.summary, doc) : { available: false, reason: outcome.reason };
}
