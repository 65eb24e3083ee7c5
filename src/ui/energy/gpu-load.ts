/**
 * A self-contained GPU load for the battery-drain calibration: a compute shader that spins on
 * fused multiply-adds, resubmitted until the signal aborts. It runs on the page (not the lab
 * worker) because calibration is a separate, user-started activity and must not disturb a run.
 */

const LOAD_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> sink: array<f32>;
override ITERATIONS: u32 = 4096u;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  var a = f32(id.x) * 1e-6 + 1.0;
  var b = 0.999;
  for (var i = 0u; i < ITERATIONS; i++) {
    a = fma(a, b, 1e-7);
    b = fma(b, a, -1e-7);
  }
  // Written so the compiler cannot drop the loop.
  sink[id.x] = a + b;
}`;

export class GpuLoadUnavailableError extends Error {
  override name = 'GpuLoadUnavailableError';
  constructor(reason: string) {
    super(`No GPU load available: ${reason}`);
  }
}

/** Keeps the GPU busy until `signal` aborts; resolves then. Throws GpuLoadUnavailableError without WebGPU. */
export async function runGpuLoad(signal: AbortSignal): Promise<void> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) throw new GpuLoadUnavailableError('navigator.gpu is missing');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new GpuLoadUnavailableError('no adapter');
  const device = await adapter.requestDevice();
  try {
    const groups = 1024;
    const sink = device.createBuffer({ label: 'EnergyCalibration.sink', size: groups * 64 * 4, usage: GPUBufferUsage.STORAGE });
    const module = device.createShaderModule({ label: 'EnergyCalibration.load', code: LOAD_WGSL });
    const pipeline = device.createComputePipeline({ label: 'EnergyCalibration.load', layout: 'auto', compute: { module, entryPoint: 'main' } });
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: sink } }] });
    while (!signal.aborted) {
      const enc = device.createCommandEncoder({ label: 'EnergyCalibration.load' });
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      // A few dispatches per submit keep the queue fed without hogging the page.
      for (let i = 0; i < 4; i++) pass.dispatchWorkgroups(groups);
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    }
  } finally {
    device.destroy();
  }
}
