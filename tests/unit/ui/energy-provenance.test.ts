// @vitest-environment happy-dom
/**
 * "How this figure was made" and the A–E energy label: the table lists every input of the
 * formulas with the value used and its provenance, for a section computed by the real model;
 * the badge shows the class of the median with its accessible name and the straddle note; both
 * render in French; the methodology publishes the bounds.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test } from 'vitest';
import { mountPoint } from './helpers.ts';
import { computeEnergy, embodiedFor, gridIntensity, profileFromCatalog, type EnergyContext } from '../../../src/energy/index.ts';
import { energyLabel, ENERGY_LABEL_CLASSES } from '../../../src/shared/energy-label.ts';
import { PROVENANCE_INPUTS, sourceText } from '../../../src/shared/provenance.ts';
import type { EnergySection, ResultDocument } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

const { lang, t, fmt } = await import('../../../src/i18n/index.ts');
const { ProvenanceTable } = await import('../../../src/ui/energy/ProvenanceTable.tsx');
const { EnergyLabelBadge, LABEL_COLOURS } = await import('../../../src/ui/energy/EnergyLabelBadge.tsx');
const { MethodologyView } = await import('../../../src/ui/energy/MethodologyView.tsx');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});

function context(profileId: string, country: string): EnergyContext {
  const profile = profileFromCatalog(profileId);
  return { profile, grid: gridIntensity(country), embodied: embodiedFor(profile.embodiedClasses) };
}

function section(doc: ResultDocument, profileId = 'apple-m-max', country = 'FRA'): EnergySection {
  return computeEnergy(doc, context(profileId, country), { draws: 300, seed: 7 });
}

interface RowText { input: string; role: string | null; kind: string; head: string; value: string; kindText: string; detail: string }

function rows(): RowText[] {
  return [...root.querySelectorAll('[data-testid="energy-provenance"] tbody tr')].map((tr) => {
    const cells = tr.querySelectorAll('td');
    return {
      input: tr.getAttribute('data-input') ?? '',
      role: tr.getAttribute('data-role'),
      kind: tr.getAttribute('data-kind') ?? '',
      head: tr.querySelector('th')?.textContent ?? '',
      value: cells[0]?.textContent ?? '',
      kindText: cells[1]?.textContent ?? '',
      detail: cells[2]?.textContent ?? '',
    };
  });
}

const row = (input: string, role: string | null = null): RowText => {
  const r = rows().find((x) => x.input === input && x.role === role);
  if (!r) throw new Error(`no row for ${input} ${String(role)}`);
  return r;
};

describe('ProvenanceTable', () => {
  test('lists the eight inputs (timings per model) with the values used and their provenance', async () => {
    const doc = sampleResult();
    const e = section(doc);
    await act(() => render(h(ProvenanceTable, { doc, e }), root));
    const all = rows();
    // Every input of the formulas, busy and wall time once per model: 2 + 2 + 6 rows.
    expect(new Set(all.map((r) => r.input))).toEqual(new Set(PROVENANCE_INPUTS));
    expect(all).toHaveLength(10);
    expect(all.map((r) => [r.input, r.role, r.kind])).toEqual([
      ['busyTime', 'specialized', 'measured'],
      ['busyTime', 'general', 'measured'],
      ['wallTime', 'specialized', 'measured'],
      ['wallTime', 'general', 'measured'],
      // apple-m-max is a catalog class from published measurements, not a modeled one.
      ['deltaW', null, 'sourced'],
      ['idleW', null, 'sourced'],
      // The host overhead is the project's assumption for a catalog profile.
      ['hostW', null, 'modeled'],
      ['eta', null, 'sourced'],
      ['grid', null, 'sourced'],
      ['embodied', null, 'sourced'],
    ]);
    // The kind is a visible tag, in words.
    expect(row('hostW').kindText).toBe('modeled');
    expect(row('deltaW').kindText).toBe('sourced');
    expect(row('busyTime', 'general').kindText).toBe('measured');
    // Values are the section's inputs: the sample's medians (40 and 300 ms, wall 1.2×).
    expect(row('busyTime', 'specialized').value).toBe('40 ms');
    expect(row('busyTime', 'general').value).toBe('300 ms');
    expect(row('wallTime', 'specialized').value).toBe('48 ms');
    expect(row('wallTime', 'general').value).toBe('360 ms');
    expect(row('busyTime', 'general').head).toBe(`${t('energy.prov.input.busyTime')} — ${t('energy.role.general')}`);
    // ΔP: the profile's triangle and the median the draws used.
    expect(e.profile.deltaW).toEqual({ low: 30, typ: 60, high: 130 });
    const med = e.method?.medianInputs;
    expect(row('deltaW').value).toBe(`60 W typical (30–130 W); median drawn ${fmt(med?.deltaW, 2)} W`);
    // Idle: the triangle whose mode is profile.idleW, and its median.
    expect(e.profile.idleW).toBe(8);
    expect(row('idleW').value).toBe(`8 W typical (7–10 W); median drawn ${fmt(med?.idleW, 2)} W`);
    expect(row('hostW').value).toBe(`3 W typical (1–8 W); median drawn ${fmt(med?.hostW, 2)} W`);
    expect(row('eta').value).toBe(`0.85–0.92, uniform; median drawn ${fmt(med?.eta, 2)}`);
    expect(row('grid').value).toContain(`FRA: ${fmt(e.grid.gPerKWh, 2)} gCO2e/kWh typical`);
    expect(row('embodied').value).toBe(`${fmt(e.embodied?.kgCO2e, 2)} kgCO2e over ${fmt(e.embodied?.lifetimeYears, 1)} years`);
    // Details: the method, or the citations with their year, or the basis sentence.
    expect(row('busyTime', 'specialized').detail).toBe(t('energy.prov.method.gpu-timestamp'));
    expect(row('wallTime', 'general').detail).toBe(t('energy.prov.method.wall-clock'));
    expect(row('hostW').detail).toContain(t('energy.prov.basis.assumption'));
    expect(row('hostW').detail).toContain(sourceText('assumption:hostW') ?? '?');
    expect(row('deltaW').detail).toContain(sourceText('profile:anandtech-m1max') ?? '?');
    expect(row('deltaW').detail).toContain('Year stated by the source: 2026');
    expect(row('embodied').detail).toContain('Year stated by the source: 2021');
    expect(row('eta').detail).toContain(t('energy.prov.yearUnknown'));
    // An accessible table: caption and header scopes.
    const table = root.querySelector('[data-testid="energy-provenance"] table');
    expect(table?.querySelector('caption')?.textContent).toBe(t('energy.prov.caption'));
    expect(table?.querySelectorAll('thead th[scope="col"]')).toHaveLength(4);
    expect(table?.querySelectorAll('tbody th[scope="row"]')).toHaveLength(10);
    expect(root.querySelector('[data-testid="energy-provenance"]')?.tagName).toBe('DETAILS');
  });

  test('wall-clock timings, a desktop graphics card and an unknown country', async () => {
    const doc = sampleResult();
    for (const w of doc.workloads) {
      w.timing = { ...w.timing, source: 'wall-clock' };
      delete w.timing.wallMedianMs;
    }
    const e = section(doc, 'nvidia-lovelace-desktop', 'WORLD');
    await act(() => render(h(ProvenanceTable, { doc, e }), root));
    expect(row('busyTime', 'specialized').detail).toBe(t('energy.prov.method.wall-clock'));
    expect(row('wallTime', 'general').kind).toBe('measured');
    // Desktop + graphics card: the card's footprint is derived with Boavizta's formula.
    expect(row('embodied').kind).toBe('modeled');
    expect(row('embodied').detail).toContain(t('energy.prov.basis.derived-formula'));
    expect(row('grid').kind).toBe('modeled');
    expect(row('grid').detail).toContain(t('energy.prov.basis.world-range'));
    expect(row('grid').value).toContain('(30–900 gCO2e/kWh)');
  });

  test('a stored section without provenance, labels or method still gets every row, nothing reported missing', async () => {
    const doc = sampleResult();
    const full = section(doc);
    const stored: EnergySection = JSON.parse(JSON.stringify(full)) as EnergySection;
    delete stored.provenance;
    delete stored.method;
    delete stored.perQuery.general.inputs;
    delete stored.perQuery.general.label;
    await act(() => render(h(ProvenanceTable, { doc, e: stored }), root));
    expect(rows().map((r) => r.kind)).toEqual(['measured', 'measured', 'measured', 'measured', 'sourced', 'sourced', 'modeled', 'sourced', 'sourced', 'sourced']);
    // Timings from the document's workloads; the assumptions from the defaults, without medians.
    expect(row('busyTime', 'general').value).toBe('300 ms');
    expect(row('wallTime', 'general').value).toBe('360 ms');
    expect(row('hostW').value).toBe('3 W typical (1–8 W)');
    expect(root.textContent).not.toMatch(/missing/i);
    expect(rows().filter((r) => r.value === '—' || r.value === '' || r.detail === '')).toEqual([]);
  });

  test('an unknown idle power is said to be unknown and not used', async () => {
    const doc = sampleResult();
    const e = section(doc);
    const stored: EnergySection = { ...e, profile: { ...e.profile, idleW: null, idleRangeW: null } };
    delete stored.provenance;
    await act(() => render(h(ProvenanceTable, { doc, e: stored }), root));
    expect(row('idleW').kind).toBe('none');
    expect(row('idleW').kindText).toBe(t('energy.prov.kind.none'));
    expect(row('idleW').value).toBe(t('energy.prov.value.unknown'));
    expect(row('idleW').detail).toBe(t('energy.prov.detail.noIdle'));
  });

  test('renders in French', async () => {
    lang.value = 'fr';
    const doc = sampleResult();
    const e = section(doc);
    await act(() => render(h(ProvenanceTable, { doc, e }), root));
    expect(root.querySelector('summary')?.textContent).toBe('Comment ce chiffre a été obtenu');
    expect(row('busyTime', 'general').kindText).toBe('mesurée');
    expect(row('hostW').kindText).toBe('modélisée');
    expect(row('deltaW').kindText).toBe('sourcée');
    expect(row('deltaW').value).toContain('60 W typique (30–130 W) ; médiane tirée');
    expect(row('eta').value).toContain('0,85–0,92, uniforme');
    expect(row('busyTime', 'general').head).toBe('Temps d’occupation du GPU par requête (t_busy) — Modèle généraliste');
  });
});

describe('EnergyLabelBadge', () => {
  const badge = () => {
    const letter = root.querySelector('[data-testid="energy-label"] [role="img"]');
    return {
      letter: letter?.textContent,
      name: letter?.getAttribute('aria-label'),
      straddle: root.querySelector('[data-testid="energy-label-straddle"]')?.textContent ?? null,
    };
  };

  test('shows the class of the median, its accessible name, and a straddle note when p5 and p95 differ', async () => {
    await act(() => render(h(EnergyLabelBadge, { label: energyLabel({ p5: 0.02, p50: 0.1, p95: 0.5 }) }), root));
    expect(badge()).toEqual({ letter: 'B', name: 'Energy class B (label-v1): 0.03–0.3 J per query', straddle: 'A–C across the uncertainty range' });

    await act(() => render(h(EnergyLabelBadge, { label: energyLabel({ p5: 4, p50: 8, p95: 20 }) }), root));
    expect(badge()).toEqual({ letter: 'D', name: 'Energy class D (label-v1): 3–30 J per query', straddle: null });

    // Bounds are exclusive above: 0.3 J is C, 30 J is E, just under 0.03 J is A.
    await act(() => render(h(EnergyLabelBadge, { label: energyLabel({ p5: 0.3, p50: 0.3, p95: 0.3 }) }), root));
    expect(badge().letter).toBe('C');
    await act(() => render(h(EnergyLabelBadge, { label: energyLabel({ p5: 30, p50: 30, p95: 45 }) }), root));
    expect(badge()).toEqual({ letter: 'E', name: 'Energy class E (label-v1): 30 J or more per query', straddle: null });
    await act(() => render(h(EnergyLabelBadge, { label: energyLabel({ p5: 0.01, p50: 0.0299, p95: 0.0299 }) }), root));
    expect(badge()).toEqual({ letter: 'A', name: 'Energy class A (label-v1): under 0.03 J per query', straddle: null });
  });

  test('renders in French', async () => {
    lang.value = 'fr';
    await act(() => render(h(EnergyLabelBadge, { label: energyLabel({ p5: 0.2, p50: 0.5, p95: 4 }) }), root));
    expect(badge()).toEqual({ letter: 'C', name: 'Classe énergétique C (label-v1) : 0,3–3 J par requête', straddle: 'B–D sur la fourchette d’incertitude' });
  });

  test('colours run on a fixed scale, each letter readable at a contrast of at least 4.5:1', async () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const contrast = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
    };
    for (const c of ENERGY_LABEL_CLASSES) expect(contrast(LABEL_COLOURS[c].bg, LABEL_COLOURS[c].fg), c).toBeGreaterThanOrEqual(4.5);
    // A is green, E is red: the hue runs from green to red.
    const hue = (hex: string) => {
      const [r, g] = [1, 3].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return (g ?? 0) - (r ?? 0);
    };
    expect(hue(LABEL_COLOURS.A.bg)).toBeGreaterThan(0);
    expect(hue(LABEL_COLOURS.E.bg)).toBeLessThan(0);
    // The badge carries its class's colours.
    await act(() => render(h(EnergyLabelBadge, { label: energyLabel({ p5: 40, p50: 40, p95: 40 }) }), root));
    const style = root.querySelector<HTMLElement>('[role="img"]')?.getAttribute('style') ?? '';
    expect(style.replace(/\s/g, '').toLowerCase()).toMatch(/background:(#c62828|rgb\(198,40,40\))/);
  });
});

describe('MethodologyView', () => {
  test('publishes the label-v1 bounds, the provenance section and the batch durations from the constants', async () => {
    await act(() => render(h(MethodologyView, {}), root));
    const bounds = [...root.querySelectorAll('[data-testid="methodology-label"] tbody tr')].map((tr) => [tr.getAttribute('data-class'), tr.querySelector('td')?.textContent]);
    expect(bounds).toEqual([
      ['A', 'under 0.03 J'],
      ['B', '0.03–0.3 J'],
      ['C', '0.3–3 J'],
      ['D', '3–30 J'],
      ['E', '30 J or more'],
    ]);
    const label = root.querySelector('[data-testid="methodology-label"]')?.textContent ?? '';
    expect(label).toContain('√10');
    expect(label).toContain('AI Energy Score');
    expect(label).toContain('label-v1');
    const prov = root.querySelector('[data-testid="methodology-provenance"]')?.textContent ?? '';
    expect(prov).toContain('Software Carbon Intensity');
    expect(prov).toContain('recomputes');
    const text = root.textContent ?? '';
    expect(text).toContain('at least 10 ms');
    expect(text).toContain('50 ms or more');
    expect(text).not.toContain('2 ms');
    expect(text).not.toMatch(/\{\w+\}/);
  });

  test('renders in French', async () => {
    lang.value = 'fr';
    await act(() => render(h(MethodologyView, {}), root));
    expect(root.querySelector('[data-testid="methodology-label"] h2')?.textContent).toBe('Étiquette énergétique');
    expect(root.querySelector('[data-testid="methodology-provenance"] h2')?.textContent).toBe('D’où vient chaque nombre');
    expect(root.querySelector('[data-testid="methodology-label"] tbody tr td')?.textContent).toBe('moins de 0,03 J');
    expect(root.textContent ?? '').toContain('au moins 10 ms');
  });
});
