/**
 * Result document, schema version 1 (docs/ARCHITECTURE.md). Field names are a contract shared by the
 * app, the `lab` CLI, the results server and the open dataset: add fields, never rename.
 * Numbers that were not measured are `null`, never 0.
 */

import type { PresetName } from './presets.ts';

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
  kind: 'micro' | 'model';
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
}

export interface Range3 { p5: number; p50: number; p95: number }

export interface EnergyProfileRecord {
  id: string;
  source: 'catalog' | 'user' | 'battery';
  idleW: number | null;
  deltaW: { low: number; typ: number; high: number };
  label?: string;
  reason?: string;
}

export interface EnergySection {
  profile: EnergyProfileRecord;
  grid: { country: string; gPerKWh: number; year: number | null; source: string };
  perQuery: {
    general: { joules: Range3; gCO2e: Range3; [k: string]: unknown };
    specialized: { joules: Range3; gCO2e: Range3; [k: string]: unknown };
  };
  ratio: Range3;
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
  /** Run-level flags (e.g. "tab-hidden", "device-lost"). */
  flags?: string[];
}
