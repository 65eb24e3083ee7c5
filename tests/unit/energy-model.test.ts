import { describe, expect, test } from 'vitest';
import {
  computeEnergy,
  computeWorkloadEnergy,
  DEFAULT_ASSUMPTIONS,
  idleDistribution,
  InvalidTimingError,
  MissingModelRoleError,
  MixedTimingSourcesError,
  mulberry32,
  profileFromCatalog,
  profileFromMeasuredWatts,
  range3,
  triangular,
  uniform,
  type EnergyAssumptions,
  type EnergyContext,
  type ProfileChoice,
} from '../../src/energy/index.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';
import { quantileSorted } from '../../src/shared/quantile.ts';

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
const grid500 = {
  country: 'TST', gPerKWh: 500, year: 2024, source: 'test', sourceKey: 'energy.grid.src.custom' as const, sourceParams: {},
  range: { low: 500, high: 500 }, origin: 'dataset' as const,
};
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
    expect(e.method).toMatchObject({ formulasVersion: 'energy-v3', draws: 50, seed: 1, prng: 'mulberry32' });
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
    expect(quantileSorted(s, 0.5)).toBe(30);
    expect(quantileSorted(s, 0.05)).toBeCloseTo(12, 12); // pos 0.2 → 10 + 0.2·10
    expect(quantileSorted(s, 0.95)).toBeCloseTo(48, 12);
  });
});

describe('saving of the specialized model', () => {
  test('hand-computed with degenerate distributions: 1.75 − 0.175 J', () => {
    const e = computeEnergy(doc, exactCtx, { draws: 10 });
    expect(e.saving.joules.p50).toBeCloseTo(1.575, 12);
    expect(e.saving.gCO2e.p50).toBeCloseTo((1.575 / 3.6e6) * 500, 15);
  });
});

/** The k-th output (1-based) of mulberry32(seed): the draw order is part of the contract. */
function nthUniform(seed: number, k: number): number {
  const r = mulberry32(seed);
  let u = 0;
  for (let i = 0; i < k; i++) u = r();
  return u;
}

