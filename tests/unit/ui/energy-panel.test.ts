// @vitest-environment happy-dom
/** The energy panel: the estimate it asks for, the figures it shows, and its failure modes. */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, until } from './helpers.ts';
import { computeEnergy, type EnergyContext } from '../../../src/energy/index.ts';
import type { EnergySection, ResultDocument } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';
import { energyLabel } from '../../../src/shared/energy-label.ts';

vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t, fmt } = await import('../../../src/i18n/index.ts');
const { EnergyPanel } = await import('../../../src/ui/energy/EnergyPanel.tsx');
const { fmtRange, fmtWhRange } = await import('../../../src/ui/energy/format.ts');
const { labelName } = await import('../../../src/ui/energy/EnergyLabelBadge.tsx');
const { scale3 } = await import('../../../src/energy/index.ts');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});
const idle = () => root.querySelector('[aria-busy="true"]') === null;


describe('EnergyPanel', () => {
  test('asks for one estimate with the grid stored in the document, and shows its figures', async () => {
    const doc = sampleResult();
    let seen: EnergySection | null = null;
    const compute = vi.fn(async (d: ResultDocument, ctx: EnergyContext) => computeEnergy(d, ctx, { draws: 500, seed: 7 }));
    const onEnergy = vi.fn((e: EnergySection) => (seen = e));
    await act(() => render(h(EnergyPanel, { doc, compute, onEnergy }), root));
    await until(idle);
    expect(compute).toHaveBeenCalledTimes(1);
    const ctx = compute.mock.calls[0]?.[1];
    expect(ctx?.grid.country).toBe('FRA');
    expect(onEnergy).toHaveBeenCalledTimes(1);
    const e = seen as unknown as EnergySection;
    // The headline is the estimate, formatted: Wh per 1,000 queries and the ratio with its range.
    const headline = root.querySelector('[data-testid="energy-headline"]')?.textContent ?? '';
    expect(headline).toContain(fmtWhRange(scale3(e.perQuery.specialized.joules, 1000 / 3600)));
    expect(headline).toContain(fmtWhRange(scale3(e.perQuery.general.joules, 1000 / 3600)));
    expect(headline).toContain(fmt(e.ratio.p50, 1));
    // The general model, 7.5× slower, costs more per query in every draw summary.
    expect(e.perQuery.general.joules.p50).toBeGreaterThan(e.perQuery.specialized.joules.p50);
    // Marginal, attributional and CO2e rows for each role.
    expect(root.querySelectorAll('[data-testid="energy-table"] tbody tr')).toHaveLength(6);
    expect(root.querySelector('[aria-busy="true"]')).toBeNull();
  });

  test('each model\'s per-query energy carries its A–E label beside the figure, and the provenance table sits under the result', async () => {
    const doc = sampleResult();
    let seen: EnergySection | null = null;
    const compute = vi.fn(async (d: ResultDocument, ctx: EnergyContext) => computeEnergy(d, ctx, { draws: 500, seed: 7 }));
    await act(() => render(h(EnergyPanel, { doc, compute, onEnergy: (e: EnergySection) => (seen = e) }), root));
    await until(idle);
    const e = seen as unknown as EnergySection;
    const bodyRows = [...root.querySelectorAll('[data-testid="energy-table"] tbody tr')];
    for (const role of ['specialized', 'general'] as const) {
      const label = energyLabel(e.perQuery[role].joules);
      expect(e.perQuery[role].label).toEqual(label);
      const marginal = bodyRows.find((tr) => tr.classList.contains(`role-${role}`) && tr.querySelector('th')?.textContent?.startsWith(t('energy.row.marginal')));
      const cell = marginal?.querySelector('td');
      // The figure stays, the badge is beside it.
      expect(cell?.textContent).toContain(`${fmtRange(e.perQuery[role].joules)} J`);
      expect(cell?.querySelector('[data-testid="energy-label"]')?.getAttribute('data-class')).toBe(label.class);
      expect(cell?.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe(labelName(label));
    }
    // Only the marginal rows are labelled: one badge per model.
    expect(root.querySelectorAll('[data-testid="energy-table"] [data-testid="energy-label"]')).toHaveLength(2);
    const prov = root.querySelector('[data-testid="energy-provenance"]');
    expect(prov?.querySelectorAll('tbody tr')).toHaveLength(10);
    // The rows follow the section's stored provenance (the automatic profile here is the software adapter's).
    const p = e.provenance;
    expect([...(prov?.querySelectorAll('tbody tr') ?? [])].map((tr) => tr.getAttribute('data-kind'))).toEqual([
      p?.busyTime.specialized.kind, p?.busyTime.general.kind, p?.wallTime.specialized.kind, p?.wallTime.general.kind,
      p?.deltaW.kind, p?.idleW?.kind ?? 'none', p?.hostW.kind, p?.eta.kind, p?.grid.kind, p?.embodied?.kind ?? 'none',
    ]);
    expect(p?.busyTime.general).toEqual({ kind: 'measured', method: 'gpu-timestamp' });
  });

  test('the literature card is shown for the paper preset only, each quoted pair on its own', async () => {
    const compute = vi.fn(async (d: ResultDocument, ctx: EnergyContext) => computeEnergy(d, ctx, { draws: 200, seed: 7 }));
    for (const preset of ['ci', 'quick'] as const) {
      const doc = sampleResult();
      doc.suite = { ...doc.suite, preset };
      await act(() => render(h(EnergyPanel, { doc, compute }), root));
      await until(() => root.querySelector('[data-testid="energy-headline"]') !== null);
      expect(root.querySelector('[data-testid="energy-literature"]')).toBeNull();
      await act(() => render(null, root));
    }
    const doc = sampleResult();
    doc.suite = { ...doc.suite, preset: 'paper' };
    await act(() => render(h(EnergyPanel, { doc, compute }), root));
    await until(() => root.querySelector('[data-testid="energy-literature"]') !== null);
    const card = root.querySelector('[data-testid="energy-literature"]')?.textContent ?? '';
    // Two pairs, quoted separately (never "15–36×"), their models said to be untranscribed.
    const pairs = [...root.querySelectorAll('[data-testid="energy-lit-pair"]')].map((li) => li.textContent);
    expect(pairs).toEqual([
      t('energy.lit.pair', { ratio: '15', models: t('energy.lit.pairUnknown') }),
      t('energy.lit.pair', { ratio: '36', models: t('energy.lit.pairUnknown') }),
    ]);
    expect(card).not.toMatch(/15\s*[–-]\s*36/);
    // The study's set-up and both models of this lab, with their sizes.
    expect(card).toContain('whole-node energy');
    expect(card).toContain('A100');
    expect(card).toContain('real, trained weights');
    expect(card).toContain('DistilBERT-base (SST-2 classifier head) (67 million parameters)');
    expect(card).toContain('Qwen2.5-0.5B-Instruct (494 million parameters)');
    expect(card).not.toContain('synthetic-weight replica');
  });

  test('a failed estimate is shown as such, with its message, and nothing is reported upward', async () => {
    const onEnergy = vi.fn();
    const compute = vi.fn(() => Promise.reject(Object.assign(new Error('draws exhausted'), { name: 'InvalidTimingError' })));
    await act(() => render(h(EnergyPanel, { doc: sampleResult(), compute, onEnergy }), root));
    await until(idle);
    const alert = root.querySelector('[role="alert"]');
    expect(alert?.textContent).toBe(t('energy.error', { message: 'draws exhausted' }));
    expect(onEnergy).not.toHaveBeenCalled();
    expect(root.querySelector('[data-testid="energy-headline"]')).toBeNull();
  });

  test('a document without both model roles asks for nothing and says why', async () => {
    const doc = sampleResult();
    doc.workloads = doc.workloads.filter((w) => w.role !== 'general');
    const compute = vi.fn();
    await act(() => render(h(EnergyPanel, { doc, compute }), root));
    // Give battery detection and effects time to run: nothing may be computed even then.
    let ticks = 0;
    await until(() => ++ticks > 20);
    expect(compute).not.toHaveBeenCalled();
    expect(root.querySelector('[data-testid="energy-panel"]')?.textContent).toContain(t('energy.missingRole'));
  });
});
