/**
 * The demo's lanes in real-models mode (`#/demo?models=real`): the same two lanes, filled by the
 * real race (download, loading, answers ticking), then each model's accuracy, time and energy per
 * correct answer, and the gap per correct answer. Space and R start or stop this race here.
 */
import './strings.ts';
import { useEffect } from 'preact/hooks';
import { fmt, t } from '../../i18n/index.ts';
import { accuracyText } from '../../i18n/realmodels-task.ts';
import type { Role } from '../../shared/result.ts';
import { demoKeyAction } from '../demo/keys.ts';
import { BaseConsent } from './BaseConsent.tsx';
import { realFigures, type RoleFigures } from './figures.ts';
import { joulesRange, progressLine, ratioRange } from './format.ts';
import { laneText } from './RaceProgress.tsx';
import { RaceControls, RaceError } from './RaceControls.tsx';
import { cancelRealRace, race, startRealRace, type RaceState } from './state.ts';
import { useRaceView } from './use-race-view.ts';
import './realmodels.css';

const TASK: Record<Role, 'classifier' | 'generator'> = { specialized: 'classifier', general: 'generator' };

/** Track fill: download and loading the first 40 %, the measured answers the rest. */
export function realLaneFraction(s: RaceState, role: Role): number {
  if (s.kind === 'done') return 1;
  if (s.kind !== 'running') return 0;
  const lane = s.lanes[role];
  const d = s.download[TASK[role]];
  switch (lane.stage) {
    case 'waiting':
      return 0;
    case 'download':
      return d && d.total ? (d.received / d.total) * 0.3 : 0;
    case 'load':
      return 0.3;
    case 'warmup':
      return 0.35;
    case 'answer':
    case 'done':
      return 0.4 + (lane.of ? (lane.answered / lane.of) * 0.6 : 0);
    default: {
      const never: never = lane.stage;
      return never;
    }
  }
}

function RealLane({ role, s, f }: { role: Role; s: RaceState; f: RoleFigures | null }) {
  const pct = Math.round(realLaneFraction(s, role) * 100);
  const d = s.kind === 'running' ? s.download[TASK[role]] : undefined;
  const lane = s.kind === 'running' ? s.lanes[role] : null;
  return (
    <section class={`lane role-${role}`} data-testid={`rm-demo-lane-${role}`} aria-label={t(`results.role.${role}`)}>
      <div class="lane-head">
        <strong>{t(`results.role.${role}`)}</strong>
        <span class="muted">{t(`demo.what.${role}`)}</span>
      </div>
      <div class="track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={t(`results.role.${role}`)}>
        <div class="runner" style={{ width: `${pct}%` }} />
      </div>
      {lane ? (
        <p class="lane-status" data-testid="rm-demo-status">
          {lane.stage === 'download' && d ? progressLine(d) : laneText(lane)}
        </p>
      ) : null}
      {f ? (
        <>
          <p data-testid="rm-demo-accuracy">{accuracyText(f.accuracy)}</p>
          <p class="lane-time">
            <span class="big-number">{t('demo.perQuery', { ms: fmt(f.w.timing.medianMs, 3) })}</span>
          </p>
          <p class="lane-energy">
            {t('realmodels.result.perCorrect')}: {f.perCorrect?.available ? joulesRange(f.perCorrect.joules) : '—'}
          </p>
        </>
      ) : null}
    </section>
  );
}

export function RealDemo() {
  const s = race.value;
  const { country, opts } = useRaceView();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // The class dialog owns the keys while it is open (the page behind it is inert).
      if (document.querySelector('[aria-modal="true"]')) return;
      const a = demoKeyAction(e);
      if (a !== 'start-stop' && a !== 'restart') return;
      if (race.value.kind === 'running') cancelRealRace();
      else void startRealRace(country, opts);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [country, opts.preset, opts.maxNewTokens]);
  const figs = s.kind === 'done' ? realFigures(s.result.doc) : null;
  const rc = figs?.ratioPerCorrect;
  return (
    <div class="rm-demo" data-testid="rm-demo">
      <BaseConsent />
      <RaceControls country={country} opts={opts} />
      <div class="lanes rm-demo-lanes">
        <RealLane role="specialized" s={s} f={figs?.specialized ?? null} />
        <RealLane role="general" s={s} f={figs?.general ?? null} />
      </div>
      {rc?.available ? (
        <p class="headline" data-testid="rm-demo-gap">
          {t('realmodels.result.ratioCorrect', { ratio: ratioRange(rc.ratio) })}
        </p>
      ) : null}
      {s.kind === 'cancelled' ? <p class="badge warn">{t('realmodels.cancelled')}</p> : null}
      <RaceError />
    </div>
  );
}
