// The arithmetic of measured watts (server/power/trace.ts): trapezoidal integration of power
// readings, cumulative counters with wrap-around, and windows the trace does not cover.
import { describe, expect, test } from 'vitest';
import { integrate, TraceGapError, type Reading } from '../../server/power/trace.ts';
import { parseMillijoules, parseWatts } from '../../server/power/nvidia.ts';
import { parseGpuPowerLine } from '../../server/power/powermetrics.ts';

const power = (pairs: [number, number][]): Reading[] => pairs.map(([tMs, watts]) => ({ kind: 'power', tMs, watts }));

describe('integrate', () => {
  test('constant power: joules = W × s, whatever the window inside the trace', () => {
    const trace = power(Array.from({ length: 31 }, (_, i) => [i * 100, 123.4]));
    const w = integrate(trace, 250, 2750);
    expect(w.joules).toBeCloseTo(123.4 * 2.5, 9);
    expect(w.meanWatts).toBeCloseTo(123.4, 9);
    expect(w.seconds).toBe(2.5);
    expect(w.samples).toBe(25);
  });

  test('a step from idle to load: the idle and load windows and the marginal energy above idle', () => {
    // 20 W idle until 1 s, 80 W from 1 s (readings every 100 ms; the step between 1000 and 1100 ms).
    const trace = power(Array.from({ length: 31 }, (_, i) => [i * 100, i * 100 <= 1000 ? 20 : 80]));
    const idle = integrate(trace, 0, 1000);
    const load = integrate(trace, 1100, 3000);
    expect(idle.meanWatts).toBe(20);
    expect(load.meanWatts).toBe(80);
    // Marginal energy of the load window above the idle baseline.
    expect(load.joules - idle.meanWatts * load.seconds).toBeCloseTo(60 * 1.9, 9);
    // Across the step the trapezoid splits the 100 ms ramp: 20 W × 1 s + 50 W × 0.1 s + 80 W × 0.9 s.
    expect(integrate(trace, 0, 2000).joules).toBeCloseTo(20 + 5 + 72, 9);
  });

  test('values interpolated at marks between readings', () => {
    const trace = power([[0, 0], [1000, 100]]);
    // The ramp's integral from 0.25 s to 0.75 s: mean 50 W × 0.5 s.
    expect(integrate(trace, 250, 750).joules).toBeCloseTo(25, 9);
  });

  test('an energy counter, its wrap-around undone (RAPL energy_uj at max_energy_range_uj)', () => {
    const wrapJ = 262.143328; // max_energy_range_uj 262143327 + 1, in J
    // 50 W for 10 s sampled every second, the counter starting 100 J below the wrap.
    const trace: Reading[] = Array.from({ length: 11 }, (_, i) => ({ kind: 'energy', tMs: i * 1000, joules: (wrapJ - 100 + 50 * i) % wrapJ, wrapJ }));
    expect(trace.some((r, i) => i > 0 && r.kind === 'energy' && r.joules < (trace[i - 1] as { joules: number }).joules)).toBe(true);
    const w = integrate(trace, 0, 10_000);
    expect(w.joules).toBeCloseTo(500, 6);
    expect(w.meanWatts).toBeCloseTo(50, 6);
    // Interpolated inside: 2.5 s → 7.5 s is 250 J.
    expect(integrate(trace, 2500, 7500).joules).toBeCloseTo(250, 6);
  });

  test('a counter that goes backwards with no known range is refused, not integrated', () => {
    const trace: Reading[] = [
      { kind: 'energy', tMs: 0, joules: 10, wrapJ: null },
      { kind: 'energy', tMs: 1000, joules: 2, wrapJ: null },
    ];
    expect(() => integrate(trace, 0, 1000)).toThrow(TraceGapError);
  });

  test('a window the trace does not cover says so', () => {
    const trace = power([[100, 10], [200, 10]]);
    expect(() => integrate(trace, 0, 150)).toThrow(/no power reading at or before 0\.0 ms/);
    expect(() => integrate(trace, 150, 300)).toThrow(/no power reading at or after 300\.0 ms/);
    expect(() => integrate(trace, 200, 100)).toThrow(RangeError);
  });
});

describe('sensor line parsers', () => {
  test('nvidia-smi power.draw fields', () => {
    expect(parseWatts(' 123.40')).toBe(123.4);
    expect(parseWatts('71')).toBe(71);
    for (const bad of ['[N/A]', '[Not Supported]', '', 'garbage', '-5', '1e3', '99999']) expect(parseWatts(bad), bad).toBeNull();
  });
  test('nvidia-smi total_energy_consumption fields (mJ)', () => {
    expect(parseMillijoules(' 81234567')).toBe(81234567);
    expect(parseMillijoules('1000000.250')).toBe(1000000.25);
    for (const bad of ['[N/A]', '[Not Supported]', '', 'garbage', '-5', '1e3']) expect(parseMillijoules(bad), bad).toBeNull();
  });
  test('powermetrics GPU power lines', () => {
    expect(parseGpuPowerLine('GPU Power: 1234 mW')).toBeCloseTo(1.234, 9);
    expect(parseGpuPowerLine('CPU Power: 1234 mW')).toBeNull();
    expect(parseGpuPowerLine('GPU Power: n/a')).toBeNull();
  });
});
