/**
 * Views a visitor may never open load on demand, so the first screen of `#/` stays within its
 * JavaScript budget (scripts/size-budget.ts). A failed chunk (offline, a deploy that replaced it)
 * says so and offers a retry instead of leaving an empty page.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/index.ts';

type LoadState<P> =
  | { kind: 'loading' }
  | { kind: 'ready'; View: ComponentType<P> }
  | { kind: 'failed'; message: string };

/** A component that loads `load`'s component on first render and passes its props through. */
export function lazyView<P extends object = Record<string, never>>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyView(props: P) {
    const [state, setState] = useState<LoadState<P>>(loaded ? { kind: 'ready', View: loaded } : { kind: 'loading' });
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      load().then(
        (View) => {
          loaded = View;
          if (live) setState({ kind: 'ready', View });
        },
        (e: unknown) => live && setState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    switch (state.kind) {
      case 'loading':
        return <p class="muted" aria-busy="true">{t('view.loading')}</p>;
      case 'ready':
        return <state.View {...props} />;
      case 'failed':
        return (
          <section class="card" role="alert">
            <p>{t('view.loadFailed')}</p>
            <p class="small muted">{state.message}</p>
            <button
              type="button"
              onClick={() => {
                setState({ kind: 'loading' });
                setAttempt((n) => n + 1);
              }}
            >
              {t('view.retry')}
            </button>
          </section>
        );
      default: {
        const never: never = state;
        return never;
      }
    }
  };
}
