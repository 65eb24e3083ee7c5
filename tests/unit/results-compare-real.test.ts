/** Real-models documents in the history: recognised, named by their model pair, and never compared with what they cannot be. */
import { describe, expect, test } from 'vitest';
import { compareRefusal, compareRuns, realTaskLabel } from '../../src/results/compare.ts';
import type { HistoryRecord } from '../../src/results/history.ts';
import { isRealDocument, realPair, realPairLabel } from '../../src/results/real.ts';
import { realWorkloadId } from '../../src/shared/realmodels/record.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';
import { sampleRealResult } from '../../src/shared/sample-real-result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

const record = (doc: ResultDocument, localId: string): HistoryRecord => ({ v: 2, localId, savedAt: '2026-11-29', doc, upload: null, label: null });

/** The sample real document with the general model's record patched (its id follows the model key). */
function withGeneral(patch: { model?: string; dtype?: string }): ResultDocument {
  const doc = sampleRealResult();
  const workloads = doc.workloads.map((w): Workload => {
    if (w.kind !== 'real-model' || w.role !== 'general' || !w.real) return w;
    const real = { ...w.real, ...patch } as typeof w.real;
    return { ...w, id: realWorkloadId('general', real.model, real.executionProvider), real };
  });
  return { ...doc, workloads };
}

describe('real-models documents', () => {
  test('are told from synthetic-race ones, and named by their pair', () => {
    expect(isRealDocument(sampleRealResult())).toBe(true);
    expect(isRealDocument(sampleResult())).toBe(false);
    expect(realPair(sampleResult())).toBeNull();
    const pair = realPair(sampleRealResult());
    expect(pair).toEqual({ specialized: { model: 'distilbert-sst2', dtype: 'fp32' }, general: { model: 'qwen2.5-0.5b-instruct', dtype: 'q4f16' } });
    expect(realPairLabel(pair!)).toBe('distilbert-sst2 fp32 · qwen2.5-0.5b-instruct q4f16');
    expect(realPairLabel({ specialized: null, general: { model: 'custom', dtype: 'q4' } })).toBe('? · custom q4');
  });
});

describe('comparing runs', () => {
  test('synthetic runs compare as before', () => {
    const runs = [record(sampleResult(), 'a'), record(sampleResult(), 'b')];
    expect(compareRefusal(runs)).toBeNull();
    expect(compareRuns(runs).runs).toHaveLength(2);
  });

  test('a real-models result with a synthetic one is refused', () => {
    expect(compareRefusal([record(sampleRealResult(), 'a'), record(sampleResult(), 'b'), record(sampleResult(), 'c')])).toEqual({ kind: 'mixed', real: 1, synthetic: 2 });
  });

  test('two real-models results on different models are refused, naming both pairs', () => {
    const runs = [record(sampleRealResult(), 'a'), record(withGeneral({ model: 'custom' }), 'b'), record(sampleRealResult(), 'c')];
    expect(compareRefusal(runs)).toEqual({
      kind: 'different-models',
      pairs: ['distilbert-sst2 fp32 · qwen2.5-0.5b-instruct q4f16', 'distilbert-sst2 fp32 · custom q4f16'],
    });
  });

  test('the same models on another task set (English vs French) are refused, naming both task sets', () => {
    const french = sampleRealResult();
    french.workloads = french.workloads.map((w): Workload => (w.real ? { ...w, real: { ...w.real, taskSet: { id: 'sentiment-fr', version: 1, language: 'fr' } } } : w));
    expect(realTaskLabel(french)).toBe('sentiment-fr v1');
    expect(compareRefusal([record(sampleRealResult(), 'a'), record(french, 'b')])).toEqual({ kind: 'different-tasks', tasks: ['sentiment-en v1', 'sentiment-fr v1'] });
    // Different models remain the first reason given.
    const frenchCustom = { ...french, workloads: french.workloads.map((w): Workload => (w.real && w.role === 'general' ? { ...w, real: { ...w.real, model: 'custom' } } : w)) };
    expect(compareRefusal([record(sampleRealResult(), 'a'), record(frenchCustom, 'b')])?.kind).toBe('different-models');
  });

  test('the same models in another variant line up row by row, and compare', () => {
    const runs = [record(sampleRealResult(), 'a'), record(withGeneral({ dtype: 'q4' }), 'b')];
    expect(compareRefusal(runs)).toBeNull();
    const c = compareRuns(runs);
    const general = c.workloads.indexOf('general:qwen2.5-0.5b-instruct:webgpu');
    expect(general).toBeGreaterThanOrEqual(0);
    expect(c.medianMs[general]!.every((v) => v !== null)).toBe(true);
  });
});
