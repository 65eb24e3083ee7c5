// The proposed `real` block of a real-model workload: a sample validates, free text and numbers
// that contradict each other are refused, naming the field.
import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { parseRealModelRecord, perCorrectEnergy, realAccuracy } from '../../src/shared/realmodels-result.ts';
import { perCorrectEnergyRecord, perCorrectMismatch } from '../../src/shared/realmodels/per-correct.ts';
import { REAL_WORKLOAD_IDS, realWorkloadId, type RealModelRecord } from '../../src/shared/realmodels/record.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';

function general(): RealModelRecord {
  const w = wilson(171, 240);
  return {
    model: 'qwen2.5-0.5b-instruct',
    revision: '7ae557604adf67be50417f59c2c2f167def9a775',
    sha256: null,
    dtype: 'q4f16',
    executionProvider: 'webgpu',
    answer: 'generation',
    promptVersion: 'sentiment-zs-1',
    taskSet: { id: 'sentiment-en', version: 1, language: 'en' },
    tokens: { inputMedian: 58, inputTotal: 14_210, outputMedian: 2, outputTotal: 531 },
    accuracy: { correct: 171, n: 240, low: w.low, high: w.high },
    parseFailures: 6,
    agreement: { measured: true, agree: 19, n: 20 },
    sessionMedianMs: 412.5,
  };
}

function specialized(): RealModelRecord {
  const w = wilson(214, 240);
  return {
    model: 'distilbert-sst2',
    revision: null,
    sha256: 'a'.repeat(64),
    dtype: 'fp32',
    executionProvider: 'wasm',
    answer: 'logits',
    promptVersion: null,
    taskSet: { id: 'sentiment-fr', version: 1, language: 'fr' },
    tokens: { inputMedian: 17, inputTotal: 4_300, outputMedian: 0, outputTotal: 0 },
    accuracy: { correct: 214, n: 240, low: w.low, high: w.high },
    parseFailures: 0,
    agreement: { measured: false, reason: 'is-reference' },
    sessionMedianMs: 3.25,
  };
}

const issues = (x: unknown): string[] => {
  const r = parseRealModelRecord(x);
  return r.ok ? [] : r.issues;
};

