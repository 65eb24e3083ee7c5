/**
 * A real-models document opened from the local history (or `#/results`): the same results table
 * as after the race, without the replies (they were never kept), then download and upload. Loaded
 * on demand (ResultsPanel's lazy view), so no real-models code ships in the first screen's script.
 * A result whose models the catalog no longer offers still opens from what it recorded, with a
 * note, and without the upload (catalog.ts).
 */
import './strings.ts';
import { t } from '../../i18n/index.ts';
import type { ResultDocument } from '../../shared/result.ts';
import { retiredLabel, retiredModels } from './catalog.ts';
import { RealKeep } from './RealKeep.tsx';
import { RealResults } from './RealResults.tsx';
import './realmodels.css';

export function StoredRealResult({ doc, localId }: { doc: ResultDocument; localId: string | null }) {
  const retired = retiredModels(doc);
  return (
    <div class="rm" data-testid="rm-stored">
      {retired.length > 0 ? (
        <p class="card message-warn" data-testid="rm-retired">
          {t('realmodels.history.retired', { models: retiredLabel(retired) })} {t('realmodels.history.retiredShare')}
        </p>
      ) : null}
      <RealResults doc={doc} output={null} />
      <RealKeep doc={doc} localId={localId} share={retired.length === 0} />
    </div>
  );
}
