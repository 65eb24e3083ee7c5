/**
 * Names of the errors a lab run can end with. Errors cross the worker boundary as name and
 * message only (Comlink), so the page recognises them by name: this list is the contract
 * between the engine that throws and the UI that explains.
 */
export const ERROR_NAMES = [
  'WebGpuUnavailableError',
  'DeviceLostError',
  'RunCancelledError',
  'TabHiddenError',
  'VerificationError',
  'GpuValidationError',
  'OutOfMemoryError',
  'ModelTooLargeError',
  'KernelLimitError',
  'RunInProgressError',
  'OnnxLoadError',
  'OnnxRunError',
  // Thrown on the page before the worker is asked (plan building, custom-suite parsing).
  'CustomSuiteError',
  'ModelConfigError',
  // Timings that cannot be summarised (all samples invalid).
  'InvalidMeasurementError',
] as const;

export type LabErrorName = (typeof ERROR_NAMES)[number];

/** The known name of an error (or of a Comlink-cloned error-like object), else null. */
export function errorName(e: unknown): LabErrorName | null {
  if (typeof e !== 'object' || e === null || !('name' in e)) return null;
  const name = (e as { name: unknown }).name;
  return typeof name === 'string' && (ERROR_NAMES as readonly string[]).includes(name) ? (name as LabErrorName) : null;
}