describe('idle power: triangular(low, typ = profile.idleW, high)', () => {
  // Everything degenerate except idle: Tri(5, 6, 8) W, so E_attr depends on the idle draw alone.
  const skewedIdle: EnergyContext = { ...exactCtx, profile: { ...fixedProfile(10, 6), idleRangeW: { low: 5, high: 8 } } };

  test('the distribution: ends from idleRangeW, mode = idleW', () => {
    expect(idleDistribution({ idleW: 6, idleRangeW: { low: 5, high: 8 } })).toEqual({ low: 5, typ: 6, high: 8 });
    // a hand-edited record with idleW outside the range: clamped to the nearer end
    expect(idleDistribution({ idleW: 12, idleRangeW: { low: 5, high: 8 } })).toEqual({ low: 5, typ: 8, high: 8 });
    // a range without idleW: the mid-point is the mode; idleW without a range: a point value
    expect(idleDistribution({ idleW: null, idleRangeW: { low: 4, high: 8 } })).toEqual({ low: 4, typ: 6, high: 8 });
    expect(idleDistribution({ idleW: 7, idleRangeW: null })).toEqual({ low: 7, typ: 7, high: 7 });
    expect(idleDistribution({ idleW: null, idleRangeW: null })).toBeNull();
  });

  test('medianInputs.idleW is the triangle median: Tri(5, 6, 8) → 8 − √3', () => {
    const e = computeEnergy(doc, skewedIdle, { draws: 10, seed: 1 });
    // CDF at the mode = (6−5)/(8−5) = 1/3 < 0.5, so median = b − √((1−0.5)(b−a)(b−c)) = 8 − √(0.5·3·2)
    expect(e.method.medianInputs.idleW).toBeCloseTo(8 - Math.sqrt(3), 12); // 6.2679 W, not the mode 6 nor the mid-point 6.5
    expect(e.method.idleDistributionW).toEqual({ low: 5, typ: 6, high: 8 });
    expect(e.profile.idleW).toBe(6); // the document keeps the typical value
    // E_attr at the medians = 1.75 + 6.2679 · 0.2 / 0.8 = 3.3170 J
    expect(e.perQuery.general.attributionalJoulesAtMedianInputs).toBeCloseTo(1.75 + ((8 - Math.sqrt(3)) * 0.2) / 0.8, 12);
    expect(e.perQuery.specialized.attributionalJoulesAtMedianInputs).toBeCloseTo(0.175 + ((8 - Math.sqrt(3)) * 0.02) / 0.8, 12);
  });

  test('draw order is unchanged: idle is still the 5th uniform of a draw (ΔP, host, η, CI, idle, k_gen, k_spec)', () => {
    const seed = 77;
    const u = nthUniform(seed, 5);
    // inverse CDF of Tri(5, 6, 8) written out by hand
    const idle = u < 1 / 3 ? 5 + Math.sqrt(u * 3 * 1) : 8 - Math.sqrt((1 - u) * 3 * 2);
    const e = computeEnergy(doc, skewedIdle, { draws: 1, seed });
    expect(e.perQuery.general.attributionalJoules.p50).toBeCloseTo(1.75 + (idle * 0.2) / 0.8, 12);
    expect(e.perQuery.general.joules.p50).toBeCloseTo(1.75, 12); // marginal energy does not see idle
  });

  test('Monte Carlo median of E_attr agrees with the formula at the medians', () => {
    const e = computeEnergy(doc, skewedIdle, { draws: 5000, seed: 5 });
    const g = e.perQuery.general;
    expect(Math.abs(g.attributionalJoules.p50 / g.attributionalJoulesAtMedianInputs - 1)).toBeLessThan(0.005);
    expect(g.attributionalJoules.p5).toBeGreaterThanOrEqual(1.75 + (5 * 0.2) / 0.8 - 1e-12);
    expect(g.attributionalJoules.p95).toBeLessThanOrEqual(1.75 + (8 * 0.2) / 0.8 + 1e-12);
  });

  test('catalog "unknown" class: Tri(1, 10, 80) W idle, median 80 − √(0.5·79·70) = 27.42 W', () => {
    const p = profileFromCatalog('unknown');
    expect(p.idleW).toBe(10);
    expect(p.idleRangeW).toEqual({ low: 1, high: 80 });
    const e = computeEnergy(doc, { ...exactCtx, profile: p }, { draws: 10 });
    expect(e.method.medianInputs.idleW).toBeCloseTo(80 - Math.sqrt(0.5 * 79 * 70), 9);
  });

  test('no idle data (wall meter without idle watts): null median, attributional = marginal', () => {
    const p = profileFromMeasuredWatts({ loadDeltaWallW: 20 });
    const e = computeEnergy(doc, { ...exactCtx, profile: p }, { draws: 20, seed: 3 });
    expect(e.method.medianInputs.idleW).toBeNull();
    expect(e.method.idleDistributionW).toBeNull();
    expect(e.perQuery.general.attributionalJoules).toEqual(e.perQuery.general.joules);
    expect(e.perQuery.general.attributionalJoulesAtMedianInputs).toBe(e.perQuery.general.joulesAtMedianInputs);
  });

  test('wall-meter idle watts: symmetric ±10 % triangle around the DC value, median = that value', () => {
    const p = profileFromMeasuredWatts({ loadDeltaWallW: 20, idleWallW: 10 }, 0.9); // DC idle 9 W
    const e = computeEnergy(doc, { ...exactCtx, profile: p }, { draws: 10 });
    expect(e.method.idleDistributionW).toEqual({ low: 8.1, typ: 9, high: 9.9 });
    expect(e.method.medianInputs.idleW).toBeCloseTo(9, 12);
  });
});

