import { describe, expect, test } from 'vitest';
import {
  computeEnergy,
  DEFAULT_ASSUMPTIONS,
  InvalidTimingError,
  MissingModelRoleError,
  mulberry32,
  percentileSorted,
  triangular,
  type EnergyAssumptions,
  type EnergyContext,
  type ProfileChoice,
} from '../../src/energy/index.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';

function modelWorkload(role: 'general' | 'specialized', medianMs: number, wallMedianMs: number | null, id = `${role}-model`): Workload {
  return {
    id,
    kind: 'model',
    role,
    config: {},
    flops: 1,
    bytes: 1,
    timing: { source: 'gpu-timestamp', warmup: 3, samplesMs: [medianMs], medianMs, p10Ms: medianMs, p90Ms: medianMs, cv: 0, wallMedianMs },
  };
}

function docWith(workloads: Workload[], adapter = { vendor: 'nvidia', architecture: 'lovelace', isFallbackAdapter: false }): ResultDocument {
  return {
    schemaVersion: 1,
    suite: { preset: 'ci', version: '1' },
    app: { version: '0.1.0' },
    environment: {
      browser: { name: 'chrome', major: 140 },
      os: { family: 'linux' },
      adapter: { ...adapter, features: [], limits: {} },
      timing: 'gpu-timestamp',
    },
    workloads,
  };
}

/** A profile with every distribution collapsed to one value, so results are exact. */
function fixedProfile(deltaW: number, idleW: number, hostIncluded = false): ProfileChoice {
  return {
    id: 'test-fixed', source: 'catalog', idleW, deltaW: { low: deltaW, typ: deltaW, high: deltaW },
    label: 'fixed', reason: 'test', idleRangeW: { low: idleW, high: idleW }, hostIncluded,
    confidence: 'low', sources: ['test'], embodiedClasses: ['laptop'], flags: [],
  };
}
const fixedAssumptions: EnergyAssumptions = { hostW: { low: 2, typ: 2, high: 2 }, eta: { low: 0.8, high: 0.8 }, boundSpread: 0 };
const grid500 = { country: 'TST', gPerKWh: 500, year: 2024, source: 'test', range: { low: 500, high: 500 }, origin: 'dataset' as const };
const laptopEmbodied = { classes: ['laptop'], kgCO2e: 175, lifetimeYears: 5, useRatio: 0.3, source: 'test' };

// general: t_busy 100 ms, t_wall 200 ms; specialized: t_busy 10 ms, t_wall 20 ms.
const doc = docWith([modelWorkload('general', 100, 200), modelWorkload('specialized', 10, 20)]);
const exactCtx: EnergyContext = { profile: fixedProfile(10, 5), grid: grid500, embodied: laptopEmbodied, assumptions: fixedAssumptions };

