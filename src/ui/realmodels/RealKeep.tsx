/**
 * Under a real-models result: download it (JSON, CSV) and share it (the same upload panel as the
 * synthetic race: the exact payload shown, consent, then the id and the withdrawal token). The
 * document holds no reply of the general model, so neither the files nor the upload do.
 */
import { t } from '../../i18n/index.ts';
import type { ResultDocument } from '../../shared/result.ts';
import { downloadText } from '../results/download.ts';
import { UploadPanel } from '../results/UploadPanel.tsx';
import { realDownloads, type DownloadFile } from './keep.ts';

const save = (f: DownloadFile) => downloadText(f.name, f.mime, f.text);

/** `share`: offer the upload (false for a result the dataset's checks no longer accept: StoredRealResult says why). */
export function RealKeep({ doc, localId, share = true }: { doc: ResultDocument; localId: string | null; share?: boolean }) {
  return (
    <>
      <section class="card" aria-labelledby="rm-keep-h" data-testid="rm-keep">
        <h2 id="rm-keep-h">{t('realmodels.keep.title')}</h2>
        <div class="row">
          <button type="button" data-testid="rm-download-json" onClick={() => save(realDownloads(doc, localId).json)}>
            {t('realmodels.keep.json')}
          </button>
          <button type="button" data-testid="rm-download-csv" onClick={() => save(realDownloads(doc, localId).csv)}>
            {t('realmodels.keep.csv')}
          </button>
        </div>
        <p class="small muted">{t('realmodels.keep.noReplies')}</p>
      </section>
      {share ? <UploadPanel doc={doc} localId={localId} /> : null}
    </>
  );
}
