// @vitest-environment happy-dom
/** The open-dataset view against a stubbed `/api/stats`: table values, chart series, failures. */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { flushMicrotasks, mountPoint } from './helpers.ts';
import { DATASET_LICENSE, type DatasetStats, type GroupStats } from '../../../src/shared/dataset.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { DatasetView } = await import('../../../src/ui/results/DatasetView.tsx');
const { location, parseHash } = await import('../../../src/ui/router.ts');

const stats: DatasetStats = {
  total: 7,
  license: DATASET_LICENSE,
  groups: [
    { vendor: 'nvidia', architecture: 'ada', preset: 'quick', suiteVersion: 'quick-1', model: null, dtype: null, task: null, count: 5, medianSource: 'exact', distributions: [], medianGeneralJ: 1.25, medianSpecializedJ: 0.05, medianRatio: 25 },
    { vendor: '', architecture: '', preset: 'ci', suiteVersion: 'ci-1', model: null, dtype: null, task: null, count: 2, medianSource: 'sketch', distributions: [], medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null },
  ],
  workloads: [],
};

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});
const flush = flushMicrotasks;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('DatasetView', () => {
  test('groups become rows with formatted medians; missing energy is a dash, not 0', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(stats), { status: 200, headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    await act(() => render(h(DatasetView, {}), root));
    await flush();
    expect(fetchMock).toHaveBeenCalledWith('/api/stats', { headers: { accept: 'application/json' }, cache: 'no-cache' });
    const rows = [...root.querySelectorAll('[data-testid="dataset-table"] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['nvidia / ada', 'quick (quick-1)', '5', '0.05', '1.25', '25×', 'exact'],
      ['? / ?', 'ci (ci-1)', '2', '—', '—', '—', 'sketch, ± 1 %'],
    ]);
    expect(root.textContent).toContain('7 results in the dataset.');
    // Chart series: x = group index; energies per role, null where unknown (a gap, not a zero).
    expect(JSON.parse(root.querySelector('[data-testid="chart"]')?.getAttribute('data-series') ?? '')).toEqual([
      [0, 1],
      [0.05, null],
      [1.25, null],
    ]);
    const license = root.querySelector('[data-testid="dataset-license"] a');
    expect(license?.getAttribute('href')).toBe(DATASET_LICENSE.url);
    expect(license?.textContent).toBe(DATASET_LICENSE.name);
    expect([...root.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'))).toEqual(['/api/export.csv', '/api/export.jsonl']);
  });

  test('offline (fetch rejects) and HTTP errors are said, with the status; refresh retries', async () => {
    const fetchMock = vi.fn<() => Promise<Response>>().mockRejectedValueOnce(new TypeError('Failed to fetch')).mockResolvedValueOnce(new Response('no', { status: 503 }));
    vi.stubGlobal('fetch', fetchMock);
    await act(() => render(h(DatasetView, {}), root));
    await flush();
    const err = () => root.querySelector('.message-error')?.textContent ?? '';
    const { t } = await import('../../../src/i18n/index.ts');
    expect(err()).toBe(t('results.dataset.offline'));
    await act(() => (root.querySelector('button') as HTMLButtonElement).click());
    await flush();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(err()).toBe(t('results.dataset.error', { status: 503 }));
    expect(root.querySelector('[data-testid="dataset-table"]')).toBeNull();
  });

  test('real-model groups: the task set of each, and what the accuracy interval rests on; the task filter keeps one language', async () => {
    const real = (task: string, count: number, correct: number): GroupStats => ({
      vendor: 'apple', architecture: 'metal-3', preset: 'quick', suiteVersion: 'quick-1', model: 'distilbert-sst2', dtype: 'fp32', task, count,
      medianSource: 'exact', distributions: [], medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null,
      real: {
        accuracy: { correct, n: 40 * count, results: count, effectiveN: 40, rate: correct / (40 * count), low: 0.5, high: 0.75 },
        medianQueryJ: 0.02, medianCorrectJ: 0.03, medianQueryMs: 12,
      },
    });
    const withReal: DatasetStats = { ...stats, total: 10, groups: [...stats.groups, real('sentiment-en', 2, 70), real('sentiment-fr', 1, 25)] };
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(withReal), { status: 200 })));
    const realRows = () => [...root.querySelectorAll('[data-testid="dataset-real"] tbody tr')];
    const { tp } = await import('../../../src/i18n/index.ts');
    try {
      history.replaceState(null, '', '#/dataset');
      location.value = parseHash('#/dataset');
      await act(() => render(h(DatasetView, {}), root));
      await flush();
      expect(realRows().map((r) => r.querySelector('[data-testid="dataset-real-task"]')?.textContent)).toEqual(['sentiment-en', 'sentiment-fr']);
      expect(realRows().map((r) => r.querySelector('[data-testid="dataset-real-effective-n"]')?.textContent)).toEqual([
        'from 2 results; interval at n = 40 answers per result',
        'from 1 result; interval at n = 40 answers per result',
      ]);
      expect(tp('dataset.real.effectiveN', 1, { effectiveN: '40' }, 'fr')).toBe('sur 1 résultat ; intervalle à n = 40 réponses par résultat');
      expect(realRows()[0]?.textContent).toContain('(70/80; 95 %: 50–75 %)');

      render(null, root);
      history.replaceState(null, '', '#/dataset?task=sentiment-fr');
      location.value = parseHash('#/dataset?task=sentiment-fr');
      await act(() => render(h(DatasetView, {}), root));
      await flush();
      expect(realRows().map((r) => r.querySelector('[data-testid="dataset-real-task"]')?.textContent)).toEqual(['sentiment-fr']);
      expect((root.querySelector('select[name="task"]') as HTMLSelectElement).value).toBe('sentiment-fr');
      expect([...root.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'))).toEqual(['/api/export.csv?task=sentiment-fr', '/api/export.jsonl?task=sentiment-fr']);
    } finally {
      history.replaceState(null, '', '#/dataset');
      location.value = parseHash('#/dataset');
    }
  });

  test('an empty dataset says so instead of drawing an empty table', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ ...stats, total: 0, groups: [] }), { status: 200 })));
    await act(() => render(h(DatasetView, {}), root));
    await flush();
    const { t } = await import('../../../src/i18n/index.ts');
    expect(root.textContent).toContain(t('results.dataset.empty'));
    expect(root.querySelector('[data-testid="dataset-table"]')).toBeNull();
  });
});
