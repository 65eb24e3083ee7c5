// The document's measured block: the arithmetic from a recording's windows (idle baseline, each
// model's load window × its per-query wall time), the sensor choice, and the schema that keeps
// only closed ids and bounded numbers.
import { describe, expect, test } from 'vitest';
import { measuredSection, withEstimate } from '../../src/shared/measured.ts';
import { chooseSensor, sensorKind, type MeasuredSection, type RecordingSummary, type SensorInfo, type WindowSummary } from '../../src/shared/power.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { DATA_DICTIONARY } from '../../src/shared/data-dictionary.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

const NVIDIA: SensorInfo = { id: 'nvidia:0', name: 'NVIDIA H200 (nvidia-smi)', coverage: 'gpu-board', reading: 'power', periodMs: 100, readable: true, why: null };

const win = (from: string, to: string, meanWatts: number, seconds: number): WindowSummary => ({ from, to, joules: meanWatts * seconds, seconds, meanWatts, samples: Math.round(seconds * 10) });

/** Marks in run order and the windows between consecutive ones, as the server sums them up. */
function summary(windows: RecordingSummary['windows'], state: RecordingSummary['state'] = 'stopped', sensor = NVIDIA): RecordingSummary {
  const names = [windows[0]!.from, ...windows.map((w) => w.to)];
  return { id: 'rec', sensor, state, error: state === 'failed' ? 'nvidia:0: nvidia-smi stopped answering (exit 3)' : null, readings: 420, marks: names.map((name, i) => ({ name, tMs: i * 1000 })), windows };
}

/** Idle 20 W for 2 s; the specialized model at 50 W, the general one at 80 W (their load windows). */
const STEP = summary([
  win('idle:start', 'idle:end', 20, 2),
  win('idle:end', 'specialized:start', 22, 0.5),
  win('specialized:start', 'specialized:load', 30, 1),
  win('specialized:load', 'specialized:profile', 50, 3),
  win('specialized:profile', 'specialized:end', 45, 1),
  win('specialized:end', 'general:start', 25, 0.2),
  win('general:start', 'general:load', 30, 1),
  win('general:load', 'general:profile', 80, 4),
  win('general:profile', 'general:end', 70, 1),
]);

