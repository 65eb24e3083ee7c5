/**
 * Named errors: they cross the worker boundary (comlink keeps name and message), and the UI
 * switches on `name` to say what happened and what to do.
 */
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

export const KNOWN_ERROR_NAMES = [
  'WebGpuUnavailableError',
  'DeviceLostError',
  'RunCancelledError',
  'TabHiddenError',
  'VerificationError',
  'GpuValidationError',
  'OutOfMemoryError',
  'ModelTooLargeError',
] as const;