describe('computeWorkloadEnergy (one workload, e.g. a user ONNX model)', () => {
  function onnxWorkload(medianMs: number, wallMedianMs: number | null, source: 'gpu-timestamp' | 'wall-clock' = 'gpu-timestamp'): Workload {
    const w = modelWorkload('general', medianMs, wallMedianMs, 'onnx-user');
    const { role: _role, ...rest } = w;
    void _role;
    return { ...rest, timing: { ...w.timing, source } };
  }
  const all = (r: { p5: number; p50: number; p95: number }, v: number, digits = 12) => {
    expect(r.p5).toBeCloseTo(v, digits);
    expect(r.p50).toBeCloseTo(v, digits);
    expect(r.p95).toBeCloseTo(v, digits);
  };

  test('degenerate distributions → exact: (10 W·0.1 s + 2 W·0.2 s) / 0.8 = 1.75 J', () => {
    const r = computeWorkloadEnergy(onnxWorkload(100, 200), exactCtx, { draws: 50, seed: 1 });
    all(r.joules, 1.75);
    all(r.mWh, 1.75 / 3.6); // 0.48611 mWh
    all(r.gCO2e, (1.75 / 3.6e6) * 500); // 2.4306e-4 g
    expect(r).toMatchObject({
      busyFrom: 'gpu-timestamp',
      profileId: 'test-fixed',
      grid: { country: 'TST', gPerKWh: 500 },
      method: { formulasVersion: 'energy-v3', draws: 50, seed: 1 },
      estimate: true,
    });
  });

  test('per 1,000 runs: 1000 · 1.75 J / 3600 = 0.48611 Wh', () => {
    const r = computeWorkloadEnergy(onnxWorkload(100, 200), exactCtx, { draws: 5 });
    all(r.whPer1000, 1750 / 3600);
  });

  test('per-1000 and mWh scale every percentile of a Monte Carlo result', () => {
    const ctx: EnergyContext = { profile: { ...fixedProfile(0, 0), deltaW: { low: 5, typ: 12, high: 25 } }, grid: { ...grid500, range: { low: 450, high: 550 } }, embodied: null };
    const r = computeWorkloadEnergy(onnxWorkload(40, 50), ctx, { seed: 9 });
    expect(r.method.draws).toBe(5000);
    expect(r.joules.p5).toBeLessThan(r.joules.p50);
    expect(r.joules.p50).toBeLessThan(r.joules.p95);
    for (const k of ['p5', 'p50', 'p95'] as const) {
      expect(r.whPer1000[k]).toBeCloseTo((r.joules[k] * 1000) / 3600, 12);
      expect(r.mWh[k]).toBeCloseTo(r.joules[k] / 3.6, 12);
    }
    // bounds: ΔP in [5, 25] W, host in [1, 8] W, η in [0.85, 0.92]
    expect(r.joules.p5).toBeGreaterThanOrEqual((5 * 0.04 + 1 * 0.05) / 0.92);
    expect(r.joules.p95).toBeLessThanOrEqual((25 * 0.04 + 8 * 0.05) / 0.85);
    expect(computeWorkloadEnergy(onnxWorkload(40, 50), ctx, { seed: 9 })).toEqual(r);
  });

  test('busyFrom says which clock timed t_busy; without a wall median t_wall = t_busy', () => {
    const r = computeWorkloadEnergy(onnxWorkload(100, null, 'wall-clock'), exactCtx, { draws: 3 });
    expect(r.busyFrom).toBe('wall-clock');
    all(r.joules, (10 * 0.1 + 2 * 0.1) / 0.8); // 1.5 J
  });

  test('a profile that includes the host (wall meter) adds no host power', () => {
    const r = computeWorkloadEnergy(onnxWorkload(100, 200), { ...exactCtx, profile: fixedProfile(10, 5, true) }, { draws: 3 });
    all(r.joules, (10 * 0.1) / 0.8); // 1.25 J
  });

  test('one draw reads four uniforms in order ΔP, host, η, CI', () => {
    const seed = 11;
    const [u1, u2, u3, u4] = [1, 2, 3, 4].map((k) => nthUniform(seed, k)) as [number, number, number, number];
    const ctx: EnergyContext = {
      profile: { ...fixedProfile(0, 0), deltaW: { low: 10, typ: 10, high: 20 } }, // Tri(10,10,20): 20 − √((1−u)·10·10)
      grid: { ...grid500, range: { low: 400, high: 600 } }, // Tri(400,500,600)
      embodied: null,
      assumptions: { hostW: { low: 0, typ: 4, high: 4 }, eta: { low: 0.8, high: 0.9 }, boundSpread: 0 }, // host Tri(0,4,4): √(u·4·4)
    };
    const dP = 20 - Math.sqrt((1 - u1) * 100);
    const host = Math.sqrt(u2 * 16);
    const eta = 0.8 + 0.1 * u3;
    const ci = u4 < 0.5 ? 400 + Math.sqrt(u4 * 200 * 100) : 600 - Math.sqrt((1 - u4) * 200 * 100);
    const j = (dP * 0.1 + host * 0.2) / eta;
    const r = computeWorkloadEnergy(onnxWorkload(100, 200), ctx, { draws: 1, seed });
    all(r.joules, j);
    all(r.gCO2e, (j / 3.6e6) * ci, 15);
  });

  describe('timing noise: a bootstrap factor per draw on t_busy and t_wall', () => {
    const mc: EnergyContext = { profile: { ...fixedProfile(0, 0), deltaW: { low: 5, typ: 12, high: 25 } }, grid: { ...grid500, range: { low: 450, high: 550 } }, embodied: null };
    /** The fixed-timing model as it was before the bootstrap: four uniforms per draw, t_busy and t_wall fixed. */
    function fixedTiming(tBusyMs: number, tWallMs: number, ctx: EnergyContext, draws: number, seed: number) {
      const a = DEFAULT_ASSUMPTIONS;
      const rand = mulberry32(seed);
      const j = new Float64Array(draws);
      const g = new Float64Array(draws);
      for (let i = 0; i < draws; i++) {
        const dP = triangular(rand(), ctx.profile.deltaW);
        const dHost = triangular(rand(), a.hostW);
        const eta = uniform(rand(), a.eta.low, a.eta.high);
        const gi = triangular(rand(), { low: ctx.grid.range.low, typ: ctx.grid.gPerKWh, high: ctx.grid.range.high });
        j[i] = (dP * (tBusyMs / 1000) + dHost * (tWallMs / 1000)) / eta;
        g[i] = (j[i]! / 3.6e6) * gi;
      }
      return { joules: range3(j), gCO2e: range3(g) };
    }
    const withSamples = (samplesMs: number[], medianMs: number, wallMedianMs: number): Workload => {
      const w = onnxWorkload(medianMs, wallMedianMs);
      return { ...w, timing: { ...w.timing, samplesMs } };
    };

    test('constant samples give back the fixed-timing result exactly (same seed, any context)', () => {
      const r = computeWorkloadEnergy(withSamples([40, 40, 40, 40, 40, 40, 40, 40, 40, 40], 40, 50), mc, { draws: 2000, seed: 9 });
      const old = fixedTiming(40, 50, mc, 2000, 9);
      expect(r.joules).toEqual(old.joules);
      expect(r.gCO2e).toEqual(old.gCO2e);
      // One sample (the fallback) behaves the same.
      expect(computeWorkloadEnergy(onnxWorkload(40, 50), mc, { draws: 2000, seed: 9 }).joules).toEqual(old.joules);
    });

    test('spread samples widen p5–p95; p50 stays near the fixed value', () => {
      // Median 40 ms, samples 30–50 ms: each draw's busy and wall times move by the resampled median.
      const spread = [30, 33, 36, 38, 40, 40, 42, 44, 47, 50];
      // A narrow power band (ΔP 11–13 W; host, η and grid fixed), so the timing noise is what is left to see.
      const narrow: EnergyContext = { profile: { ...mc.profile, deltaW: { low: 11, typ: 12, high: 13 } }, grid: grid500, embodied: null, assumptions: fixedAssumptions };
      const noisy = computeWorkloadEnergy(withSamples(spread, 40, 50), narrow, { draws: 4000, seed: 9 });
      const fixed = computeWorkloadEnergy(withSamples(Array.from({ length: 10 }, () => 40), 40, 50), narrow, { draws: 4000, seed: 9 });
      const width = (r: { p5: number; p95: number }) => r.p95 - r.p5;
      expect(width(noisy.joules)).toBeGreaterThan(width(fixed.joules) * 1.5);
      expect(width(noisy.gCO2e)).toBeGreaterThan(width(fixed.gCO2e) * 1.5);
      expect(noisy.joules.p5).toBeLessThan(fixed.joules.p5);
      expect(noisy.joules.p95).toBeGreaterThan(fixed.joules.p95);
      expect(Math.abs(noisy.joules.p50 / fixed.joules.p50 - 1)).toBeLessThan(0.03);
      // Output shape and method unchanged; same seed, same figures.
      expect(noisy.method).toEqual({ formulasVersion: 'energy-v3', draws: 4000, seed: 9 });
      expect(computeWorkloadEnergy(withSamples(spread, 40, 50), narrow, { draws: 4000, seed: 9 })).toEqual(noisy);
    });

    test('with degenerate inputs the range is the bootstrap range of the median alone', () => {
      // (10 W·t_busy·f + 2 W·t_wall·f) / 0.8 with t_busy = 100, t_wall = 200 ms → 1.75 J · f, f ∈ [80/100, 120/100].
      const r = computeWorkloadEnergy(withSamples([80, 90, 100, 110, 120], 100, 200), exactCtx, { draws: 2000, seed: 3 });
      expect(r.joules.p5).toBeLessThan(1.75);
      expect(r.joules.p95).toBeGreaterThan(1.75);
      expect(r.joules.p5).toBeGreaterThanOrEqual(1.75 * 0.8 - 1e-12);
      expect(r.joules.p95).toBeLessThanOrEqual(1.75 * 1.2 + 1e-12);
      expect(r.joules.p50).toBeCloseTo(1.75, 12);
    });
  });

  test('bad timing → InvalidTimingError naming the workload; bad draws → RangeError', () => {
    expect(() => computeWorkloadEnergy(onnxWorkload(0, 1), exactCtx)).toThrow(InvalidTimingError);
    try {
      computeWorkloadEnergy(onnxWorkload(0, 1), exactCtx);
    } catch (err) {
      expect(err).toMatchObject({ name: 'InvalidTimingError', workloadId: 'onnx-user', field: 'timing.medianMs' });
    }
    expect(() => computeWorkloadEnergy(onnxWorkload(1, Number.POSITIVE_INFINITY), exactCtx)).toThrow(InvalidTimingError);
    expect(() => computeWorkloadEnergy(onnxWorkload(1, 1), exactCtx, { draws: 0 })).toThrow(RangeError);
  });
});

