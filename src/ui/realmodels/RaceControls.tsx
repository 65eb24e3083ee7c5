/**
 * Start and cancel of the real-models race, the start button saying what will be downloaded, and
 * what a failure or a cancel means (nothing downloaded is lost: starting again resumes).
 */
import { t } from '../../i18n/index.ts';
import { capsState } from '../state.ts';
import { errorHintKey } from '../errors.ts';
import { formatBytes } from '../format.ts';
import { cancelRealRace, mayAsk, race, sizes, startRealRace, type RaceOptions } from './state.ts';

/** Bytes still to download for the pair, or null while unknown. */
export function bytesToDownload(): number | null {
  const s = sizes.value;
  if (s.kind !== 'ready' || s.classifier.toDownload === null || s.generator.toDownload === null) return null;
  return s.classifier.toDownload + s.generator.toDownload;
}

export function startLabel(): string {
  const bytes = bytesToDownload();
  const resume = race.value.kind === 'cancelled';
  if (bytes === null) return t('realmodels.start.unknown');
  if (bytes === 0) return t('realmodels.start.cached');
  return resume ? t('realmodels.start.resume', { bytes: formatBytes(bytes) }) : t('realmodels.start.download', { bytes: formatBytes(bytes) });
}

export function RaceControls({ country, opts }: { country: string | null; opts: RaceOptions }) {
  const running = race.value.kind === 'running';
  const caps = capsState.value;
  const available = caps.status === 'ready' && caps.caps.available;
  // An invalid choice, or a base on a host the visitor has not agreed to (BaseConsent), runs nothing.
  const blocked = !mayAsk();
  return (
    <div class="row">
      <button class="primary" disabled={running || !available || blocked} onClick={() => void startRealRace(country, opts)} data-testid="rm-start">
        {startLabel()}
      </button>
      <button class="danger" disabled={!running} onClick={cancelRealRace} data-testid="rm-cancel">
        {t('realmodels.cancel')}
      </button>
    </div>
  );
}

export function RaceError() {
  const s = race.value;
  if (s.kind !== 'error') return null;
  return (
    <section class="card error" role="alert" data-testid="rm-error" data-error-name={s.failure.name ?? ''}>
      <h2>{t('realmodels.failed')}</h2>
      <p>{s.failure.message}</p>
      <p class="small">{t(errorHintKey(s.failure))}</p>
    </section>
  );
}