describe('measuredSection', () => {
  // sampleResult: specialized wall median 48 ms per query, general 360 ms.
  const doc = sampleResult();

  test('a flat trace: the floating-point residue of the sums is no energy, so no quotient of it', () => {
    // 123.4 W throughout; the trapezoid sums give load means a hair above idle.
    const flat = summary([
      win('idle:start', 'idle:end', 123.4, 2),
      win('idle:end', 'specialized:start', 123.4, 0.5),
      win('specialized:start', 'specialized:load', 123.4, 0.5),
      win('specialized:load', 'general:start', 123.40000000000002, 3),
      win('general:start', 'general:load', 123.4, 0.5),
      win('general:load', 'general:end', 123.40000000000003, 3),
    ]);
    const m = measuredSection(flat, doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.perQuery.general!.joules).toBeGreaterThan(0);
    expect(m.perQuery.general!.joules).toBeLessThan(1e-9);
    expect(m.ratio).toBeNull();
    expect(m.perQuery.general!.estimateOverMeasured).toBeNull();
  });

  test('a known idle and load: joules per query marginal and attributional, the gap ratio, estimate ÷ measured', () => {
    const m = measuredSection(STEP, doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.sensor).toEqual({ kind: 'nvidia-smi', coverage: 'gpu-board', periodMs: 100 });
    expect(m.samples).toBe(420);
    expect(m.idleW).toBe(20);
    expect(m.idleSeconds).toBe(2);
    const g = m.perQuery.general!;
    const s = m.perQuery.specialized!;
    expect(g.meanW).toBe(80);
    expect(g.windowSeconds).toBe(4);
    expect(g.samples).toBe(40);
    expect(g.queryMs).toBeCloseTo(360, 9);
    expect(g.joules).toBeCloseTo(60 * 0.36, 9); // 21.6 J above idle
    expect(g.attributionalJoules).toBeCloseTo(80 * 0.36, 9); // 28.8 J
    expect(s.joules).toBeCloseTo(30 * 0.048, 9); // 1.44 J
    expect(s.attributionalJoules).toBeCloseTo(50 * 0.048, 9);
    expect(m.ratio).toBeCloseTo(21.6 / 1.44, 9); // 15
    expect(g.estimateOverMeasured).toBeCloseTo(doc.energy!.perQuery.general.joules.p50 / 21.6, 9);
    expect(s.estimateOverMeasured).toBeCloseTo(doc.energy!.perQuery.specialized.joules.p50 / 1.44, 9);
  });

  test('the per-query time is the wall median, else the busy median', () => {
    const busyOnly = sampleResult({ workloads: sampleResult().workloads.map((w) => ({ ...w, timing: { ...w.timing, wallMedianMs: null } })) });
    const m = measuredSection(STEP, busyOnly);
    if (!m.available) throw new Error(m.reason);
    expect(m.perQuery.general!.queryMs).toBe(300);
    expect(m.perQuery.general!.joules).toBeCloseTo(60 * 0.3, 9);
  });

  test('without an estimate there is no estimate ÷ measured; withEstimate redoes it for a new estimate', () => {
    const m = measuredSection(STEP, { ...doc, energy: undefined });
    if (!m.available) throw new Error(m.reason);
    expect(m.perQuery.general!.estimateOverMeasured).toBeNull();
    const again = withEstimate(m, doc.energy);
    if (!again.available) throw new Error(again.reason);
    expect(again.perQuery.general!.estimateOverMeasured).toBeCloseTo(doc.energy!.perQuery.general.joules.p50 / 21.6, 9);
  });

  test('a load the sensor cannot tell from idle: marginal ≈ 0, no ratio, no estimate ÷ measured', () => {
    const flat = summary(STEP.windows.map((w) => ('error' in w ? w : win(w.from, w.to, 123.4, w.seconds))));
    const m = measuredSection(flat, doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.perQuery.general!.joules).toBeCloseTo(0, 9);
    expect(m.perQuery.general!.attributionalJoules).toBeCloseTo(123.4 * 0.36, 9);
    expect(m.ratio).toBeNull();
    expect(m.perQuery.general!.estimateOverMeasured).toBeNull();
  });

  test('without a load mark (no phases reported), the window from the workload start is used', () => {
    const s = summary([win('idle:start', 'idle:end', 20, 2), win('idle:end', 'general:start', 20, 1), win('general:start', 'general:end', 70, 3)]);
    const m = measuredSection(s, doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.perQuery.general!.joules).toBeCloseTo(50 * 0.36, 9);
    expect(m.perQuery.specialized).toBeUndefined();
    expect(m.ratio).toBeNull();
  });

  test('failures become closed reasons', () => {
    const gap = { from: 'general:load', to: 'general:profile', error: 'no power reading at or after 5000.0 ms' };
    const withGap = STEP.windows.map((w) => (w.from === 'general:load' ? gap : w));
    expect(measuredSection(summary(withGap), doc)).toEqual({ available: false, reason: 'trace-gap' });
    // The same gap, the sensor having failed: the sensor is the reason.
    expect(measuredSection(summary(withGap, 'failed'), doc)).toEqual({ available: false, reason: 'sensor-failed' });
    const short = STEP.windows.map((w) => (w.from === 'idle:start' ? { ...w, samples: 2 } : w));
    expect(measuredSection(summary(short), doc)).toEqual({ available: false, reason: 'window-too-short' });
    expect(measuredSection(summary([win('idle:start', 'idle:end', 20, 2)]), doc)).toEqual({ available: false, reason: 'no-model-window' });
    expect(measuredSection(summary(STEP.windows, 'stopped', { ...NVIDIA, id: 'mystery:0' }), doc)).toEqual({ available: false, reason: 'no-readable-sensor' });
    // A glitch out of any plausible range never reaches the document (it would refuse the upload).
    const glitch = STEP.windows.map((w) => (w.from === 'general:load' ? win(w.from, w.to, 1e7, 4) : w));
    expect(measuredSection(summary(glitch), doc)).toEqual({ available: false, reason: 'implausible-reading' });
  });

  test('a marginal a hair above zero (noise): no quotient out of the schema’s bounds', () => {
    const hair = STEP.windows.map((w) => (w.from === 'specialized:load' ? win(w.from, w.to, 20 + 1e-12, 3) : w));
    const m = measuredSection(summary(hair), doc);
    if (!m.available) throw new Error(m.reason);
    expect(m.perQuery.specialized!.joules).toBeGreaterThan(0);
    expect(m.ratio).toBeNull();
    expect(m.perQuery.specialized!.estimateOverMeasured).toBeNull();
    expect(parseResult({ ...doc, measured: m }).ok).toBe(true);
  });
});

