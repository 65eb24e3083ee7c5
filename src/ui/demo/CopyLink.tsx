/**
 * "Copy link": the demo's address with the current settings, through the Clipboard API; where
 * the clipboard is unavailable or refused, the link is shown selected in a text field instead.
 */
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';

type CopyState = { kind: 'idle' } | { kind: 'copied' } | { kind: 'fallback' };

function absolute(hash: string): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}${hash}`;
}

export function CopyLink({ href }: { href: string }) {
  const [state, setState] = useState<CopyState>({ kind: 'idle' });
  const url = absolute(href);
  const copy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setState({ kind: 'copied' });
    } catch {
      setState({ kind: 'fallback' });
    }
  };
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
      {state.kind === 'fallback' ? (
        <label class="copy-fallback">
          <span>{t('demo.copy.fallback')}</span>
          <input readOnly value={url} data-testid="copy-fallback" ref={(el) => el?.select()} />
        </label>
      ) : null}
    </span>
  );
}
