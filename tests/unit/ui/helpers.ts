/**
 * Shared pieces of the happy-dom component tests: stand-ins for the modules a view cannot use
 * outside a browser (the lab worker, uPlot's canvas), a mount point, and a way to let effects
 * and promises settle.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, vi } from 'vitest';

/** `vi.mock('…/src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule())` */
export function fakeClientModule() {
  return {
    getLab: () => ({ cancel: vi.fn(), setHidden: vi.fn(), setStepThrough: vi.fn(), nextStep: vi.fn() }),
    lastWorkerError: () => null,
    Comlink: { proxy: <T>(f: T) => f },
  };
}

/** uPlot needs a canvas: the chart is replaced by its label and data, which tests can read. */
export function fakeChartModule() {
  return {
    Chart: ({ data, label }: { data: unknown; label: string }) => h('div', { 'data-testid': 'chart', 'aria-label': label, 'data-series': JSON.stringify(data) }),
    axisStyle: () => ({}),
    barsPath: () => () => null,
    cssVar: (_n: string, fallback: string) => fallback,
  };
}

/** Capabilities of an available adapter, as the worker reports them. */
export const READY_CAPS = {
  status: 'ready',
  caps: { available: true, adapter: { vendor: 'test', architecture: 'x', isFallbackAdapter: false, features: [], limits: {} }, timing: 'wall-clock' },
} as const;

/** A fresh container per test, unmounted and removed after it. */
export function mountPoint(): () => HTMLElement {
  let root: HTMLElement | null = null;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    if (!root) return;
    render(null, root);
    root.remove();
    root = null;
  });
  return () => {
    if (!root) throw new Error('mountPoint: used outside a test');
    return root;
  };
}

/** Lets a view's fetch resolve and its effects re-render: a few microtask turns inside act(). */
export const flushMicrotasks = (): Promise<void> =>
  act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });

/** Lets effects, timers and promises run until `done()` holds (or about 2 s have passed). */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 10));
    });
  }
}
