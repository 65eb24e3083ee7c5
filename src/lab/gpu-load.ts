/**
 * The battery calibration's GPU load, seen from the page: it runs in the lab worker (the page
 * never touches WebGPU); this adapts the worker's start/stop pair to an AbortSignal.
 */
import { getLab } from './client.ts';

/** Keeps the GPU busy until `signal` aborts; resolves then. Rejects with GpuLoadUnavailableError without WebGPU. */
export async function runGpuLoad(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const lab = getLab();
  const stop = (): void => void lab.stopGpuLoad();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await lab.startGpuLoad();
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
