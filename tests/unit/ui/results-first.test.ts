// @vitest-environment happy-dom
/**
 * Results first: a finished run opens on its summary (ratio, per-query and per-1,000 energy with
 * ranges, labels, one equivalence); every detail is a closed section whose state is in the
 * address. And the first-visit explanation: shown once, Esc closes it, focus comes back.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, until } from './helpers.ts';
import { computeEnergy, type EnergyContext } from '../../../src/energy/index.ts';
import type { ResultDocument } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());
vi.mock('../../../src/lab/client.ts', async () => ({
  ...(await import('./helpers.ts')).fakeClientModule(),
  getLab: () => ({ computeEnergy: async (d: ResultDocument, ctx: EnergyContext) => computeEnergy(d, ctx, { draws: 300, seed: 3 }) }),
}));

const { lang, t } = await import('../../../src/i18n/index.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { ResultsPanel } = await import('../../../src/ui/ResultsPanel.tsx');
const { FirstVisit, GUIDE_SEEN_KEY, HowItWorksButton } = await import('../../../src/ui/FirstVisit.tsx');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  window.history.replaceState(null, '', '#/?preset=ci');
  location.value = parseHash(window.location.hash);
  localStorage.clear();
});

const q = (sel: string) => root.querySelector(sel);

describe('results first', () => {
  test('the summary answers the question; the details are closed sections', async () => {
    await act(() => render(h(ResultsPanel, { doc: sampleResult(), localId: null }), root));
    await until(() => q('[data-testid="summary-ratio"]') !== null);
    expect(q('[data-testid="summary-ratio"]')?.textContent).toMatch(/used [\d.]+× the energy .* \(range [\d.]+–[\d.]+×\)/);
    for (const role of ['specialized', 'general']) {
      expect(q(`[data-testid="summary-per-query-${role}"]`)?.textContent).toMatch(/J \([\d.]+–[\d.]+\)$/);
      expect(q(`[data-testid="summary-per-1000-${role}"]`)?.textContent).toMatch(/Wh \([\d.]+–[\d.]+\)$/);
      expect(q(`[data-testid="summary-${role}"] [data-testid="energy-label"]`)).not.toBeNull();
    }
    expect(q('[data-testid="summary-equivalence"]')?.textContent).toContain('1,000 answers of the general model ≈');
    // Every section is closed, its button says so and names what it controls.
    const toggles = [...root.querySelectorAll('.disclosure-toggle')];
    expect(toggles.length).toBeGreaterThanOrEqual(12);
    for (const b of toggles) {
      expect(b.getAttribute('aria-expanded')).toBe('false');
      expect(document.getElementById(b.getAttribute('aria-controls') ?? '')?.hidden).toBe(true);
    }
    // The energy table is there for a link to open, hidden until then.
    expect(q('#section-energy [data-testid="energy-table"]')).not.toBeNull();
  });

  test('opening a section writes it in the address, and the address opens sections', async () => {
    await act(() => render(h(ResultsPanel, { doc: sampleResult(), localId: null }), root));
    await until(() => q('[data-testid="summary-ratio"]') !== null);
    await act(() => (q('[data-testid="toggle-energy"]') as HTMLButtonElement).click());
    expect(window.location.hash).toBe('#/?preset=ci&open=energy');
    expect(q('[data-testid="toggle-energy"]')?.getAttribute('aria-expanded')).toBe('true');
    expect((q('#section-energy') as HTMLElement).hidden).toBe(false);
    await act(() => (q('[data-testid="toggle-kernels"]') as HTMLButtonElement).click());
    expect(window.location.hash).toBe('#/?preset=ci&open=kernels,energy');
    await act(() => (q('[data-testid="toggle-energy"]') as HTMLButtonElement).click());
    expect(window.location.hash).toBe('#/?preset=ci&open=kernels');
    // A link: the sections it names are open, a bad name is ignored.
    await act(() => {
      location.value = parseHash('#/?open=grid,nonsense,upload');
    });
    const open = [...root.querySelectorAll('.disclosure-toggle[aria-expanded="true"]')].map((b) => b.getAttribute('data-testid'));
    expect(open).toEqual(['toggle-grid', 'toggle-upload']);
  });
});

describe('first visit', () => {
  test('shown once on the run view, closed by Esc with focus returned, remembered, reopened by "How it works"', async () => {
    await act(() => render(h('div', null, h(HowItWorksButton, null), h(FirstVisit, { route: 'run', autorun: false })), root));
    const dialog = q('[data-testid="guide"]') as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    expect(dialog.textContent).toContain(t('guide.kernel.title'));
    expect(document.activeElement).toBe(q('[data-testid="guide-close"]'));
    await act(() => {
      dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(dialog.open).toBe(false);
    expect(localStorage.getItem(GUIDE_SEEN_KEY)).toBe('1');
    // Reopened on demand; closing returns focus to the button that opened it.
    const opener = q('[data-testid="guide-open"]') as HTMLButtonElement;
    opener.focus();
    await act(() => opener.click());
    expect(dialog.open).toBe(true);
    await act(() => (q('[data-testid="guide-skip"]') as HTMLButtonElement).click());
    expect(dialog.open).toBe(false);
    expect(document.activeElement).toBe(opener);
    // Remembered: a new page load does not show it again.
    await act(() => render(null, root));
    await act(() => render(h(FirstVisit, { route: 'run', autorun: false }), root));
    expect((q('[data-testid="guide"]') as HTMLDialogElement).open).toBe(false);
  });

  test('never on the demo, nor on a headless autorun page; French when the page is', async () => {
    await act(() => render(h(FirstVisit, { route: 'demo', autorun: false }), root));
    expect((q('[data-testid="guide"]') as HTMLDialogElement).open).toBe(false);
    await act(() => render(h(FirstVisit, { route: 'run', autorun: true }), root));
    expect((q('[data-testid="guide"]') as HTMLDialogElement).open).toBe(false);
    lang.value = 'fr';
    await act(() => render(h(FirstVisit, { route: 'run', autorun: false }), root));
    expect(q('[data-testid="guide"]')?.textContent).toContain('Ce qu’est un noyau GPU');
    await act(() => (q('[data-testid="guide-close"]') as HTMLButtonElement).click());
  });
});