describe('one timing source per comparison', () => {
  const ctx: EnergyContext = { profile: fixedProfile(10, 5), grid: grid500, embodied: null, assumptions: fixedAssumptions };
  const wallClock = (w: Workload): Workload => ({ ...w, timing: { ...w.timing, source: 'wall-clock' } });
  test('a ratio across timing sources is refused, naming both sources', () => {
    // Before, a 10 ms wall-clock encoder (submission latency included) was divided into a 100 ms
    // GPU-timestamp decoder and the ratio published as if both were busy times.
    const mixed = docWith([modelWorkload('general', 100, 200), wallClock(modelWorkload('specialized', 10, 20))]);
    expect(() => computeEnergy(mixed, ctx)).toThrow(MixedTimingSourcesError);
    try {
      computeEnergy(mixed, ctx);
    } catch (e) {
      expect((e as Error).name).toBe('MixedTimingSourcesError');
      expect((e as MixedTimingSourcesError).sources).toEqual({ general: 'gpu-timestamp', specialized: 'wall-clock' });
      expect((e as Error).message).toMatch(/gpu-timestamp.*wall-clock/);
    }
  });
  test('both models on the wall clock still compare', () => {
    const wall = docWith([wallClock(modelWorkload('general', 100, 200)), wallClock(modelWorkload('specialized', 10, 20))]);
    expect(computeEnergy(wall, ctx).busyTimeRatio).toBeCloseTo(10, 12);
  });
});
