// @vitest-environment happy-dom
/**
 * The dataset view's real-model table with the groups /api/stats now keys apart: two custom models
 * (told apart by their file's SHA-256, shown shortened with the whole hash as its title) and two
 * versions of one task set (shown as "sentiment-en v1" / "v2").
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { mountPoint } from './helpers.ts';
import { DATASET_LICENSE, type DatasetStats, type GroupStats } from '../../../src/shared/dataset.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { DatasetView } = await import('../../../src/ui/results/DatasetView.tsx');

const FILE_A = 'c1'.repeat(32);
const FILE_B = 'd2'.repeat(32);

function real(model: string, taskVersion: number, correct: number, modelSha256?: string): GroupStats {
  return {
    vendor: 'apple', architecture: 'metal-3', preset: 'quick', suiteVersion: 'quick-1', model, dtype: 'fp32', task: 'sentiment-en', taskVersion,
    role: 'specialized', ...(modelSha256 ? { modelSha256 } : {}), count: 1,
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
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
  const rows = [...root.querySelectorAll('[data-testid="dataset-real"] tbody tr')];
  expect(rows.map((r) => [r.querySelectorAll('td')[1]?.textContent, r.querySelector('[data-testid="dataset-real-task"]')?.textContent])).toEqual([
    [`custom ${FILE_A.slice(0, 12)}`, 'sentiment-en v1'],
    [`custom ${FILE_B.slice(0, 12)}`, 'sentiment-en v1'],
    ['distilbert-sst2', 'sentiment-en v1'],
    ['distilbert-sst2', 'sentiment-en v2'],
  ]);
  expect([...root.querySelectorAll('[data-testid="dataset-real-file"]')].map((e) => e.getAttribute('title'))).toEqual([FILE_A, FILE_B]);
});
