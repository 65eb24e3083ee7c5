/**
 * Measured watts, shared by the local server's /api/power (server/power) and the page that
 * records a run with it (src/lab/power.ts): the wire types of the API, the closed ids a result
 * document may hold about a measurement, and that block's type.
 *
 * The method behind the `measured` block is in measured.ts.
 */

/** What a sensor's watts include. */
export const SENSOR_COVERAGES = ['gpu-board', 'cpu-package', 'whole-system'] as const;
export type Coverage = (typeof SENSOR_COVERAGES)[number];

/** The instrument behind a sensor, read from its id (never its free-text name). */
export const SENSOR_KINDS = ['nvidia-smi', 'hwmon', 'rapl', 'powermetrics'] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

/** One sensor as GET /api/power lists it. */
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

export interface PowerListing { sensors: SensorInfo[] }

/** A mark, stamped with the server's monotonic clock when it arrived. */
export interface Mark { name: string; tMs: number }

/** Energy between two consecutive marks. */
export interface WindowSummary {
  from: string;
  to: string;
  joules: number;
  seconds: number;
  meanWatts: number;
  /** Readings inside the window (the interpolated ends not counted). */
  samples: number;
}

/** A window the trace does not cover (a gap, a sensor that stopped before it ended). */
export interface WindowGap { from: string; to: string; error: string }

export interface RecordingSummary {
  id: string;
  sensor: SensorInfo;
  state: 'recording' | 'stopped' | 'failed';
  /** Why the sensor failed mid-run; the readings before it stay usable. */
  error: string | null;
  readings: number;
  marks: Mark[];
  /** Energy between each pair of consecutive marks, or why the trace does not cover it. */
  windows: (WindowSummary | WindowGap)[];
}

/** The sensor's instrument from its id's prefix; null for an id this app does not know. */
export function sensorKind(id: string): SensorKind | null {
  switch (id.split(':')[0] ?? '') {
    case 'nvidia': return 'nvidia-smi';
    case 'hwmon': return 'hwmon';
    case 'rapl': return 'rapl';
    case 'powermetrics': return 'powermetrics';
    default: return null;
  }
}

/** The board sensor that covers the GPU of each adapter vendor WebGPU reports. */
const BOARD_SENSOR: Partial<Record<string, SensorKind>> = { nvidia: 'nvidia-smi', amd: 'hwmon', apple: 'powermetrics' };

/**
 * The sensor that best covers the adapter that ran the models: its own GPU board (nvidia-smi for
 * NVIDIA, amdgpu hwmon for AMD, powermetrics for Apple), else the whole system (which holds any
 * GPU), else the CPU package (which holds an integrated GPU, and at least the host's share).
 * A board sensor of another vendor is never chosen: it does not see the GPU that ran.
 */
export function chooseSensor(sensors: readonly SensorInfo[], adapterVendor: string): SensorInfo | null {
  const readable = sensors.filter((s) => s.readable && sensorKind(s.id) !== null);
  const board = BOARD_SENSOR[adapterVendor];
  return (
    readable.find((s) => s.coverage === 'gpu-board' && sensorKind(s.id) === board) ??
    readable.find((s) => s.coverage === 'whole-system') ??
    readable.find((s) => s.coverage === 'cpu-package') ??
    null
  );
}

/**
 * What a document records about the sensor behind a sensor power profile (sensor-profile.ts):
 * ids, a count and a day only.
 */
export interface SensorProfileRecord {
  kind: SensorKind;
  coverage: Coverage;
  /** Readings of the measuring run. */
  samples: number;
  /** Day of the measuring run (YYYY-MM-DD). */
  date: string;
  /** The adapter it was measured on: a sensor profile belongs to that adapter only. */
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean };
}

// ---------------------------------------------------------------------------------------------
// The document's `measured` block

/** Why a run has no measured figures (the app renders the sentence; never a message in the document). */
export const MEASURED_REASONS = [
  /** The page is not served by `npm start` on this machine (hosted, or the server is elsewhere). */
  'no-local-server',
  /** The local server has no sensor this run can read (none, or permission missing). */
  'no-readable-sensor',
  /** The sensor failed, or gave no first reading, while the run was recorded. */
  'sensor-failed',
  /** The local server was already recording as many runs as it allows (other tabs). */
  'sensor-busy',
  /** The trace does not cover a window (a reading missing at its start or end). */
  'trace-gap',
  /** A window holds too few readings for a mean (shorter than a few sample periods). */
  'window-too-short',
  /** The server lost the recording (restarted, or the run outlasted its 15 minutes). */
  'recording-lost',
  /** No model workload was marked (the run had no model, or failed before one ran). */
  'no-model-window',
  /** A figure out of the schema's bounds (a sensor's glitch): kept out of the document. */
  'implausible-reading',
] as const;
export type MeasuredReason = (typeof MEASURED_REASONS)[number];

/** Readings a window needs for its mean to be a measurement, not an interpolation. */
export const MIN_WINDOW_SAMPLES = 3;

/** The two model roles (result.ts's Role, spelled here so this file stays below it). */
type Role = 'general' | 'specialized';

export interface MeasuredRole {
  /** Mean power over the model's load window, W. */
  meanW: number;
  /** Length of that window, s. */
  windowSeconds: number;
  /** Readings inside it. */
  samples: number;
  /** Wall time per query the joules use, ms (timing.wallMedianMs, else medianMs). */
  queryMs: number;
  /** (meanW − idleW) × queryMs: energy the query adds above the idle device, J (may be ≤ 0 within noise). */
  joules: number;
  /** meanW × queryMs: energy per query with the idle baseline, J. */
  attributionalJoules: number;
  /** The estimate's median marginal joules ÷ `joules`; null without an estimate or a positive measured marginal. */
  estimateOverMeasured: number | null;
}

export type MeasuredSection =
  | {
      available: true;
      sensor: { kind: SensorKind; coverage: Coverage; periodMs: number };
      /** Readings of the whole recording. */
      samples: number;
      /** Mean power over the idle window before the run, W. */
      idleW: number;
      idleSeconds: number;
      perQuery: Partial<Record<Role, MeasuredRole>>;
      /** Measured gap: general ÷ specialized marginal joules; null unless both are positive. */
      ratio: number | null;
    }
  | { available: false; reason: MeasuredReason };

/**
 * Mark names: `idle:start`, `idle:end`, then per model `<role>:start` (workload starts: build,
 * walkthrough), `<role>:load` (its timed queries begin), `<role>:profile` (per-kernel passes),
 * `<role>:end`.
 */
export const markName = {
  idleStart: 'idle:start',
  idleEnd: 'idle:end',
  start: (role: Role) => `${role}:start`,
  load: (role: Role) => `${role}:load`,
  profile: (role: Role) => `${role}:profile`,
  end: (role: Role) => `${role}:end`,
} as const;

