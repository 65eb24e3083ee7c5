/** The run view: preset, Run / Cancel, per-workload progress with live samples, then results. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { fmt, t, tp } from '../i18n/index.ts';
import { parseCustomParams } from '../lab/custom.ts';
import { isPresetName, PRESET_NAMES, type PresetName } from '../shared/presets.ts';
import { withEstimate } from '../shared/measured.ts';
import { axisStyle, Chart, cssVar } from './Chart.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { CUSTOM_ERRORS_ID, CustomForm } from './CustomForm.tsx';
import { errorHintKey } from './errors.ts';
import { location } from './router.ts';
import { cancelRun, capsState, historySaveError, lastDoc, lastLocalId, paused, planNotes, progress, runState, startRun, type WorkloadProgress } from './state.ts';
import { StatusCard } from './StatusCard.tsx';
import { HowItWorksButton } from './FirstVisit.tsx';
import { lazyView } from './lazy.tsx';
import { modelsMode } from './realmodels/mode.ts';
import { ModelsSwitch } from './realmodels/ModelsSwitch.tsx';

// The real-models race loads on demand: nothing of it ships in the first screen's script.
const RealModelsPanel = lazyView(() => import('./realmodels/RealModelsPanel.tsx').then((m) => m.RealModelsPanel));

function ErrorCard() {
  const s = runState.value;
  if (s.kind !== 'error') return null;
  const hint = t(errorHintKey({ name: s.name }));
  return (
    <section class="card error" role="alert" data-testid="run-error" data-error-name={s.name}>
      <h2>{t('run.failed')}</h2>
      <p>{s.message}</p>
      <p class="small">{hint}</p>
    </section>
  );
}

function LiveSamples({ w }: { w: WorkloadProgress }) {
  const options = useMemo<Omit<uPlot.Options, 'width'>>(
    () => ({
      height: 160,
      legend: { show: false },
      scales: { x: { time: false } },
      axes: [{ ...axisStyle(), label: t('run.sample') }, { ...axisStyle(), label: 'ms', size: 60 }],
      series: [{}, { label: w.id, stroke: cssVar('--accent', '#1f7a4d'), width: 2, points: { show: true, size: 6 } }],
    }),
    [w.id],
  );
  const data = useMemo(() => [w.samplesMs.map((_, i) => i + 1), w.samplesMs] as uPlot.AlignedData, [w.samplesMs]);
  if (w.samplesMs.length === 0) return null;
  return <Chart options={options} data={data} label={tp('guide.plural.liveLabel', w.samplesMs.length, { id: w.id })} />;
}

function ProgressList() {
  const list = progress.value;
  if (!list.length) return null;
  const done = list.filter((w) => w.status === 'done').length;
  const current = list.find((w) => w.status === 'running');
  return (
    <section class="card" aria-live="polite" data-testid="progress">
      <div class="row">
        <strong>{t('run.progress', { done, total: list.length })}</strong>
        {paused.value ? <span class="badge warn">{t('run.paused')}</span> : null}
      </div>
      <progress max={list.length} value={done + (current && current.samples ? current.sample / current.samples / 2 : 0)} aria-label={t('run.overall')} />
      <ul class="progress-list">
        {list.map((w) => (
          <li key={w.id} data-status={w.status}>
            <span class="mono">{w.id}</span>
            {w.role ? <span class="badge">{t(`results.role.${w.role}`)}</span> : null}
            <span class="small muted">
              {w.status === 'done'
                ? t('run.done')
                : w.status === 'running'
                  ? w.phase === 'walkthrough' && w.steps
                    ? w.stepLabel
                    : t(`run.phase.${w.phase || 'verify'}`) + (w.sample ? ` · ${t('run.sampleOf', { n: w.sample, total: w.samples })}` : '')
                  : t('run.pending')}
            </span>
            {w.status === 'running' ? (
              <progress
                max={w.phase === 'walkthrough' ? w.steps || 1 : w.samples || 1}
                value={w.phase === 'walkthrough' ? w.step : w.sample}
                aria-label={w.id}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {current ? <LiveSamples w={current} /> : null}
      {current && current.samplesMs.length ? (
        <p class="small muted">{t('run.lastSample', { ms: fmt(current.samplesMs[current.samplesMs.length - 1], 3) })}</p>
      ) : null}
    </section>
  );
}

export function RunView() {
  const params = location.value.params;
  const urlPreset = params.get('preset');
  const [preset, setPreset] = useState<PresetName>(isPresetName(urlPreset) ? urlPreset : 'quick');
  const running = runState.value.kind === 'running';
  const caps = capsState.value;
  const available = caps.status === 'ready' && caps.caps.available;

  useEffect(() => {
    if (isPresetName(urlPreset)) setPreset(urlPreset);
  }, [urlPreset]);

  // `?autorun=1` starts at once: used by the headless `lab` CLI, and handy for kiosk demos.
  useEffect(() => {
    if (params.get('autorun') === '1' && available && runState.value.kind === 'idle') {
      void startRun({ preset, custom: params, country: params.get('country') });
    }
  }, [available]);

  // A custom suite with invalid fields cannot run: Run stays disabled and says why.
  const parsed = preset === 'custom' ? parseCustomParams(params) : null;
  const customInvalid = parsed !== null && !parsed.ok;
  const doc = lastDoc.value;
  // With a result on screen, the intro and the adapter card shrink to one line each, so the
  // answer sits in the first screen under the run controls.
  const showing = doc !== null && runState.value.kind === 'done';
  if (modelsMode(params) === 'real') {
    return (
      <>
        <section class="card intro compact">
          <h1>{t('run.title')}</h1>
          <ModelsSwitch />
        </section>
        <StatusCard compact />
        <RealModelsPanel />
      </>
    );
  }
  return (
    <>
      <section class={`card intro${showing ? ' compact' : ''}`}>
        <h1>{t('run.title')}</h1>
        {showing ? null : <p>{t('run.intro')}</p>}
        <p class="small">
          <HowItWorksButton />
        </p>
        <ModelsSwitch disabled={running} />
      </section>
      <StatusCard compact={showing} />
      <section class="card">
        <div class="row">
          <label>
            {t('run.preset')}
            <select value={preset} disabled={running} onChange={(e) => setPreset((e.target as HTMLSelectElement).value as PresetName)} data-testid="preset">
              {PRESET_NAMES.map((p) => (
                <option value={p} key={p}>
                  {t(`preset.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <button
            class="primary"
            disabled={running || !available || customInvalid}
            aria-describedby={customInvalid ? `run-blocked ${CUSTOM_ERRORS_ID}` : undefined}
            onClick={() => void startRun({ preset, custom: params, country: params.get('country') })}
            data-testid="run"
          >
            {t('run.start')}
          </button>
          <button class="danger" disabled={!running} onClick={cancelRun} data-testid="cancel">
            {t('run.cancel')}
          </button>
        </div>
        {customInvalid ? (
          <p class="small message-error" id="run-blocked" data-testid="run-blocked">
            {t('custom.invalid')}
          </p>
        ) : null}
        <p class="small muted">{t(`preset.${preset}.help`)}</p>
        {parsed ? (
          <>
            <p class="small">{t('run.customHelp')}</p>
            <CustomForm parsed={parsed} />
          </>
        ) : null}
        {planNotes.value.length ? (
          <ul class="small muted">
            {planNotes.value.map((n) => (
              <li key={n.key}>{t(n.key, n.params) === n.key ? n.text : t(n.key, n.params)}</li>
            ))}
          </ul>
        ) : null}
        {runState.value.kind === 'cancelled' ? <p class="badge warn" data-testid="cancelled">{t('run.cancelled')}</p> : null}
      </section>
      <ErrorCard />
      {runState.value.kind === 'done' && historySaveError.value ? (
        <p class="card message-error" role="status" data-testid="history-save-error">
          {t('history.saveFailed', { message: historySaveError.value })}
        </p>
      ) : null}
      {running || runState.value.kind !== 'done' ? <ProgressList /> : null}
      {doc && runState.value.kind === 'done' ? (
        <ResultsPanel
          doc={doc}
          localId={lastLocalId.value}
          onEnergy={(e) => {
            // Mutate in place: the document on screen is the same run, re-estimated with the
            // visitor's profile or grid choice; replacing it would re-render and re-estimate.
            if (lastDoc.value) lastDoc.value.energy = e;
            // Estimate ÷ measured follows the estimate it compares.
            if (lastDoc.value?.measured) lastDoc.value.measured = withEstimate(lastDoc.value.measured, e);
          }}
        />
      ) : null}
    </>
  );
}
