/**
 * One page of individual results from the filtered listing (`GET /api/results`), walked with its
 * cursor: "next" follows the page's `next`, "previous" goes back through the cursors already
 * seen (keyset pagination has no page numbers, so the view keeps the trail). Only one page is
 * ever held, whatever the size of the dataset.
 */
import { useEffect, useState } from 'preact/hooks';
import { fmt, t } from '../../../i18n/index.ts';
import type { ResultListItem } from '../../../shared/dataset.ts';
import { PAGE_SIZES, listingUrl } from './filters.ts';
import type { DatasetFilters } from './filters.ts';

type PageLoad =
  | { kind: 'loading' }
  | { kind: 'ready'; items: ResultListItem[]; next: string | null }
  | { kind: 'error'; status: number | null };

function isPage(x: unknown): x is { items: ResultListItem[]; next: string | null } {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as { items?: unknown; next?: unknown };
  return Array.isArray(p.items) && (p.next === null || typeof p.next === 'string');
}

async function fetchPage(url: string): Promise<PageLoad> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    return { kind: 'error', status: null };
  }
  if (!res.ok) return { kind: 'error', status: res.status };
  try {
    const body: unknown = await res.json();
    return isPage(body) ? { kind: 'ready', items: body.items, next: body.next } : { kind: 'error', status: res.status };
  } catch {
    return { kind: 'error', status: res.status };
  }
}

export function ResultsTable({ filters, pageSize, onPageSize }: { filters: DatasetFilters; pageSize: number; onPageSize: (n: number) => void }) {
  const key = JSON.stringify([filters, pageSize]);
  // Cursors of the pages visited: trail[i] opens page i ('' is the first page). The trail
  // belongs to one filter and page size: new ones start again from the first page.
  const [walk, setWalk] = useState<{ key: string; trail: string[] }>({ key, trail: [''] });
  const trail = walk.key === key ? walk.trail : [''];
  const setTrail = (next: string[]) => setWalk({ key, trail: next });
  const [load, setLoad] = useState<PageLoad>({ kind: 'loading' });
  const page = trail.length - 1;
  const after = trail[page] ?? '';

  useEffect(() => {
    let live = true;
    setLoad({ kind: 'loading' });
    void fetchPage(listingUrl(filters, after, pageSize)).then((l) => {
      if (live) setLoad(l);
    });
    return () => {
      live = false;
    };
  }, [key, after]);

  const first = page * pageSize + 1;
  const shown = load.kind === 'ready' ? load.items.length : 0;
  return (
    <section class="card" aria-labelledby="dataset-results-title" data-testid="dataset-results">
      <h3 id="dataset-results-title">{t('dataset.results.title')}</h3>
      <p class="small muted">{t('dataset.results.intro')}</p>
      <div aria-live="polite" class="small">
        {load.kind === 'loading' ? t('dataset.results.loading') : null}
        {load.kind === 'error' ? <span class="message-error">{load.status === null ? t('results.dataset.offline') : t('results.dataset.error', { status: load.status })}</span> : null}
        {load.kind === 'ready' && shown === 0 ? t('dataset.results.none') : null}
        {load.kind === 'ready' && shown > 0 ? <span data-testid="dataset-results-range">{t('dataset.results.range', { first, last: first + shown - 1 })}</span> : null}
      </div>
      {load.kind === 'ready' && shown > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dataset.results.id')}</th>
                <th scope="col">{t('dataset.results.day')}</th>
                <th scope="col">{t('results.dataset.group')}</th>
                <th scope="col">{t('results.dataset.preset')}</th>
                <th scope="col" class="num">{t('dataset.metric.specializedJ')}</th>
                <th scope="col" class="num">{t('dataset.metric.generalJ')}</th>
                <th scope="col" class="num">{t('dataset.metric.ratio')}</th>
              </tr>
            </thead>
            <tbody>
              {load.items.map((r) => {
                const e = r.doc.energy;
                return (
                  <tr key={r.id}>
                    <td><a href={`/api/results/${encodeURIComponent(r.id)}`}><code>{r.id}</code></a></td>
                    <td>{r.receivedDay}</td>
                    <td>{r.doc.environment.adapter.vendor || '?'} / {r.doc.environment.adapter.architecture || '?'}</td>
                    <td>{r.doc.suite.preset} <span class="small muted">({r.doc.suite.version})</span></td>
                    <td class="num">{fmt(e?.perQuery.specialized.joules.p50 ?? null, 3)}</td>
                    <td class="num">{fmt(e?.perQuery.general.joules.p50 ?? null, 3)}</td>
                    <td class="num">{e ? `${fmt(e.ratio.p50, 2)}×` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav class="pager" aria-label={t('dataset.results.pager')}>
        <button type="button" data-testid="results-prev" disabled={page === 0} onClick={() => setTrail(trail.slice(0, -1))}>{t('dataset.previous')}</button>
        <button type="button" data-testid="results-next" disabled={load.kind !== 'ready' || load.next === null} onClick={() => {
          if (load.kind === 'ready' && load.next !== null) setTrail([...trail, load.next]);
        }}>{t('dataset.next')}</button>
        <label>
          {t('dataset.pageSize')}{' '}
          <select data-testid="results-size" value={String(pageSize)} onChange={(ev) => onPageSize(Number((ev.target as HTMLSelectElement).value))}>
            {PAGE_SIZES.map((n) => <option key={n} value={String(n)}>{n}</option>)}
          </select>
        </label>
      </nav>
    </section>
  );
}
