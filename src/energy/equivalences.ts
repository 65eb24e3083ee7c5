/**
 * Relatable equivalences, the "what if" scaling and the budget calculator. Pure arithmetic on
 * the ranges computeEnergy returns; every output keeps its p5–p95 range.
 */
import equivalencesJson from '../../data/equivalences.json';
import literatureJson from '../../data/literature.json';
import type { Range3 } from '../shared/result.ts';
import { scale3 } from './random.ts';

export interface EquivalenceDef {
  id: string;
  basis: 'energy' | 'carbon';
  whPerUnit?: number;
  gCO2ePerUnit?: number;
  unit: string;
  source: string;
  url: string;
}

export const EQUIVALENCES: EquivalenceDef[] = (equivalencesJson.items as EquivalenceDef[]);
export const LITERATURE = literatureJson;

export interface Equivalence { id: string; unit: string; amount: Range3; source: string; url: string }

/** Each equivalence for an energy range (Wh) and a carbon range (gCO2e). */
export function equivalencesFor(wh: Range3, gCO2e: Range3): Equivalence[] {
  return EQUIVALENCES.map((e) => {
    const div = e.basis === 'energy' ? (e.whPerUnit ?? Number.NaN) : (e.gCO2ePerUnit ?? Number.NaN);
    const src = e.basis === 'energy' ? wh : gCO2e;
    return { id: e.id, unit: e.unit, amount: { p5: src.p5 / div, p50: src.p50 / div, p95: src.p95 / div }, source: e.source, url: e.url };
  });
}

export interface Scenario { queriesPerDay: number; users: number }

/** Daily and yearly totals of a per-query range for `queriesPerDay × users` queries a day. */
export function scaleScenario(perQuery: Range3, sc: Scenario): { perDay: Range3; perYear: Range3; queriesPerDay: number } {
  const q = Math.max(0, sc.queriesPerDay) * Math.max(0, sc.users);
  return { perDay: scale3(perQuery, q), perYear: scale3(perQuery, q * 365), queriesPerDay: q };
}

/**
 * How many queries a daily budget allows, given the per-query cost range. The pessimistic
 * count divides by the p95 cost, the optimistic one by p5: `{ p5: fewest, p50, p95: most }`.
 */
export function queriesWithinBudget(budget: number, perQuery: Range3): Range3 {
  if (!(budget > 0)) return { p5: 0, p50: 0, p95: 0 };
  const n = (c: number) => (c > 0 ? Math.floor(budget / c) : Number.POSITIVE_INFINITY);
  return { p5: n(perQuery.p95), p50: n(perQuery.p50), p95: n(perQuery.p5) };
}
