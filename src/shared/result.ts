/**
 * Result document, schema version 1 (docs/ARCHITECTURE.md). Field names are a contract shared by the
 * app, the `lab` CLI, the results server and the open dataset: add fields, never rename.
 * Numbers that were not measured are `null`, never 0.
 */

import type { PresetName } from './presets.ts';
import type { EnergyLabel } from './energy-label.ts';
import type { EnergyProvenance } from './provenance-types.ts';
import type { MeasuredSection, SensorProfileRecord } from './power.ts';
import type { RUNTIME_KINDS, WEBGPU_BACKENDS } from './vocabulary.ts';
import type { TuningRecord } from './tuning.ts';
import type { PerCorrectEnergyRecord, PerCorrectRatioRecord, RealModelRecord } from './realmodels/record.ts';

export const SCHEMA_VERSION = 1 as const;

export type TimingSource = 'gpu-timestamp' | 'wall-clock';
export type { PresetName };
export type Role = 'general' | 'specialized';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  isFallbackAdapter: boolean;
  features: string[];
  limits: Record<string, number>;
  /** Subgroup sizes when the adapter exposes them (Chrome 134+). */
  subgroupMinSize?: number | null;
  subgroupMaxSize?: number | null;
}

export interface Environment {
  browser: { name: string; major: number | null };
  os: { family: string };
  adapter: AdapterSummary;
  timing: TimingSource;
  /** Whether the page was cross-origin isolated (needed for multithreaded WASM). */
  crossOriginIsolated?: boolean;
  /** What ran the engine, and the native API under WebGPU when known (null: a browser does not say). */
  runtime?: { kind: (typeof RUNTIME_KINDS)[number]; backend: (typeof WEBGPU_BACKENDS)[number] | null };
  /** The kernel choices the run used and where they came from (src/shared/tuning.ts); absent before tuning existed. */
  tuning?: TuningRecord;
}

export interface TimingRecord {
  source: TimingSource;
  /** Warm-up runs executed and excluded from the samples. */
  warmup: number;
  /** Per-unit milliseconds: per dispatch for micro workloads, per query for model workloads. */
  samplesMs: number[];
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  minMs?: number;
  meanMs?: number;
  cv: number;
  /** 95 % confidence interval of the median (order statistics). */
  ciMedianMs?: { low: number; high: number };
  /** Repetitions timed together per sample (to keep timestamp quantization under 5 %). */
  batch?: number;
  /** Samples dropped because the delta was negative, zero or non-finite. */
  dropped?: number;
  /** Wall-clock per unit, measured beside GPU time (submit → onSubmittedWorkDone). */
  wallMedianMs?: number | null;
  /** Flags: high variability, tab hidden during the run, busy time above wall time, … */
  flags?: string[];
  /** Time the workload ran before its first sample (ms), so clocks and temperatures settled. */
  preheatMs?: number;
  /** Shortest batch aimed at (ms): 10 with GPU timestamps (rounding ≤ 1 %), 50 on the wall clock. */
  targetBatchMs?: number;
  /** Median submit → onSubmittedWorkDone of an empty submission (ms), subtracted from every wall sample. */
  wallBaselineMs?: number;
}

export interface KernelBreakdown {
  name: string;
  medianMs: number;
  flops: number;
  bytes: number;
  /** Dispatches of this kernel in one query. */
  count?: number;
}

export interface Workload {
  id: string;
  /**
   * `micro` kernels, `model` synthetic-weight models run by our engine, `real-model` downloaded
   * ONNX exports run through onnxruntime-web (then `real` says which, and how well they answered).
   */
  kind: 'micro' | 'model' | 'real-model';
  role?: Role;
  config: Record<string, unknown>;
  /**
   * FLOPs of one query. Always a number for the lab's own workloads; null only for an imported
   * (ONNX) model whose graph holds products that could not be counted, and then `flopsUnknown`
   * says which.
   */
  flops: number | null;
  /** Why `flops` is null (the operators not counted). */
  flopsUnknown?: string;
  bytes: number;
  timing: TimingRecord;
  kernels?: KernelBreakdown[];
  /** Achieved rates derived from the median (null when not meaningful). */
  gflops?: number | null;
  gbps?: number | null;
  /** Model workloads: tokens per second of prefill and decode (general model). */
  tokensPerSecond?: { prefill: number | null; decode: number | null };
  /**
   * How the per-kernel breakdown was obtained: one pass per dispatch adds overhead to every
   * kernel, so the profiled times are scaled (by `scale`) to sum to the batched query median.
   */
  profile?: { runs: number; rawTotalMs: number; scale: number };
  /** Whether the output matched the CPU reference before timing (micro kernels). */
  verified?: boolean;
  dtype?: 'f32' | 'f16';
  /** Present exactly when kind is `real-model`: src/shared/realmodels-result.ts. */
  real?: RealModelRecord;
}

export interface Range3 { p5: number; p50: number; p95: number }

/**
 * Why a profile was chosen, as ids only (the app renders the sentence in the reader's language;
 * the adapter's vendor and architecture name the device).
 */
export interface StoredProfileBasis {
  kind: 'adapter' | 'fallback' | 'unidentified' | 'uncatalogued' | 'chosen' | 'measured' | 'battery';
  form: 'battery' | 'mains' | 'unknown' | null;
  integratedOrDiscrete?: boolean;
  appleTier?: { chosen: string | null; candidates: string[]; threadsUsed: boolean; peakUsed: boolean; batteryUsed: boolean };
}

