/**
 * Scoring the real-models race: accuracy with its 95 % Wilson score interval, parse failures,
 * energy per correct answer, the gap ratio per query and per correct answer, and the agreement of
 * the WebGPU path with the WASM reference. Pure arithmetic on answers and on the energy model's
 * ranges; see docs/ARCHITECTURE.md for where the figures come from.
 *
 * How ranges are propagated. The energy model gives a per-query figure as p5/p50/p95 of its Monte
 * Carlo; accuracy is a proportion with a 95 % Wilson interval [low, high]. Energy per correct
 * answer is energy per query ÷ accuracy, and its range pairs the ends that make it smallest and
 * largest: p5 ÷ high, p50 ÷ accuracy, p95 ÷ low. Both sources of uncertainty are in it, and it
 * contains the true value whenever both inputs' ranges do, so it is an envelope (wider than a
 * 90 % interval of the quotient), never narrower than the truth. The same pairing gives the gap
 * ratio per correct answer from the per-query ratio (whose range already comes from paired draws).
 * An accuracy of 0 makes "per correct answer" undefined: the figure is null with the reason,
 * never Infinity.
 */
import type { Answer } from './answer.ts';
import { DIFFICULTIES, type Difficulty, type GoldLabel } from './labels.ts';
import type { TaskItem } from './task-set.ts';

/** z of a two-sided 95 % interval: the 0.975 quantile of the standard normal. */
export const Z95 = 1.959963984540054;

export interface Range3 { p5: number; p50: number; p95: number }

export interface Proportion {
  /** Successes. */
  k: number;
  n: number;
  /** k / n. */
  rate: number;
  /** Wilson score interval, 95 %. */
  low: number;
  high: number;
}

/** Thrown on counts that are not a proportion (k > n, negative, fractional, n = 0). */
export class ScoringError extends Error {
  override name = 'ScoringError';
}

/**
 * The Wilson score interval of k successes in n trials (Wilson 1927; Brown, Cai & DasGupta 2001):
 * unlike the normal approximation it stays inside [0, 1] and is not zero-width at 0/n or n/n.
 */
export function wilson(k: number, n: number, z: number = Z95): Proportion {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n <= 0 || k < 0 || k > n) {
    throw new ScoringError(`a proportion needs integers 0 ≤ k ≤ n, n > 0 (got ${k}/${n})`);
  }
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // The ends are exact at 0/n and n/n; rounding must not push them past [0, 1].
  const low = k === 0 ? 0 : Math.max(0, centre - half);
  const high = k === n ? 1 : Math.min(1, centre + half);
  return { k, n, rate: p, low, high };
}

export interface ScoredAnswer {
  id: string;
  label: Answer;
}

export interface AccuracyRecord {
  correct: number;
  n: number;
  rate: number;
  low: number;
  high: number;
  /** Answers that named no label (counted as wrong, and in n). */
  parseFailures: number;
}

/**
 * Accuracy of `answers` against the task items (by id). An unparseable answer is wrong, not
 * dropped: dropping it would reward a model for not answering. n is the number of answers, so a
 * run stopped part-way reports its own n.
 */
export function accuracy(items: readonly TaskItem[], answers: readonly ScoredAnswer[]): AccuracyRecord {
  const gold = new Map<string, GoldLabel>(items.map((it) => [it.id, it.label]));
  let correct = 0;
  let parseFailures = 0;
  const seen = new Set<string>();
  for (const a of answers) {
    const g = gold.get(a.id);
    if (g === undefined) throw new ScoringError(`answer for unknown item "${a.id}"`);
    if (seen.has(a.id)) throw new ScoringError(`item "${a.id}" answered twice`);
    seen.add(a.id);
    if (a.label === 'unparseable') parseFailures++;
    else if (a.label === g) correct++;
  }
  const w = wilson(correct, answers.length);
  return { correct, n: w.n, rate: w.rate, low: w.low, high: w.high, parseFailures };
}

/**
 * Accuracy per difficulty tag (negation, irony, …), for the page's breakdown: null for a tag no
 * answer covers. Each interval is much wider than the overall one (fewer items): show it.
 */
export function accuracyByDifficulty(items: readonly TaskItem[], answers: readonly ScoredAnswer[]): Record<Difficulty, AccuracyRecord | null> {
  const tagOf = new Map<string, Difficulty>(items.map((it) => [it.id, it.difficulty]));
  const out = {} as Record<Difficulty, AccuracyRecord | null>;
  for (const d of DIFFICULTIES) {
    const mine = answers.filter((a) => tagOf.get(a.id) === d);
    out[d] = mine.length === 0 ? null : accuracy(items, mine);
  }
  // An answer for an id outside the set is an error, whatever its tag would have been.
  for (const a of answers) if (!tagOf.has(a.id)) throw new ScoringError(`answer for unknown item "${a.id}"`);
  return out;
}

