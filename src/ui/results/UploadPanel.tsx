/**
 * Opt-in upload: a consent dialog shows the exact anonymized JSON that will be sent (the same
 * string is sent, byte for byte), then the id and the withdrawal token, which is also kept in
 * the local history. Every failure mode gets its own message.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ResultDocument } from '../../shared/result.ts';
import { DATASET_LICENSE } from '../../shared/dataset.ts';
import { t } from '../../i18n/index.ts';
import { hrefFor } from '../router.ts';
import { buildPayload, newIdempotencyKey, sendPayload, withdrawalCommand, withdrawResult } from '../../results/upload.ts';
import type { UploadOutcome, WithdrawOutcome } from '../../results/upload.ts';
import { clearUpload, getRun, historyRevision, keepReceipt, pendingUploadKey } from '../../results/history.ts';
import type { KeepReceiptOutcome, UploadReceipt } from '../../results/history.ts';
import './results.css';

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending' }
  /** `kept`: whether the receipt could be saved in the local history (accepted uploads only). */
  | { kind: 'done'; outcome: UploadOutcome; kept: KeepReceiptOutcome | null }
  | { kind: 'withdrawing' }
  | { kind: 'withdrawn'; outcome: WithdrawOutcome };

function origin(): string {
  return typeof location === 'undefined' ? '' : location.origin;
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
      }}
    >
      {copied ? t('results.upload.copied') : t('results.upload.copy')}
    </button>
  );
}

/** Message for a finished upload attempt; exhaustive over the outcome kinds. */
function OutcomeMessage({ outcome, keptLocally }: { outcome: UploadOutcome; keptLocally: boolean }) {
  switch (outcome.kind) {
    case 'accepted':
      return <Receipt receipt={{ remoteId: outcome.id, token: outcome.token, day: '' }} fresh keptLocally={keptLocally} />;
    case 'duplicate':
      return <p class="message-warn">{t('results.upload.duplicate', { id: outcome.id })}</p>;
    case 'offline':
      return <p class="message-error">{t('results.upload.offline')}</p>;
    case 'invalid':
      return (
        <div class="message-error">
          <p>{t('results.upload.invalid')}</p>
          <ul class="issues">{outcome.issues.map((i) => <li key={i}>{i}</li>)}</ul>
        </div>
      );
    case 'rejected':
      return (
        <div class="message-error">
          <p>{t('results.upload.rejected', { status: outcome.status, message: outcome.message })}</p>
          {outcome.issues.length ? <ul class="issues">{outcome.issues.map((i) => <li key={i}>{i}</li>)}</ul> : null}
        </div>
      );
    case 'rate-limited':
      return (
        <p class="message-error">
          {outcome.retryAfterS === null ? t('results.upload.rateLimitedNoDelay') : t('results.upload.rateLimited', { seconds: outcome.retryAfterS })}
        </p>
      );
    case 'server-error':
      return <p class="message-error">{t('results.upload.serverError', { status: outcome.status })}</p>;
    default: {
      const never: never = outcome;
      return <p>{String(never)}</p>;
    }
  }
}

export function withdrawMessage(outcome: WithdrawOutcome): { text: string; cls: string } {
  switch (outcome.kind) {
    case 'withdrawn':
      return { text: t('results.upload.withdrawn'), cls: 'message-ok' };
    case 'not-found':
      return { text: t('results.upload.notFound'), cls: 'message-warn' };
    case 'wrong-token':
      return { text: t('results.upload.wrongToken'), cls: 'message-error' };
    case 'offline':
      return { text: t('results.upload.offline'), cls: 'message-error' };
    case 'rate-limited':
      return { text: outcome.retryAfterS === null ? t('results.upload.rateLimitedNoDelay') : t('results.upload.rateLimited', { seconds: outcome.retryAfterS }), cls: 'message-error' };
    case 'server-error':
      return { text: t('results.upload.serverError', { status: outcome.status }), cls: 'message-error' };
    default: {
      const never: never = outcome;
      return { text: String(never), cls: '' };
    }
  }
}

function Receipt({ receipt, fresh, keptLocally = true }: { receipt: UploadReceipt; fresh?: boolean; keptLocally?: boolean }) {
  const cmd = withdrawalCommand(origin(), receipt.remoteId, receipt.token);
  return (
    <div data-testid="upload-receipt">
      <p class="message-ok">
        {fresh ? t('results.upload.accepted', { id: receipt.remoteId }) : t('results.upload.already', { id: receipt.remoteId, day: receipt.day })}
      </p>
      <p class="small">{keptLocally ? t('results.upload.tokenLabel') : t('results.upload.tokenLabelNotKept')}</p>
      <div class="row">
        <code class="secret" data-testid="upload-token">{receipt.token}</code>
        <CopyButton text={receipt.token} />
      </div>
      <p class="small">{t('results.upload.commandLabel')}</p>
      <div class="row">
        <code class="secret">{cmd}</code>
        <CopyButton text={cmd} />
      </div>
      <p class="small muted">{t('results.upload.keepToken')}</p>
    </div>
  );
}