/**
 * The power profile an energy figure was computed with: ids and watts. `label` and `reason` are
 * the app's rendering of it (never stored by the results server: the exports render them from the
 * catalog of the version that produced the row).
 */
export interface EnergyProfileRecord {
  id: string;
  source: 'catalog' | 'user' | 'battery' | 'sensor';
  idleW: number | null;
  deltaW: { low: number; typ: number; high: number };
  /** Ends of the idle triangle whose mode is idleW; null when idle power is unknown. */
  idleRangeW?: { low: number; high: number } | null;
  /** True when the watts already include the host (wall meter, battery drain). */
  hostIncluded?: boolean;
  confidence?: 'low' | 'medium' | 'high' | 'calibrated';
  basis?: StoredProfileBasis;
  /** Closed set: form-factor-unknown, integrated-or-discrete, apple-tier-detected, … */
  flags?: string[];
  /** Embodied-carbon classes of data/embodied.json. */
  embodiedClasses?: string[];
  label?: string;
  reason?: string;
  /** Source `sensor` only: the sensor, readings, day and adapter of the run that measured the watts. */
  sensor?: SensorProfileRecord;
}

/** Grid intensity an energy figure was computed with. `source` is the app's rendering (not stored). */
export interface GridRecord {
  /** ISO 3166-1 alpha-3 of the Ember table, "WORLD" for the default, "CUSTOM" for a value typed in. */
  country: string;
  gPerKWh: number;
  year: number | null;
  /** Ends of the triangle drawn by the Monte Carlo (mode gPerKWh). */
  range?: { low: number; high: number };
  origin?: 'dataset' | 'default' | 'user';
  source?: string;
}

/** What the draws used for one model: its workload and the medians the figures are centred on. */
export interface EnergyTimingInputs {
  role: Role;
  workloadId: string;
  tBusyMs: number;
  tWallMs: number;
  timingSource: TimingSource;
}

export interface RoleEnergyRecord {
  /** Marginal energy per query, J. */
  joules: Range3;
  /** Operational gCO2e per query. */
  gCO2e: Range3;
  /** Marginal + the device's idle share (device baseline included). */
  attributionalJoules?: Range3;
  attributionalGCO2e?: Range3;
  /** Embodied gCO2e per query, calendar (low) to active-hours (high) allocation. */
  embodiedGCO2e?: { low: number; high: number } | null;
  inputs?: EnergyTimingInputs;
  /** A–E class of `joules` (src/shared/energy-label.ts). */
  label?: EnergyLabel;
  /** Real models only: `joules` ÷ the role's accuracy (realmodels-result.ts `perCorrectEnergyRecord`). */
  perCorrect?: PerCorrectEnergyRecord;
  [k: string]: unknown;
}

/** Everything needed to redo the draws: src/shared/recompute.ts reads it back. */
export interface EnergyMethod {
  formulasVersion: string;
  draws: number;
  seed: number;
  prng: 'mulberry32';
  /** How t_busy and t_wall enter the draws: resampled medians of timing.samplesMs. */
  timing: 'bootstrap-median';
  percentiles: 'linear interpolation of order statistics (p5, p50, p95)';
  /** Host power (all zeros when the profile includes the host), η range, per-model spread. */
  assumptions: { hostW: { low: number; typ: number; high: number }; eta: { low: number; high: number }; boundSpread: number };
  /** Medians of the input distributions: what a reader plugs into the formulas. */
  medianInputs: { deltaW: number; hostW: number; eta: number; gPerKWh: number; idleW: number | null };
  /** The idle-power distribution drawn (triangular, mode = profile.idleW); null when idle power is unknown. */
  idleDistributionW: { low: number; typ: number; high: number } | null;
  dataYears: { grid: number | null; gridSpan: { from: number; to: number }; profiles: string; embodied: string };
}

export interface EmbodiedRecord {
  classes: string[];
  kgCO2e: number;
  lifetimeYears: number;
  useRatio: number;
  /** The app's rendering of the classes' sources (not stored). */
  source?: string;
}

export interface EnergySection {
  profile: EnergyProfileRecord;
  grid: GridRecord;
  perQuery: { general: RoleEnergyRecord; specialized: RoleEnergyRecord };
  ratio: Range3;
  /** Real models only: general ÷ specialized energy per correct answer (scoring.ts `gapRatios`). */
  ratioPerCorrect?: PerCorrectRatioRecord;
  embodied?: EmbodiedRecord | null;
  method?: EnergyMethod;
  provenance?: EnergyProvenance;
  [k: string]: unknown;
}

export interface ResultDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  suite: { preset: PresetName; version: string };
  app: { version: string };
  /** Day only (YYYY-MM-DD): finer timestamps are never recorded. */
  date?: string;
  environment: Environment;
  workloads: Workload[];
  energy?: EnergySection;
  /**
   * Watts read by a sensor of the machine during the run (`npm start` on it), beside the
   * estimate: src/shared/measured.ts. Absent when the page was not served by a local server.
   */
  measured?: MeasuredSection;
  /** Run-level flags (e.g. "tab-hidden", "device-lost"). */
  flags?: string[];
}