describe('chooseSensor', () => {
  const amd: SensorInfo = { ...NVIDIA, id: 'hwmon:hwmon2', name: 'AMD GPU board (amdgpu hwmon2)' };
  const rapl: SensorInfo = { ...NVIDIA, id: 'rapl:intel-rapl:0', name: 'CPU package-0 (RAPL)', coverage: 'cpu-package', reading: 'energy' };
  const locked: SensorInfo = { ...rapl, id: 'rapl:intel-rapl:1', readable: false, why: 'permission denied' };

  test('the board of the GPU that ran, else the whole system, else the CPU package; never another vendor’s board', () => {
    expect(chooseSensor([rapl, amd, NVIDIA], 'nvidia')?.id).toBe('nvidia:0');
    expect(chooseSensor([rapl, NVIDIA, amd], 'amd')?.id).toBe('hwmon:hwmon2');
    expect(chooseSensor([NVIDIA, rapl], 'intel')?.id).toBe('rapl:intel-rapl:0');
    expect(chooseSensor([NVIDIA], 'intel')).toBeNull();
    expect(chooseSensor([locked], 'intel')).toBeNull();
    expect(chooseSensor([{ ...NVIDIA, readable: false, why: 'x' }, rapl], 'nvidia')?.id).toBe('rapl:intel-rapl:0');
  });

  test('the instrument comes from the id, never the name', () => {
    expect(['nvidia:0', 'hwmon:hwmon3', 'rapl:intel-rapl:0', 'powermetrics:gpu', 'nvidia', '<b>:0'].map(sensorKind)).toEqual(['nvidia-smi', 'hwmon', 'rapl', 'powermetrics', 'nvidia-smi', null]);
  });
});

describe('schema', () => {
  const doc = sampleResult();
  const measured = measuredSection(STEP, doc);

  test('a measured block survives parseResult, available or not', () => {
    for (const m of [measured, { available: false, reason: 'sensor-failed' } satisfies MeasuredSection]) {
      const p = parseResult({ ...doc, measured: m });
      if (!p.ok) throw new Error(p.issues.join('\n'));
      expect(p.value.measured).toEqual(m);
    }
  });

  test('free text in it is refused or dropped, never kept', () => {
    if (!measured.available) throw new Error('fixture');
    const refused: unknown[] = [
      { available: false, reason: 'nvidia-smi stopped answering (exit 3)' },
      { ...measured, sensor: { ...measured.sensor, kind: 'NVIDIA H200 (nvidia-smi)' } },
      { ...measured, sensor: { ...measured.sensor, coverage: 'the whole rack' } },
      { ...measured, idleW: Number.NaN },
      { ...measured, idleW: -1 },
      { ...measured, ratio: 0 },
      { ...measured, perQuery: { general: { ...measured.perQuery.general, meanW: 1e9 } } },
    ];
    for (const m of refused) expect(parseResult({ ...doc, measured: m }).ok, JSON.stringify(m)).toBe(false);
    // Unknown keys (a sensor name, an error message) are stripped.
    const p = parseResult({ ...doc, measured: { ...measured, error: 'nvidia-smi said <b>hi</b>', sensor: { ...measured.sensor, name: 'NVIDIA H200' } } });
    if (!p.ok) throw new Error(p.issues.join('\n'));
    expect(JSON.stringify(p.value.measured)).not.toMatch(/H200|<b>/);
  });
});

describe('data dictionary', () => {
  /** Leaf paths of a value (lists of scalars are one leaf). */
  const leaves = (x: unknown, path: string): string[] =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.entries(x).flatMap(([k, v]) => leaves(v, `${path}.${k}`)) : [path];

  test('every field of a measured block, available or not, is in the dictionary', () => {
    const paths = new Set(DATA_DICTIONARY.map((f) => f.path));
    const m = measuredSection(STEP, sampleResult());
    const all = [...leaves(m, 'measured'), ...leaves({ available: false, reason: 'trace-gap' }, 'measured')];
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((p) => !paths.has(p))).toEqual([]);
  });
});
