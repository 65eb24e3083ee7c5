// Scoring of the real-models race on known values: the Wilson interval against published
// figures, accuracy with parse failures, energy and the gap ratio per correct answer (never
// Infinity), and the WebGPU-vs-WASM agreement.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { accuracy, accuracyByDifficulty, agreement, gapRatios, perCorrect, ScoringError, tokenSummary, wilson, type ScoredAnswer } from '../../src/shared/realmodels/scoring.ts';
import type { TaskItem } from '../../src/shared/realmodels/task-set.ts';

describe('wilson', () => {
  // 0/n and n/n have closed forms: z²/(n + z²) and n/(n + z²).
  test.each([
    [0, 10, 0, 0.27753],
    [10, 10, 0.72247, 1],
    [81, 100, 0.72221, 0.87485],
    // Newcombe (1998), Statistics in Medicine 17:857–872, Table I, method 3 (score, no continuity correction).
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])('%i/%i → [%f, %f]', (k, n, low, high) => {
    const w = wilson(k, n);
    const digits = String(low).length > 6 || String(high).length > 6 ? 5 : 4;
    expect(w.low).toBeCloseTo(low, digits);
    expect(w.high).toBeCloseTo(high, digits);
    expect(w.rate).toBe(k / n);
  });

  test('stays inside [0, 1] and contains the rate', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
      const k = Math.round(f * n);
      const w = wilson(k, n);
      return w.low >= 0 && w.high <= 1 && w.low <= w.rate && w.rate <= w.high && (k === 0 || w.low > 0);
    }));
  });

  test('refuses what is not a proportion', () => {
    expect(() => wilson(3, 2)).toThrow(ScoringError);
    expect(() => wilson(0, 0)).toThrow(ScoringError);
    expect(() => wilson(-1, 5)).toThrow(ScoringError);
    expect(() => wilson(1.5, 5)).toThrow(ScoringError);
  });
});

const items: TaskItem[] = Array.from({ length: 10 }, (_, i) => ({
  id: `en-${String(i + 1).padStart(3, '0')}`,
  text: `review ${i}`,
  label: i % 2 === 0 ? 'positive' : 'negative',
  difficulty: 'plain',
}));

describe('accuracy', () => {
  test('unparseable answers are wrong and counted, and n is the number of answers', () => {
    const answers: ScoredAnswer[] = items.map((it, i) => ({ id: it.id, label: i < 7 ? it.label : i === 7 ? 'unparseable' : it.label === 'positive' ? 'negative' : 'positive' }));
    const a = accuracy(items, answers);
    expect(a).toMatchObject({ correct: 7, n: 10, rate: 0.7, parseFailures: 1 });
    expect(a.low).toBeCloseTo(wilson(7, 10).low, 12);
    expect(accuracy(items, answers.slice(0, 4))).toMatchObject({ correct: 4, n: 4 });
  });

  test('refuses unknown and repeated ids', () => {
    expect(() => accuracy(items, [{ id: 'en-999', label: 'positive' }])).toThrow(/unknown item/);
    expect(() => accuracy(items, [{ id: 'en-001', label: 'positive' }, { id: 'en-001', label: 'positive' }])).toThrow(/twice/);
    expect(() => accuracy(items, [])).toThrow(ScoringError);
  });
});

describe('per correct answer', () => {
  const joules = { p5: 0.8, p50: 1, p95: 1.5 };

  test('per query ÷ accuracy, ends paired with the interval ends', () => {
    const acc = { correct: 81, rate: 0.81, low: wilson(81, 100).low, high: wilson(81, 100).high };
    const r = perCorrect(joules, acc);
    if (r.value === null) throw new Error('expected a figure');
    expect(r.method).toBe('interval-envelope');
    expect(r.value.p50).toBeCloseTo(1 / 0.81, 12);
    expect(r.value.p5).toBeCloseTo(0.8 / 0.87485, 4);
    expect(r.value.p95).toBeCloseTo(1.5 / 0.72221, 4);
    expect(r.value.p5).toBeLessThanOrEqual(r.value.p50);
    expect(r.value.p50).toBeLessThanOrEqual(r.value.p95);
  });

  test('all correct: the p50 is the per-query figure', () => {
    const w = wilson(10, 10);
    const r = perCorrect(joules, { correct: 10, rate: 1, low: w.low, high: w.high });
    expect(r.value?.p50).toBe(1);
    expect(r.value?.p5).toBe(0.8);
  });

  test('nothing correct: null with a reason, never Infinity', () => {
    const w = wilson(0, 10);
    expect(perCorrect(joules, { correct: 0, rate: 0, low: w.low, high: w.high })).toEqual({ value: null, reason: 'no-correct-answers' });
  });

  test('refuses a range out of order', () => {
    expect(() => perCorrect({ p5: 2, p50: 1, p95: 3 }, { correct: 1, rate: 1, low: 0.2, high: 1 })).toThrow(ScoringError);
  });
});

