/**
 * One lane of the race: the model, its progress, answers given, elapsed time, time per answer and
 * a running energy meter that becomes the final estimate once the run's energy section exists.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { fmt, t } from '../../i18n/index.ts';
import type { ResultDocument, Role, RoleEnergyRecord, Workload } from '../../shared/result.ts';
import { EnergyLabelBadge } from '../energy/EnergyLabelBadge.tsx';
import { device, type WorkloadProgress } from '../state.ts';
import { laneReading, scaleJoules, type MeterReading, type NoEstimateReason } from './meter.ts';

/** Track fill: the walkthrough is the first half, the timed answers the second. */
function laneFraction(w: WorkloadProgress | undefined): number {
  if (!w) return 0;
  if (w.status === 'done') return 1;
  if (w.phase === 'walkthrough' && w.steps) return (w.step / w.steps) * 0.5;
  return w.samples ? 0.5 + (w.sample / w.samples) * 0.5 : 0;
}

function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Seconds since the lane started, ticking while it runs and frozen when it is done. */
function useElapsed(status: WorkloadProgress['status'] | undefined): number | null {
  const start = useRef<number | null>(null);
  const end = useRef<number | null>(null);
  const [, tick] = useState(0);
  if (status === 'running' && start.current === null) start.current = performance.now();
  if (status === 'done' && start.current !== null && end.current === null) end.current = performance.now();
  if (status === undefined || status === 'pending') {
    start.current = null;
    end.current = null;
  }
  useEffect(() => {
    if (status !== 'running') return;
    const id = setInterval(() => tick((n) => n + 1), 200);
    return () => clearInterval(id);
  }, [status]);
  if (start.current === null) return null;
  return ((end.current ?? performance.now()) - start.current) / 1000;
}

function noEstimateText(reason: NoEstimateReason | null): string | null {
  switch (reason) {
    case 'mixed-timing':
      return t('error.MixedTimingSourcesError');
    case 'energy-unavailable':
      return t('flag.energy-unavailable');
    case null:
      return null;
    default: {
      const never: never = reason;
      return String(never);
    }
  }
}

/** `wasLive`: the lane showed a running total during the race, so the switch to "per answer" is said. */
function Meter({ reading, wasLive }: { reading: MeterReading; wasLive: boolean }) {
  switch (reading.kind) {
    case 'waiting':
      return (
        <span class="meter-value" data-testid="meter" data-kind="waiting">
          {t('demo.meter.waiting')}
        </span>
      );
    case 'live': {
      const s = scaleJoules(reading.joules);
      return (
        <span class="meter-value" data-testid="meter" data-kind="live">
          {t('demo.meter.live', { value: fmt(s.value.p50, 2), unit: s.unit, n: fmt(reading.answers, 6) })}{' '}
          <span class="small muted">{t('demo.meter.liveRange', { low: fmt(s.value.p5, 1), high: fmt(s.value.p95, 1), unit: s.unit })}</span>
        </span>
      );
    }
    case 'final': {
      const s = scaleJoules(reading.perAnswer);
      return (
        <span class="meter-value" data-testid="meter" data-kind="final">
          {t('demo.meter.final', { value: fmt(s.value.p50, 2), unit: s.unit })}{' '}
          <span class="small muted">{t('demo.meter.finalRange', { low: fmt(s.value.p5, 1), high: fmt(s.value.p95, 1), unit: s.unit })}</span>
          {wasLive ? (
            <span class="small muted" data-testid="meter-switched">
              {' '}
              {t('demo.meter.switched')}
            </span>
          ) : null}
        </span>
      );
    }
    case 'none': {
      const why = noEstimateText(reading.reason);
      return (
        <span class="meter-value" data-testid="meter" data-kind="none" data-reason={reading.reason ?? ''}>
          {t('demo.meter.none')}
          {why ? <span class="small muted"> ({why})</span> : null}
        </span>
      );
    }
    default: {
      const never: never = reading;
      return <span>{String(never)}</span>;
    }
  }
}

export function Lane({
  role,
  w,
  doc,
  result,
  energy,
}: {
  role: Role;
  w: WorkloadProgress | undefined;
  /** The finished run's document (null while the race runs or before it). */
  doc: ResultDocument | null;
  result: Workload | undefined;
  energy: RoleEnergyRecord | undefined;
}) {
  // The track follows the worker's progress only: a result opened without a race leaves it empty.
  const fraction = laneFraction(w);
  const pct = Math.round(fraction * 100);
  const elapsed = useElapsed(w?.status);
  const answers = result ? result.timing.samplesMs.length : (w?.sample ?? 0);
  const perAnswer = result ? result.timing.medianMs : median(w?.samplesMs ?? []);
  const samplesMs = w?.samplesMs ?? [];
  const reading = laneReading(doc ? { kind: 'done', doc, record: energy } : { kind: 'running' }, samplesMs, device.value?.adapter ?? null);
  return (
    <section class={`lane role-${role}`} data-testid={`lane-${role}`} data-done={result ? 'true' : 'false'} aria-label={t(`results.role.${role}`)}>
      <div class="lane-head">
        <strong>{t(`results.role.${role}`)}</strong>
        <span class="muted">{t(`demo.what.${role}`)}</span>
      </div>
      <div class="track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={t(`results.role.${role}`)}>
        <div class="runner" style={{ width: `${pct}%` }} />
      </div>
      <dl class="lane-figures">
        <div>
          <dt>{t('demo.lane.answers')}</dt>
          <dd data-testid="answers">{fmt(answers, 6)}</dd>
        </div>
        <div>
          <dt>{t('demo.lane.elapsed')}</dt>
          <dd>{elapsed === null ? '—' : t('demo.lane.seconds', { s: fmt(elapsed, 1) })}</dd>
        </div>
        <div class="lane-status">
          {result ? null : w && w.phase === 'walkthrough' && w.steps ? (
            <span>{w.stepLabel}</span>
          ) : w?.status === 'running' ? (
            <span>{t(`run.phase.${w.phase || 'build'}`)}</span>
          ) : null}
        </div>
      </dl>
      <p class="lane-time">
        <span class="sr-only">{t('demo.lane.time')}: </span>
        {perAnswer === null ? '—' : <span class="big-number">{t('demo.perQuery', { ms: fmt(perAnswer, 3) })}</span>}
      </p>
      <p class="lane-energy">
        <span class="lane-energy-name">{t('demo.meter.label')}</span> <Meter reading={reading} wasLive={samplesMs.length > 0} />
        {energy?.label ? <EnergyLabelBadge label={energy.label} /> : null}
      </p>
    </section>
  );
}
