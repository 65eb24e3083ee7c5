// Sensor power profiles: a measured run's watts become the adapter's profile; a document whose
// profile source is `sensor` validates, recomputes from the stored watts, and inconsistent claims
// are refused with the field named.
import { describe, expect, test } from 'vitest';
import { computeEnergy, defaultEnergyContext, profileFromSensor } from '../../src/energy/index.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import { anonymize, parseResult } from '../../src/shared/schema.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { MAX_SENSOR_DELTA_W, isSensorMeasurement, sensorMeasurementOf, type SensorMeasurement } from '../../src/shared/sensor-profile.ts';

function measurement(over: Partial<SensorMeasurement> = {}): SensorMeasurement {
  const a = sampleResult().environment.adapter;
  return {
    version: 1, adapter: { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter },
    sensor: { kind: 'rapl', coverage: 'cpu-package' }, date: '2026-01-01', idleW: 12, deltaW: { low: 30, typ: 35, high: 40 }, samples: 60, ...over,
  };
}

/** The sample document with its estimate computed from a sensor profile, as stored by the server. */
function withSensor(m: SensorMeasurement): ResultDocument {
  const doc = sampleResult();
  const ctx = defaultEnergyContext(doc.environment.adapter, { hasBattery: null, country: 'FRA' });
  const energy = computeEnergy(doc, { ...ctx, profile: profileFromSensor(m, ctx.profile.embodiedClasses) });
  const parsed = parseResult(anonymize({ ...doc, energy }));
  if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
  return parsed.value;
}

describe('sensor profiles', () => {
  test('a document computed with one validates and recomputes; provenance names the sensor', () => {
    const d = withSensor(measurement());
    expect(d.energy?.profile).toMatchObject({ id: 'sensor-measured', source: 'sensor', hostIncluded: false, idleRangeW: { low: 10.8, high: 13.2 }, sensor: { kind: 'rapl', coverage: 'cpu-package', samples: 60, date: '2026-01-01' } });
    // Texts are not stored: the label is rebuilt from the ids.
    expect(d.energy?.profile.label).toBeUndefined();
    expect(d.energy?.provenance?.deltaW).toEqual({ kind: 'measured', method: 'sensor:rapl' });
    expect(d.energy?.provenance?.hostW.kind).toBe('modeled');
    expect(verifyEnergy(d)).toEqual([]);
  });

  test('a whole-system sensor includes the host: host power is measured, not assumed', () => {
    const d = withSensor(measurement({ sensor: { kind: 'powermetrics', coverage: 'whole-system' } }));
    expect(d.energy?.profile.hostIncluded).toBe(true);
    expect(d.energy?.provenance?.hostW).toEqual({ kind: 'measured', method: 'sensor:powermetrics' });
    expect(verifyEnergy(d)).toEqual([]);
  });

  test('inconsistent claims are refused, each naming its field', () => {
    const issues = (mutate: (d: ResultDocument) => void) => {
      const d = withSensor(measurement());
      mutate(d);
      return verifyEnergy(d).join('\n');
    };
    expect(issues((d) => { d.energy!.profile.hostIncluded = true; })).toMatch(/energy\.profile\.hostIncluded: a cpu-package sensor does not include the host/);
    expect(issues((d) => { d.energy!.profile.sensor!.date = '2099-01-01'; })).toMatch(/energy\.profile\.sensor\.date: the measuring run/);
    expect(issues((d) => { d.energy!.profile.sensor!.samples = 2; })).toMatch(/energy\.profile\.sensor\.samples/);
    expect(issues((d) => { d.energy!.profile.idleRangeW = { low: 1, high: 100 }; })).toMatch(/energy\.profile\.idleRangeW: must be idleW ± 10 %/);
    expect(issues((d) => { d.energy!.profile.deltaW = { low: 35, typ: 35, high: 35 }; })).toMatch(/energy\.profile\.deltaW: a sensor profile keeps at least ±10 %/);
    expect(issues((d) => { d.energy!.profile.deltaW = { low: 1, typ: 5000, high: 6000 }; })).toMatch(/energy\.profile\.deltaW: a sensor's ΔP must be > 0 and ≤ 2000 W/);
    // Watts edited without the figures: the recomputation differs.
    expect(issues((d) => { d.energy!.profile.deltaW = { low: 60, typ: 70, high: 80 }; })).toMatch(/energy\.perQuery\.general\.joules/);
  });

  test('the schema: sensor and source go together; the sensor belongs to the document\'s adapter', () => {
    const d = withSensor(measurement());
    const bad = (mutate: (x: ResultDocument) => void) => {
      const x = structuredClone(d);
      mutate(x);
      const r = parseResult(x);
      return r.ok ? '' : r.issues.join('\n');
    };
    expect(bad((x) => { delete x.energy!.profile.sensor; })).toMatch(/sensor/);
    expect(bad((x) => { x.energy!.profile.source = 'user'; })).toMatch(/id and source disagree/);
    expect(bad((x) => { x.energy!.profile.sensor!.adapter.architecture = 'other-arch'; })).toMatch(/sensor\.adapter must be the document's adapter/);
    expect(bad((x) => { (x.energy!.profile.sensor as { kind: string }).kind = 'multimeter'; })).toMatch(/kind/);
    // A day the calendar does not have is refused, not only a wrong pattern.
    expect(bad((x) => { x.energy!.profile.sensor!.date = '2099-13-45'; })).toMatch(/sensor\.date.*real calendar day/s);
    expect(bad((x) => { x.energy!.profile = { ...sampleResult().energy!.profile, sensor: d.energy!.profile.sensor! }; })).toMatch(/sensor: is recorded for a sensor profile, and only for one/);
    // Older documents (no sensor field anywhere) still validate.
    expect(parseResult(sampleResult()).ok).toBe(true);
  });

  test('derived from a measured block only when it measured a load; kept values are checked', () => {
    const doc: ResultDocument = {
      ...sampleResult(),
      measured: {
        available: true, sensor: { kind: 'hwmon', coverage: 'gpu-board', periodMs: 100 }, samples: 40, idleW: 8, idleSeconds: 2,
        perQuery: { general: { meanW: 58, windowSeconds: 2, samples: 20, queryMs: 300, joules: 15, attributionalJoules: 17.4, estimateOverMeasured: null } }, ratio: null,
      },
    };
    const made = sensorMeasurementOf(doc);
    expect(made).toMatchObject({ ok: true, profile: { idleW: 8, deltaW: { low: 50, typ: 50, high: 50 }, sensor: { kind: 'hwmon' } } });
    expect(sensorMeasurementOf({ ...doc, measured: { available: false, reason: 'sensor-failed' } })).toMatchObject({ ok: false });
    expect(isSensorMeasurement(measurement())).toBe(true);
    expect(isSensorMeasurement({ ...measurement(), deltaW: { low: 1, typ: 2, high: MAX_SENSOR_DELTA_W + 1 } })).toBe(false);
    expect(isSensorMeasurement({ ...measurement(), sensor: { kind: 'other', coverage: 'gpu-board' } })).toBe(false);
  });
});
