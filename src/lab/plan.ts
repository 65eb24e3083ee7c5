/**
 * Run parameters: one frozen, validated object per run (after Speedometer), built from a preset
 * name plus overrides that arrive through the URL. Micro shapes per preset live here; model
 * workloads come from the suite presets in engine/models/presets.ts.
 */
import type { MicroSpec } from '../engine/micro.ts';
import type { MeasurementPlan } from '../engine/run-plan.ts';
import { MIN_BATCH_MS, MIN_WALL_BATCH_MS } from '../shared/batch-targets.ts';
import { resolveSuite, type SuiteNote } from '../engine/models/presets.ts';
import type { PresetName } from '../shared/presets.ts';
import { parseCustomParamsOrThrow } from './custom.ts';

const MiB = 1 << 20;

/** Micro shapes: `ci` stays tiny for the software adapter; the others fill a real GPU for ≥ 2 ms. */
export function microSpecs(preset: PresetName): MicroSpec[] {
  switch (preset) {
    case 'ci':
      return [
        { id: 'fma-peak', invocations: 16384, iterations: 16 },
        { id: 'copy', bytes: 4 * MiB },
        { id: 'gemm', m: 128, n: 128, k: 128 },
      ];
    case 'quick':
    case 'custom':
      return [
        { id: 'fma-peak', invocations: 1 << 19, iterations: 128 },
        { id: 'copy', bytes: 64 * MiB },
        { id: 'gemm', m: 1024, n: 1024, k: 1024 },
      ];
    case 'paper':
      return [
        { id: 'fma-peak', invocations: 1 << 20, iterations: 256 },
        { id: 'copy', bytes: 128 * MiB },
        { id: 'gemm', m: 2048, n: 2048, k: 2048 },
      ];
    default: {
      const never: never = preset;
      throw new Error(`unknown preset ${String(never)}`);
    }
  }
}

export interface PlanOptions {
  preset: PresetName;
  limits?: Record<string, number>;
  custom?: URLSearchParams;
  /** Skip micro workloads (the demo races only the two models). */
  modelsOnly?: boolean;
  /** Whether the adapter has shader-f16 (models then run in f16). */
  preferF16?: boolean;
  /** Kernel autotuning before the run (default true). */
  tune?: boolean;
}

/**
 * Wall-clock budget of the kernel autotune (ms). `ci` runs on the software adapter, where the
 * first candidate alone (its pipeline compiled, two dispatches) took 1.8 s in Node and 5 s in
 * Chromium with a 300 ms budget: its budget is 0, so its candidates are listed untimed and the
 * run pays nothing (tests/gpu/tuning.test.ts times candidates on SwiftShader instead).
 */
const TUNE_BUDGET_MS = { light: 0, full: 1500 } as const;

export function buildPlan(opts: PlanOptions): { plan: MeasurementPlan; notes: SuiteNote[] } {
  let custom;
  if (opts.preset === 'custom') {
    custom = parseCustomParamsOrThrow(opts.custom ?? new URLSearchParams());
  }
  const suite = resolveSuite(opts.preset, {
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(custom ? { custom } : {}),
    f16: opts.preferF16 ?? false,
  });
  const light = opts.preset === 'ci';
  const micro = opts.modelsOnly ? [] : microSpecs(opts.preset);
  // Copy buffers never exceed what the adapter can bind.
  const maxBinding = opts.limits?.['maxStorageBufferBindingSize'];
  const fitted = micro.map((m) => (m.id === 'copy' && maxBinding && m.bytes > maxBinding ? { ...m, bytes: Math.floor(maxBinding / 16) * 16 } : m));
  const plan: MeasurementPlan = Object.freeze({
    preset: suite.preset,
    suiteVersion: suite.version,
    micro: fitted,
    models: suite.workloads,
    warmup: light ? 1 : 2,
    // Six samples at least: the 95 % CI of the median needs n ≥ 6 (order statistics). Models
    // get ten outside `ci`, so the interval behind every energy figure is not the widest pair.
    samples: light ? 6 : 10,
    modelSamples: light ? 6 : 10,
    // 10 ms keeps 100 µs timestamp rounding ≤ 1 %; 50 ms makes what the wall-clock baseline
    // misses small for the encoder and the decoder alike.
    minBatchMs: MIN_BATCH_MS,
    minWallBatchMs: MIN_WALL_BATCH_MS,
    // Each model runs this long before sampling so clocks and temperatures settle; `ci` runs on
    // a software adapter with no clocks to settle and must stay fast.
    modelPreheatMs: light ? 200 : 1000,
    profileRuns: light ? 1 : 2,
    preferF16: opts.preferF16 ?? false,
    ...(opts.tune === false ? {} : { autotune: { budgetMs: light ? TUNE_BUDGET_MS.light : TUNE_BUDGET_MS.full } }),
  });
  return { plan, notes: suite.notes };
}
