/** Small wording helpers shared by the `#/model` components. */
import { t } from '../../i18n/index.ts';
import type { LabErrorName } from '../../shared/errors.ts';
import { errorHintKey } from '../errors.ts';
import type { SourceProblem } from '../../lab/onnx-session.ts';

/** Advice that differs on `#/model` from the rest of the app; other errors get the shared hint. */
const MODEL_HINTS: Partial<Record<LabErrorName, string>> = {
  OnnxLoadError: 'model.onnx.hint.OnnxLoadError',
  OnnxRunError: 'model.onnx.hint.OnnxRunError',
  WebGpuUnavailableError: 'model.onnx.hint.WebGpuUnavailableError',
};

/** What to do about an error that ended a run on `#/model`. */
export function errorHint(name: string): string {
  return t(errorHintKey({ name }, MODEL_HINTS));
}

export function problemMessage(p: SourceProblem): string {
  switch (p.kind) {
    case 'external-data':
      return t('model.onnx.error.externalData');
    case 'bad-url':
      return t('model.onnx.error.badUrl');
    case 'network':
      return t('model.onnx.error.cors', { host: p.host, detail: p.detail });
    case 'http':
      return t('model.onnx.error.http', { status: p.status, text: p.text });
    case 'read':
      return t('model.onnx.error.read', { detail: p.detail });
    case 'load':
      return `${p.message} ${t('model.onnx.hint.OnnxLoadError')}`;
  }
}

export function clampInt(raw: string, lo: number, hi: number, fallback: number): number {
  const v = Math.round(Number(raw));
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
}
