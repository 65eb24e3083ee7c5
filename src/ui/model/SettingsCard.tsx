/** The settings card: input shapes, then how to run. */
import { t } from '../../i18n/index.ts';
import type { OnnxGraphInfo } from '../../lab/onnx-session.ts';
import { DimsForm } from './DimsForm.tsx';
import { RunControls } from './RunControls.tsx';

export function SettingsCard({ info }: { info: OnnxGraphInfo }) {
  return (
    <section class="card" aria-labelledby="onnx-settings-h">
      <h2 id="onnx-settings-h">{t('model.onnx.settings')}</h2>
      <DimsForm info={info} />
      <p class="small muted">{t('model.onnx.synthNote')}</p>
      <RunControls />
    </section>
  );
}
