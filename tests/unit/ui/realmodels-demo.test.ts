// @vitest-environment happy-dom
/**
 * The demo in real-models mode: the real lanes replace the synthetic ones, Space starts the real
 * race (never the synthetic one), and switching the language keeps `models=real` in the address.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, READY_CAPS, until } from './helpers.ts';
import { fakeClient } from './realmodels-fixture.ts';

const session = vi.hoisted(() => ({ runLab: vi.fn() }));
vi.mock('../../../src/lab/session.ts', () => session);
vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { DemoView } = await import('../../../src/ui/DemoView.tsx');
const state = await import('../../../src/ui/state.ts');
const rm = await import('../../../src/ui/realmodels/state.ts');

const mounted = mountPoint();
let root: HTMLElement;

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  state.capsState.value = READY_CAPS as never;
  state.runState.value = { kind: 'idle' };
  rm.race.value = { kind: 'idle' };
  rm.sizes.value = { kind: 'idle' };
  session.runLab.mockReset();
});

describe('DemoView with models=real', () => {
  test('without models=real, Space still starts the synthetic race', async () => {
    session.runLab.mockReturnValue(new Promise(() => undefined));
    const hash = '#/demo?preset=ci';
    window.location.hash = hash;
    location.value = parseHash(hash);
    await act(() => render(h(DemoView, {}), root));
    expect(root.querySelector('[data-testid="rm-demo"]')).toBeNull();
    await act(() => void window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' })));
    expect(session.runLab).toHaveBeenCalledTimes(1);
  });

  test('real lanes, Space starts the real race, L keeps the mode', async () => {
    const fake = fakeClient();
    rm.setRealModelsClient(fake.client);
    const hash = '#/demo?preset=ci&models=real';
    window.location.hash = hash;
    location.value = parseHash(hash);
    render(h(DemoView, {}), root);
    await until(() => root.querySelector('[data-testid="rm-demo"]') !== null && rm.sizes.value.kind === 'ready');
    expect((root.querySelector('.lanes:not(.rm-demo-lanes)') as HTMLElement).hidden).toBe(true);
    expect((root.querySelector('[data-testid="models-real"]') as HTMLInputElement).checked).toBe(true);
    await act(() => void window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' })));
    expect(fake.client.run).toHaveBeenCalledTimes(1);
    expect(session.runLab).not.toHaveBeenCalled();
    await act(() => void window.dispatchEvent(new KeyboardEvent('keydown', { key: 'l' })));
    expect(lang.value).toBe('fr');
    expect(location.value.params.get('models')).toBe('real');
    expect(location.value.params.get('lang')).toBe('fr');
    // Space again stops it.
    await act(() => void window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' })));
    expect(fake.client.cancel).toHaveBeenCalledTimes(1);
  });
});
