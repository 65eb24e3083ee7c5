/**
 * Power sensors the local server can read. Browsers cannot read watts, but `npm start` runs on
 * the visitor's own machine and can: each sensor is detected at start and listed at
 * GET /api/power with what it covers and, when it cannot be read, why. None is required.
 */
import type { Reading } from './trace.ts';

/** What a sensor's watts include. */
export type Coverage = 'gpu-board' | 'cpu-package' | 'whole-system';

export interface SensorInfo {
  /** Stable id: `nvidia:0`, `hwmon:hwmon3`, `rapl:intel-rapl:0`, `powermetrics:gpu`. */
  id: string;
  /** Human name: "NVIDIA H200 (nvidia-smi)", "amdgpu hwmon3", "Intel RAPL package-0". */
  name: string;
  coverage: Coverage;
  /** Whether readings are instantaneous power or a cumulative energy counter. */
  reading: 'power' | 'energy';
  /** Sampling period the server uses, ms. */
  periodMs: number;
  readable: boolean;
  /** Why it cannot be read (absent tool, permission, unsupported field); null when readable. */
  why: string | null;
}

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
