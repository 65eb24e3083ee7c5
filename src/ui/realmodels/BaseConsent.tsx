/**
 * "Load models from elsewhere.example?": shown when the address names a base on another host than
 * this page's and the hub's (consent.ts). Nothing is asked of that host, not even a size, until the
 * visitor agrees; declining goes back to where the files come from by default (this page's own
 * `/models/` when it holds the pair, else the hub). Two plain buttons, so the keyboard reaches both;
 * answering removes the focused button with the card, so focus moves on to what comes next.
 */
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { agreeToBase, baseEdited, consentNeeded } from './consent.ts';
import { choice, detectLocalBase, settleSizes, writeChoiceToAddress } from './state.ts';

function agree(base: string): void {
  agreeToBase(base);
  settleSizes();
}

async function decline(): Promise<void> {
  // The field is emptied: what the visitor types next is theirs (consent.ts `baseEdited`).
  baseEdited('');
  choice.value = { ...choice.value, base: '' };
  writeChoiceToAddress();
  await detectLocalBase();
  settleSizes();
}

/** Where focus goes once the card is answered and gone: the start button, else the models' heading. */
function focusAfterAnswer(): void {
  const start = document.querySelector<HTMLButtonElement>('[data-testid="rm-start"]');
  if (start && !start.disabled) start.focus();
  else document.getElementById('rm-models-h')?.focus();
}

export function BaseConsent() {
  const base = choice.value.base.trim();
  const origin = consentNeeded(base);
  // Set by a click on either button; read once the card has left the page (a later render).
  const answered = useRef(false);
  useEffect(() => {
    if (origin !== null || !answered.current) return;
    answered.current = false;
    focusAfterAnswer();
  });
  if (origin === null) return null;
  const host = new URL(origin).host;
  return (
    <section class="card rm-consent" aria-labelledby="rm-consent-h" data-testid="rm-consent" data-host={host}>
      <h2 id="rm-consent-h">{t('realmodels.consent.title', { host })}</h2>
      <p>{t('realmodels.consent.body', { base })}</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => {
            answered.current = true;
            agree(base);
          }} data-testid="rm-consent-yes">
          {t('realmodels.consent.yes', { host })}
        </button>
        <button type="button" onClick={() => {
            answered.current = true;
            void decline();
          }} data-testid="rm-consent-no">
          {t('realmodels.consent.no')}
        </button>
      </div>
    </section>
  );
}