export function UploadPanel(props: { doc: ResultDocument; localId: string | null }) {
  const { doc, localId } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [consent, setConsent] = useState(false);
  const [receipt, setReceipt] = useState<UploadReceipt | null>(null);
  const pendingKey = useRef<string | null>(null);
  // Computed once per document: the preview text is the body that will be sent.
  const payload = useMemo(() => buildPayload(doc), [doc]);
  const rev = historyRevision.value;
  // A different payload is a different upload: it must not reuse the previous idempotency key.
  useEffect(() => {
    pendingKey.current = null;
  }, [payload]);
  // Another run is another upload: a finished or failed attempt belongs to the previous one. A
  // stored run is named by its id (its document is re-read after every history change, the same
  // run), an unsaved one by its document.
  const identity: string | ResultDocument = localId ?? doc;
  useEffect(() => {
    setPhase({ kind: 'idle' });
  }, [identity]);

  useEffect(() => {
    let live = true;
    if (!localId) {
      setReceipt(null);
      return;
    }
    getRun(localId).then((r) => live && setReceipt(r?.upload ?? null), () => live && setReceipt(null));
    return () => {
      live = false;
    };
  }, [localId, rev]);

  const open = () => {
    setConsent(false);
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();

  const send = async () => {
    if (!payload.ok || !consent) return;
    close();
    setPhase({ kind: 'sending' });
    // One idempotency key per upload attempt-series: kept with the run in the local history
    // (so a retry after a reload reuses it), else for this panel's lifetime. A retry after a
    // lost answer then gets the id and a token back instead of a token-less duplicate.
    const key = localId
      ? await pendingUploadKey(localId, () => pendingKey.current ?? newIdempotencyKey()).catch(() => pendingKey.current ?? newIdempotencyKey())
      : (pendingKey.current ?? newIdempotencyKey());
    pendingKey.current = key;
    const outcome = await sendPayload(payload.json, undefined, key);
    let kept: KeepReceiptOutcome | null = null;
    if (outcome.kind === 'accepted') {
      pendingKey.current = null;
      // The server keeps only the token's hash: if it cannot be saved here, the user must be told.
      kept = await keepReceipt(localId, { remoteId: outcome.id, token: outcome.token });
    }
    setPhase({ kind: 'done', outcome, kept });
  };

  const withdraw = async (r: UploadReceipt) => {
    setPhase({ kind: 'withdrawing' });
    const outcome = await withdrawResult(r.remoteId, r.token);
    if ((outcome.kind === 'withdrawn' || outcome.kind === 'not-found') && localId) await clearUpload(localId).catch(() => undefined);
    setPhase({ kind: 'withdrawn', outcome });
  };

  const license = DATASET_LICENSE.name;
  const current = receipt ?? (phase.kind === 'done' && phase.outcome.kind === 'accepted' ? { remoteId: phase.outcome.id, token: phase.outcome.token, day: '' } : null);

  return (
    <section class="card results-view" aria-labelledby="upload-title" data-testid="upload-panel">
      <h2 id="upload-title">{t('results.upload.title')}</h2>
      <p class="small muted">{t('results.upload.intro')}</p>
      <div aria-live="polite">
        {phase.kind === 'sending' || phase.kind === 'withdrawing' ? <p>{t('results.upload.sending')}</p> : null}
        {phase.kind === 'done' && phase.kept && !phase.kept.kept ? (
          <p class="message-warn" role="alert" data-testid="upload-token-not-kept">
            <strong>{t('results.upload.tokenNotKept')}</strong> {t('results.upload.tokenNotKeptReason', { reason: phase.kept.reason })}
          </p>
        ) : null}
        {phase.kind === 'done' ? <OutcomeMessage outcome={phase.outcome} keptLocally={phase.kept?.kept ?? true} /> : null}
        {phase.kind === 'done' && phase.outcome.kind === 'accepted' ? null : receipt ? <Receipt receipt={receipt} /> : null}
        {phase.kind === 'withdrawn' ? (() => { const m = withdrawMessage(phase.outcome); return <p class={m.cls}>{m.text}</p>; })() : null}
      </div>
      <div class="row">
        {current ? (
          <button type="button" class="danger" disabled={phase.kind === 'withdrawing'} onClick={() => void withdraw(current)}>
            {t('results.upload.withdrawNow')}
          </button>
        ) : (
          <button type="button" class="primary" disabled={phase.kind === 'sending'} onClick={open} data-testid="upload-review">
            {t('results.upload.review')}
          </button>
        )}
      </div>
      <dialog ref={dialog} class="upload-dialog" aria-labelledby="upload-dialog-title">
        <form method="dialog" onSubmit={(e) => { e.preventDefault(); void send(); }}>
          <h3 id="upload-dialog-title">{t('results.upload.dialogTitle')}</h3>
          <p class="small">{t('results.upload.included')}</p>
          <p class="small">{t('results.upload.excluded')}</p>
          <p class="small"><a href={hrefFor('dictionary')} target="_blank" rel="noopener">{t('results.dictionary.link')}</a></p>
          {payload.ok ? (
            <pre class="payload-preview" aria-label={t('results.upload.payloadLabel')} tabIndex={0} data-testid="upload-payload">{payload.json}</pre>
          ) : (
            <div class="message-error">
              <p>{t('results.upload.invalid')}</p>
              <ul class="issues">{payload.issues.map((i) => <li key={i}>{i}</li>)}</ul>
            </div>
          )}
          <p class="small license-note">
            {t('results.upload.license', { license })} <a href={DATASET_LICENSE.url} target="_blank" rel="noreferrer noopener">{DATASET_LICENSE.url}</a>
          </p>
          <label class="row">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} disabled={!payload.ok} data-testid="upload-consent" />
            {t('results.upload.consent', { license })}
          </label>
          <div class="row">
            <button type="submit" class="primary" disabled={!payload.ok || !consent} data-testid="upload-send">{t('results.upload.send')}</button>
            <button type="button" onClick={close}>{t('results.upload.cancel')}</button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