describe('realModelRecord', () => {
  test('samples of both kinds validate unchanged; raw replies and unknown fields are stripped', () => {
    for (const s of [general(), specialized()]) {
      const r = parseRealModelRecord({ ...s, rawReplies: ['Positive.'], hubId: 'someone/my-model' });
      expect(r).toEqual({ ok: true, value: s });
    }
  });

  test('closed vocabulary: a typed model id, an unknown dtype or provider is refused', () => {
    expect(issues({ ...general(), model: 'someone/my-model' })[0]).toMatch(/^model: must be a known real model/);
    expect(issues({ ...general(), dtype: 'fp8' })[0]).toMatch(/^dtype: /);
    expect(issues({ ...general(), executionProvider: 'webnn' })[0]).toMatch(/^executionProvider: /);
    expect(issues({ ...general(), promptVersion: 'my prompt' })[0]).toMatch(/^promptVersion: /);
    expect(issues({ ...general(), revision: 'main' })[0]).toMatch(/^revision: /);
    expect(issues({ ...general(), taskSet: { id: 'sentiment-en', version: 1, language: 'fr' } })[0]).toMatch(/^taskSet: /);
  });

  test('a custom model is stored by its file hash only', () => {
    expect(issues({ ...general(), model: 'custom' })).toEqual(['(record): a custom model must record its file SHA-256']);
    expect(issues({ ...general(), model: 'custom', revision: null, sha256: 'b'.repeat(64) })).toEqual([]);
    // No revision either: the repository someone typed is not recorded in any form.
    expect(issues({ ...general(), model: 'custom', sha256: 'b'.repeat(64) })).toEqual(['(record): a custom model records no revision (it is identified by its SHA-256 only)']);
  });

  test('accuracy: the interval must be the Wilson interval of correct/n', () => {
    const g = general();
    expect(issues({ ...g, accuracy: { ...g.accuracy, low: 0.5 } })).toEqual(['accuracy: low and high must be the 95 % Wilson interval of correct/n']);
    expect(issues({ ...g, accuracy: { ...g.accuracy, correct: 241 } })[0]).toMatch(/^accuracy: correct must be ≤ n/);
    expect(issues({ ...g, accuracy: { ...g.accuracy, n: 0 } })[0]).toMatch(/^accuracy\.n: /);
    // Every check runs (no early abort): correct > n is reported, never thrown by the Wilson check.
    const all = v.safeParse(realAccuracy, { correct: 5, n: 3, low: 0.1, high: 0.9 });
    expect(all.success).toBe(false);
    expect(all.issues?.map((i) => i.message)).toEqual(['correct must be ≤ n']);
    expect(issues({ ...g, parseFailures: 70 })).toEqual(['(record): parse failures are wrong answers: at most n − correct']);
  });

  test('how the model answers and what it records agree', () => {
    expect(issues({ ...general(), answer: 'logits' })).toContain('(record): answer must be how this model answers');
    expect(issues({ ...general(), promptVersion: null })).toEqual(['(record): promptVersion is set exactly when the model answers by generation']);
    const s = specialized();
    expect(issues({ ...s, tokens: { ...s.tokens, outputMedian: 1, outputTotal: 240 } })).toEqual(['(record): a classifier has no reply: no output tokens, no parse failures']);
    expect(issues({ ...s, agreement: { measured: true, agree: 20, n: 20 } })).toEqual(['(record): the WASM reference is not compared with itself']);
    expect(issues({ ...general(), agreement: { measured: true, agree: 21, n: 20 } })[0]).toMatch(/^agreement/);
    expect(issues({ ...general(), agreement: { measured: false, reason: 'skipped because I felt like it' } })[0]).toMatch(/^agreement\.reason: /);
  });

  test('workload ids are ROLE:MODEL:EP, distinct from the synthetic replicas', () => {
    expect(realWorkloadId('general', 'qwen2.5-0.5b-instruct', 'webgpu')).toBe('general:qwen2.5-0.5b-instruct:webgpu');
    expect(REAL_WORKLOAD_IDS).toContain('specialized:distilbert-sst2:wasm');
    expect(REAL_WORKLOAD_IDS).not.toContain('specialized:distilbert-sst2');
  });
});

describe('energy per correct answer, stored and checked', () => {
  const joules = { p5: 0.4, p50: 0.5, p95: 0.7 };

  test('the stored form validates and matches its recomputation', () => {
    const acc = general().accuracy;
    const rec = perCorrectEnergyRecord(joules, acc);
    expect(v.safeParse(perCorrectEnergy, rec).success).toBe(true);
    if (!rec.available) throw new Error('expected a figure');
    expect(rec.joules.p50).toBeCloseTo(0.5 / (171 / 240), 12);
    expect(perCorrectMismatch(JSON.parse(JSON.stringify(rec)) as typeof rec, joules, acc)).toBeNull();
    expect(perCorrectMismatch({ ...rec, joules: { ...rec.joules, p50: rec.joules.p50 * 0.9 } }, joules, acc)).toMatch(/^joules\.p50 /);
  });

  test('no correct answer: unavailable with a reason, and a figure claimed anyway is refused', () => {
    const w = wilson(0, 240);
    const acc = { correct: 0, n: 240, low: w.low, high: w.high };
    const rec = perCorrectEnergyRecord(joules, acc);
    expect(rec).toEqual({ available: false, reason: 'no-correct-answers' });
    expect(v.safeParse(perCorrectEnergy, rec).success).toBe(true);
    expect(perCorrectMismatch({ available: true, joules, method: 'interval-envelope' }, joules, acc)).toMatch(/unavailable/);
    expect(v.safeParse(perCorrectEnergy, { available: true, joules: { p5: 1, p50: Infinity, p95: Infinity }, method: 'interval-envelope' }).success).toBe(false);
  });
});
