/** Small wording helpers shared by the `#/model` components. */
import { t } from '../../i18n/index.ts';
import type { SourceProblem } from '../../lab/onnx-session.ts';

/** What to do about a named error, when the dictionary has a hint for it. */
export function errorHint(name: string): string {
  const key = `model.onnx.hint.${name}`;
  const hint = t(key);
  return hint === key ? '' : hint;
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
