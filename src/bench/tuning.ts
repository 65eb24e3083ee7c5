/**
 * The benchmark's kernel tuning: the same autotune as a run of the app (src/engine/tuning/), on
 * the preset's model shapes, always timed (a memory store: nothing is reused from an earlier
 * bench), and reported with every trial in the JSON and the printed table.
 */
import { PipelineCache } from '../engine/dispatch.ts';
import type { ModelWorkloadSpec } from '../engine/models/config.ts';
import type { GpuTimer } from '../engine/timing.ts';
import { tuneForRun } from '../engine/tuning/autotune.ts';
import { MemoryTuningStore } from '../engine/tuning/store.ts';
import type { TuningRecord } from '../shared/tuning.ts';

/** GPUAdapterInfo's subgroup sizes where the adapter has them (Chrome 134+, Dawn): part of the tuning key. */
function subgroupSizes(info: GPUAdapterInfo): { subgroupMinSize: number | null; subgroupMaxSize: number | null } {
  const i = info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number };
  return { subgroupMinSize: typeof i.subgroupMinSize === 'number' ? i.subgroupMinSize : null, subgroupMaxSize: typeof i.subgroupMaxSize === 'number' ? i.subgroupMaxSize : null };
}

export async function benchTuning(device: GPUDevice, info: GPUAdapterInfo, timer: GpuTimer, workloads: readonly ModelWorkloadSpec[], budgetMs: number): Promise<TuningRecord> {
  return tuneForRun({
    device, timer, models: workloads, budgetMs,
    cache: new PipelineCache(device),
    adapter: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, ...subgroupSizes(info) },
    store: new MemoryTuningStore(),
  });
}
