/**
 * The open dataset (`#/dataset`): community aggregates per group (vendor/architecture, preset,
 * model, task set), with the number of results behind each figure, a distribution per group, the
 * individual results page by page, download links and the licence. Filters live in the address
 * (`#/dataset?vendor=nvidia&preset=quick`), so a link opens the same view; groups and results
 * are paginated, so the view stays light however large the dataset grows.
 */
import { Fragment } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../../i18n/index.ts';
import { DATASET_LICENSE, LISTING_FILTERS } from '../../shared/dataset.ts';
import type { DatasetStats, ListingFilter } from '../../shared/dataset.ts';
import { hrefFor, location, parseHash } from '../router.ts';
import { DEFAULT_PAGE_SIZE, exportUrl, filterGroups, filterOptions, filterParams, pageSizeFrom, readFilters } from './dataset/filters.ts';
import type { DatasetFilters } from './dataset/filters.ts';
import { GroupsSection } from './dataset/GroupsSection.tsx';
import { MeasuredProfilesSection } from './dataset/MeasuredProfilesSection.tsx';
import { ResultsTable } from './dataset/ResultsTable.tsx';
import './results.css';

type Load = { kind: 'loading' } | { kind: 'ready'; stats: DatasetStats } | { kind: 'offline' } | { kind: 'error'; status: number };

async function fetchStats(): Promise<Load> {
  let res: Response;
  try {
    // Revalidate (a 304 is cheap): a visitor who just uploaded sees the dataset with their result.
    res = await fetch('/api/stats', { headers: { accept: 'application/json' }, cache: 'no-cache' });
  } catch {
    return { kind: 'offline' };
  }
  if (!res.ok) return { kind: 'error', status: res.status };
  try {
    return { kind: 'ready', stats: (await res.json()) as DatasetStats };
  } catch {
    return { kind: 'error', status: res.status };
  }
}

/** Write the filters and page size into the address, so the link opens this same view. */
function navigate(filters: DatasetFilters, size: number): void {
  // Parameters that are not the view's own (lang=…) stay in the address.
  const own = new Set<string>([...LISTING_FILTERS, 'size']);
  const kept = Object.fromEntries([...location.value.params].filter(([k]) => !own.has(k)));
  const params: Record<string, string> = { ...kept, ...filterParams(filters) };
  if (size !== DEFAULT_PAGE_SIZE) params.size = String(size);
  const hash = hrefFor('dataset', params);
  history.replaceState(history.state, '', hash);
  location.value = parseHash(hash);
}

function FilterBar({ stats, filters, size }: { stats: DatasetStats; filters: DatasetFilters; size: number }) {
  const options = filterOptions(stats.groups, filters);
  const set = (name: ListingFilter, value: string) => {
    const next: DatasetFilters = { ...filters, [name]: value || undefined };
    // An architecture belongs to a vendor: a new vendor drops it.
    if (name === 'vendor') delete next.architecture;
    // Likewise a version belongs to a task set.
    if (name === 'task') delete next.taskVersion;
    navigate(next, size);
  };
  return (
    <form class="filter-bar" aria-label={t('dataset.filters.label')} data-testid="dataset-filters" onSubmit={(e) => e.preventDefault()}>
      {LISTING_FILTERS.map((name) => {
        // A version belongs to a task set: until one is chosen the select is disabled, and says why.
        const waiting = name === 'taskVersion' && filters.task === undefined;
        const hintId = `dataset-${name}-hint`;
        return (
          <Fragment key={name}>
            <label>
              {t(FILTER_LABEL[name])}{' '}
              <select name={name} value={filters[name] ?? ''} disabled={waiting} aria-describedby={waiting ? hintId : undefined} onChange={(e) => set(name, (e.target as HTMLSelectElement).value)}>
                <option value="">{t('dataset.filters.any')}</option>
                {options[name].map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            </label>
            {waiting ? <span id={hintId} class="small muted" data-testid={hintId}>{t('dataset.filters.taskVersionHint')}</span> : null}
          </Fragment>
        );
      })}
    </form>
  );
}

const FILTER_LABEL: Record<ListingFilter, string> = {
  vendor: 'dataset.filters.vendor',
  architecture: 'dataset.filters.architecture',
  preset: 'dataset.filters.preset',
  model: 'dataset.filters.model',
  dtype: 'dataset.filters.dtype',
  task: 'dataset.filters.task',
  taskVersion: 'dataset.filters.taskVersion',
};

export function DatasetView() {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const refresh = () => {
    setLoad({ kind: 'loading' });
    void fetchStats().then(setLoad);
  };
  useEffect(refresh, []);
  const params = location.value.params;
  const filters = useMemo(() => readFilters(params), [params]);
  const size = pageSizeFrom(params);
  const groups = useMemo(() => (load.kind === 'ready' ? filterGroups(load.stats.groups, filters) : []), [load, filters]);

  const license = (
    <a href={DATASET_LICENSE.url} target="_blank" rel="noreferrer noopener">{DATASET_LICENSE.name}</a>
  );
  const [before, after] = t('results.dataset.license', { license: '\u0000' }).split('\u0000');

  return (
    <div class="results-view" data-testid="dataset-view">
      <section class="card" aria-labelledby="dataset-title">
        <h2 id="dataset-title">{t('results.dataset.title')}</h2>
        <p class="small muted">{t('results.dataset.intro')}</p>
        <p class="license-note" data-testid="dataset-license">{before}{license}{after}</p>
        <p>
          {t('results.dataset.download')}{' '}
          <a href={exportUrl('csv', filters)} download>{t('results.dataset.csv')}</a> ·{' '}
          <a href={exportUrl('jsonl', filters)} download>{t('results.dataset.jsonl')}</a>
          {Object.keys(filterParams(filters)).length > 0 ? <span class="small muted"> {t('dataset.filters.exportNote')}</span> : null}
        </p>
        <p class="small"><a href="/api/openapi.json" data-testid="dataset-openapi">{t('dataset.api.link')}</a> {t('dataset.api.note')}</p>
        <p><a href={hrefFor('dictionary')} data-testid="dataset-dictionary">{t('results.dictionary.link')}</a></p>
        <div aria-live="polite">
          {load.kind === 'loading' ? <p>{t('results.dataset.loading')}</p> : null}
          {load.kind === 'offline' ? <p class="message-error">{t('results.dataset.offline')}</p> : null}
          {load.kind === 'error' ? <p class="message-error">{t('results.dataset.error', { status: load.status })}</p> : null}
          {load.kind === 'ready' ? <p>{t('results.dataset.total', { count: load.stats.total })}</p> : null}
        </div>
        <button type="button" onClick={refresh} disabled={load.kind === 'loading'}>{t('results.dataset.refresh')}</button>
      </section>
      {load.kind === 'ready' && load.stats.groups.length === 0 ? <p class="card">{t('results.dataset.empty')}</p> : null}
      {load.kind === 'ready' && load.stats.groups.length > 0 ? (
        <>
          <section class="card">
            <FilterBar stats={load.stats} filters={filters} size={size} />
            {groups.length === 0 ? <p data-testid="dataset-no-group">{t('dataset.groups.none')}</p> : null}
          </section>
          {groups.length > 0 ? <GroupsSection key={JSON.stringify(filters)} groups={groups} pageSize={size} /> : null}
          <ResultsTable filters={filters} pageSize={size} onPageSize={(n) => navigate(filters, n)} />
          <MeasuredProfilesSection />
        </>
      ) : null}
    </div>
  );
}
