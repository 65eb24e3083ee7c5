/**
 * The benchmark's kernel tuning: the same autotune as a run of the app (src/engine/tuning/), on
 * the preset's model shapes, always timed (a memory store: nothing is reused from an earlier
 * bench), and reported with every trial in the JSON and the printed table.
 */
import { PipelineCache } from '../engine/dispatch.ts';
import type { ModelWorkloadSpec } from '../engine/models/config.ts';
import type { GpuTimer } from '../engine/timing.ts';
import { tuneForRun } from '../engine/tuning/autotune.ts';
import { MemoryTuningStore, tuningAdapterOf } from '../engine/tuning/store.ts';
import type { AdapterSummary } from '../shared/result.ts';
import type { TuningRecord } from '../shared/tuning.ts';

export async function benchTuning(device: GPUDevice, info: GPUAdapterInfo, summary: AdapterSummary, timer: GpuTimer, workloads: readonly ModelWorkloadSpec[], budgetMs: number): Promise<TuningRecord> {
  return tuneForRun({
    device, timer, models: workloads, budgetMs,
    cache: new PipelineCache(device),
    adapter: tuningAdapterOf(info, summary),
    store: new MemoryTuningStore(),
  });
}
