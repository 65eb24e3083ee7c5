// @vitest-environment happy-dom
/**
 * A real-models result on the page is kept, downloadable and shareable: the finished race goes
 * into the local history (or says why not, the result staying on screen); the history names it
 * "real models" with its pair, reopens it with the real-models table (no replies: never kept) and
 * the upload panel, and refuses to compare it with a synthetic-race run.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, READY_CAPS, until } from './helpers.ts';
import { fakeClient, fixtureOutput } from './realmodels-fixture.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());
vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { listRuns, MemoryHistory, useHistoryBackend } = await import('../../../src/results/history.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { capsState } = await import('../../../src/ui/state.ts');
const rm = await import('../../../src/ui/realmodels/state.ts');
const keep = await import('../../../src/ui/realmodels/keep.ts');
const { RealModelsPanel } = await import('../../../src/ui/realmodels/RealModelsPanel.tsx');
const { HistoryView } = await import('../../../src/ui/results/HistoryView.tsx');
const { sampleRealResult } = await import('../../../src/shared/sample-real-result.ts');
const { sampleResult } = await import('../../../src/shared/sample-result.ts');

const mounted = mountPoint();
let root: HTMLElement;
let fake: ReturnType<typeof fakeClient>;

function go(hash: string): void {
  window.location.hash = hash;
  location.value = parseHash(hash);
}
const byId = (id: string) => root.querySelector(`[data-testid="${id}"]`);

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  capsState.value = READY_CAPS as never;
  fake = fakeClient();
  rm.setRealModelsClient(fake.client);
  rm.race.value = { kind: 'idle' };
  keep.realLocalId.value = null;
  keep.realSaveError.value = null;
});
afterEach(() => {
  useHistoryBackend(null);
  rm.setRealModelsClient(null);
});

async function finishRace(): Promise<void> {
  go('#/?models=real&lang=en');
  await act(() => render(h(RealModelsPanel, {}), root));
  const started = rm.startRealRace();
  await act(() => fake.resolve({ doc: sampleRealResult(), output: fixtureOutput() }));
  await act(() => started);
}

describe('the finished real race', () => {
  test('is saved in the local history, links to it, and offers downloads and the upload', async () => {
    useHistoryBackend(new MemoryHistory());
    await finishRace();
    await until(() => byId('rm-saved') !== null);
    const runs = await listRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.doc).toEqual(sampleRealResult());
    expect(byId('rm-saved')?.querySelector('a')?.getAttribute('href')).toBe(`#/history?run=${runs[0]!.localId}`);
    expect(byId('rm-save-error')).toBeNull();
    expect(byId('rm-download-json')).not.toBeNull();
    expect(byId('rm-download-csv')).not.toBeNull();
    expect(byId('upload-panel')).not.toBeNull();
    // The replies stay on the page they were made on.
    expect(byId('rm-replies')).not.toBeNull();
  });

  test('a storage failure is said next to the result, which stays on screen', async () => {
    const full = new MemoryHistory();
    full.put = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    useHistoryBackend(full);
    await finishRace();
    await until(() => byId('rm-save-error') !== null);
    expect(byId('rm-save-error')?.textContent).toBe(t('history.saveFailed', { message: 'QuotaExceededError: The quota has been exceeded.' }));
    expect(byId('rm-results')).not.toBeNull();
    expect(byId('rm-saved')).toBeNull();
  });
});

describe('the history', () => {
  const records = () => [
    { v: 2, localId: 'real1', savedAt: '2026-11-29', doc: sampleRealResult(), upload: null, label: null },
    { v: 2, localId: 'syn1', savedAt: '2026-11-28', doc: sampleResult(), upload: null, label: null },
  ];

  test('names a real-models result and its pair, and reopens it with the real table and the upload', async () => {
    useHistoryBackend(new MemoryHistory(records()));
    go('#/history?run=real1&lang=en');
    await act(() => render(h(HistoryView, {}), root));
    await until(() => byId('rm-table') !== null);
    const kinds = [...root.querySelectorAll('[data-testid="history-kind"]')].map((c) => `${c.getAttribute('data-kind')}: ${c.textContent}`);
    expect(kinds[0]).toBe('real-model: real models distilbert-sst2 fp32 · qwen2.5-0.5b-instruct q4f16');
    expect(kinds[1]).toMatch(/^synthetic: /);
    expect(byId('history-opened')?.textContent).toContain(t('realmodels.result.title'));
    expect(byId('rm-replies')).toBeNull();
    expect(byId('results')).toBeNull();
    expect(byId('upload-panel')).not.toBeNull();
  });

  test('a run no longer stored says so', async () => {
    useHistoryBackend(new MemoryHistory(records()));
    go('#/history?run=gone&lang=en');
    await act(() => render(h(HistoryView, {}), root));
    await until(() => byId('history-open-missing') !== null);
    expect(byId('history-open-missing')?.textContent).toContain(t('realmodels.history.missing'));
  });

  test('comparing a real-models result with a synthetic one gives the reason, not a table', async () => {
    useHistoryBackend(new MemoryHistory(records()));
    go('#/history?lang=en');
    await act(() => render(h(HistoryView, {}), root));
    await until(() => root.querySelectorAll('[data-testid="history-row"]').length === 2);
    const all = root.querySelector('thead input[type="checkbox"]') as HTMLInputElement;
    await act(() => all.click());
    const refused = byId('history-compare-refused');
    expect(refused?.getAttribute('data-refusal')).toBe('mixed');
    expect(refused?.textContent).toContain(t('realmodels.compare.mixed'));
    expect(byId('history-compare')).toBeNull();
  });
});
