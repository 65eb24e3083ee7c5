/**
 * The error names the page switches on (src/shared/errors.ts) cover every named error the
 * engine can send across the worker boundary, and `errorName` recognizes them on the plain
 * objects comlink rebuilds.
 */
import { describe, expect, test } from 'vitest';
import {
  DeviceLostError, ERROR_NAMES, GpuLoadUnavailableError, GpuValidationError, KernelLimitError, ModelTooLargeError, OutOfMemoryError,
  RunCancelledError, RunInProgressError, TabHiddenError, VerificationError, WebGpuUnavailableError,
} from '../../src/engine/errors.ts';
import { ModelConfigError } from '../../src/engine/models/config.ts';
import { InvalidMeasurementError } from '../../src/engine/timing.ts';
import { EmptySampleError } from '../../src/shared/quantile.ts';
import { InvalidEnergyInputError, InvalidTimingError, MissingModelRoleError, MixedTimingSourcesError, UnknownProfileError } from '../../src/energy/errors.ts';
import { CustomSuiteError } from '../../src/engine/models/presets.ts';
import { OnnxLoadError, OnnxRunError } from '../../src/shared/onnx.ts';
import { errorName } from '../../src/shared/errors.ts';
import { DownloadHttpError, DownloadNetworkError, DownloadReadError } from '../../src/lab/download.ts';
import { DownloadCancelledError, ModelFileError } from '../../src/lab/model-download.ts';
import { ModelQuotaError } from '../../src/lab/model-cache.ts';
import { ModelRefError } from '../../src/lab/model-files.ts';
import { HalfPrecisionUnavailableError, ModelSignatureError } from '../../src/engine/realmodels/checks.ts';
import { ChatTemplateError } from '../../src/shared/realmodels/chat-template.ts';
import { ClassifierLabelsError } from '../../src/shared/realmodels/answer.ts';
import { ScoringError } from '../../src/shared/realmodels/scoring.ts';
import { NoModelsLoadedError } from '../../workers/realmodels.ts';
import { BaseNotAgreedError } from '../../src/lab/base-agreement.ts';

describe('shared error names', () => {
  const thrown: Error[] = [
    new WebGpuUnavailableError('no-adapter', 'x'),
    new DeviceLostError('x'),
    new RunCancelledError(),
    new RunInProgressError(),
    new TabHiddenError('x'),
    new VerificationError('x'),
    new GpuValidationError('x'),
    new OutOfMemoryError('x'),
    new ModelTooLargeError('m', 't', 'maxStorageBufferBindingSize', 1, 2),
    new KernelLimitError('x'),
    new GpuLoadUnavailableError('x'),
    new ModelConfigError('hidden', 'x'),
    new InvalidMeasurementError('x'),
    new EmptySampleError('x'),
    new MissingModelRoleError('general'),
    new InvalidTimingError('w', 'f', 0),
    new UnknownProfileError('p'),
    new InvalidEnergyInputError('f', 0),
    new MixedTimingSourcesError({ general: 'gpu-timestamp', specialized: 'wall-clock' }),
    new CustomSuiteError([]),
    new OnnxLoadError('x'),
    new OnnxRunError('x'),
    new ModelRefError('x'),
    new DownloadHttpError(404, 'Not Found'),
    new DownloadNetworkError('host', 'x'),
    new DownloadCancelledError('u', 0),
    new DownloadReadError('x'),
    new ModelFileError('not-onnx', 'u', 'x'),
    new ModelQuotaError('u', 1),
    new ModelSignatureError('classifier', ['logits']),
    new HalfPrecisionUnavailableError('m'),
    new ChatTemplateError('x'),
    new ClassifierLabelsError('x'),
    new ScoringError('x'),
    new NoModelsLoadedError(),
    new BaseNotAgreedError('https://elsewhere.example'),
  ];

  test('every listed name is thrown by some class above (no stale names, none missing)', () => {
    expect(new Set(thrown.map((e) => e.name))).toEqual(new Set(ERROR_NAMES));
  });

  test.each(thrown.map((e) => [e.name, e] as const))('%s is a listed name and errorName finds it', (name, e) => {
    expect(ERROR_NAMES).toContain(name);
    expect(errorName(e)).toBe(name);
    // What comlink rebuilds on the page: a plain object with name and message.
    expect(errorName({ name: e.name, message: e.message })).toBe(name);
  });

  test('names are unique; unknown names, non-objects and plain Errors give null', () => {
    expect(new Set(ERROR_NAMES).size).toBe(ERROR_NAMES.length);
    expect(errorName(new Error('x'))).toBeNull();
    expect(errorName({ name: 'SomethingElse' })).toBeNull();
    expect(errorName('RunCancelledError')).toBeNull();
    expect(errorName(null)).toBeNull();
    expect(errorName(undefined)).toBeNull();
  });

  test('a model over a binding limit states the limit; out of memory has no limit in bytes', () => {
    const e = new ModelTooLargeError('m', 'kv cache', 'out-of-memory', null, 3 * 2 ** 20);
    expect(e.neededBytes).toBe(3 * 2 ** 20);
    expect(e.limitBytes).toBeNull();
    expect(e.message).toContain('3.1 MB'); // 3 × 2^20 B, in the decimal units used everywhere
  });
});
