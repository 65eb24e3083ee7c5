/**
 * Named errors: they cross the worker boundary (comlink keeps name and message), and the UI
 * switches on `name` (listed in src/shared/errors.ts) to say what happened and what to do.
 */
import { bytesText } from '../shared/bytes.ts';
export { ERROR_NAMES } from '../shared/errors.ts';

export type UnavailableReason = 'no-navigator-gpu' | 'insecure-context' | 'no-adapter' | 'device-request-failed';

export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
  constructor(readonly reason: UnavailableReason, message: string) {
    super(message);
  }
}

export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

export class RunCancelledError extends Error {
  override name = 'RunCancelledError';
  constructor() {
    super('The run was cancelled.');
  }
}

export class TabHiddenError extends Error {
  override name = 'TabHiddenError';
}

export class VerificationError extends Error {
  override name = 'VerificationError';
}

export class GpuValidationError extends Error {
  override name = 'GpuValidationError';
}

export class OutOfMemoryError extends Error {
  override name = 'OutOfMemoryError';
}

/** A second run (or GPU load) was started while the worker is busy with one. */
export class RunInProgressError extends Error {
  override name = 'RunInProgressError';
  constructor() {
    super('A run is already in progress.');
  }
}

/**
 * A shape or layout one of our kernels does not implement (e.g. a head size over the attention
 * kernel's limit): not a memory limit of the device, so a smaller preset is not the only fix.
 */
export class KernelLimitError extends Error {
  override name = 'KernelLimitError';
}

/** The battery calibration's GPU load could not start (no WebGPU, no adapter). */
export class GpuLoadUnavailableError extends Error {
  override name = 'GpuLoadUnavailableError';
  constructor(reason: string) {
    super(`No GPU load available: ${reason}`);
  }
}

/**
 * A model does not fit the device's memory: one buffer over a binding limit (checked before
 * anything is allocated), or an out-of-memory error while allocating. `neededBytes` is always a
 * real byte count.
 */
export class ModelTooLargeError extends Error {
  override name = 'ModelTooLargeError';
  constructor(
    readonly model: string,
    /** Tensor or buffer that does not fit, e.g. "layers.0.ffn.up.weight" or "kv cache". */
    readonly tensor: string,
    /** Which limit: a WebGPU limit name, or "out-of-memory". */
    readonly limit: string,
    /** The limit in bytes; null for out-of-memory (the device does not say how much it had). */
    readonly limitBytes: number | null,
    readonly neededBytes: number,
  ) {
    super(
      limit === 'out-of-memory'
        ? `${model}: the GPU ran out of memory while allocating ${tensor} (${bytesText(neededBytes)}, model total so far). ` +
            'Choose a smaller preset (quick or ci) or a smaller custom model.'
        : `${model}: ${tensor} needs ${bytesText(neededBytes)} in one buffer, more than this adapter's ${limit} ` +
            `(${limitBytes === null ? 'unknown' : bytesText(limitBytes)}). Choose a smaller preset (quick or ci) or a smaller custom model.`,
    );
  }
}