describe('gap ratio on both bases', () => {
  const ratio = { p5: 20, p50: 25, p95: 30 };
  const acc = (k: number, n: number) => ({ correct: k, ...wilson(k, n) });

  test('per correct = per query × accuracy(specialized) ÷ accuracy(general)', () => {
    const g = gapRatios(ratio, acc(160, 200), acc(180, 200));
    expect(g.perQuery).toBe(ratio);
    if (g.perCorrect.value === null) throw new Error('expected a figure');
    expect(g.perCorrect.value.p50).toBeCloseTo((25 * 0.9) / 0.8, 12);
    expect(g.perCorrect.value.p5).toBeCloseTo((20 * wilson(180, 200).low) / wilson(160, 200).high, 12);
    expect(g.perCorrect.value.p95).toBeCloseTo((30 * wilson(180, 200).high) / wilson(160, 200).low, 12);
  });

  test('either model with no correct answer: null with a reason', () => {
    expect(gapRatios(ratio, acc(0, 200), acc(180, 200)).perCorrect).toEqual({ value: null, reason: 'no-correct-answers' });
    expect(gapRatios(ratio, acc(180, 200), acc(0, 200)).perCorrect).toEqual({ value: null, reason: 'no-correct-answers' });
  });
});

describe('agreement', () => {
  const ref: ScoredAnswer[] = Array.from({ length: 30 }, (_, i) => ({ id: `fr-${String(i + 1).padStart(3, '0')}`, label: i % 3 === 0 ? 'unparseable' : 'positive' }));

  test('the first 20 items of the reference, unparseable = unparseable agreeing', () => {
    const gpu = ref.map((a, i) => (i === 4 || i === 25 ? { ...a, label: 'negative' as const } : a));
    expect(agreement(gpu, ref)).toEqual({ agree: 19, n: 20, rate: 0.95, disagreements: ['fr-005'] });
  });

  test('only items both answered, in reference order', () => {
    expect(agreement(ref.slice(0, 5), ref)).toMatchObject({ agree: 5, n: 5, rate: 1 });
    expect(() => agreement([], ref)).toThrow(ScoringError);
  });
});

describe('breakdowns', () => {
  test('accuracy per difficulty tag, null where no answer', () => {
    const tagged: TaskItem[] = items.map((it, i) => ({ ...it, difficulty: i < 6 ? 'irony' : 'plain' }));
    const answers: ScoredAnswer[] = tagged.map((it, i) => ({ id: it.id, label: i < 3 ? it.label : 'unparseable' }));
    const by = accuracyByDifficulty(tagged, answers);
    expect(by.irony).toMatchObject({ correct: 3, n: 6, parseFailures: 3 });
    expect(by.plain).toMatchObject({ correct: 0, n: 4 });
    expect(by.slang).toBeNull();
    expect(() => accuracyByDifficulty(tagged, [{ id: 'xx-1', label: 'positive' }])).toThrow(ScoringError);
  });

  test('token summary: lower median and totals', () => {
    expect(tokenSummary([{ input: 50, output: 2 }, { input: 60, output: 1 }, { input: 40, output: 3 }, { input: 70, output: 2 }])).toEqual({ inputMedian: 50, inputTotal: 220, outputMedian: 2, outputTotal: 8 });
    expect(() => tokenSummary([])).toThrow(ScoringError);
    expect(() => tokenSummary([{ input: 1.5, output: 0 }])).toThrow(ScoringError);
  });
});
