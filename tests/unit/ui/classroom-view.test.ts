// @vitest-environment happy-dom
/**
 * Bringing the class in, in the page: Q opens the "your own device" dialog over the demo (QR code
 * of the pupils' link), Esc closes it; pooling creates a class whose code joins the link and whose
 * distribution is polled; on a pupil's device the opt-in sends nothing until ticked, then exactly
 * the entry the schema accepts.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeClientModule, mountPoint, until } from './helpers.ts';
import type { ClassCreated, ClassView } from '../../../src/shared/classroom.ts';
import { parseClassEntry } from '../../../src/shared/classroom.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

vi.mock('../../../src/lab/session.ts', () => ({ runLab: vi.fn() }));
vi.mock('../../../src/lab/client.ts', () => fakeClientModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { DemoView } = await import('../../../src/ui/DemoView.tsx');
const { ClassContribution } = await import('../../../src/ui/demo/ClassContribution.tsx');
const state = await import('../../../src/ui/state.ts');

const mounted = mountPoint();
let root: HTMLElement;
const q = (sel: string) => root.querySelector(sel);
const press = (key: string) =>
  act(() => {
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });

const created: ClassCreated = { code: 'ABC234', token: 't'.repeat(32), preset: 'ci', expiresAt: new Date(Date.now() + 3600_000).toISOString() };
const view: ClassView = {
  code: 'ABC234', preset: 'ci', expiresAt: created.expiresAt,
  distribution: { count: 2, ratio: { values: [10, 20], min: 10, p25: 12.5, median: 15, p75: 17.5, max: 20, edges: [10, 20], counts: [2] }, generalJ: null, specializedJ: null, vendors: [] },
};

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  sessionStorage.clear();
  state.capsState.value = { status: 'ready', caps: { available: true } } as never;
  state.runState.value = { kind: 'idle' };
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the "your own device" dialog', () => {
  test('Q opens it with the QR code of the pupils\' link; pooling adds the class code and shows the distribution; Esc closes', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      if (init?.method === 'POST') return new Response(JSON.stringify(created), { status: 201 });
      return new Response(JSON.stringify(view), { status: 200, headers: { etag: '"v1"' } });
    });
    location.value = parseHash('#/demo?preset=ci&lang=fr&country=FRA');
    await act(() => render(h(DemoView, {}), root));
    expect(q('[data-testid="class-open"]')!.textContent).toContain('(Q)');
    await press('q');
    expect(q('[data-testid="class-dialog"] [role="dialog"]')).not.toBeNull();
    expect(q('[data-testid="class-qr"]')!.getAttribute('data-version')).toMatch(/^\d+$/);
    expect(q('[data-testid="class-url"]')!.textContent).toMatch(/#\/\?preset=ci&lang=\w+&country=FRA$/);
    // While it is open, Space does not start the race behind it.
    await press(' ');
    expect(state.runState.value.kind).toBe('idle');
    await act(() => (q('[data-testid="class-start"]') as HTMLButtonElement).click());
    await until(() => q('[data-testid="pool-count"]') !== null);
    expect(calls[0]).toMatchObject({ url: '/api/classes', init: { method: 'POST', body: JSON.stringify({ preset: 'ci' }) } });
    expect(q('[data-testid="class-url"]')!.textContent).toMatch(/&class=ABC234$/);
    expect(q('[data-testid="class-code"]')!.textContent).toContain('ABC234');
    expect(q('[data-testid="pool-count"]')!.textContent).toBe('2 devices so far');
    expect(q('[data-testid="pool-ratio"]')!.textContent).toContain('median 15×');
    await press('Escape');
    expect(q('[data-testid="class-dialog"]')).toBeNull();
  });
});

describe("a pupil's opt-in", () => {
  test('nothing is sent until ticked; then the validated entry, and the answer is shown', async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      expect(url).toBe('/api/classes/ABC234/entries');
      bodies.push(JSON.parse(init?.body as string));
      return new Response('{}', { status: bodies.length === 1 ? 201 : 410 });
    });
    const doc = sampleResult();
    await act(() => render(h(ClassContribution, { code: 'ABC234', doc }), root));
    const send = q('[data-testid="class-send"]') as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    await act(() => (q('[data-testid="class-optin"]') as HTMLInputElement).click());
    expect(send.disabled).toBe(false);
    await act(() => send.click());
    await until(() => q('[data-testid="class-sent"]') !== null);
    expect(bodies).toHaveLength(1);
    const parsed = parseClassEntry(bodies[0]);
    expect(parsed.ok).toBe(true);
    expect(bodies[0]).toMatchObject({ preset: doc.suite.preset, ratio: doc.energy!.ratio.p50 });
    expect(q('[data-testid="class-sent"]')!.getAttribute('data-outcome')).toBe('added');
  });
});
