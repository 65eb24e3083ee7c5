/**
 * Cross-engine and roofline ratios, all measured in one run on one device:
 * - our GEMM and GEMV vs onnxruntime-web (WebGPU EP) on the same shapes (a one-node MatMul graph);
 * - GEMM vs the measured FMA peak, GEMV and copy vs the measured copy bandwidth.
 * Both engines are timed the same way for the cross-engine ratio: wall clock per call, after
 * warm-up, output read back to the CPU. Our own kernels are also reported with GPU timestamps.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { acquireDevice } from '../engine/device.ts';
import { encodeDispatches, PipelineCache, type Dispatch } from '../engine/dispatch.ts';
import { prepareMicro, type MicroSpec } from '../engine/micro.ts';
import { createGemv } from '../engine/ops/gemv.ts';
import { summarize } from '../engine/stats.ts';
import { GpuTimer, measure } from '../engine/timing.ts';
import { MIN_BATCH_MS } from '../shared/batch-targets.ts';
import { synthValues } from '../engine/synth-cpu.ts';
import { OnnxGraphBuilder, OnnxType } from '../engine/onnx/graph.ts';
import { configureOrt, createSession } from '../engine/onnx/ort.ts';
import { microSpecs } from '../lab/plan.ts';
import { isPresetName, type PresetName } from '../shared/presets.ts';

export interface BenchRow {
  kernel: 'gemm' | 'gemv' | 'copy' | 'fma-peak';
  shape: Record<string, number>;
  flops: number;
  bytes: number;
  oursGpuMs: number;
  oursWallMs: number | null;
  ortWallMs: number | null;
  /** ort time / our time (wall clock both): > 1 means ours is faster. null when ort failed. */
  speedupVsOrt: number | null;
  /** Achieved / measured ceiling (FMA peak for GEMM, copy bandwidth for GEMV and copy). */
  fractionOfCeiling: number | null;
  ortError?: string;
}

export interface BenchReport {
  benchVersion: 1;
  preset: string;
  date: string;
  adapter: { vendor: string; architecture: string };
  timing: string;
  ceilings: { peakGflops: number; bandwidthGbps: number };
  rows: BenchRow[];
  method: string;
}

function shapesFor(preset: PresetName): { gemm: [number, number, number][]; gemv: [number, number][] } {
  switch (preset) {
    case 'ci':
      return { gemm: [[64, 128, 128]], gemv: [[256, 256]] };
    case 'quick':
    case 'custom':
      return { gemm: [[128, 768, 768], [512, 1024, 1024]], gemv: [[896, 896], [4864, 896]] };
    case 'paper':
      return { gemm: [[112, 896, 4864], [64, 768, 3072], [2048, 2048, 2048]], gemv: [[4864, 896], [896, 4864]] };
    default: {
      const never: never = preset;
      throw new Error(String(never));
    }
  }
}

async function timeOrt(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number): Promise<number> {
  for (let i = 0; i < 2; i++) await session.run(feeds);
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = await session.run(feeds);
    t.push(performance.now() - t0);
    for (const v of Object.values(out)) v.dispose();
  }
  return summarize(t).median;
}

/** ort: session.run with the output downloaded to the CPU (so the GPU work is complete). */
async function ortMatMul(m: number, k: number, n: number, a: Float32Array, b: Float32Array, runs: number): Promise<number> {
  const g = new OnnxGraphBuilder('bench_matmul');
  const x = g.input('a', OnnxType.FLOAT, [m, k]);
  const w = g.initializer('b', [k, n], b);
  g.op('MatMul', [x, w], {}, 'c');
  g.output('c', OnnxType.FLOAT, [m, n]);
  const session = await createSession(ort, g.toBytes(), 'webgpu');
  try {
    return await timeOrt(session, { a: new ort.Tensor('float32', a, [m, k]) }, runs);
  } finally {
    await session.release();
  }
}

/** Ours, timed like ort: submit the dispatch, then read the output back to the CPU. */
async function wallPerCall(device: GPUDevice, list: readonly Dispatch[], output: GPUBuffer, bytes: number, runs: number): Promise<number> {
  const staging = device.createBuffer({ label: 'Bench.readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const enc = device.createCommandEncoder({ label: 'Bench.roundTrip' });
    const pass = enc.beginComputePass();
    encodeDispatches(pass, list);
    pass.end();
    enc.copyBufferToBuffer(output, 0, staging, 0, bytes);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    new Float32Array(staging.getMappedRange()).slice(0, 1);
    staging.unmap();
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < 2; i++) await once();
    const t: number[] = [];
    for (let i = 0; i < runs; i++) t.push(await once());
    return summarize(t).median;
  } finally {
    staging.destroy();
  }
}

