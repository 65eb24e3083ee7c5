import { encodeDispatches, type Dispatch } from '../dispatch.ts';

/** Encode `list` in one compute pass and submit it (tests, weight synthesis, one-off runs). */
export function submitDispatches(device: GPUDevice, list: readonly Dispatch[], label = 'Ops.submit'): void {
  const enc = device.createCommandEncoder({ label: `${label}.encoder` });
  const pass = enc.beginComputePass({ label: `${label}.pass` });
  encodeDispatches(pass, list);
  pass.end();
  device.queue.submit([enc.finish()]);
}
