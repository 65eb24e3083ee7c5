/**
 * GEMM and GEMV, ours vs onnxruntime-web on identical shapes and f32 data (a one-node MatMul
 * graph), fed and timed the same way (feeding.ts). Our kernel time for the roofline fraction
 * comes from GPU timestamps in long batches (the same `measure` as the app's runs).
 */
import type * as Ort from 'onnxruntime-web/webgpu';
import type { PipelineCache } from '../engine/dispatch.ts';
import { prepareMicro } from '../engine/micro.ts';
import { OnnxGraphBuilder, OnnxType } from '../engine/onnx/graph.ts';
import { createGemv } from '../engine/ops/gemv.ts';
import { createGemvSubgroup, useSubgroupReduction } from '../engine/ops/gemv-subgroup.ts';
import { synthValues } from '../engine/synth-cpu.ts';
import { measure, type GpuTimer, type MeasureOptions } from '../engine/timing.ts';
import { oursWallPerCall, ortWallPerCall, residentInput } from './feeding.ts';
import type { Ceilings, KernelRow } from './report.ts';

type OrtModule = typeof Ort;

export interface KernelBenchContext {
  device: GPUDevice;
  cache: PipelineCache;
  timer: GpuTimer;
  ort: OrtModule;
  opts: MeasureOptions;
  runs: number;
  ceilings: Ceilings;
}

function matMulGraph(m: number, k: number, n: number, b: Float32Array): Uint8Array {
  const g = new OnnxGraphBuilder('bench_matmul');
  const a = g.input('a', OnnxType.FLOAT, [m, k]);
  const w = g.initializer('b', [k, n], b);
  g.op('MatMul', [a, w], {}, 'c');
  g.output('c', OnnxType.FLOAT, [m, n]);
  return g.toBytes();
}

async function ortMatMul(ctx: KernelBenchContext, m: number, k: number, n: number, a: Float32Array, b: Float32Array) {
  try {
    return { ms: await ortWallPerCall(ctx.ort, matMulGraph(m, k, n, b), [{ name: 'a', dataType: 'float32', data: a, dims: [m, k] }], ctx.runs), error: null };
  } catch (e) {
    return { ms: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export async function gemmRow(ctx: KernelBenchContext, m: number, k: number, n: number): Promise<KernelRow> {
  const w = await prepareMicro(ctx.device, ctx.cache, { id: 'gemm', m, n, k });
  try {
    const r = await measure(ctx.timer, w.dispatches, ctx.opts);
    const oursWallMs = await oursWallPerCall(ctx.device, w.dispatches, w.output, 4 * m * n, ctx.runs);
    // The same values prepareMicro synthesizes (seeds 1 and 2), so both engines multiply the same matrices.
    const ort = await ortMatMul(ctx, m, k, n, synthValues(1, m * k, 1), synthValues(2, k * n, 1 / Math.sqrt(k)));
    const achieved = w.flops / (r.medianMs * 1e6);
    return {
      kind: 'gemm', shape: { m, k, n }, flops: w.flops, bytes: w.bytes, oursKernelMs: r.medianMs, oursTiming: r.source, oursWallMs,
      ortWallMs: ort.ms, ortError: ort.error, achieved, fractionOfCeiling: achieved / ctx.ceilings.peakGflops,
    };
  } finally {
    w.destroy();
  }
}

/** M = 1: y[n] = x[k]·W[k, n], the decode step's shape. */
export async function gemvRow(ctx: KernelBenchContext, k: number, n: number): Promise<KernelRow> {
  const { device } = ctx;
  const x = synthValues(3, k, 1);
  const wData = synthValues(4, k * n, 1 / Math.sqrt(k));
  const xb = residentInput(device, 'Bench.gemv.x', x);
  const wb = residentInput(device, 'Bench.gemv.w', wData);
  const yb = device.createBuffer({ label: 'Bench.gemv.y', size: 4 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const uniforms: GPUBuffer[] = [];
  try {
    // The GEMV the app's decode runs under this cache's tuning (gemv-reduction.ts times both).
    const gemv = useSubgroupReduction(device, ctx.cache) ? createGemvSubgroup : createGemv;
    const d = gemv(device, ctx.cache, { x: xb, w: wb, y: yb, n, k, resources: uniforms });
    const r = await measure(ctx.timer, [d], ctx.opts);
    const oursWallMs = await oursWallPerCall(device, [d], yb, 4 * n, ctx.runs);
    const ort = await ortMatMul(ctx, 1, k, n, x, wData);
    const achieved = d.bytes / (r.medianMs * 1e6);
    return {
      kind: 'gemv', shape: { m: 1, k, n }, flops: d.flops, bytes: d.bytes, oursKernelMs: r.medianMs, oursTiming: r.source, oursWallMs,
      ortWallMs: ort.ms, ortError: ort.error, achieved, fractionOfCeiling: achieved / ctx.ceilings.bandwidthGbps,
    };
  } finally {
    xb.destroy();
    wb.destroy();
    yb.destroy();
    for (const u of uniforms) u.destroy();
  }
}
