/**
 * "Type your own sentence": both loaded models answer one text, each answer with its time and
 * its energy (that time × the power profile of the run's estimate; time only without one).
 * The text and the replies stay on this device.
 */
import { useState } from 'preact/hooks';
import { fmt, t } from '../../i18n/index.ts';
import { answerText, ownSentenceTexts } from '../../i18n/realmodels-task.ts';
import type { ResultDocument, Role } from '../../shared/result.ts';
import { errorHintKey } from '../errors.ts';
import { answerEnergy } from './figures.ts';
import { joulesRange } from './format.ts';
import { askOwnSentence, ownAnswers } from './state.ts';

function Answer({ role, label, ms, raw, doc }: { role: Role; label: Parameters<typeof answerText>[0]; ms: number; raw?: string; doc: ResultDocument }) {
  const energy = answerEnergy(doc, role, ms);
  return (
    <div class={`rm-own-answer role-${role}`} data-testid={`own-${role}`}>
      <strong>{t(`results.role.${role}`)}</strong>: <span data-testid={`own-${role}-label`}>{answerText(label)}</span>
      {raw !== undefined ? (
        <p class="small">
          {t('realmodels.own.reply')} <q>{raw}</q>
        </p>
      ) : null}
      <p class="small" data-testid={`own-${role}-cost`}>
        {t('realmodels.own.time', { ms: fmt(ms, 2) })} · {energy ? t('realmodels.own.energy', { energy: joulesRange(energy) }) : t('realmodels.own.noEnergy')}
      </p>
    </div>
  );
}

export function OwnSentence({ doc }: { doc: ResultDocument }) {
  const [text, setText] = useState('');
  const texts = ownSentenceTexts();
  const s = ownAnswers.value;
  return (
    <section class="card rm-own" aria-labelledby="rm-own-h" data-testid="rm-own">
      <h2 id="rm-own-h">{texts.title}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void askOwnSentence(text);
        }}
      >
        <label for="rm-own-text" class="sr-only">
          {texts.title}
        </label>
        <textarea id="rm-own-text" rows={2} maxLength={1000} placeholder={texts.placeholder} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} data-testid="own-text" />
        <button type="submit" class="primary" disabled={text.trim() === '' || s.kind === 'asking'} data-testid="own-submit">
          {texts.submit}
        </button>
      </form>
      <p class="small muted">{texts.hint}</p>
      <p class="small muted">{t('realmodels.own.energyHow')}</p>
      <div aria-live="polite">
        {s.kind === 'asking' ? <p class="muted" aria-busy="true">{t('realmodels.own.asking')}</p> : null}
        {s.kind === 'done' ? (
          <>
            <Answer role="specialized" label={s.answers.specialized.label} ms={s.answers.specialized.ms} doc={doc} />
            <Answer role="general" label={s.answers.general.label} ms={s.answers.general.ms} raw={s.answers.general.raw} doc={doc} />
          </>
        ) : null}
        {s.kind === 'error' ? (
          <p class="small message-error" role="alert">
            {s.failure.message} {t(errorHintKey(s.failure))}
          </p>
        ) : null}
      </div>
    </section>
  );
}
