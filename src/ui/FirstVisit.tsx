/**
 * The first-visit explanation: what a GPU kernel is, why generating an answer costs more than
 * classifying, and what the ranges mean. Shown once on the run view (remembered in
 * localStorage), never on the projector demo nor on a headless `autorun` page; "How it works"
 * opens it again. A modal dialog: focus moves into it, Esc or either button closes it, and focus
 * returns where it was.
 */
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/index.ts';
import type { Route } from './router.ts';

/** The localStorage flag: set once the visitor has closed the explanation. */
export const GUIDE_SEEN_KEY = 'fal.guideSeen';

const guideOpen = signal(false);
let returnFocus: HTMLElement | null = null;

function seen(): boolean {
  try {
    return localStorage.getItem(GUIDE_SEEN_KEY) === '1';
  } catch {
    // Storage refused (private mode, a sandboxed frame): show it, and never fail the page.
    return false;
  }
}

function remember(): void {
  try {
    localStorage.setItem(GUIDE_SEEN_KEY, '1');
  } catch {
    // Not remembered: it will show again next visit, which is harmless.
  }
}

function openGuide(): void {
  returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  guideOpen.value = true;
}

function closeGuide(): void {
  remember();
  guideOpen.value = false;
}

/** "How it works": reopens the explanation (the first visit is not the only time one needs it). */
export function HowItWorksButton() {
  return (
    <button type="button" class="link-button" onClick={openGuide} data-testid="guide-open">
      {t('guide.open')}
    </button>
  );
}

/** One pass for the classifier; the prompt, then one pass per word, for the chat model. */
function PassesDiagram() {
  const words = 5;
  return (
    <svg class="guide-diagram" viewBox="0 0 360 96" role="img" aria-label={t('guide.diagram.label')}>
      <text x="0" y="20" class="guide-diagram-text">{t('guide.diagram.classifier')}</text>
      <rect x="120" y="6" width="60" height="20" rx="3" class="guide-pass guide-pass-spec" />
      <text x="0" y="66" class="guide-diagram-text">{t('guide.diagram.chat')}</text>
      <rect x="120" y="52" width="60" height="20" rx="3" class="guide-pass guide-pass-gen" />
      {Array.from({ length: words }, (_, i) => (
        <rect key={i} x={186 + i * 34} y="52" width="30" height="20" rx="3" class="guide-pass guide-pass-gen" />
      ))}
      <text x="120" y="90" class="guide-diagram-note">{t('guide.diagram.prompt')}</text>
      <text x="186" y="90" class="guide-diagram-note">{t('guide.diagram.words')}</text>
    </svg>
  );
}

export function FirstVisit({ route, autorun }: { route: Route; autorun: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const primary = useRef<HTMLButtonElement>(null);

  // Shown by itself once, on the run view only: the demo is projected to a class, and a
  // headless run (`autorun=1`) has nobody to read it.
  useEffect(() => {
    if (route === 'demo') guideOpen.value = false;
    else if (route === 'run' && !autorun && !seen()) openGuide();
  }, [route, autorun]);

  const open = guideOpen.value;
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
      primary.current?.focus();
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
      if (returnFocus?.isConnected) returnFocus.focus();
      returnFocus = null;
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      class="guide"
      aria-labelledby="guide-title"
      data-testid="guide"
      onCancel={(e) => {
        // Esc: close through the same path as the buttons, so it is remembered.
        e.preventDefault();
        closeGuide();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          closeGuide();
        }
      }}
    >
      {open ? (
        <>
          <h2 id="guide-title">{t('guide.title')}</h2>
          <h3>{t('guide.kernel.title')}</h3>
          <p>{t('guide.kernel.body')}</p>
          <h3>{t('guide.passes.title')}</h3>
          <p>{t('guide.passes.body')}</p>
          <PassesDiagram />
          <h3>{t('guide.ranges.title')}</h3>
          <p>{t('guide.ranges.body')}</p>
          <div class="row guide-actions">
            <button ref={primary} type="button" class="primary" onClick={closeGuide} data-testid="guide-close">
              {t('guide.close')}
            </button>
            <button type="button" onClick={closeGuide} data-testid="guide-skip">
              {t('guide.skip')}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
