// @vitest-environment happy-dom
/** The classroom race: what it starts, what it shows when done, and how it reports a failure. */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint } from './helpers.ts';
import type { ResultDocument } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

const session = vi.hoisted(() => ({ runLab: vi.fn() }));
vi.mock('../../../src/lab/session.ts', () => session);
vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { DemoView } = await import('../../../src/ui/DemoView.tsx');
const state = await import('../../../src/ui/state.ts');
const { MemoryHistory, useHistoryBackend } = await import('../../../src/results/history.ts');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});
const startButton = () => root.querySelector('.demo button.primary') as HTMLButtonElement;

beforeEach(() => {
  useHistoryBackend(new MemoryHistory());
  state.capsState.value = { status: 'ready', caps: { available: true } } as never;
  state.runState.value = { kind: 'idle' };
  state.lastDoc.value = null;
  state.progress.value = [];
});
afterEach(() => {
  vi.clearAllMocks();
});

describe('DemoView', () => {
  test('the race runs the models only, with the preset and country of the address', async () => {
    location.value = parseHash('#/demo?preset=ci&country=FRA&lang=fr');
    let finish: (d: ResultDocument) => void = () => undefined;
    session.runLab.mockReturnValue(new Promise<ResultDocument>((r) => (finish = r)));
    render(h(DemoView, {}), root);
    expect(startButton().textContent).toBe('Start the race');
    await act(() => startButton().click());
    const req = session.runLab.mock.calls[0]?.[0] as { preset: string; modelsOnly: boolean; country: string };
    expect(req).toMatchObject({ preset: 'ci', modelsOnly: true, country: 'FRA' });
    // While it runs, Start is disabled and Cancel is enabled.
    expect(startButton().disabled).toBe(true);
    expect((root.querySelector('.demo button.danger') as HTMLButtonElement).disabled).toBe(false);
    const doc = sampleResult();
    doc.energy!.ratio = { p5: 6.5, p50: 7.5, p95: 8.5 };
    await act(async () => {
      finish(doc);
      await Promise.resolve();
    });
    // 300 ms vs 40 ms per answer; energy ratio 7.5 (6.5–8.5).
    expect(root.querySelector('[data-testid="lane-specialized"] .big-number')?.textContent).toBe('40 ms per answer');
    expect(root.querySelector('[data-testid="lane-general"] .big-number')?.textContent).toBe('300 ms per answer');
    const punch = root.querySelector('.punchline')?.textContent ?? '';
    expect(punch).toContain('needs 7.5× more GPU time');
    expect(punch).toContain('Estimated energy: 7.5× more (range 6.5–8.5×)');
    expect(root.querySelector('[data-testid="lane-general"] [role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('0');
    expect(startButton().textContent).toBe('Race again');
  });

  test('an unknown preset in the address falls back to quick', async () => {
    location.value = parseHash('#/demo?preset=turbo');
    session.runLab.mockResolvedValue(sampleResult());
    render(h(DemoView, {}), root);
    await act(() => startButton().click());
    expect(session.runLab.mock.calls[0]?.[0]).toMatchObject({ preset: 'quick', modelsOnly: true, country: null });
  });

  test('lane progress: half-way through the walkthrough is a quarter of the track', async () => {
    location.value = parseHash('#/demo');
    render(h(DemoView, {}), root);
    await act(() => {
      state.progress.value = [
        { id: 'g', kind: 'model', role: 'general', status: 'running', phase: 'walkthrough', step: 2, steps: 4, stepLabel: 'token 2 of 4', sample: 0, samples: 3, samplesMs: [] },
      ];
      state.runState.value = { kind: 'running', preset: 'quick', startedAt: 0 };
    });
    const lane = root.querySelector('[data-testid="lane-general"]');
    expect(lane?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('25');
    expect(lane?.querySelector('.lane-status')?.textContent).toBe('token 2 of 4');
  });

  test('a failure shows the message and the hint for that error', async () => {
    location.value = parseHash('#/demo');
    render(h(DemoView, {}), root);
    await act(() => {
      state.runState.value = { kind: 'error', name: 'TabHiddenError', message: 'The tab was hidden.' };
    });
    const err = root.querySelector('[data-testid="demo-error"]');
    expect(err?.getAttribute('data-error-name')).toBe('TabHiddenError');
    expect(err?.textContent).toContain('The tab was hidden.');
    expect(err?.textContent).toContain('Keep this tab visible');
  });

  test('the demo theme is applied while the view is shown, and restored after', async () => {
    document.documentElement.dataset['theme'] = 'dark';
    location.value = parseHash('#/demo');
    await act(() => render(h(DemoView, {}), root));
    expect(document.documentElement.dataset['theme']).toBe('demo');
    await act(() => render(null, root));
    expect(document.documentElement.dataset['theme']).toBe('dark');
    delete document.documentElement.dataset['theme'];
  });
});