describe('computeEnergy with degenerate distributions (hand-computed)', () => {
  const e = computeEnergy(doc, exactCtx, { draws: 50, seed: 1 });
  const all = (r: { p5: number; p50: number; p95: number }, v: number) => {
    expect(r.p5).toBeCloseTo(v, 12);
    expect(r.p50).toBeCloseTo(v, 12);
    expect(r.p95).toBeCloseTo(v, 12);
  };
  test('marginal energy: (ΔP·t_busy + ΔP_host·t_wall) / η', () => {
    all(e.perQuery.general.joules, (10 * 0.1 + 2 * 0.2) / 0.8); // 1.75 J
    all(e.perQuery.specialized.joules, (10 * 0.01 + 2 * 0.02) / 0.8); // 0.175 J
    all(e.perQuery.general.mWh, 1.75 / 3.6);
  });
  test('attributional energy adds P_idle·t_wall/η', () => {
    all(e.perQuery.general.attributionalJoules, 1.75 + (5 * 0.2) / 0.8); // 3.0 J
    all(e.perQuery.specialized.attributionalJoules, 0.175 + (5 * 0.02) / 0.8); // 0.3 J
  });
  test('operational CO2e = J / 3.6e6 × gCO2e/kWh', () => {
    all(e.perQuery.general.gCO2e, (1.75 / 3.6e6) * 500); // 2.4306e-4 g
    all(e.perQuery.specialized.gCO2e, (0.175 / 3.6e6) * 500);
  });
  test('per 1,000 queries in Wh and gCO2e', () => {
    all(e.per1000.general.wh, 1.75 * 1000 / 3600); // 0.4861 Wh
    all(e.per1000.general.gCO2e, (1.75 / 3.6e6) * 500 * 1000);
    all(e.per1000.specialized.attributionalWh, 0.3 * 1000 / 3600);
  });
  test('ratio is exactly E_general / E_specialized', () => {
    all(e.ratio, 10);
    expect(e.busyTimeRatio).toBe(10);
  });
  test('embodied is a separate line: calendar and active-hours allocation', () => {
    const low = (175 * 1000 * 0.2) / (5 * 3.156e7); // 2.218e-4 g over t_wall = 0.2 s
    expect(e.perQuery.general.embodiedGCO2e?.low).toBeCloseTo(low, 15);
    expect(e.perQuery.general.embodiedGCO2e?.high).toBeCloseTo(low / 0.3, 15);
    // never folded into operational CO2e
    expect(e.perQuery.general.gCO2e.p50).toBeCloseTo((1.75 / 3.6e6) * 500, 15);
  });
  test('point estimate at typical values matches the formula', () => {
    expect(e.perQuery.general.pointJoules).toBeCloseTo(1.75, 12);
  });
  test('records method, seed, draws, inputs and the profile/grid used', () => {
    expect(e.method).toMatchObject({ formulasVersion: 'energy-v1', draws: 50, seed: 1, prng: 'mulberry32' });
    expect(e.perQuery.general.inputs).toEqual({ role: 'general', workloadId: 'general-model', tBusyMs: 100, tWallMs: 200, timingSource: 'gpu-timestamp' });
    expect(e.profile).toMatchObject({ id: 'test-fixed', source: 'catalog', idleW: 5, deltaW: { low: 10, typ: 10, high: 10 } });
    expect(e.grid).toMatchObject({ country: 'TST', gPerKWh: 500, year: 2024, source: 'test' });
    expect(e.estimate).toBe(true);
  });
  test('a profile that already includes the host (wall meter) adds no host power', () => {
    const h = computeEnergy(doc, { ...exactCtx, profile: fixedProfile(10, 5, true) }, { draws: 10 });
    expect(h.perQuery.general.joules.p50).toBeCloseTo((10 * 0.1) / 0.8, 12);
  });
  test('t_wall falls back to the median when wallMedianMs is absent', () => {
    const d = docWith([modelWorkload('general', 100, null), modelWorkload('specialized', 10, null)]);
    const r = computeEnergy(d, exactCtx, { draws: 10 });
    expect(r.perQuery.general.joules.p50).toBeCloseTo((10 * 0.1 + 2 * 0.1) / 0.8, 12);
  });
});

