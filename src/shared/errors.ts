/**
 * The names of the errors that can reach the page from the lab worker. Comlink keeps an error's
 * `name` and `message` across the boundary but not its class, so the page cannot use
 * `instanceof`: it switches on these names instead. The classes live where they are thrown
 * (src/engine/errors.ts and its neighbours, src/energy/errors.ts); this module only knows their
 * names so that the UI can use them without importing engine code (see docs/ARCHITECTURE.md).
 */
export const ERROR_NAMES = [
  // Device and run (src/engine/errors.ts)
  'WebGpuUnavailableError',
  'DeviceLostError',
  'RunCancelledError',
  'RunInProgressError',
  'TabHiddenError',
  'VerificationError',
  'GpuValidationError',
  'OutOfMemoryError',
  'ModelTooLargeError',
  'KernelLimitError',
  'GpuLoadUnavailableError',
  // Inputs and measurements: thrown on the page before the worker is asked (plan building,
  // custom-suite parsing) or by the engine (timings that cannot be summarised).
  'CustomSuiteError',
  'ModelConfigError',
  'InvalidMeasurementError',
  'EmptySampleError',
  // ONNX models (src/engine/onnx)
  'OnnxLoadError',
  'OnnxRunError',
  // The energy estimate computed in the worker (src/energy/errors.ts)
  'MissingModelRoleError',
  'InvalidTimingError',
  'MixedTimingSourcesError',
  'UnknownProfileError',
  'InvalidEnergyInputError',
  // Real models: downloads and cache (src/lab/download.ts, model-download.ts, model-cache.ts,
  // model-files.ts), the sessions' checks (src/engine/realmodels), templates and scoring
  // (src/shared/realmodels)
  'ModelRefError',
  'DownloadHttpError',
  'DownloadNetworkError',
  'DownloadCancelledError',
  'DownloadReadError',
  'ModelFileError',
  'ModelQuotaError',
  // A model host the visitor has not agreed to (src/lab/base-agreement.ts): nothing was sent to it.
  'BaseNotAgreedError',
  'ModelSignatureError',
  'HalfPrecisionUnavailableError',
  'ChatTemplateError',
  'ClassifierLabelsError',
  'ScoringError',
  // Real models: "type your own sentence" before any race loaded them (workers/realmodels.ts)
  'NoModelsLoadedError',
] as const;

/**
 * The real-models race's own errors (src/engine/realmodels/, src/lab/model-*.ts,
 * workers/realmodels.ts), a subset of ERROR_NAMES: the worker test checks each class is named
 * as listed. The race also throws names of the synthetic race (WebGpuUnavailableError,
 * DeviceLostError, RunCancelledError, RunInProgressError, ModelTooLargeError, OnnxLoadError,
 * ModelConfigError).
 */
export const REAL_MODEL_ERROR_NAMES = [
  'ModelSignatureError',
  'HalfPrecisionUnavailableError',
  'ChatTemplateError',
  'ModelFileError',
  'ModelRefError',
  'DownloadHttpError',
  'DownloadNetworkError',
  'DownloadReadError',
  'DownloadCancelledError',
  'ModelQuotaError',
  'NoModelsLoadedError',
  'BaseNotAgreedError',
] as const satisfies readonly (typeof ERROR_NAMES)[number][];

export type LabErrorName = (typeof ERROR_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_NAMES);

export function isLabErrorName(name: unknown): name is LabErrorName {
  return typeof name === 'string' && KNOWN.has(name);
}

/** The lab error name carried by `e` (an Error, or the plain object comlink rebuilds), or null. */
export function errorName(e: unknown): LabErrorName | null {
  if (typeof e !== 'object' || e === null || !('name' in e)) return null;
  const name = e.name;
  return isLabErrorName(name) ? name : null;
}
