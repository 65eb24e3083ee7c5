/**
 * Measured watts in the browser-free runner. There is no page and no server here: the runner
 * reads the machine's sensors with the local server's own code (server/power) in its process,
 * marks the idle baseline and each model's windows on the same clock as the readings, and
 * integrates between the marks (server/power/trace.ts). The marks a run's progress calls for and
 * the `measured` block built from the summary are the page's (src/lab/power.ts,
 * src/shared/measured.ts), so both paths measure the same windows the same way.
 *
 * Best effort, as on the page: no sensor, a sensor that gives no first reading or fails mid-run
 * — each becomes a closed reason id; the run and its estimate go on.
 */
import { detectSensors, type PowerOptions } from '../../server/power/routes.ts';
import { Recording } from '../../server/power/recordings.ts';
import type { Sensor } from '../../server/power/sensor.ts';
import { ProgressMarks, type PowerOutcome, type RunRecorder } from '../../src/lab/power.ts';
import { chooseSensor, markName, type MeasuredReason, type SensorInfo } from '../../src/shared/power.ts';
import type { Progress } from '../../src/engine/run-plan.ts';

export interface NodeRecorderOptions {
  /** Idle baseline before the run, ms. */
  idleMs?: number;
  /** A sensor id from the listing, chosen by hand; otherwise the best one for the adapter. */
  sensorId?: string | null;
  /** Where the sensors are looked for (tests: a fake nvidia-smi on PATH, an empty sysfs). */
  power?: PowerOptions;
  /** Told which sensor is recorded, or why none. */
  log?: (line: string) => void;
}

const IDLE_MS = 2_000;
/** How long a sensor may take to give its first reading (nvidia-smi takes a moment). */
const FIRST_READING_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** A recording that records nothing, holding why. */
const inert = (reason: MeasuredReason): NodeRecorder => ({ sensor: null, onProgress: () => undefined, stop: () => Promise.resolve({ ok: false, reason }) });

export interface NodeRecorder extends RunRecorder {
  readonly sensor: SensorInfo | null;
}

function pick(sensors: readonly Sensor[], adapterVendor: string, sensorId: string | null | undefined): Sensor | null {
  if (sensorId) return sensors.find((s) => s.info.id === sensorId && s.info.readable) ?? null;
  const info = chooseSensor(sensors.map((s) => s.info), adapterVendor);
  return info ? (sensors.find((s) => s.info.id === info.id) ?? null) : null;
}

/**
 * Starts a recording on the sensor that covers this adapter (or the one named) and measures the
 * idle baseline. Never rejects: an inert recorder holds the reason when there is nothing to record.
 */
export async function startNodeRecording(adapterVendor: string, opts: NodeRecorderOptions = {}): Promise<NodeRecorder> {
  const log = opts.log ?? (() => undefined);
  const sensors = await detectSensors(opts.power);
  const sensor = pick(sensors, adapterVendor, opts.sensorId);
  if (!sensor) {
    const listed = sensors.map((s) => `  ${s.info.id} (${s.info.coverage}): ${s.info.readable ? 'readable' : `not readable: ${s.info.why ?? '?'}`}`);
    const why = opts.sensorId
      ? `no readable sensor "${opts.sensorId}"`
      : `no readable sensor covers this adapter (vendor "${adapterVendor || '?'}"; a GPU board sensor of another vendor does not see it; --power-sensor names one by hand)`;
    log(`power: ${why}. Sensors here:\n${listed.join('\n') || '  none'}`);
    return inert('no-readable-sensor');
  }
  if (opts.sensorId && chooseSensor([sensor.info], adapterVendor) === null) {
    log(`power: ${sensor.info.id} was chosen by hand; it does not cover this adapter (vendor "${adapterVendor || '?'}"), so its watts are not this run's GPU's.`);
  }
  const rec = new Recording(sensor, () => undefined);
  if (!(await rec.ready(FIRST_READING_MS))) {
    rec.stop();
    log(`power: ${sensor.info.name} gave no reading: ${rec.error ?? `none within ${FIRST_READING_MS / 1000} s`}`);
    return inert('sensor-failed');
  }
  log(`power: recording ${sensor.info.name} (${sensor.info.coverage}, every ${sensor.info.periodMs} ms); idle baseline…`);
  const marks = new ProgressMarks();
  let failure: MeasuredReason | null = null;
  const mark = (name: string) => {
    if (rec.mark(name) === null) failure ??= 'recording-lost';
  };
  mark(markName.idleStart);
  await sleep(opts.idleMs ?? IDLE_MS);
  mark(markName.idleEnd);
  let stopped: Promise<PowerOutcome> | null = null;
  const finish = async (): Promise<PowerOutcome> => {
    // The last window needs a reading after its end mark to be interpolated.
    await sleep(Math.min(2_000, 2.5 * sensor.info.periodMs));
    rec.stop();
    if (rec.error) log(`power: ${rec.error}`);
    return failure ? { ok: false, reason: failure } : { ok: true, summary: rec.summary() };
  };
  return {
    sensor: sensor.info,
    onProgress: (p: Progress) => {
      if (stopped) return;
      const name = marks.next(p);
      if (name !== null) mark(name);
    },
    stop: () => (stopped ??= finish()),
  };
}