describe('computeEnergy Monte Carlo', () => {
  const ctx: EnergyContext = {
    profile: { ...fixedProfile(0, 0), deltaW: { low: 70, typ: 170, high: 380 }, idleRangeW: { low: 40, high: 80 }, idleW: 60 },
    grid: { ...grid500, range: { low: 450, high: 550 } },
    embodied: null,
  };
  test('p5 ≤ p50 ≤ p95 for every range', () => {
    const e = computeEnergy(doc, ctx);
    for (const r of [e.perQuery.general.joules, e.perQuery.specialized.gCO2e, e.perQuery.general.attributionalJoules, e.ratio]) {
      expect(r.p5).toBeLessThanOrEqual(r.p50);
      expect(r.p50).toBeLessThanOrEqual(r.p95);
    }
    expect(e.method.draws).toBe(5000);
    expect(e.method.assumptions).toEqual(DEFAULT_ASSUMPTIONS);
  });
  test('same seed → identical result; another seed → different draws', () => {
    expect(computeEnergy(doc, ctx, { seed: 42 })).toEqual(computeEnergy(doc, ctx, { seed: 42 }));
    expect(computeEnergy(doc, ctx, { seed: 42 }).perQuery.general.joules.p50).not.toBe(computeEnergy(doc, ctx, { seed: 43 }).perQuery.general.joules.p50);
  });
  test('shared ΔP draw: the ratio is near the busy-time ratio and much tighter than the absolute values', () => {
    const e = computeEnergy(doc, ctx, { seed: 7 });
    // host share is small next to ΔP here, so ratio ≈ t_busy ratio = 10 (wall/busy = 2 for both)
    expect(e.ratio.p50).toBeGreaterThan(9);
    expect(e.ratio.p50).toBeLessThan(11);
    const rel = (r: { p5: number; p95: number; p50: number }) => (r.p95 - r.p5) / r.p50;
    expect(rel(e.ratio)).toBeLessThan(rel(e.perQuery.general.joules) / 2);
  });
  test('a reader can recompute the median: the formula at the input medians', () => {
    const e = computeEnergy(doc, ctx, { seed: 3 });
    // Tri(70,170,380): mode quantile (170−70)/310 = 0.32 < 0.5, so median = 380 − √(310·210/2) = 199.58 W
    expect(e.method.medianInputs.deltaW).toBeCloseTo(380 - Math.sqrt((310 * 210) / 2), 9);
    // Tri(1,3,8): median = 8 − √(7·5/2) = 3.817 W; η median 0.885; grid Tri(450,500,550) median 500
    expect(e.method.medianInputs.hostW).toBeCloseTo(8 - Math.sqrt(17.5), 9);
    expect(e.method.medianInputs.eta).toBeCloseTo(0.885, 12);
    expect(e.method.medianInputs.gPerKWh).toBeCloseTo(500, 9);
    const m = e.method.medianInputs;
    const g = e.perQuery.general;
    expect(g.joulesAtMedianInputs).toBeCloseTo((m.deltaW * 0.1 + m.hostW * 0.2) / 0.885, 9);
    // The Monte Carlo median agrees with it within 3 %; the typical-value point sits lower (skewed ΔP).
    expect(Math.abs(g.joules.p50 / g.joulesAtMedianInputs - 1)).toBeLessThan(0.03);
    expect(Math.abs(g.gCO2e.p50 / g.gCO2eAtMedianInputs - 1)).toBeLessThan(0.03);
    expect(g.pointJoules).toBeCloseTo((170 * 0.1 + 3 * 0.2) / 0.885, 9);
    expect(g.pointJoules).toBeLessThan(g.joules.p50);
  });
  test('missing role → named MissingModelRoleError', () => {
    const d = docWith([modelWorkload('general', 1, 1)]);
    expect(() => computeEnergy(d, ctx)).toThrow(MissingModelRoleError);
    try {
      computeEnergy(d, ctx);
    } catch (err) {
      expect((err as Error).name).toBe('MissingModelRoleError');
      expect((err as MissingModelRoleError).role).toBe('specialized');
    }
  });
  test('micro workloads do not count as a role', () => {
    const micro = { ...modelWorkload('specialized', 1, 1), kind: 'micro' as const };
    expect(() => computeEnergy(docWith([modelWorkload('general', 1, 1), micro]), ctx)).toThrow(MissingModelRoleError);
  });
  test('zero or non-finite timing → InvalidTimingError', () => {
    const d = docWith([modelWorkload('general', 0, 1), modelWorkload('specialized', 1, 1)]);
    expect(() => computeEnergy(d, ctx)).toThrow(InvalidTimingError);
    const d2 = docWith([modelWorkload('general', 1, Number.NaN), modelWorkload('specialized', 1, 1)]);
    expect(() => computeEnergy(d2, ctx)).toThrow(InvalidTimingError);
  });
});

describe('random helpers', () => {
  test('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    for (let i = 0; i < 100; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
  test('triangular inverse CDF: ends, mode and degenerate case', () => {
    const d = { low: 1, typ: 3, high: 7 };
    expect(triangular(0, d)).toBe(1);
    expect(triangular(1, d)).toBe(7);
    expect(triangular((3 - 1) / (7 - 1), d)).toBeCloseTo(3, 12); // CDF at the mode = (c−a)/(b−a)
    expect(triangular(0.3, { low: 5, typ: 5, high: 5 })).toBe(5);
  });
  test('triangular sample mean ≈ (a+b+c)/3', () => {
    const r = mulberry32(9);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += triangular(r(), { low: 1, typ: 3, high: 8 });
    expect(s / 20000).toBeCloseTo(4, 1);
  });
  test('percentile interpolates between order statistics', () => {
    const s = [10, 20, 30, 40, 50];
    expect(percentileSorted(s, 50)).toBe(30);
    expect(percentileSorted(s, 5)).toBeCloseTo(12, 12); // pos 0.2 → 10 + 0.2·10
    expect(percentileSorted(s, 95)).toBeCloseTo(48, 12);
  });
});

describe('saving of the specialized model', () => {
  test('hand-computed with degenerate distributions: 1.75 − 0.175 J', () => {
    const e = computeEnergy(doc, exactCtx, { draws: 10 });
    expect(e.saving.joules.p50).toBeCloseTo(1.575, 12);
    expect(e.saving.gCO2e.p50).toBeCloseTo((1.575 / 3.6e6) * 500, 15);
  });
});
