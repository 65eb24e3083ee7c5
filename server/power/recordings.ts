/**
 * Recordings: a sensor sampled between a start and a stop, with marks the page posts (idle
 * start, model windows…). Marks are stamped with the SERVER's clock when they arrive, so the
 * page's and the server's clocks never need to agree; the windows between consecutive marks are
 * integrated from the readings (trace.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Mark, RecordingSummary } from '../../src/shared/power.ts';
import type { Sensor, StopSampling } from './sensor.ts';
import { integrate, TraceGapError, type Reading } from './trace.ts';

/** A recording stops by itself after this long (a page that went away must not sample forever). */
export const MAX_RECORDING_MS = 15 * 60_000;
/** Readings kept per recording: 15 min at 100 ms, with room. */
const MAX_READINGS = 20_000;
const MAX_MARKS = 200;
/** Recordings at once: one per page, a few pages. */
export const MAX_RECORDINGS = 4;

// The summary's types are the page's too (src/lab/power.ts reads them): one declaration.
export type { Mark, RecordingSummary } from '../../src/shared/power.ts';

export class Recording {
  readonly id = randomBytes(12).toString('base64url');
  readonly readings: Reading[] = [];
  readonly marks: Mark[] = [];
  state: RecordingSummary['state'] = 'recording';
  error: string | null = null;
  private readonly stopSampling: StopSampling;
  private readonly timer: NodeJS.Timeout;
  private firstSettled: (ok: boolean) => void = () => undefined;
  /** Settles true at the first reading, false if the sensor fails first. */
  readonly first: Promise<boolean> = new Promise((done) => (this.firstSettled = done));

  constructor(readonly sensor: Sensor, onEnd: (r: Recording) => void) {
    this.stopSampling = sensor.start(
      (r) => {
        if (this.readings.length < MAX_READINGS) this.readings.push(r);
        this.firstSettled(true);
      },
      (e) => {
        this.state = 'failed';
        this.error = e.message;
        this.firstSettled(false);
      },
    );
    this.timer = setTimeout(() => {
      this.stop();
      onEnd(this);
    }, MAX_RECORDING_MS);
    this.timer.unref();
  }

  /** Waits for the first reading (a tool such as nvidia-smi takes a moment to start), at most `ms`. */
  async ready(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((done) => (timer = setTimeout(() => done(false), ms)));
    const ok = await Promise.race([this.first, timeout]);
    clearTimeout(timer);
    return ok;
  }

  mark(name: string): Mark | null {
    if (this.marks.length >= MAX_MARKS) return null;
    const m = { name, tMs: performance.now() };
    this.marks.push(m);
    return m;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.stopSampling();
    if (this.state === 'recording') this.state = 'stopped';
  }

  summary(): RecordingSummary {
    const windows = this.marks.slice(1).map((to, i) => {
      const from = this.marks[i]!;
      try {
        return { from: from.name, to: to.name, ...integrate(this.readings, from.tMs, to.tMs) };
      } catch (e) {
        if (e instanceof TraceGapError || e instanceof RangeError) return { from: from.name, to: to.name, error: e.message };
        throw e;
      }
    });
    return { id: this.id, sensor: this.sensor.info, state: this.state, error: this.error, readings: this.readings.length, marks: [...this.marks], windows };
  }
}
