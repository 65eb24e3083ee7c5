/** App shell: header with navigation, language and theme; the view for the current hash route. */
import { useEffect, useRef } from 'preact/hooks';
import { lang, LANGS, t, type Lang } from '../i18n/index.ts';
import { FirstVisit } from './FirstVisit.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { hrefFor, location, ROUTES, type Route } from './router.ts';
import { ClassContribution } from './demo/ClassContribution.tsx';
import { classCodeOf } from './demo/pupil-link.ts';
import { modelsMode } from './realmodels/mode.ts';
import './a11y.css';

/**
 * The header's links: every view but the data dictionary, which the dataset view and the upload
 * dialog link to (the header must fit one line at 1280 px, in French too).
 */
const HEADER_ROUTES = ROUTES.filter((r) => r !== 'dictionary');
import { RunView } from './RunView.tsx';
import { lazyView } from './lazy.tsx';
import { lastDoc, lastLocalId, progress, realAnnouncement, runState } from './state.ts';
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

/**
 * One polite live region for the whole app: a short sentence when a run starts, each time a
 * workload finishes, and when the run ends; not every progress tick (that would drown the page).
 */
function LiveAnnouncer() {
  const s = runState.value;
  let text = '';
  switch (s.kind) {
    case 'running': {
      const list = progress.value;
      text = list.length ? t('classroom.live.running', { done: list.filter((w) => w.status === 'done').length, total: list.length }) : '';
      break;
    }
    case 'done':
      text = t('classroom.live.done');
      break;
    case 'error':
      text = t('classroom.live.error');
      break;
    case 'idle':
    case 'cancelled':
      break;
    default: {
      const never: never = s;
      text = String(never);
    }
  }
  // Two sources (the synthetic run, the real race's views): the region says the one that changed
  // last (the synthetic one by its state, so a language switch is not a change), and a real view
  // going away (its text cleared) leaves it quiet instead of bringing back an old synthetic sentence.
  const real = realAnnouncement.value;
  const key = `${s.kind}${s.kind === 'running' ? progress.value.filter((w) => w.status === 'done').length : ''}`;
  const last = useRef({ key: 'idle', real: '', synthetic: false }).current;
  if (real !== last.real) {
    last.real = real;
    last.synthetic = false;
  }
  if (key !== last.key) {
    last.key = key;
    last.synthetic = true;
  }
  return (
    <p class="sr-only" role="status" aria-live="polite" data-testid="live-announcer">
      {last.synthetic ? text : real}
    </p>
  );
}

/** On a pupil's device opened from a class's link, the opt-in to add this run to the class. */
function ClassOptIn({ route, params }: { route: Route; params: URLSearchParams }) {
  const code = classCodeOf(params);
  const s = runState.value;
  // The class pool takes synthetic-race results only: in real mode the synthetic runState is not
  // what the pupil sees (an older result, or none), so nothing is offered there.
  if (!code || (route !== 'run' && route !== 'results') || s.kind !== 'done' || modelsMode(params) === 'real') return null;
  return <ClassContribution code={code} doc={s.doc} />;
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
      {/* The routes live in the hash, so following "#main" would leave the view: focus it instead. */}
      <a
        class="sr-only skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      {/* First in the page: at the end, its static position would lengthen a page that must fit the screen (the demo). */}
      <LiveAnnouncer />
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
            <select value={theme.value} onChange={(e) => (theme.value = (e.target as HTMLSelectElement).value as Theme)} data-testid="theme">
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
        <ClassOptIn route={loc.route} params={loc.params} />
      </main>
      <footer class="app-footer small muted">
        <p>{t('footer.text')}</p>
      </footer>
      <FirstVisit route={loc.route} autorun={loc.params.get('autorun') === '1'} />
    </>
  );
}
