/**
 * On a pupil's device opened from the class's link (`class=CODE` in the address): after the run,
 * an opt-in to add this device's figures to the class's distribution on the projector. It lists
 * exactly what is sent (two energies, the ratio, the kind of GPU) and sends nothing unless ticked.
 */
import { useMemo, useState } from 'preact/hooks';
import { fmt, t } from '../../i18n/index.ts';
import { classEntryFrom, newDeviceKey } from '../../shared/classroom.ts';
import type { ResultDocument } from '../../shared/result.ts';
import { submitEntry, type SubmitOutcome } from './class-api.ts';
import { fmtJoules } from './ClassPool.tsx';
import './classroom.css';

function outcomeText(o: SubmitOutcome): string {
  switch (o) {
    case 'added':
    case 'replaced':
      return t('classroom.sent');
    case 'ended':
      return t('classroom.send.ended');
    case 'unknown':
      return t('classroom.send.unknown');
    case 'refused':
      return t('classroom.send.refused');
    case 'busy':
      return t('classroom.send.busy');
    case 'failed':
      return t('classroom.send.failed');
    default: {
      const never: never = o;
      return String(never);
    }
  }
}

export function ClassContribution({ code, doc }: { code: string; doc: ResultDocument }) {
  // One key per result: sending the same result again replaces it instead of adding a second dot.
  const entry = useMemo(() => classEntryFrom(doc, newDeviceKey()), [doc]);
  const [agreed, setAgreed] = useState(false);
  const [outcome, setOutcome] = useState<SubmitOutcome | null>(null);
  const [sending, setSending] = useState(false);
  if (!entry) return null;
  const send = async () => {
    setSending(true);
    setOutcome(await submitEntry(code, entry));
    setSending(false);
  };
  const done = outcome === 'added' || outcome === 'replaced';
  return (
    <section class="card class-contribution" aria-labelledby="class-contribution-title" data-testid="class-contribution">
      <h2 id="class-contribution-title">{t('classroom.contribute.title', { code })}</h2>
      <label class="toggle">
        <input type="checkbox" checked={agreed} disabled={done} onChange={(e) => setAgreed((e.target as HTMLInputElement).checked)} data-testid="class-optin" />
        {t('classroom.contribute.optin')}
      </label>
      <dl>
        <dt>{t('classroom.pool.specialized')}</dt>
        <dd>{fmtJoules(entry.specializedJ)}</dd>
        <dt>{t('classroom.pool.general')}</dt>
        <dd>{fmtJoules(entry.generalJ)}</dd>
        <dt>{t('classroom.pool.ratio')}</dt>
        <dd>{`${fmt(entry.ratio, 2)}×`}</dd>
        <dt>{t('classroom.contribute.gpu')}</dt>
        <dd>{[entry.vendor, entry.architecture].filter(Boolean).join(' · ') || '—'}</dd>
      </dl>
      <p class="small muted">{t('classroom.contribute.privacy')}</p>
      <div class="row">
        <button class="primary" disabled={!agreed || sending || done} onClick={() => void send()} data-testid="class-send">
          {t('classroom.contribute.send')}
        </button>
        {outcome ? (
          <span role="status" data-testid="class-sent" data-outcome={outcome}>
            {outcomeText(outcome)}
          </span>
        ) : null}
      </div>
    </section>
  );
}
