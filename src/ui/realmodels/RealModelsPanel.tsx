/**
 * `#/?models=real`: the real-models race on the run view. Loaded on demand (src/ui/lazy.tsx):
 * nothing of it ships in the first screen's script.
 */
import './strings.ts';
import { t } from '../../i18n/index.ts';
import type { RealRaceOutput } from '../../lab/realmodels-api.ts';
import { ModelPanel } from './ModelPanel.tsx';
import { OwnSentence } from './OwnSentence.tsx';
import { RaceControls, RaceError } from './RaceControls.tsx';
import { RaceProgress } from './RaceProgress.tsx';
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

export function RealModelsPanel() {
  const { country, opts } = useRaceView();
  const s = race.value;
  return (
    <div class="rm" data-testid="rm-panel">
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
          <RealResults doc={s.result.doc} output={s.result.output} />
          <OwnSentence doc={s.result.doc} />
        </>
      ) : null}
    </div>
  );
}
