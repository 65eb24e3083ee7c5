// @vitest-environment happy-dom
/** The #/model energy card: each run's estimate keeps its figure and gets its A–E label beside it. */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint } from './helpers.ts';
import { computeWorkloadEnergy, embodiedFor, gridIntensity, profileFromCatalog, type EnergyContext } from '../../../src/energy/index.ts';
import { energyClass } from '../../../src/shared/energy-label.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());

const { lang } = await import('../../../src/i18n/index.ts');
const session = await import('../../../src/lab/onnx-session.ts');
const { EnergyCard } = await import('../../../src/ui/model/EnergyCard.tsx');

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
});

describe('EnergyCard', () => {
  test('each run shows the class of its median energy beside the figure', async () => {
    const profile = profileFromCatalog('nvidia-lovelace-desktop');
    const ctx: EnergyContext = { profile, grid: gridIntensity('FRA'), embodied: embodiedFor(profile.embodiedClasses) };
    const model = sampleResult().workloads.find((w) => w.role === 'general');
    if (!model) throw new Error('sample has no general model');
    const e = computeWorkloadEnergy(model, ctx, { draws: 300, seed: 7 });
    session.energy.value = { kind: 'ready', rows: [{ ep: 'webgpu', ctx, e }] };
    await act(() => render(h(EnergyCard, {}), root));
    const item = root.querySelector('[data-testid="onnx-energy"] li');
    const badge = item?.querySelector('[data-testid="energy-label"]');
    // 300 ms of busy and 360 ms of wall time on a 30–130 W desktop card: tens of joules, class E.
    expect(e.joules.p50).toBeGreaterThan(30);
    expect(energyClass(e.joules.p50)).toBe('E');
    expect(badge?.getAttribute('data-class')).toBe('E');
    expect(badge?.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe('Energy class E (label-v1): 30 J or more per query');
    // The figure is still there.
    expect(item?.textContent).toContain('Wh');
    session.energy.value = { kind: 'none' };
  });
});
