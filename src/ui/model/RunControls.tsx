/** Execution provider, warm-up and samples, Run / Cancel, and the progress of the run. */
import { t } from '../../i18n/index.ts';
import { cancelRun, effectiveChoice, epChoice, runModel, samples, status, warmup, type AdapterInfo } from '../../lab/onnx-session.ts';
import { capsState } from '../state.ts';
import { clampInt } from './format.ts';

/** The adapter the page probed, or null without WebGPU (then only the CPU reference runs). */
function adapterInfo(): AdapterInfo | null {
  const caps = capsState.value;
  if (caps.status !== 'ready' || !caps.caps.available) return null;
  const a = caps.caps.adapter;
  return { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter };
}

export function RunControls() {
  const running = status.value.kind === 'running';
  const webgpu = adapterInfo() !== null;
  const choice = effectiveChoice(webgpu);
  return (
    <>
      <fieldset class="row" disabled={running}>
        <legend>{t('model.onnx.ep')}</legend>
        {(['webgpu', 'wasm', 'both'] as const).map((c) => (
          <label key={c}>
            <input type="radio" name="onnx-ep" value={c} checked={choice === c} disabled={c !== 'wasm' && !webgpu} onChange={() => (epChoice.value = c)} />
            {t(`model.onnx.ep.${c}`)}
          </label>
        ))}
      </fieldset>
      {!webgpu ? <p class="small warn-text">{t('model.onnx.noWebgpu')}</p> : null}
      <div class="row">
        <label>
          {t('model.onnx.warmup')}
          <input type="number" min={0} max={100} value={warmup.value} onInput={(e) => (warmup.value = clampInt((e.currentTarget).value, 0, 100, 3))} disabled={running} />
        </label>
        <label>
          {t('model.onnx.samples')}
          <input type="number" min={2} max={1000} value={samples.value} onInput={(e) => (samples.value = clampInt((e.currentTarget).value, 2, 1000, 20))} disabled={running} />
        </label>
      </div>
      <div class="row">
        <button class="primary" disabled={running} onClick={() => void runModel(adapterInfo())} data-testid="onnx-run">
          {t('model.onnx.run')}
        </button>
        <button class="danger" disabled={!running} onClick={cancelRun} data-testid="onnx-cancel">
          {t('model.onnx.cancel')}
        </button>
      </div>
      <RunProgress />
    </>
  );
}

function RunProgress() {
  const s = status.value;
  return (
    <div aria-live="polite" data-testid="onnx-progress">
      {s.kind === 'running' ? (
        <div>
          <span class="small">
            {t(`model.onnx.phase.${s.phase}`, { ep: t(`model.onnx.ep.${s.ep}`) })}
            {s.sample ? ` · ${t('model.onnx.sampleOf', { n: s.sample, total: s.samples })}` : ''}
          </span>
          <progress max={s.phase === 'measure' ? s.samples : 1} value={s.phase === 'measure' ? s.sample : undefined} aria-label={t('model.onnx.runProgress')} />
        </div>
      ) : s.kind === 'cancelled' ? (
        <p class="small">{t('model.onnx.cancelled')}</p>
      ) : null}
    </div>
  );
}
