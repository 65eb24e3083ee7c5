import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { estimateWithProfile, loadProfile, profileDir, profileFromDocument, profilePath, saveProfile, withSensorProfile } from '../../scripts/node/profiles.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import type { MeasuredRole } from '../../src/shared/power.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const role = (meanW: number, queryMs: number): MeasuredRole => ({ meanW, windowSeconds: 3, samples: 30, queryMs, joules: 0, attributionalJoules: 0, estimateOverMeasured: null });
/** The sample document measured by an NVIDIA board sensor: 20 W idle, 80 W and 70 W under the two models. */
function measured(general: number, specialized: number): ResultDocument {
  return {
    ...sampleResult(),
    measured: {
      available: true, sensor: { kind: 'nvidia-smi', coverage: 'gpu-board', periodMs: 100 }, samples: 80, idleW: 20, idleSeconds: 2,
      perQuery: { general: role(general, 360), specialized: role(specialized, 48) }, ratio: null,
    },
  };
}

describe('measured profiles of the Node runner', () => {
  test('a measured run gives its adapter a profile: idle, and the power each model added above it', () => {
    const made = profileFromDocument(measured(80, 70));
    if (!made.ok) throw new Error(made.why);
    expect(made.profile).toMatchObject({ version: 1, sensor: { kind: 'nvidia-smi', coverage: 'gpu-board' }, idleW: 20, deltaW: { low: 50, typ: 55, high: 60 }, samples: 80 });
    expect(made.profile.adapter.vendor).toBe(sampleResult().environment.adapter.vendor);
  });

  test('nothing to keep: no measurement, a failed one, or a load no higher than idle', () => {
    expect(profileFromDocument(sampleResult())).toEqual({ ok: false, why: 'the run was not measured (--measure-power)' });
    expect(profileFromDocument({ ...sampleResult(), measured: { available: false, reason: 'sensor-failed' } })).toEqual({ ok: false, why: 'no measured figures (sensor-failed)' });
    expect(profileFromDocument(measured(80, 20))).toEqual({ ok: false, why: 'a model drew no more than idle: no power under load to keep' });
  });

  test('kept per adapter in the documented folder and read back; a foreign file is ignored', () => {
    expect(profileDir({ LAB_PROFILE_DIR: '/x' })).toBe('/x');
    expect(profileDir({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/frugal-ai-lab/profiles');
    const made = profileFromDocument(measured(80, 70));
    if (!made.ok) throw new Error(made.why);
    const file = saveProfile(made.profile, dir);
    expect(file).toBe(profilePath(made.profile.adapter, dir));
    expect(loadProfile(made.profile.adapter, dir)).toEqual(made.profile);
    expect(loadProfile({ ...made.profile.adapter, architecture: 'other' }, dir)).toBeNull();
  });

  test('a later estimate with it uses the measured watts, labelled as measured', () => {
    const made = profileFromDocument(measured(80, 70));
    if (!made.ok) throw new Error(made.why);
    const doc = sampleResult();
    const e = estimateWithProfile(doc, made.profile, 'FRA');
    // A power sensor's profile (source `sensor`), no longer a wall meter's kind: how it was measured is said.
    expect(e.profile).toMatchObject({ id: 'sensor-measured', source: 'sensor', idleW: 20, deltaW: { typ: 55 }, hostIncluded: false, confidence: 'calibrated' });
    expect(e.profile.label).toMatch(/^Measured on this device \(\d{4}-\d{2}-\d{2}, nvidia-smi\)/);
    expect(e.provenance?.deltaW).toEqual({ kind: 'measured', method: 'sensor:nvidia-smi' });
    // More watts, more joules: the same run with twice the power above idle costs more.
    const doubled = estimateWithProfile(doc, { ...made.profile, deltaW: { low: 100, typ: 110, high: 120 } }, 'FRA');
    expect(doubled.perQuery.general.joules.p50).toBeGreaterThan(e.perQuery.general.joules.p50);
  });

  test('a later run records the sensor profile in its document, which the server accepts', () => {
    const made = profileFromDocument(measured(80, 70));
    if (!made.ok) throw new Error(made.why);
    const later = measured(90, 75);
    const out = withSensorProfile(later, made.profile, 'FRA');
    expect(out.energy?.profile).toMatchObject({ source: 'sensor', sensor: { kind: 'nvidia-smi', coverage: 'gpu-board', samples: 80, adapter: { vendor: later.environment.adapter.vendor } } });
    // The measured block's estimate ÷ measured follows the new estimate.
    expect(out.measured).toMatchObject({ available: true });
    const parsed = parseResult(anonymize(out));
    if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
    expect(parsed.value.energy?.profile.sensor?.date).toBe(made.profile.date);
    expect(verifyEnergy(parsed.value)).toEqual([]);
    // Another adapter's profile is not used.
    const other = { ...made.profile, adapter: { ...made.profile.adapter, architecture: 'other' } };
    expect(withSensorProfile(later, other, 'FRA')).toBe(later);
  });
});
