// @vitest-environment happy-dom
/** Measured watts beside the estimate in the energy panel: each labelled, or one line saying why not. */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, until } from './helpers.ts';
import { computeEnergy, type EnergyContext } from '../../../src/energy/index.ts';
import type { MeasuredSection } from '../../../src/shared/power.ts';
import type { ResultDocument } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang } = await import('../../../src/i18n/index.ts');
const { EnergyPanel } = await import('../../../src/ui/energy/EnergyPanel.tsx');
const { MeasuredBeside } = await import('../../../src/ui/energy/MeasuredBeside.tsx');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});

/** Idle 20 W; the general model at 80 W for 360 ms per query, the specialized at 50 W for 48 ms. */
const MEASURED: MeasuredSection = {
  available: true,
  sensor: { kind: 'nvidia-smi', coverage: 'gpu-board', periodMs: 100 },
  samples: 420,
  idleW: 20,
  idleSeconds: 2,
  perQuery: {
    general: { meanW: 80, windowSeconds: 4, samples: 40, queryMs: 360, joules: 21.6, attributionalJoules: 28.8, estimateOverMeasured: 0.5 },
    specialized: { meanW: 50, windowSeconds: 3, samples: 30, queryMs: 48, joules: 1.44, attributionalJoules: 2.4, estimateOverMeasured: 0.5 },
  },
  ratio: 15,
};

const text = () => root.textContent ?? '';
const measuredNode = () => root.querySelector('[data-testid="energy-measured"]');

describe('measured beside estimated', () => {
  test('in the energy panel: each figure labelled, estimate ÷ measured against the estimate on screen', async () => {
    const doc: ResultDocument = { ...sampleResult(), measured: MEASURED };
    const compute = vi.fn(async (d: ResultDocument, ctx: EnergyContext) => computeEnergy(d, ctx, { draws: 500, seed: 7 }));
    await act(() => render(h(EnergyPanel, { doc, compute }), root));
    await until(() => root.querySelector('[data-testid="energy-table"]') !== null);
    const table = measuredNode();
    expect(table).not.toBeNull();
    const head = [...table!.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(head).toEqual(['Quantity', 'Measured measured with nvidia-smi, GPU board', 'Estimated estimate', 'Estimate ÷ measured']);
    const general = table!.querySelector('tr[data-role="general"]')!;
    const cells = [...general.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells[0]).toBe('21.6 J above idle · 28.8 J with idle (80 W under load × 360 ms per query)');
    expect(cells[1]).toMatch(/ J$/);
    // The panel's own estimate (500 draws here), not the 0.5 stored at run time.
    const shown = await compute.mock.results[0]!.value as { perQuery: { general: { joules: { p50: number } } } };
    expect(cells[2]).toBe(`× ${new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(shown.perQuery.general.joules.p50 / 21.6)}`);
    expect(table!.querySelector('tr[data-role="ratio"] td')?.textContent).toBe('× 15');
    expect(text()).toContain('idle 20 W before the run, 420 readings every 100 ms');
  });

  test('unavailable: one line saying why, in the reader’s language', async () => {
    await act(() => render(h(MeasuredBeside, { measured: { available: false, reason: 'sensor-failed' }, e: null }), root));
    expect(measuredNode()?.tagName).toBe('P');
    expect(text()).toBe('No measured watts for this run: the power sensor stopped answering during the run. The estimate stands alone.');
    await act(() => {
      lang.value = 'fr';
      render(h(MeasuredBeside, { measured: { available: false, reason: 'no-readable-sensor' }, e: null }), root);
    });
    expect(text()).toMatch(/^Pas de watts mesurés pour cette exécution : le serveur local n’a aucun capteur/);
  });

  test('hosted without a local server, or no block at all: nothing shown', async () => {
    await act(() => render(h(MeasuredBeside, { measured: { available: false, reason: 'no-local-server' }, e: null }), root));
    expect(root.innerHTML).toBe('');
    await act(() => render(h(MeasuredBeside, { measured: undefined, e: null }), root));
    expect(root.innerHTML).toBe('');
  });

  test('a measured load not above idle: the gap is said to be not measurable', async () => {
    const flat: MeasuredSection = { ...MEASURED, ratio: null, perQuery: { general: { ...MEASURED.perQuery.general!, joules: 0, estimateOverMeasured: null } } };
    await act(() => render(h(MeasuredBeside, { measured: flat, e: null }), root));
    expect(root.querySelector('tr[data-role="ratio"] td')?.textContent).toBe('not measurable (a load not above idle)');
    expect(root.querySelectorAll('tbody tr[data-role="specialized"]')).toHaveLength(0);
  });
});
