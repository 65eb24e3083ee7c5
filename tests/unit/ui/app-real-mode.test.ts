// @vitest-environment happy-dom
/**
 * The app shell in real mode: a pupil on a class link is not offered the synthetic run's class
 * opt-in (the pool takes synthetic-race results only), and the live region announces changes
 * only, never an old synthetic sentence when the real race's views go away.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeClientModule, mountPoint, READY_CAPS } from './helpers.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

vi.mock('../../../src/lab/session.ts', () => ({ runLab: vi.fn() }));
vi.mock('../../../src/lab/client.ts', () => fakeClientModule());
vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const state = await import('../../../src/ui/state.ts');
const { App } = await import('../../../src/ui/App.tsx');

const mounted = mountPoint();
let root: HTMLElement;
const byId = (id: string) => root.querySelector(`[data-testid="${id}"]`);

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  localStorage.setItem('fal.firstVisit', 'seen');
  state.capsState.value = READY_CAPS as never;
  state.runState.value = { kind: 'idle' };
  state.realAnnouncement.value = '';
});

describe("a pupil's class opt-in", () => {
  test('is offered after a synthetic run, not in real mode', async () => {
    state.runState.value = { kind: 'done', doc: sampleResult() };
    location.value = parseHash('#/results?class=ABC234&lang=en');
    await act(() => render(h(App, {}), root));
    expect(byId('class-contribution')).not.toBeNull();
    await act(() => {
      location.value = parseHash('#/results?class=ABC234&lang=en&models=real');
    });
    expect(byId('class-contribution')).toBeNull();
  });
});

describe('the live region', () => {
  test('announces what changed last; a real view going away does not bring back the synthetic sentence', async () => {
    location.value = parseHash('#/results?lang=en');
    await act(() => render(h(App, {}), root));
    const region = () => byId('live-announcer')?.textContent ?? null;
    expect(region()).toBe('');
    await act(() => {
      state.runState.value = { kind: 'done', doc: sampleResult() };
    });
    expect(region()).toBe(t('classroom.live.done'));
    await act(() => {
      state.realAnnouncement.value = 'Real race: loading the models.';
    });
    expect(region()).toBe('Real race: loading the models.');
    // The real view unmounts and clears its text: the region goes quiet rather than repeat "done".
    await act(() => {
      state.realAnnouncement.value = '';
    });
    expect(region()).toBe('');
    await act(() => {
      lang.value = 'fr';
    });
    expect(region()).toBe('');
    await act(() => {
      state.runState.value = { kind: 'error', name: 'Error', message: 'x' };
    });
    expect(region()).toBe(t('classroom.live.error'));
  });
});
