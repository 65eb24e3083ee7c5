/** App shell: header with navigation, language and theme; the view for the current hash route. */
import { useEffect } from 'preact/hooks';
import { lang, LANGS, t, type Lang } from '../i18n/index.ts';
import { FirstVisit } from './FirstVisit.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { hrefFor, location, ROUTES, type Route } from './router.ts';

/**
 * The header's links: every view but the data dictionary, which the dataset view and the upload
 * dialog link to (the header must fit one line at 1280 px, in French too).
 */
const HEADER_ROUTES = ROUTES.filter((r) => r !== 'dictionary');
import { RunView } from './RunView.tsx';
import { lazyView } from './lazy.tsx';
import { lastDoc, lastLocalId } from './state.ts';
import { theme, THEMES, type Theme } from './theme.ts';

// Loaded on first visit of their route (see lazy.tsx): only #/ and #/results ship in the entry.
const DemoView = lazyView(() => import('./DemoView.tsx').then((m) => m.DemoView));
const DictionaryView = lazyView(() => import('./DictionaryView.tsx').then((m) => m.DictionaryView));
const MethodologyView = lazyView(() => import('./energy/MethodologyView.tsx').then((m) => m.MethodologyView));
const ModelView = lazyView(() => import('./model/ModelView.tsx').then((m) => m.ModelView));
const DatasetView = lazyView(() => import('./results/DatasetView.tsx').then((m) => m.DatasetView));
const HistoryView = lazyView(() => import('./results/HistoryView.tsx').then((m) => m.HistoryView));

function ResultsRoute() {
  const doc = lastDoc.value;
  if (!doc) {
    return (
      <section class="card">
        <p>{t('results.none')}</p>
        <a href={hrefFor('run')}>{t('nav.run')}</a> · <a href={hrefFor('history')}>{t('nav.history')}</a>
      </section>
    );
  }
  return <ResultsPanel doc={doc} localId={lastLocalId.value} />;
}

function View({ route }: { route: Route }) {
  switch (route) {
    case 'run':
      return <RunView />;
    case 'results':
      return <ResultsRoute />;
    case 'demo':
      return <DemoView />;
    case 'history':
      return <HistoryView />;
    case 'dataset':
      return <DatasetView />;
    case 'methodology':
      return <MethodologyView />;
    case 'model':
      return <ModelView />;
    case 'dictionary':
      return <DictionaryView />;
    default: {
      const never: never = route;
      return <p>{String(never)}</p>;
    }
  }
}

export function App() {
  const loc = location.value;
  useEffect(() => {
    const l = loc.params.get('lang');
    if (l === 'en' || l === 'fr') lang.value = l;
  }, [loc.params.get('lang')]);
  useEffect(() => {
    document.documentElement.lang = lang.value;
    document.title = t('app.title');
  }, [lang.value]);
  return (
    <>
      <a class="sr-only" href="#main">
        {t('nav.skip')}
      </a>
      <header class="app-header">
        <a class="brand" href={hrefFor('run')}>
          {t('app.title')}
        </a>
        <nav aria-label={t('nav.label')}>
          {HEADER_ROUTES.map((r) => (
            <a key={r} href={hrefFor(r)} aria-current={loc.route === r ? 'page' : undefined}>
              {t(`nav.${r}`)}
            </a>
          ))}
        </nav>
        <div class="controls">
          <label>
            <span class="sr-only">{t('nav.language')}</span>
            <select value={lang.value} onChange={(e) => (lang.value = (e.target as HTMLSelectElement).value as Lang)} data-testid="lang">
              {LANGS.map((l) => (
                <option value={l} key={l}>
                  {l === 'fr' ? 'Français' : 'English'}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span class="sr-only">{t('nav.theme')}</span>
            <select value={theme.value} onChange={(e) => (theme.value = (e.target as HTMLSelectElement).value as Theme)}>
              {THEMES.map((th) => (
                <option value={th} key={th}>
                  {t(`theme.${th}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <View route={loc.route} />
      </main>
      <footer class="app-footer small muted">
        <p>{t('footer.text')}</p>
      </footer>
      <FirstVisit route={loc.route} autorun={loc.params.get('autorun') === '1'} />
    </>
  );
}