export interface TokenSummary {
  inputMedian: number;
  inputTotal: number;
  outputMedian: number;
  outputTotal: number;
}

/**
 * Token counts over the items run (input: the rendered prompt, or the review for a classifier;
 * output: the reply's tokens, 0 for a classifier). The median is the lower middle value, so it is
 * always a count that occurred.
 */
export function tokenSummary(perItem: ReadonlyArray<{ input: number; output: number }>): TokenSummary {
  if (perItem.length === 0) throw new ScoringError('no item was run');
  if (perItem.some((x) => !Number.isInteger(x.input) || !Number.isInteger(x.output) || x.input < 0 || x.output < 0)) {
    throw new ScoringError('token counts must be integers ≥ 0');
  }
  const lowerMedian = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
  return {
    inputMedian: lowerMedian(perItem.map((x) => x.input)),
    inputTotal: perItem.reduce((s, x) => s + x.input, 0),
    outputMedian: lowerMedian(perItem.map((x) => x.output)),
    outputTotal: perItem.reduce((s, x) => s + x.output, 0),
  };
}

export type NoFigureReason = 'no-correct-answers';

export type PerCorrect =
  | { value: Range3; method: 'interval-envelope' }
  | { value: null; reason: NoFigureReason };

function checkRange(r: Range3, what: string): void {
  if (![r.p5, r.p50, r.p95].every((x) => Number.isFinite(x) && x >= 0) || !(r.p5 <= r.p50 && r.p50 <= r.p95)) {
    throw new ScoringError(`${what} must be finite, ≥ 0 and ordered p5 ≤ p50 ≤ p95`);
  }
}

/**
 * A per-query figure (joules, Wh, gCO2e) per correct answer: per query ÷ accuracy, the range
 * paired as the module comment explains. Null when nothing was answered correctly.
 */
export function perCorrect(perQuery: Range3, acc: Pick<AccuracyRecord, 'correct' | 'rate' | 'low' | 'high'>): PerCorrect {
  checkRange(perQuery, 'the per-query figure');
  if (acc.correct === 0 || acc.rate === 0 || acc.low === 0) return { value: null, reason: 'no-correct-answers' };
  return { value: { p5: perQuery.p5 / acc.high, p50: perQuery.p50 / acc.rate, p95: perQuery.p95 / acc.low }, method: 'interval-envelope' };
}

export interface GapRatios {
  /** General ÷ specialized energy per query (the energy model's ratio, as given). */
  perQuery: Range3;
  /** General ÷ specialized energy per correct answer: per-query ratio × accuracy(specialized) ÷ accuracy(general). */
  perCorrect: PerCorrect;
}

/** The gap ratio on both bases: per query (as given) and per correct answer. */
export function gapRatios(
  perQueryRatio: Range3,
  general: Pick<AccuracyRecord, 'correct' | 'rate' | 'low' | 'high'>,
  specialized: Pick<AccuracyRecord, 'correct' | 'rate' | 'low' | 'high'>,
): GapRatios {
  checkRange(perQueryRatio, 'the per-query ratio');
  if (general.correct === 0 || specialized.correct === 0 || general.low === 0) {
    return { perQuery: perQueryRatio, perCorrect: { value: null, reason: 'no-correct-answers' } };
  }
  return {
    perQuery: perQueryRatio,
    perCorrect: {
      value: {
        p5: (perQueryRatio.p5 * specialized.low) / general.high,
        p50: (perQueryRatio.p50 * specialized.rate) / general.rate,
        p95: (perQueryRatio.p95 * specialized.high) / general.low,
      },
      method: 'interval-envelope',
    },
  };
}

/** How many items the WebGPU path is checked against the WASM reference on. */
export const AGREEMENT_ITEMS = 20;

export interface AgreementRecord {
  agree: number;
  n: number;
  rate: number;
  /** Ids of the items whose answers differ, for the local report (ids only, no text). */
  disagreements: string[];
}

/**
 * Whether the WebGPU answers equal the WASM reference's on the first `first` items both answered
 * (in `reference` order). Two unparseable answers agree: the same reply parsed the same way.
 */
export function agreement(webgpu: readonly ScoredAnswer[], reference: readonly ScoredAnswer[], first: number = AGREEMENT_ITEMS): AgreementRecord {
  const gpu = new Map(webgpu.map((a) => [a.id, a.label]));
  const compared = reference.filter((a) => gpu.has(a.id)).slice(0, first);
  if (compared.length === 0) throw new ScoringError('no item was answered by both execution providers');
  const disagreements = compared.filter((a) => gpu.get(a.id) !== a.label).map((a) => a.id);
  const agree = compared.length - disagreements.length;
  return { agree, n: compared.length, rate: agree / compared.length, disagreements };
}
