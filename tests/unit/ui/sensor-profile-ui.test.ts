// @vitest-environment happy-dom
/**
 * Sensor profiles in the page: kept per adapter from a run's measured block, chosen by default
 * for a later run on the same adapter (not for the run that measured it), offered by the profile
 * picker with a "forget" control; the dataset view lists measured profiles per adapter.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, until } from './helpers.ts';
import { selectProfile, type ProfileChoice } from '../../../src/energy/index.ts';
import type { ResultDocument } from '../../../src/shared/result.ts';
import { sampleResult } from '../../../src/shared/sample-result.ts';

const { lang, t } = await import('../../../src/i18n/index.ts');
const { defaultSensorProfile, forgetSensorProfile, loadSensorProfile, rememberSensorProfile } = await import('../../../src/ui/energy/sensor-store.ts');
const { ProfilePicker } = await import('../../../src/ui/energy/ProfilePicker.tsx');
const { MeasuredProfilesSection } = await import('../../../src/ui/results/dataset/MeasuredProfilesSection.tsx');

/** The sample run measured by an NVIDIA board sensor: 20 W idle, 80 W and 70 W under the two models. */
function measuredRun(date = '2026-02-01'): ResultDocument {
  const role = (meanW: number) => ({ meanW, windowSeconds: 3, samples: 30, queryMs: 100, joules: 1, attributionalJoules: 2, estimateOverMeasured: null });
  return {
    ...sampleResult(),
    date,
    measured: { available: true, sensor: { kind: 'nvidia-smi', coverage: 'gpu-board', periodMs: 100 }, samples: 80, idleW: 20, idleSeconds: 2, perQuery: { general: role(80), specialized: role(70) }, ratio: null },
  };
}

const mounted = mountPoint();
let root: HTMLElement;
beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  localStorage.clear();
});

describe('the sensor-profile store', () => {
  test('a measured run fills it for its adapter; a later run uses it by default, the measuring run does not', () => {
    const run = measuredRun();
    const kept = rememberSensorProfile(run);
    expect(kept).toMatchObject({ idleW: 20, deltaW: { low: 50, typ: 55, high: 60 }, sensor: { kind: 'nvidia-smi' }, date: '2026-02-01' });
    expect(loadSensorProfile(run.environment.adapter)).toEqual(kept);
    expect(defaultSensorProfile(run)).toBeNull();
    expect(defaultSensorProfile({ ...sampleResult(), date: '2026-03-01' })).toEqual(kept);
    // Not for a run before the measurement, nor another adapter.
    expect(defaultSensorProfile({ ...sampleResult(), date: '2026-01-01' })).toBeNull();
    const other = sampleResult();
    other.environment.adapter = { ...other.environment.adapter, architecture: 'other-arch' };
    expect(defaultSensorProfile(other)).toBeNull();
    forgetSensorProfile(run.environment.adapter);
    expect(loadSensorProfile(run.environment.adapter)).toBeNull();
  });

  test('a run without watts leaves nothing; garbage in the store is ignored', () => {
    expect(rememberSensorProfile(sampleResult())).toBeNull();
    const a = sampleResult().environment.adapter;
    localStorage.setItem(`frugal-ai-lab:sensor-profile:${a.vendor || '-'}/${a.architecture || '-'}`, '{"version":1,"idleW":-5}');
    expect(loadSensorProfile(a)).toBeNull();
  });
});

describe('the profile picker', () => {
  test('offers the kept profile as "Measured on this device (date, sensor)", and forgets it', async () => {
    const run = measuredRun();
    rememberSensorProfile(run);
    const a = run.environment.adapter;
    const auto = selectProfile(a, { hasBattery: false }).profile;
    const onChange = vi.fn<(p: ProfileChoice | null) => void>();
    await act(() => render(h(ProfilePicker, { auto, current: auto, onChange, adapter: a }), root));
    const select = root.querySelector('select') as HTMLSelectElement;
    const option = [...select.options].find((o) => o.value === 'sensor');
    expect(option?.textContent).toBe('Measured on this device (2026-02-01, nvidia-smi)');
    select.value = 'sensor';
    await act(() => { select.dispatchEvent(new Event('change')); });
    const chosen = onChange.mock.calls.at(-1)?.[0];
    expect(chosen).toMatchObject({ id: 'sensor-measured', source: 'sensor', idleW: 20, deltaW: { typ: 55 }, sensor: { kind: 'nvidia-smi', date: '2026-02-01' } });
    // Shown as the current profile, labelled as measured, with its note.
    await act(() => render(h(ProfilePicker, { auto, current: chosen!, onChange, adapter: a }), root));
    expect(root.querySelector('[data-testid="profile-current"]')?.textContent).toContain('Measured on this device (2026-02-01, nvidia-smi)');
    expect(root.querySelector('[data-testid="profile-sensor-note"]')?.textContent).toBe(t('calibration.picker.note'));
    await act(() => (root.querySelector('[data-testid="profile-sensor-forget"]') as HTMLButtonElement).click());
    expect(loadSensorProfile(a)).toBeNull();
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(root.querySelector('[data-testid="profile-sensor-forget"]')).toBeNull();
  });

  test('nothing kept: no measured option, no forget control', async () => {
    const a = sampleResult().environment.adapter;
    const auto = selectProfile(a, { hasBattery: false }).profile;
    await act(() => render(h(ProfilePicker, { auto, current: auto, onChange: () => undefined, adapter: a }), root));
    expect([...(root.querySelector('select') as HTMLSelectElement).options].some((o) => o.value === 'sensor')).toBe(false);
    expect(root.querySelector('[data-testid="profile-sensor-forget"]')).toBeNull();
  });
});

describe('the dataset view\'s measured profiles', () => {
  test('a table per adapter and sensor from GET /api/profiles/measured', async () => {
    const body = { schemaVersion: 1, groups: [{ vendor: 'nvidia', architecture: 'ada', sensor: 'nvidia-smi', coverage: 'gpu-board', count: 3, medianIdleW: 30, medianDeltaW: 150 }, { vendor: 'x', sensor: 'nope' }] };
    const fetchMock = vi.fn(async () => new Response(JSON.stringify(body), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await act(() => render(h(MeasuredProfilesSection, {}), root));
    await until(() => root.querySelector('[data-testid="dataset-measured-profiles"]') !== null);
    expect(fetchMock).toHaveBeenCalledWith('/api/profiles/measured', { headers: { accept: 'application/json' } });
    const rows = [...root.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
    expect(rows).toEqual([['nvidia / ada', 'nvidia-smi (gpu-board)', '3', '30', '150']]);
    vi.unstubAllGlobals();
  });
});
