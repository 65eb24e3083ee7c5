/**
 * `#/?models=real`: the real-models race on the run view. Loaded on demand (src/ui/lazy.tsx):
 * nothing of it ships in the first screen's script.
 */
import { useEffect } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { location } from '../router.ts';
import { ModelPanel } from './ModelPanel.tsx';
import { OwnSentence } from './OwnSentence.tsx';
import { RaceControls, RaceError } from './RaceControls.tsx';
import { RaceProgress } from './RaceProgress.tsx';
import { RealResults } from './RealResults.tsx';
import { race, refreshSizes, sizes } from './state.ts';
import './realmodels.css';

export function RealModelsPanel() {
  const country = location.value.params.get('country');
  useEffect(() => {
    if (sizes.value.kind === 'idle') void refreshSizes();
  }, []);
  const s = race.value;
  return (
    <div class="rm" data-testid="rm-panel">
      <ModelPanel />
      <section class="card">
        <RaceControls country={country} />
        <p class="small muted">{t('realmodels.start.note')}</p>
      </section>
      <RaceError />
      <RaceProgress state={s} />
      {s.kind === 'done' ? (
        <>
          <RealResults doc={s.result.doc} output={s.result.output} />
          <OwnSentence doc={s.result.doc} />
        </>
      ) : null}
    </div>
  );
}
