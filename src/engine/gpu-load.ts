/**
 * A sustained GPU load for the battery-drain calibration: the fma-peak kernel (verified once,
 * like the micro benchmark), resubmitted until the signal aborts. It runs in the lab worker like
 * every other use of WebGPU; the worker refuses it while a measurement runs, so the two never
 * disturb each other.
 */
import { acquireDevice } from './device.ts';
import { PipelineCache } from './dispatch.ts';
import { GpuLoadUnavailableError, GpuValidationError, WebGpuUnavailableError } from './errors.ts';
import { microBindingBytes, prepareMicro, type MicroSpec } from './micro.ts';
import type { FmaPeakShape } from '../../kernels/fma-peak/fma-peak.meta.ts';
import { submitDispatches } from './ops/submit.ts';

/** 64 Ki invocations × 256 iterations × 16 vec4 FMAs: a few ms per dispatch on a laptop GPU. */
const LOAD: FmaPeakShape = { invocations: 1 << 16, iterations: 256 };
/** Dispatches per submission: enough to keep the queue fed, few enough to stop promptly. */
const DISPATCHES_PER_SUBMIT = 4;

/**
 * Keeps the GPU busy until `signal` aborts; resolves then. Throws GpuLoadUnavailableError without
 * WebGPU. `shape` is for tests on software adapters, where the default load is slow.
 */
export async function runGpuLoad(signal: AbortSignal, shape: FmaPeakShape = LOAD): Promise<void> {
  const spec: MicroSpec = { id: 'fma-peak', ...shape };
  let acquired;
  try {
    const need = microBindingBytes(spec);
    acquired = await acquireDevice({ limits: { maxStorageBufferBindingSize: need, maxBufferSize: need } });
  } catch (e) {
    if (e instanceof WebGpuUnavailableError) throw new GpuLoadUnavailableError(e.message);
    throw e;
  }
  const { device } = acquired;
  try {
    const prepared = await Promise.race([prepareMicro(device, new PipelineCache(device), spec), acquired.lost]);
    try {
      const batch = Array.from({ length: DISPATCHES_PER_SUBMIT }, () => prepared.dispatches).flat();
      while (!signal.aborted) {
        // Scoped per submission, so a rejected command ends the load at once with its reason
        // instead of spinning on work the GPU refuses.
        device.pushErrorScope('validation');
        submitDispatches(device, batch, 'GpuLoad');
        await Promise.race([device.queue.onSubmittedWorkDone(), acquired.lost]);
        const invalid = await device.popErrorScope();
        if (invalid) throw new GpuValidationError(`GPU load: WebGPU validation error: ${invalid.message}`);
      }
    } finally {
      prepared.destroy();
    }
  } finally {
    if (!acquired.isLost()) acquired.release();
  }
}
