// @vitest-environment happy-dom
/**
 * The dataset view's real-model table with the groups /api/stats now keys apart: two custom models
 * (told apart by their file's SHA-256, shown shortened with the whole hash as its title) and two
 * versions of one task set (shown as "sentiment-en v1" / "v2"); one model in both roles, told apart
 * by the Role column and the distribution titles, in the reader's language.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { flushMicrotasks, mountPoint } from './helpers.ts';
import { DATASET_LICENSE, type DatasetStats, type GroupStats } from '../../../src/shared/dataset.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { DatasetView } = await import('../../../src/ui/results/DatasetView.tsx');

const FILE_A = 'c1'.repeat(32);
const FILE_B = 'd2'.repeat(32);

function real(model: string, taskVersion: number, correct: number, modelSha256?: string, role: 'specialized' | 'general' = 'specialized'): GroupStats {
  return {
    vendor: 'apple', architecture: 'metal-3', preset: 'quick', suiteVersion: 'quick-1', model, dtype: 'fp32', task: 'sentiment-en', taskVersion,
    role, ...(modelSha256 ? { modelSha256 } : {}), count: 1,
    medianSource: 'exact', distributions: [], medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null,
    real: { accuracy: { correct, n: 40, results: 1, effectiveN: 40, rate: correct / 40, low: 0.5, high: 0.9 }, medianQueryMs: 12, medianQueryJ: 0.02, medianCorrectJ: 0.03 },
  };
}

const stats: DatasetStats = {
  total: 4,
  license: DATASET_LICENSE,
  groups: [real('custom', 1, 30, FILE_A), real('custom', 1, 12, FILE_B), real('distilbert-sst2', 1, 36), real('distilbert-sst2', 2, 39)],
  workloads: [],
};

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});
afterEach(() => {
  vi.unstubAllGlobals();
  render(null, root);
});

test('custom models by their file, task sets with their version: four rows, none merged', async () => {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(stats), { status: 200 })));
  await act(() => render(h(DatasetView, {}), root));
  await flushMicrotasks();
  const rows = [...root.querySelectorAll('[data-testid="dataset-real"] tbody tr')];
  expect(rows.map((r) => [r.querySelectorAll('td')[1]?.textContent, r.querySelector('[data-testid="dataset-real-task"]')?.textContent])).toEqual([
    [`custom ${FILE_A.slice(0, 12)}`, 'sentiment-en v1'],
    [`custom ${FILE_B.slice(0, 12)}`, 'sentiment-en v1'],
    ['distilbert-sst2', 'sentiment-en v1'],
    ['distilbert-sst2', 'sentiment-en v2'],
  ]);
  expect([...root.querySelectorAll('[data-testid="dataset-real-file"]')].map((e) => e.getAttribute('title'))).toEqual([FILE_A, FILE_B]);
});

test('one model in both roles: two rows told apart by a translated Role column; titles with the short hash and the translated role', async () => {
  const both: DatasetStats = { ...stats, total: 2, groups: [real('custom', 1, 30, FILE_A, 'specialized'), real('custom', 1, 22, FILE_A, 'general')] };
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(both), { status: 200 })));
  lang.value = 'fr';
  await act(() => render(h(DatasetView, {}), root));
  await flushMicrotasks();
  const headers = [...root.querySelectorAll('[data-testid="dataset-real"] thead th')].map((th) => th.textContent);
  expect(headers.slice(1, 4)).toEqual([t('dataset.real.model'), t('dataset.real.role'), t('dataset.real.dtype')]);
  expect(headers[2]).toBe('Rôle');
  expect([...root.querySelectorAll('[data-testid="dataset-real-role"]')].map((e) => e.textContent)).toEqual(['Spécialisé', 'Généraliste']);
  const titles = [...root.querySelectorAll('[data-testid="dataset-distributions"] figcaption strong')].map((e) => e.textContent);
  expect(titles).toEqual([
    `apple / metal-3 · quick (quick-1) · custom ${FILE_A.slice(0, 12)} fp32 · sentiment-en v1 · Spécialisé`,
    `apple / metal-3 · quick (quick-1) · custom ${FILE_A.slice(0, 12)} fp32 · sentiment-en v1 · Généraliste`,
  ]);
  expect(titles.join(' ')).not.toContain(FILE_A);
  expect(titles.join(' ')).not.toMatch(/specialized|general\b/);
  expect(root.querySelector('[data-testid="dataset-real"] p')?.textContent).toBe(t('dataset.real.intro'));
  expect(t('dataset.real.intro')).toContain('rôle');
  lang.value = 'en';
  await act(() => undefined);
  expect([...root.querySelectorAll('[data-testid="dataset-real-role"]')].map((e) => e.textContent)).toEqual(['Specialized', 'General']);
  expect(t('dataset.real.intro')).toContain('role (specialized or general)');
});
