/**
 * "Copy link": the demo's address with the current settings, through the Clipboard API; where
 * the clipboard is unavailable or refused, the link is shown selected in a text field instead.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';

type CopyState = { kind: 'idle' } | { kind: 'copied' } | { kind: 'fallback' };

function absolute(hash: string): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}${hash}`;
}

export function CopyLink({ href }: { href: string }) {
  const [state, setState] = useState<CopyState>({ kind: 'idle' });
  const field = useRef<HTMLInputElement>(null);
  const url = absolute(href);
  // Selected once, when the field appears: select() also focuses it (Chrome), and the demo's keys
  // are ignored in a form field, so selecting again on each re-render (every progress event of a
  // race) would take the keyboard away from the demo for good.
  const fallback = state.kind === 'fallback';
  useEffect(() => {
    if (fallback) field.current?.select();
  }, [fallback]);
  const copy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setState({ kind: 'copied' });
    } catch {
      setState({ kind: 'fallback' });
    }
  };
  // Once the link is copied by hand, the keyboard goes back to the demo (after the copy itself).
  const release = () => setTimeout(() => field.current?.blur(), 0);
  return (
    <span class="copy-link">
      <button onClick={() => void copy()} data-testid="copy-link">
        {t('demo.copy.button')}
      </button>
      {state.kind === 'copied' ? (
        <span role="status" class="copy-done" data-testid="copy-done">
          {t('demo.copy.done')}
        </span>
      ) : null}
      {fallback ? (
        <label class="copy-fallback">
          <span>{t('demo.copy.fallback')}</span>
          <input readOnly value={url} data-testid="copy-fallback" ref={field} onCopy={release} />
        </label>
      ) : null}
    </span>
  );
}
