// @vitest-environment happy-dom
/**
 * Local history failures are visible: a run that could not be saved says so next to its result,
 * and records the history cannot read are counted in the history view.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, READY_CAPS } from './helpers.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

const session = vi.hoisted(() => ({ runLab: vi.fn() }));
vi.mock('../../../src/lab/session.ts', () => session);
vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());
vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { MemoryHistory, useHistoryBackend } = await import('../../../src/results/history.ts');
const state = await import('../../../src/ui/state.ts');
const { RunView } = await import('../../../src/ui/RunView.tsx');
const { HistoryView } = await import('../../../src/ui/results/HistoryView.tsx');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { downloadText } = await import('../../../src/ui/results/download.ts');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});
beforeEach(() => {
  location.value = parseHash('#/?preset=ci');
  state.runState.value = { kind: 'idle' };
  state.capsState.value = READY_CAPS as never;
});
afterEach(() => {
  useHistoryBackend(null);
  vi.clearAllMocks();
});

describe('saving a finished run', () => {
  test('a storage failure keeps the result on screen and shows why it is not in the history', async () => {
    const failing = new MemoryHistory();
    failing.put = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    useHistoryBackend(failing);
    const doc = sampleResult();
    session.runLab.mockResolvedValue(doc);
    const out = await state.startRun({ preset: 'ci' });
    expect(out).toBe(doc);
    expect(state.runState.value).toEqual({ kind: 'done', doc });
    expect(state.lastDoc.value).toBe(doc);
    expect(state.lastLocalId.value).toBeNull();
    expect(state.historySaveError.value).toBe('QuotaExceededError: The quota has been exceeded.');
    await act(() => render(h(RunView, {}), root));
    const notice = root.querySelector('[data-testid="history-save-error"]');
    expect(notice?.textContent).toBe(t('history.saveFailed', { message: 'QuotaExceededError: The quota has been exceeded.' }));
  });

  test('a successful save clears an earlier failure', async () => {
    state.historySaveError.value = 'old failure';
    useHistoryBackend(new MemoryHistory());
    session.runLab.mockResolvedValue(sampleResult());
    await state.startRun({ preset: 'ci' });
    expect(state.historySaveError.value).toBeNull();
    expect(state.lastLocalId.value).toMatch(/^[0-9a-z]{9}-[0-9a-f]{12}$/);
    await act(() => render(h(RunView, {}), root));
    expect(root.querySelector('[data-testid="history-save-error"]')).toBeNull();
  });

  test('a cancelled run is "cancelled", any other failure keeps its name for the hint', async () => {
    session.runLab.mockRejectedValueOnce({ name: 'RunCancelledError', message: 'The run was cancelled.' });
    await state.startRun({ preset: 'ci' });
    expect(state.runState.value).toEqual({ kind: 'cancelled' });
    session.runLab.mockRejectedValueOnce(Object.assign(new Error('lost'), { name: 'DeviceLostError' }));
    await state.startRun({ preset: 'ci' });
    expect(state.runState.value).toEqual({ kind: 'error', name: 'DeviceLostError', message: 'lost' });
  });
});

describe('HistoryView', () => {
  test('unreadable records are counted with their reason, readable ones listed', async () => {
    useHistoryBackend(new MemoryHistory([{ id: 'old1', doc: sampleResult() }, { v: 9, localId: 'future' }]));
    await act(() => render(h(HistoryView, {}), root));
    for (let i = 0; i < 20 && !root.querySelector('[data-testid="history-skipped"]'); i++) {
      await act(async () => {
        await new Promise((r) => setTimeout(r, 5));
      });
    }
    const skipped = root.querySelector('[data-testid="history-skipped"]')?.textContent ?? '';
    expect(skipped).toMatch(/^1 saved run could not be read and is not listed: .*version/);
    expect(root.querySelectorAll('tbody tr').length).toBe(1);
  });
});

describe('downloadText (the one file-save helper)', () => {
  test('clicks an attached link to an object URL with the name, then revokes it later', () => {
    vi.useFakeTimers();
    const created: Blob[] = [];
    const revoked: string[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b: Blob | MediaSource) => (created.push(b as Blob), 'blob:test-1'));
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation((u: string) => void revoked.push(u));
    const clicked: { href: string; download: string; attached: boolean }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: this.isConnected });
    });
    try {
      downloadText('run.json', 'application/json', '{"a":1}');
      expect(clicked).toEqual([{ href: 'blob:test-1', download: 'run.json', attached: true }]);
      expect(created[0]?.type).toBe('application/json');
      expect(document.querySelector('a[download]')).toBeNull();
      expect(revoked).toEqual([]);
      vi.advanceTimersByTime(10_000);
      expect(revoked).toEqual(['blob:test-1']);
    } finally {
      click.mockRestore();
      create.mockRestore();
      revoke.mockRestore();
      vi.useRealTimers();
    }
  });
});
