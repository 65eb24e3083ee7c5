/**
 * Classroom demo: a projector-friendly race between the specialized and the general model on the
 * same task, in large type, with the per-query time and the energy gap as the punchline.
 */
import { useEffect } from 'preact/hooks';
import { fmt, t } from '../i18n/index.ts';
import { isPresetName } from '../shared/presets.ts';
import { errorHintKey } from './errors.ts';
import { location } from './router.ts';
import { cancelRun, capsState, lastDoc, progress, runState, startRun, type WorkloadProgress } from './state.ts';
import { StatusCard } from './StatusCard.tsx';

function Lane({ w, role }: { w: WorkloadProgress | undefined; role: 'specialized' | 'general' }) {
  const doc = lastDoc.value;
  const result = runState.value.kind === 'done' ? doc?.workloads.find((x) => x.kind === 'model' && x.role === role) : undefined;
  const fraction = !w ? 0 : w.status === 'done' ? 1 : w.phase === 'walkthrough' && w.steps ? (w.step / w.steps) * 0.5 : w.samples ? 0.5 + (w.sample / w.samples) * 0.5 : 0;
  return (
    <div class={`lane role-${role}`} data-testid={`lane-${role}`}>
      <div class="lane-head">
        <strong>{t(`results.role.${role}`)}</strong>
        <span class="muted">{t(`demo.${role}.what`)}</span>
      </div>
      <div class="track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} aria-label={t(`results.role.${role}`)}>
        <div class="runner" style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <div class="lane-status">
        {result ? (
          <span class="big-number">{t('demo.perQuery', { ms: fmt(result.timing.medianMs, 3) })}</span>
        ) : w && w.phase === 'walkthrough' && w.steps ? (
          <span>{w.stepLabel}</span>
        ) : w?.status === 'running' ? (
          <span>{t(`run.phase.${w.phase || 'build'}`)}</span>
        ) : null}
      </div>
    </div>
  );
}

export function DemoView() {
  const params = location.value.params;
  const urlPreset = params.get('preset');
  const preset = isPresetName(urlPreset) ? urlPreset : 'quick';
  useEffect(() => {
    const prev = document.documentElement.dataset['theme'];
    document.documentElement.dataset['theme'] = 'demo';
    return () => {
      if (prev) document.documentElement.dataset['theme'] = prev;
      else delete document.documentElement.dataset['theme'];
    };
  }, []);
  const caps = capsState.value;
  const available = caps.status === 'ready' && caps.caps.available;
  const running = runState.value.kind === 'running';
  const doc = runState.value.kind === 'done' ? lastDoc.value : null;
  const list = progress.value;
  const general = doc?.workloads.find((w) => w.role === 'general');
  const specialized = doc?.workloads.find((w) => w.role === 'specialized');
  const energy = doc?.energy;
  return (
    <div class="demo" data-testid="demo">
      <h1>{t('demo.title')}</h1>
      <p class="demo-task">{t('demo.task')}</p>
      {!available ? <StatusCard /> : null}
      <div class="row">
        <button class="primary" disabled={!available || running} onClick={() => void startRun({ preset, modelsOnly: true, custom: params, country: params.get('country') })}>
          {doc ? t('demo.again') : t('demo.start')}
        </button>
        <button class="danger" disabled={!running} onClick={cancelRun}>
          {t('run.cancel')}
        </button>
      </div>
      <Lane role="specialized" w={list.find((w) => w.role === 'specialized')} />
      <Lane role="general" w={list.find((w) => w.role === 'general')} />
      {general && specialized ? (
        <div class="punchline" aria-live="polite">
          <p>{t('demo.timeRatio', { ratio: fmt(general.timing.medianMs / specialized.timing.medianMs, 2) })}</p>
          {energy ? (
            <p>
              {t('demo.energyRatio', { ratio: fmt(energy.ratio.p50, 2), low: fmt(energy.ratio.p5, 2), high: fmt(energy.ratio.p95, 2) })}
            </p>
          ) : null}
          <p class="small muted">{t('results.synthetic')}</p>
        </div>
      ) : null}
      {runState.value.kind === 'error' ? (
        <div class="card error" role="alert" data-testid="demo-error" data-error-name={runState.value.name}>
          <p>{runState.value.message}</p>
          <p class="small">{t(errorHintKey({ name: runState.value.name }))}</p>
        </div>
      ) : null}
    </div>
  );
}
