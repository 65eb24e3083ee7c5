/**
 * The race as it runs: each model's download (bytes, rate, time left), its loading, then its
 * answers ticking; the synthetic replicas after. Shared by `#/` and the demo's lanes.
 */
import { fmt, t } from '../../i18n/index.ts';
import type { ModelProgress } from '../../lab/model-download.ts';
import type { ModelTask } from '../../lab/model-files.ts';
import { progressLine } from './format.ts';
import type { LaneState, RaceState } from './state.ts';

export function DownloadBar({ task, p }: { task: ModelTask; p: ModelProgress }) {
  const label = t(task === 'classifier' ? 'realmodels.download.classifier' : 'realmodels.download.generator');
  return (
    <div class="rm-download" data-testid={`download-${task}`}>
      <progress max={p.total ?? undefined} value={p.total === null ? undefined : p.received} aria-label={label} />
      <p class="small">
        <span>{label}</span> · <span data-testid={`download-${task}-line`}>{progressLine(p)}</span>
      </p>
      {p.notCached.length > 0 ? (
        <p class="small warn-text" role="status" data-testid={`not-cached-${task}`}>
          {t('realmodels.download.notCached', { files: p.notCached.join(', ') })}
        </p>
      ) : null}
      {p.notPersisted?.length ? (
        <p class="small warn-text" role="status" data-testid={`not-persisted-${task}`}>
          {t('realmodels.download.notPersisted', { files: p.notPersisted.join(', ') })}
        </p>
      ) : null}
    </div>
  );
}

/** What a lane is doing, in a few words. */
export function laneText(lane: LaneState): string {
  switch (lane.stage) {
    case 'waiting':
      return t('realmodels.lane.waiting');
    case 'download':
      return t('realmodels.lane.download');
    case 'load':
      return t('realmodels.lane.load');
    case 'warmup':
      return t('realmodels.lane.warmup');
    case 'answer':
    case 'done':
      return t('realmodels.lane.answers', { n: lane.answered, of: lane.of }) + (lane.lastMs === null ? '' : ` · ${t('realmodels.lane.last', { ms: fmt(lane.lastMs, 2) })}`);
    default: {
      const never: never = lane.stage;
      return never;
    }
  }
}

export function RaceProgress({ state }: { state: RaceState }) {
  if (state.kind !== 'running' && state.kind !== 'cancelled') return null;
  const download = state.download;
  return (
    <section class="card" data-testid="rm-progress">
      {(['classifier', 'generator'] as const).map((task) => {
        const p = download[task];
        return p ? <DownloadBar key={task} task={task} p={p} /> : null;
      })}
      {state.kind === 'running' ? (
        <ul class="progress-list">
          {(['specialized', 'general'] as const).map((role) => {
            const lane = state.lanes[role];
            return (
              <li key={role} data-status={lane.stage === 'done' ? 'done' : 'running'} data-testid={`rm-lane-${role}`}>
                <span class="badge">{t(`results.role.${role}`)}</span>
                <span class="small">{laneText(lane)}</span>
                {lane.of > 0 ? <progress max={lane.of} value={lane.answered} aria-label={t(`results.role.${role}`)} /> : null}
              </li>
            );
          })}
          {state.replica ? (
            <li data-testid="rm-replica">
              <span class="small">{t('realmodels.lane.replica', { done: state.replica.done, of: state.replica.of })}</span>
            </li>
          ) : null}
        </ul>
      ) : (
        <p class="badge warn" data-testid="rm-cancelled">
          {t('realmodels.cancelled')}
        </p>
      )}
    </section>
  );
}
