/**
 * The device's own limits, measured in the same run as everything they are compared with:
 * FMA throughput, copy bandwidth, and the fixed cost of one dispatch and of one empty submit
 * (the floor under any small model: a query of D dispatches pays at least D × that).
 */
import type { PipelineCache } from '../engine/dispatch.ts';
import { prepareMicro, type MicroSpec } from '../engine/micro.ts';
import { summarize } from '../engine/stats.ts';
import { measure, type GpuTimer, type MeasureOptions } from '../engine/timing.ts';
import type { Ceilings, DispatchOverhead } from './report.ts';

/** Dispatches per timed batch for the overhead figure: long enough that submit latency is a small share. */
const OVERHEAD_BATCH = 2000;
const OVERHEAD_SAMPLES = 7;

async function ceilingMs(device: GPUDevice, cache: PipelineCache, timer: GpuTimer, spec: MicroSpec, opts: MeasureOptions) {
  const w = await prepareMicro(device, cache, spec);
  try {
    const r = await measure(timer, w.dispatches, opts);
    return { flops: w.flops, bytes: w.bytes, ms: r.medianMs };
  } finally {
    w.destroy();
  }
}

/** A 16-byte copy is one workgroup doing next to nothing: what remains is the dispatch itself. */
async function dispatchOverhead(device: GPUDevice, cache: PipelineCache, timer: GpuTimer): Promise<DispatchOverhead> {
  const w = await prepareMicro(device, cache, { id: 'copy', bytes: 16 });
  try {
    await timer.run(w.dispatches, OVERHEAD_BATCH); // first use compiles the pipeline
    const empty: number[] = [];
    const wall: number[] = [];
    const gpu: number[] = [];
    for (let i = 0; i < OVERHEAD_SAMPLES; i++) {
      empty.push(await timer.emptySubmit());
      const t = await timer.run(w.dispatches, OVERHEAD_BATCH);
      wall.push(t.wallMs);
      if (t.gpuMs !== null) gpu.push(t.gpuMs);
    }
    const emptySubmitMs = summarize(empty).median;
    return {
      emptySubmitMs,
      wallMsPerDispatch: Math.max(0, summarize(wall).median - emptySubmitMs) / OVERHEAD_BATCH,
      gpuMsPerDispatch: gpu.length > 0 ? summarize(gpu).median / OVERHEAD_BATCH : null,
    };
  } finally {
    w.destroy();
  }
}

export async function measureCeilings(
  device: GPUDevice,
  cache: PipelineCache,
  timer: GpuTimer,
  micro: readonly MicroSpec[],
  opts: MeasureOptions,
): Promise<Ceilings> {
  const fmaSpec = micro.find((m) => m.id === 'fma-peak');
  const copySpec = micro.find((m) => m.id === 'copy');
  if (!fmaSpec || !copySpec) throw new Error('the preset has no fma-peak or copy micro workload');
  const fma = await ceilingMs(device, cache, timer, fmaSpec, opts);
  const copy = await ceilingMs(device, cache, timer, copySpec, opts);
  return {
    peakGflops: fma.flops / (fma.ms * 1e6),
    bandwidthGbps: copy.bytes / (copy.ms * 1e6),
    dispatch: await dispatchOverhead(device, cache, timer),
  };
}
