// @vitest-environment happy-dom
/**
 * The dataset view at scale, against a stubbed API: filters read from and written to the
 * address, the results table walked with the listing's cursor, groups paginated, and each
 * group's distribution drawn from its sketch quantiles (or "no distribution yet").
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, until } from './helpers.ts';
import { DATASET_LICENSE, type DatasetStats, type GroupStats, type ResultListItem } from '../../../src/shared/dataset.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { DatasetView } = await import('../../../src/ui/results/DatasetView.tsx');

const quantiles = (base: number) => Array.from({ length: 19 }, (_, i) => ({ q: Math.round((i + 1) * 5) / 100, value: base * (1 + i / 10) }));

function group(i: number, over: Partial<GroupStats> = {}): GroupStats {
  return {
    vendor: i % 2 === 0 ? 'nvidia' : 'amd', architecture: `arch-${i}`, preset: 'quick', suiteVersion: 'quick-1', model: null, dtype: null, task: null, count: 10 + i,
    medianSource: 'sketch', distributions: [], medianGeneralJ: 1 + i, medianSpecializedJ: 0.1, medianRatio: 10 + i, ...over,
  };
}

const withDist = group(0, {
  distributions: [
    { metric: 'ratio', count: 10, relativeAccuracy: 0.01, quantiles: quantiles(5) },
    { metric: 'generalJ', count: 9, relativeAccuracy: 0.01, quantiles: quantiles(1) },
  ],
});
const stats: DatasetStats = { total: 0, license: DATASET_LICENSE, groups: [withDist, ...Array.from({ length: 59 }, (_, i) => group(i + 1))], workloads: [] };
stats.total = stats.groups.reduce((n, g) => n + g.count, 0);

const item = (n: number): ResultListItem => ({ id: `r${String(n).padStart(15, '0')}`, receivedDay: '2026-11-01', doc: sampleResult({ app: { version: `0.1.0-u${n}` } }) });

let calls: string[] = [];
function stubApi() {
  calls = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    calls.push(url);
    if (url === '/api/stats') return new Response(JSON.stringify(stats), { status: 200 });
    const u = new URL(url, 'http://x');
    const limit = Number(u.searchParams.get('limit'));
    const after = Number(u.searchParams.get('after') ?? '0');
    // 23 results in all: pages of `limit` after the cursor, the cursor being the last index.
    const items = Array.from({ length: 23 }, (_, i) => item(i + 1)).slice(after, after + limit);
    const next = after + items.length < 23 ? String(after + items.length) : null;
    return new Response(JSON.stringify({ schemaVersion: 1, items, next }), { status: 200 });
  }));
}

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  history.replaceState(null, '', '#/dataset');
  location.value = parseHash('#/dataset');
  stubApi();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const rows = (testid: string) => [...root.querySelectorAll(`[data-testid="${testid}"] tbody tr`)];
const click = (testid: string) => act(() => (root.querySelector(`[data-testid="${testid}"]`) as HTMLButtonElement).click());
const listingCalls = () => calls.filter((c) => c.startsWith('/api/results'));

async function mount(hash = '#/dataset') {
  history.replaceState(null, '', hash);
  location.value = parseHash(hash);
  await act(() => render(h(DatasetView, {}), root));
  await until(() => rows('dataset-results').length > 0 || root.querySelector('[data-testid="dataset-no-group"]') !== null);
}

describe('dataset view at scale', () => {
  test('filters come from the address, reach the listing and the exports, and are written back', async () => {
    await mount('#/dataset?vendor=amd&preset=quick&model=bert-tiny&size=10&architecture=NOT%20VALID');
    expect(listingCalls()[0]).toBe('/api/results?vendor=amd&preset=quick&model=bert-tiny&limit=10');
    expect([...root.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'))).toEqual([
      '/api/export.csv?vendor=amd&preset=quick&model=bert-tiny',
      '/api/export.jsonl?vendor=amd&preset=quick&model=bert-tiny',
    ]);
    // Synthetic-race groups have no model: the model filter keeps none of them, and says why.
    expect(root.querySelector('[data-testid="dataset-no-group"]')?.textContent).toBe(t('dataset.groups.none'));
    const select = root.querySelector('select[name="model"]') as HTMLSelectElement;
    select.value = '';
    await act(() => {
      select.dispatchEvent(new Event('change'));
    });
    expect(window.location.hash).toBe('#/dataset?vendor=amd&preset=quick&size=10');
    await until(() => rows('dataset-table').length > 0);
    // 30 amd groups, 10 per page: the first page, the results behind it counted.
    expect(rows('dataset-table')).toHaveLength(10);
    expect(rows('dataset-table').every((r) => r.textContent?.startsWith('amd / '))).toBe(true);
    const shown = stats.groups.filter((g) => g.vendor === 'amd').slice(0, 10);
    expect(root.querySelector('[data-testid="dataset-groups-range"]')?.textContent).toBe(t('dataset.groups.range', { first: 1, last: 10, total: 30, results: shown.reduce((n, g) => n + g.count, 0) }));
    expect(root.querySelector('a[href="/api/openapi.json"]')).not.toBeNull();
  });

  test('the results table follows the cursor forward and back, and a new page size starts again', async () => {
    await mount();
    expect(rows('dataset-results')).toHaveLength(23);
    const size = root.querySelector('[data-testid="results-size"]') as HTMLSelectElement;
    size.value = '10';
    await act(() => {
      size.dispatchEvent(new Event('change'));
    });
    expect(window.location.hash).toBe('#/dataset?size=10');
    await until(() => rows('dataset-results').length === 10);
    const firstIds = () => rows('dataset-results').map((r) => r.querySelector('code')?.textContent);
    expect(firstIds()[0]).toBe(item(1).id);
    expect((root.querySelector('[data-testid="results-prev"]') as HTMLButtonElement).disabled).toBe(true);
    await click('results-next');
    await until(() => firstIds()[0] === item(11).id);
    expect(listingCalls().at(-1)).toBe('/api/results?limit=10&after=10');
    await click('results-next');
    await until(() => firstIds()[0] === item(21).id);
    expect(rows('dataset-results')).toHaveLength(3);
    expect(root.querySelector('[data-testid="dataset-results-range"]')?.textContent).toBe(t('dataset.results.range', { first: 21, last: 23 }));
    expect((root.querySelector('[data-testid="results-next"]') as HTMLButtonElement).disabled).toBe(true);
    await click('results-prev');
    await until(() => firstIds()[0] === item(11).id);
    expect(listingCalls().at(-1)).toBe('/api/results?limit=10&after=10');
  });

  test('groups are paginated: only one page of groups and of distributions is in the page', async () => {
    await mount();
    expect(rows('dataset-table')).toHaveLength(25);
    expect(root.querySelectorAll('[data-testid="dist-group"]')).toHaveLength(25);
    await click('groups-next');
    await click('groups-next');
    expect(rows('dataset-table')).toHaveLength(10);
    expect((root.querySelector('[data-testid="groups-next"]') as HTMLButtonElement).disabled).toBe(true);
    expect(root.textContent).toContain(t('dataset.groups.page', { page: 3, pages: 3 }));
  });

  test('a group with sketches gets a strip per figure and a table of quantiles; one without says so', async () => {
    await mount();
    const [first, second] = [...root.querySelectorAll('[data-testid="dist-group"]')];
    const strips = [...first!.querySelectorAll('[data-testid="dist-strip"]')];
    // Specialized first, then general, then the gap: only the figures the sketch has.
    expect(strips.map((s) => s.getAttribute('aria-label'))).toEqual([
      t('dataset.dist.stripLabel', { metric: t('dataset.metric.generalJ'), median: '1.9', low: '1', high: '2.8', count: 9 }),
      t('dataset.dist.stripLabel', { metric: t('dataset.metric.ratio'), median: '9.5', low: '5', high: '14', count: 10 }),
    ]);
    // The box spans 25–75 %, inside the 5–95 % whisker.
    const box = strips[1]!.querySelector('rect')!;
    const whisker = strips[1]!.querySelector('line')!;
    expect(Number(box.getAttribute('x'))).toBeGreaterThan(Number(whisker.getAttribute('x1')));
    expect(Number(box.getAttribute('x')) + Number(box.getAttribute('width'))).toBeLessThan(Number(whisker.getAttribute('x2')));
    const table = first!.querySelector('[data-testid="dist-table"]')!;
    expect(table.getAttribute('class')).toContain('sr-only');
    const tableRows = [...table.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(tableRows).toHaveLength(19);
    expect(tableRows[9]).toEqual(['50 %', '1.9', '9.5']);
    expect(first!.textContent).toContain(t('dataset.count', { count: withDist.count }));
    expect(second!.querySelector('[data-testid="dist-none"]')?.textContent).toBe(t('dataset.dist.none'));
    expect(second!.querySelector('svg')).toBeNull();
  });
});
