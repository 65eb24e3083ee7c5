// @vitest-environment happy-dom
/**
 * Opening one stored run after another (`#/history?run=A` then `?run=B`) shows B's own upload
 * state, never A's receipt and "Withdraw now" (which would withdraw A and clear B's record), and
 * moves focus to the opened run's heading.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, until } from './helpers.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());
vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { getRun, MemoryHistory, useHistoryBackend } = await import('../../../src/results/history.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { HistoryView } = await import('../../../src/ui/results/HistoryView.tsx');
const { sampleRealResult } = await import('../../../src/shared/sample-real-result.ts');

const mounted = mountPoint();
let root: HTMLElement;
const byId = (id: string) => root.querySelector(`[data-testid="${id}"]`);

function go(hash: string): void {
  window.location.hash = hash;
  location.value = parseHash(hash);
}

const records = () => [
  { v: 2, localId: 'runA', savedAt: '2026-11-29', doc: sampleRealResult(), upload: null, label: null },
  { v: 2, localId: 'runB', savedAt: '2026-11-28', doc: sampleRealResult(), upload: null, label: null },
];

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});
afterEach(() => {
  useHistoryBackend(null);
  vi.unstubAllGlobals();
});

describe('an opened run', () => {
  test("switching runs does not carry the previous run's accepted upload", async () => {
    useHistoryBackend(new MemoryHistory(records()));
    const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST' ? new Response(JSON.stringify({ id: 'remote-A', token: 'token-A' }), { status: 201 }) : new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    go('#/history?run=runA&lang=en');
    await act(() => render(h(HistoryView, {}), root));
    await until(() => byId('upload-review') !== null);
    const consent = byId('upload-consent') as HTMLInputElement;
    await act(() => consent.click());
    await act(() => (byId('upload-send') as HTMLButtonElement).click());
    await until(() => byId('upload-receipt') !== null);
    expect(byId('upload-token')?.textContent).toBe('token-A');
    expect((await getRun('runA'))?.upload?.remoteId).toBe('remote-A');

    go('#/history?run=runB&lang=en');
    await until(() => byId('history-opened')?.textContent?.includes('2026') === true && byId('upload-review') !== null);
    expect(byId('upload-receipt')).toBeNull();
    expect(byId('upload-token')).toBeNull();
    expect(byId('upload-panel')?.textContent).not.toContain(t('results.upload.withdrawNow'));
    // Only the upload went out: nothing was withdrawn on B's behalf.
    expect(fetch.mock.calls.map(([, init]) => init?.method)).toEqual(['POST']);
    expect((await getRun('runA'))?.upload?.remoteId).toBe('remote-A');
  });

  test("focus moves to the opened run's heading when `run=` changes", async () => {
    useHistoryBackend(new MemoryHistory(records()));
    go('#/history?lang=en');
    await act(() => render(h(HistoryView, {}), root));
    await until(() => root.querySelectorAll('[data-testid="history-row"]').length === 2);
    expect(byId('history-opened')).toBeNull();
    go('#/history?run=runA&lang=en');
    await until(() => byId('history-opened') !== null);
    const heading = root.querySelector('#history-opened-h') as HTMLElement;
    expect(heading.tabIndex).toBe(-1);
    expect(document.activeElement).toBe(heading);
    (root.querySelector('[data-testid="history-open"]') as HTMLElement).focus();
    go('#/history?run=runB&lang=en');
    await until(() => document.activeElement === root.querySelector('#history-opened-h'));
    expect(document.activeElement).toBe(root.querySelector('#history-opened-h'));
  });
});
