/**
 * Power sensors the local server can read. Browsers cannot read watts, but `npm start` runs on
 * the visitor's own machine and can: each sensor is detected at start and listed at
 * GET /api/power with what it covers and, when it cannot be read, why. None is required.
 */
import type { SensorInfo } from '../../src/shared/power.ts';
import type { Reading } from './trace.ts';

// The listing's types are the page's too (src/lab/power.ts reads them): one declaration.
export type { SensorInfo } from '../../src/shared/power.ts';

/** Stops a sampling started by Sensor.start. */
export type StopSampling = () => void;

export interface Sensor {
  info: SensorInfo;
  /**
   * Start sampling: `onReading` gets each reading on the server's monotonic clock
   * (performance.now()); `onError` is called once if the sensor stops answering or returns
   * garbage, after which no reading follows.
   */
  start(onReading: (r: Reading) => void, onError: (e: SensorError) => void): StopSampling;
}

/** A sensor that failed while sampling (stopped answering, garbage, permission lost). */
export class SensorError extends Error {
  override readonly name = 'SensorError';
  constructor(readonly sensorId: string, message: string) {
    super(`${sensorId}: ${message}`);
  }
}

/** Sampling period of every sensor: the issue's ≤ 100 ms, and what nvidia-smi's -lms allows. */
export const SAMPLE_PERIOD_MS = 100;
