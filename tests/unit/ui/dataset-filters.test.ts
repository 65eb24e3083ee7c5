// @vitest-environment happy-dom
/**
 * The dataset view's task set version filter: read from the address only with its task set,
 * written into the listing and export URLs after `task` and never without it (the server answers
 * 400 to a version alone), keeping only the groups of that version; in the view, its choices are
 * the versions the chosen set's groups hold, and choosing another set drops it.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { flushMicrotasks, mountPoint } from './helpers.ts';
import { DATASET_LICENSE, type DatasetStats, type GroupStats } from '../../../src/shared/dataset.ts';
import { exportUrl, filterGroups, filterOptions, filterParams, listingUrl, readFilters } from '../../../src/ui/results/dataset/filters.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { DatasetView } = await import('../../../src/ui/results/DatasetView.tsx');
const { location, parseHash } = await import('../../../src/ui/router.ts');

const real = (task: string, taskVersion: number): GroupStats => ({
  vendor: 'nvidia', architecture: 'ada', preset: 'quick', suiteVersion: 'quick-1', model: 'distilbert-sst2', dtype: 'fp32', task, taskVersion, role: 'specialized',
  count: 1, medianSource: 'exact', distributions: [], medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null,
  real: { accuracy: null, medianQueryJ: 0.02, medianCorrectJ: 0.03, medianQueryMs: 12 },
});
const synthetic: GroupStats = {
  vendor: 'nvidia', architecture: 'ada', preset: 'quick', suiteVersion: 'quick-1', model: null, dtype: null, task: null,
  count: 5, medianSource: 'exact', distributions: [], medianGeneralJ: 1.25, medianSpecializedJ: 0.05, medianRatio: 25,
};
const groups = [synthetic, real('sentiment-en', 1), real('sentiment-en', 2), real('sentiment-fr', 1)];

describe('task set version filter: URLs and groups', () => {
  test('read from the address only with its task set, in canonical digits', () => {
    expect(readFilters(new URLSearchParams('task=sentiment-en&taskVersion=2'))).toEqual({ task: 'sentiment-en', taskVersion: '2' });
    expect(readFilters(new URLSearchParams('taskVersion=2'))).toEqual({});
    expect(readFilters(new URLSearchParams('task=sentiment-de&taskVersion=2'))).toEqual({});
    for (const bad of ['0', '-1', '01', '1.5', '1e3', '1234567890', 'x']) {
      expect(readFilters(new URLSearchParams(`task=sentiment-en&taskVersion=${bad}`)), bad).toEqual({ task: 'sentiment-en' });
    }
  });

  test('written after task into the listing and export URLs, never without it', () => {
    const f = { vendor: 'nvidia', task: 'sentiment-en', taskVersion: '2' };
    expect(filterParams(f)).toEqual({ vendor: 'nvidia', task: 'sentiment-en', taskVersion: '2' });
    expect(listingUrl(f, '', 25)).toBe('/api/results?vendor=nvidia&task=sentiment-en&taskVersion=2&limit=25');
    expect(listingUrl(f, '40', 25)).toBe('/api/results?vendor=nvidia&task=sentiment-en&taskVersion=2&limit=25&after=40');
    expect(exportUrl('csv', f)).toBe('/api/export.csv?vendor=nvidia&task=sentiment-en&taskVersion=2');
    expect(exportUrl('jsonl', f)).toBe('/api/export.jsonl?vendor=nvidia&task=sentiment-en&taskVersion=2');
    // Without a task set the version is left out (the server would refuse it).
    expect(exportUrl('csv', { vendor: 'nvidia', taskVersion: '2' })).toBe('/api/export.csv?vendor=nvidia');
    expect(listingUrl({ taskVersion: '2' }, '', 10)).toBe('/api/results?limit=10');
  });

  test('keeps the groups of that version; the choices are the chosen set\'s versions', () => {
    expect(filterGroups(groups, { task: 'sentiment-en', taskVersion: '2' })).toEqual([groups[2]]);
    expect(filterGroups(groups, { task: 'sentiment-en' })).toEqual([groups[1], groups[2]]);
    expect(filterGroups(groups, {})).toEqual(groups);
    expect(filterOptions(groups, {}).taskVersion).toEqual([]);
    expect(filterOptions(groups, { task: 'sentiment-en' }).taskVersion).toEqual(['1', '2']);
    expect(filterOptions(groups, { task: 'sentiment-fr' }).taskVersion).toEqual(['1']);
    // A version from the address that no group holds stays selectable (the listing may still hold it).
    expect(filterOptions(groups, { task: 'sentiment-fr', taskVersion: '3' }).taskVersion).toEqual(['1', '3']);
  });
});

describe('task set version filter: the view', () => {
  const mounted = mountPoint();
  let root: HTMLElement;
  beforeEach(() => {
    root = mounted();
    lang.value = 'en';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    history.replaceState(null, '', '#/dataset');
    location.value = parseHash('#/dataset');
  });
  const flush = flushMicrotasks;
  const stats: DatasetStats = { total: 8, license: DATASET_LICENSE, groups, workloads: [] };
  const open = async (hash: string) => {
    vi.stubGlobal('fetch', vi.fn(async (url: string) => new Response(JSON.stringify(url.startsWith('/api/stats') ? stats : { items: [], next: null }), { status: 200 })));
    history.replaceState(null, '', hash);
    location.value = parseHash(hash);
    await act(() => render(h(DatasetView, {}), root));
    await flush();
  };
  const select = (name: string) => root.querySelector(`select[name="${name}"]`) as HTMLSelectElement;
  const downloads = () => [...root.querySelectorAll('a[download]')].map((a) => a.getAttribute('href'));
  const choose = async (name: string, value: string) => {
    await act(() => {
      select(name).value = value;
      select(name).dispatchEvent(new Event('change'));
    });
    await flush();
  };

  test('disabled until a task set is chosen; its versions offered; another set drops the version', async () => {
    await open('#/dataset');
    expect(select('taskVersion').disabled).toBe(true);
    expect(root.textContent).toContain('Task set version');
    // The disabled select says why, in the visitor's language.
    const hintId = select('taskVersion').getAttribute('aria-describedby');
    expect(hintId).not.toBeNull();
    expect(root.querySelector(`#${hintId}`)?.textContent).toBe('Choose a task set first');
    await act(() => {
      lang.value = 'fr';
    });
    expect(root.querySelector(`#${hintId}`)?.textContent).toBe('Choisissez d’abord un jeu de tâches');
    await act(() => {
      lang.value = 'en';
    });

    await choose('task', 'sentiment-en');
    expect(select('taskVersion').disabled).toBe(false);
    expect(select('taskVersion').hasAttribute('aria-describedby')).toBe(false);
    expect(root.querySelector(`#${hintId}`)).toBeNull();
    expect([...select('taskVersion').options].map((o) => o.value)).toEqual(['', '1', '2']);

    await choose('taskVersion', '2');
    expect(location.value.params.get('taskVersion')).toBe('2');
    expect(downloads()).toEqual(['/api/export.csv?task=sentiment-en&taskVersion=2', '/api/export.jsonl?task=sentiment-en&taskVersion=2']);

    await choose('task', 'sentiment-fr');
    expect(location.value.params.get('taskVersion')).toBeNull();
    expect(downloads()).toEqual(['/api/export.csv?task=sentiment-fr', '/api/export.jsonl?task=sentiment-fr']);
  });
});
