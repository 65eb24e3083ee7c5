import { describe, expect, test } from 'vitest';
import { EQUIVALENCES, LITERATURE, equivalencesFor, queriesWithinBudget, scaleScenario } from '../../src/energy/index.ts';

describe('equivalences (data/equivalences.json)', () => {
  test('every item cited, with one positive factor matching its basis', () => {
    for (const e of EQUIVALENCES) {
      expect(e.source.length, e.id).toBeGreaterThan(20);
      expect(e.url, e.id).toMatch(/^https:\/\//);
      const f = e.basis === 'energy' ? e.whPerUnit : e.gCO2ePerUnit;
      expect(f, e.id).toBeGreaterThan(0);
    }
  });
  test('hand-computed: 1.5 / 3 / 6 Wh and 170 / 340 / 680 g', () => {
    const r = Object.fromEntries(equivalencesFor({ p5: 1.5, p50: 3, p95: 6 }, { p5: 170, p50: 340, p95: 680 }).map((e) => [e.id, e.amount]));
    expect(r['phone-charge']).toEqual({ p5: 0.1, p50: 0.2, p95: 0.4 }); // ÷ 15 Wh
    expect(r['led-minutes']?.p50).toBeCloseTo(20, 9); // 3 Wh ÷ 0.15 Wh/min
    expect(r['ebike-km']?.p50).toBeCloseTo(0.3, 9); // ÷ 10 Wh/km
    expect(r['car-km']).toEqual({ p5: 1, p50: 2, p95: 4 }); // ÷ 170 g/km
  });
});

describe('what-if scaling and budget', () => {
  test('queries per day × users, per day and per year', () => {
    const s = scaleScenario({ p5: 1, p50: 2, p95: 4 }, { queriesPerDay: 10, users: 100 });
    expect(s.queriesPerDay).toBe(1000);
    expect(s.perDay).toEqual({ p5: 1000, p50: 2000, p95: 4000 });
    expect(s.perYear.p50).toBe(2000 * 365);
  });
  test('budget: fewest queries from the p95 cost, most from the p5 cost', () => {
    expect(queriesWithinBudget(10, { p5: 1, p50: 2, p95: 4 })).toEqual({ p5: 2, p50: 5, p95: 10 });
    expect(queriesWithinBudget(0, { p5: 1, p50: 2, p95: 4 })).toEqual({ p5: 0, p50: 0, p95: 0 });
  });
});

describe('literature (Power Hungry Processing)', () => {
  test('cites the paper and its sentiment ratios', () => {
    const p = LITERATURE.powerHungryProcessing;
    expect(p.citation).toMatch(/Luccioni/);
    expect(p.meanRatio).toBe(8.9);
    expect(p.pairs.map((x) => x.ratio)).toEqual([15, 36]);
  });
});
