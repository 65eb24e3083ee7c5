/**
 * A real-models document opened from the local history (or `#/results`): the same results table
 * as after the race, without the replies (they were never kept), then download and upload. Loaded
 * on demand (ResultsPanel's lazy view), so no real-models code ships in the first screen's script.
 */
import './strings.ts';
import type { ResultDocument } from '../../shared/result.ts';
import { RealKeep } from './RealKeep.tsx';
import { RealResults } from './RealResults.tsx';
import './realmodels.css';

export function StoredRealResult({ doc, localId }: { doc: ResultDocument; localId: string | null }) {
  return (
    <div class="rm" data-testid="rm-stored">
      <RealResults doc={doc} output={null} />
      <RealKeep doc={doc} localId={localId} />
    </div>
  );
}
