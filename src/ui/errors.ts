/**
 * What to tell the visitor after a failed run: one hint per known error name. The table is a
 * `Record` over every name, so adding an error to src/shared/errors.ts without a hint fails to
 * compile; an unknown error gets the generic hint.
 */
import { errorName, type LabErrorName } from '../shared/errors.ts';

export const ERROR_HINT_KEYS: Readonly<Record<LabErrorName, string>> = {
  WebGpuUnavailableError: 'error.WebGpuUnavailableError',
  DeviceLostError: 'error.DeviceLostError',
  RunCancelledError: 'error.RunCancelledError',
  TabHiddenError: 'error.TabHiddenError',
  VerificationError: 'error.VerificationError',
  GpuValidationError: 'error.GpuValidationError',
  OutOfMemoryError: 'error.OutOfMemoryError',
  ModelTooLargeError: 'error.ModelTooLargeError',
  KernelLimitError: 'error.KernelLimitError',
  RunInProgressError: 'error.RunInProgressError',
  OnnxLoadError: 'error.OnnxLoadError',
  OnnxRunError: 'error.OnnxRunError',
  CustomSuiteError: 'error.CustomSuiteError',
  ModelConfigError: 'error.ModelConfigError',
  InvalidMeasurementError: 'error.InvalidMeasurementError',
  GpuLoadUnavailableError: 'error.GpuLoadUnavailableError',
  EmptySampleError: 'error.EmptySampleError',
  // The energy estimate failed; the measurement itself is kept.
  MissingModelRoleError: 'error.MissingModelRoleError',
  InvalidTimingError: 'error.InvalidTimingError',
  MixedTimingSourcesError: 'error.MixedTimingSourcesError',
  UnknownProfileError: 'error.UnknownProfileError',
  InvalidEnergyInputError: 'error.InvalidEnergyInputError',
  // Real models: what arrived before a cancel or a lost connection is kept, so each hint says
  // whether trying again resumes.
  ModelRefError: 'realmodels.error.ModelRefError',
  DownloadHttpError: 'realmodels.error.DownloadHttpError',
  DownloadNetworkError: 'realmodels.error.DownloadNetworkError',
  DownloadCancelledError: 'realmodels.error.DownloadCancelledError',
  DownloadReadError: 'realmodels.error.DownloadReadError',
  ModelFileError: 'realmodels.error.ModelFileError',
  ModelQuotaError: 'realmodels.error.ModelQuotaError',
  BaseNotAgreedError: 'realmodels.error.BaseNotAgreedError',
  ModelSignatureError: 'realmodels.error.ModelSignatureError',
  HalfPrecisionUnavailableError: 'realmodels.error.HalfPrecisionUnavailableError',
  ChatTemplateError: 'realmodels.error.ChatTemplateError',
  ClassifierLabelsError: 'realmodels.error.ClassifierLabelsError',
  ScoringError: 'realmodels.error.ScoringError',
  NoModelsLoadedError: 'realmodels.error.NoModelsLoadedError',
};

/**
 * The i18n key of the hint for an error (or a `{ name }` that crossed the worker boundary). A view
 * where the same error calls for other advice (e.g. `#/model`: "choose the WASM provider" when
 * WebGPU is missing) passes its own keys for those names; every other name keeps the shared hint.
 */
export function errorHintKey(e: unknown, overrides: Partial<Record<LabErrorName, string>> = {}): string {
  const name = errorName(e);
  return name === null ? 'error.generic' : (overrides[name] ?? ERROR_HINT_KEYS[name]);
}
