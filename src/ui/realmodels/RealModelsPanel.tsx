/**
 * `#/?models=real`: the real-models race on the run view. Loaded on demand (src/ui/lazy.tsx):
 * nothing of it ships in the first screen's script.
 */
import './strings.ts';
import { t } from '../../i18n/index.ts';
import { hrefFor } from '../router.ts';
import type { RealRaceOutput } from '../../lab/realmodels-api.ts';
import { BaseConsent } from './BaseConsent.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { OwnSentence } from './OwnSentence.tsx';
import { RaceControls, RaceError } from './RaceControls.tsx';
import { RaceProgress } from './RaceProgress.tsx';
import { realLocalId, realSaveError } from './keep.ts';
import { RealKeep } from './RealKeep.tsx';
import { RealResults } from './RealResults.tsx';
import { race } from './state.ts';
import { useRaceView } from './use-race-view.ts';
import './realmodels.css';

/** Files the full storage could not keep: this race used them, the next visit downloads them again. */
function NotCached({ output }: { output: RealRaceOutput }) {
  const files = [...output.models.classifier.notCached, ...output.models.generator.notCached];
  if (files.length === 0) return null;
  return (
    <p class="card warn-text" role="status" data-testid="rm-not-cached">
      {t('realmodels.download.notCached', { files: files.join(', ') })}
    </p>
  );
}

/** Whether the result went into the local history: a link to it, or why not (the result stays here either way). */
function Kept() {
  const error = realSaveError.value;
  if (error !== null) {
    return (
      <p class="card message-error" role="status" data-testid="rm-save-error">
        {t('history.saveFailed', { message: error })}
      </p>
    );
  }
  if (realLocalId.value === null) return null;
  return (
    <p class="small muted" data-testid="rm-saved">
      {t('realmodels.keep.saved')} <a href={hrefFor('history', { run: realLocalId.value })}>{t('realmodels.keep.openHistory')}</a>
    </p>
  );
}

export function RealModelsPanel() {
  const { country, opts } = useRaceView();
  const s = race.value;
  return (
    <div class="rm" data-testid="rm-panel">
      <BaseConsent />
      <ModelPanel />
      <section class="card">
        <RaceControls country={country} opts={opts} />
        <p class="small muted">{t('realmodels.start.note')}</p>
      </section>
      <RaceError />
      <RaceProgress state={s} />
      {s.kind === 'done' ? (
        <>
          <NotCached output={s.result.output} />
          <Kept />
          <RealResults doc={s.result.doc} output={s.result.output} />
          <OwnSentence doc={s.result.doc} />
          <RealKeep doc={s.result.doc} localId={realLocalId.value} />
        </>
      ) : null}
    </div>
  );
}
