/**
 * `#/model`: load a real ONNX model (file, drag-and-drop or URL), choose the dynamic dimensions
 * of its inputs, and measure it through onnxruntime-web in the lab worker: WebGPU execution
 * provider, WASM as the CPU reference, or both (then their ratio). Same timing record as the
 * lab's own workloads (wall clock here: ort exposes no GPU timestamps).
 *
 * State and actions live in src/lab/onnx-session.ts; these components only render them.
 */
import { useEffect } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { source, url } from '../../lab/onnx-session.ts';
import { location } from '../router.ts';
import { ResultsCard } from './ResultsCard.tsx';
import { SettingsCard } from './SettingsCard.tsx';
import { SourceCard } from './SourceCard.tsx';
import './model.css';

export function ModelView() {
  const s = source.value;
  // `#/model?url=…` pre-fills the address; downloading stays the visitor's decision.
  const linked = location.value.params.get('url');
  useEffect(() => {
    if (linked && !url.value) url.value = linked;
  }, [linked]);
  return (
    <div class="onnx-view" data-testid="model-view">
      <section class="card">
        <h1>{t('model.onnx.title')}</h1>
        <p>{t('model.onnx.intro')}</p>
      </section>
      <SourceCard />
      {s.kind === 'ready' ? <SettingsCard info={s.info} /> : null}
      <ResultsCard />
    </div>
  );
}
