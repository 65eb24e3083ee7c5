/**
 * What the real-models race says in the app's live region (pure): one sentence per stage of
 * each lane (waiting, downloading, loading, warming up, answering, done), the replicas, then the
 * result (each model's accuracy and the gap per correct answer), like the synthetic race's
 * "Measuring … / Run finished". Never a count that changes on every answer or every chunk: the
 * sentence changes, and is read out, only when something a listener should hear happens.
 */
import { t } from '../../i18n/index.ts';
import { accuracyText } from '../../i18n/realmodels-task.ts';
import { realFigures } from './figures.ts';
import { ratioRange } from './format.ts';
import type { LaneState, RaceState } from './state.ts';

function stageWord(stage: LaneState['stage']): string {
  switch (stage) {
    case 'waiting':
      return t('realmodels.lane.waiting');
    case 'download':
      return t('realmodels.lane.download');
    case 'load':
      return t('realmodels.lane.load');
    case 'warmup':
      return t('realmodels.lane.warmup');
    case 'answer':
      return t('realmodels.live.answering');
    case 'done':
      return t('realmodels.live.laneDone');
    default: {
      const never: never = stage;
      return never;
    }
  }
}

export function liveText(s: RaceState): string {
  switch (s.kind) {
    case 'idle':
      return '';
    case 'running':
      if (s.replica) return t('realmodels.live.replicas');
      return t('realmodels.live.running', { specialized: stageWord(s.lanes.specialized.stage), general: stageWord(s.lanes.general.stage) });
    case 'done': {
      const f = realFigures(s.result.doc);
      const parts = [t('realmodels.live.done')];
      if (f.specialized) parts.push(t('realmodels.live.accuracy', { role: t('results.role.specialized'), accuracy: accuracyText(f.specialized.accuracy) }));
      if (f.general) parts.push(t('realmodels.live.accuracy', { role: t('results.role.general'), accuracy: accuracyText(f.general.accuracy) }));
      if (f.ratioPerCorrect?.available) parts.push(t('realmodels.result.ratioCorrect', { ratio: ratioRange(f.ratioPerCorrect.ratio) }));
      return parts.join(' ');
    }
    case 'cancelled':
      return t('realmodels.cancelled');
    case 'error':
      return t('realmodels.live.error');
    default: {
      const never: never = s;
      return never;
    }
  }
}