export async function runBench(presetArg: string, log: (s: string) => void): Promise<BenchReport> {
  const preset: PresetName = isPresetName(presetArg) ? presetArg : 'ci';
  configureOrt(ort);
  const runs = preset === 'ci' ? 5 : 20;
  const acquired = await acquireDevice({ features: ['timestamp-query'] });
  const { device } = acquired;
  const timer = new GpuTimer(device, acquired.lost);
  const cache = new PipelineCache(device);
  const rows: BenchRow[] = [];
  const opts = { warmup: 1, samples: preset === 'ci' ? 3 : 10, minBatchMs: MIN_BATCH_MS };

  const micro = microSpecs(preset);
  const ceilingOf = async (spec: MicroSpec) => {
    const w = await prepareMicro(device, cache, spec);
    try {
      const r = await measure(timer, w.dispatches, opts);
      return { w, ms: r.medianMs };
    } finally {
      w.destroy();
    }
  };
  const fma = await ceilingOf(micro.find((m) => m.id === 'fma-peak')!);
  const copy = await ceilingOf(micro.find((m) => m.id === 'copy')!);
  const peakGflops = fma.w.flops / (fma.ms * 1e6);
  const bandwidthGbps = copy.w.bytes / (copy.ms * 1e6);
  log(`ceilings: ${peakGflops.toFixed(2)} GFLOP/s, ${bandwidthGbps.toFixed(2)} GB/s`);
  rows.push({ kernel: 'fma-peak', shape: { ...(fma.w.config as Record<string, number>) }, flops: fma.w.flops, bytes: fma.w.bytes, oursGpuMs: fma.ms, oursWallMs: null, ortWallMs: null, speedupVsOrt: null, fractionOfCeiling: 1 });
  rows.push({ kernel: 'copy', shape: { bytes: copy.w.bytes / 2 }, flops: 0, bytes: copy.w.bytes, oursGpuMs: copy.ms, oursWallMs: null, ortWallMs: null, speedupVsOrt: null, fractionOfCeiling: 1 });

  const shapes = shapesFor(preset);
  for (const [m, k, n] of shapes.gemm) {
    const w = await prepareMicro(device, cache, { id: 'gemm', m, n, k });
    try {
      const r = await measure(timer, w.dispatches, opts);
      const oursWall = await wallPerCall(device, w.dispatches, w.output, 4 * m * n, runs);
      let ortMs: number | null = null;
      let ortError: string | undefined;
      try {
        ortMs = await ortMatMul(m, k, n, synthValues(1, m * k, 1), synthValues(2, k * n, 1 / Math.sqrt(k)), runs);
      } catch (e) {
        ortError = (e as Error).message;
      }
      const gflops = w.flops / (r.medianMs * 1e6);
      rows.push({
        kernel: 'gemm', shape: { m, k, n }, flops: w.flops, bytes: w.bytes, oursGpuMs: r.medianMs, oursWallMs: oursWall, ortWallMs: ortMs,
        speedupVsOrt: ortMs ? ortMs / oursWall : null, fractionOfCeiling: gflops / peakGflops, ...(ortError ? { ortError } : {}),
      });
      log(`gemm ${m}x${k}x${n}: ${gflops.toFixed(2)} GFLOP/s (${((gflops / peakGflops) * 100).toFixed(1)} % of peak), ours ${oursWall.toFixed(3)} ms vs ort ${ortMs?.toFixed(3) ?? ortError}`);
    } finally {
      w.destroy();
    }
  }
  for (const [n, k] of shapes.gemv) {
    const x = synthValues(3, k, 1);
    const wData = synthValues(4, k * n, 1 / Math.sqrt(k));
    const mk = (label: string, data: Float32Array<ArrayBuffer>) => {
      const b = device.createBuffer({ label, size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(b, 0, data);
      return b;
    };
    const xb = mk('Bench.gemv.x', x);
    const wb = mk('Bench.gemv.w', wData);
    const yb = device.createBuffer({ label: 'Bench.gemv.y', size: 4 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const uniforms: GPUBuffer[] = [];
    try {
      const d = createGemv(device, cache, { x: xb, w: wb, y: yb, n, k, resources: uniforms });
      const r = await measure(timer, [d], opts);
      const oursWall = await wallPerCall(device, [d], yb, 4 * n, runs);
      let ortMs: number | null = null;
      let ortError: string | undefined;
      try {
        ortMs = await ortMatMul(1, k, n, x, wData, runs);
      } catch (e) {
        ortError = (e as Error).message;
      }
      const gbps = d.bytes / (r.medianMs * 1e6);
      rows.push({
        kernel: 'gemv', shape: { n, k }, flops: d.flops, bytes: d.bytes, oursGpuMs: r.medianMs, oursWallMs: oursWall, ortWallMs: ortMs,
        speedupVsOrt: ortMs ? ortMs / oursWall : null, fractionOfCeiling: gbps / bandwidthGbps, ...(ortError ? { ortError } : {}),
      });
      log(`gemv ${n}x${k}: ${gbps.toFixed(2)} GB/s (${((gbps / bandwidthGbps) * 100).toFixed(1)} % of copy), ours ${oursWall.toFixed(3)} ms vs ort ${ortMs?.toFixed(3) ?? ortError}`);
    } finally {
      xb.destroy();
      wb.destroy();
      yb.destroy();
      for (const u of uniforms) u.destroy();
    }
  }
  timer.destroy();
  const report: BenchReport = {
    benchVersion: 1,
    preset,
    date: new Date().toISOString().slice(0, 10),
    adapter: { vendor: acquired.summary.vendor, architecture: acquired.summary.architecture },
    timing: timer.source,
    ceilings: { peakGflops, bandwidthGbps },
    rows,
    method:
      'Ceilings and fractionOfCeiling from GPU timestamps (batches of ≥ 10 ms, median). speedupVsOrt = ort wall / ours wall, ' +
      'both median wall-clock per call from submission to the output read back on the CPU, after 2 warm-up calls; ' +
      'onnxruntime-web WebGPU EP on a one-node MatMul graph with the same shapes and values (ort also uploads its input tensor each call; ours keeps it on the GPU).',
  };
  acquired.release();
  return report;
}
