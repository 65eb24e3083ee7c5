/**
 * How both engines are fed and timed in the cross-engine rows, so that the comparison is fair:
 * - inputs resident on the GPU for both: ours in its own buffers, onnxruntime-web through
 *   `Tensor.fromGpuBuffer` on its own device (same adapter), weights as initializers;
 * - outputs on the GPU for both (`preferredOutputLocation: 'gpu-buffer'`), then read back to the
 *   CPU once per call, so each call ends when its result can be used;
 * - the median wall clock per call after warm-up, same number of calls.
 */
import type * as Ort from 'onnxruntime-web/webgpu';
import { encodeDispatches, type Dispatch } from '../engine/dispatch.ts';
import { summarize } from '../engine/stats.ts';

type OrtModule = typeof Ort;

export const WARMUP_CALLS = 2;

async function medianWall(once: () => Promise<void>, runs: number): Promise<number> {
  for (let i = 0; i < WARMUP_CALLS; i++) await once();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await once();
    t.push(performance.now() - t0);
  }
  return summarize(t).median;
}

/** Ours: one submission of the dispatches plus a copy of the output, mapped on the CPU. */
export async function oursWallPerCall(device: GPUDevice, list: readonly Dispatch[], output: GPUBuffer, bytes: number, runs: number): Promise<number> {
  const staging = device.createBuffer({ label: 'Bench.readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    return await medianWall(async () => {
      const enc = device.createCommandEncoder({ label: 'Bench.call' });
      const pass = enc.beginComputePass();
      encodeDispatches(pass, list);
      pass.end();
      enc.copyBufferToBuffer(output, 0, staging, 0, bytes);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      staging.unmap();
    }, runs);
  } finally {
    staging.destroy();
  }
}

/** A GPU buffer holding `data` on `device`. */
export function residentInput(device: GPUDevice, label: string, data: Float32Array | BigInt64Array): GPUBuffer {
  const size = Math.ceil(data.byteLength / 16) * 16;
  const b = device.createBuffer({ label, size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
  return b;
}

export type OrtTimedInput =
  | { name: string; dataType: 'float32'; data: Float32Array; dims: number[] }
  | { name: string; dataType: 'int64'; data: BigInt64Array; dims: number[] };

/**
 * onnxruntime-web: inputs uploaded ONCE into GPU buffers on its own device (its WebGPU EP creates
 * its device and does not take ours), run with those resident inputs, output kept on the GPU then
 * downloaded.
 */
export async function ortWallPerCall(ort: OrtModule, model: Uint8Array, inputs: readonly OrtTimedInput[], runs: number): Promise<number> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['webgpu'],
    graphOptimizationLevel: 'all',
    preferredOutputLocation: 'gpu-buffer',
  });
  const buffers: GPUBuffer[] = [];
  try {
    const device = await ort.env.webgpu.device;
    const feeds: Record<string, Ort.Tensor> = {};
    for (const i of inputs) {
      const buffer = residentInput(device, `Bench.ort.${i.name}`, i.data);
      buffers.push(buffer);
      feeds[i.name] = ort.Tensor.fromGpuBuffer(buffer, { dataType: i.dataType, dims: i.dims });
    }
    return await medianWall(async () => {
      const out = await session.run(feeds);
      for (const v of Object.values(out)) {
        await v.getData(true);
        v.dispose();
      }
    }, runs);
  } finally {
    await session.release();
    for (const b of buffers) b.destroy();
  }
}

export const FEEDING_METHOD =
  'Cross-engine rows: inputs resident on the GPU for both engines (onnxruntime-web through Tensor.fromGpuBuffer on the device its WebGPU EP ' +
  'created on the same adapter; weights as initializers), outputs kept on the GPU then read back to the CPU once per call ' +
  `for both; median wall clock per call after ${WARMUP_CALLS} warm-up calls, the same number of calls for both.`;
