/**
 * A finished real-models race as the session returns it (document + race output), with figures
 * chosen so the tests can assert exact numbers, and a fake client whose race the test drives.
 */
import { vi } from 'vitest';
import type { ModelProgress, ModelSize } from '../../../src/lab/model-download.ts';
import type { RealModelsClient, RealSessionResult } from '../../../src/lab/realmodels-client.ts';
import type { OwnSentenceAnswers, RealRaceOutput, RealSessionRequest } from '../../../src/lab/realmodels-api.ts';
import type { RealModelRecord } from '../../../src/shared/realmodels/record.ts';
import type { Difficulty } from '../../../src/shared/realmodels/labels.ts';
import { wilson, type AccuracyRecord } from '../../../src/shared/realmodels/scoring.ts';
import type { ResultDocument, Workload } from '../../../src/shared/result.ts';

const timing = (medianMs: number) => ({ source: 'wall-clock' as const, warmup: 2, samplesMs: [medianMs], medianMs, p10Ms: medianMs * 0.9, p90Ms: medianMs * 1.2, cv: 0.05 });

function real(role: 'general' | 'specialized', patch: Partial<RealModelRecord>): Workload {
  const model = role === 'general' ? 'qwen2.5-0.5b-instruct' : 'distilbert-sst2';
  return {
    id: `${role}:${model}:webgpu`,
    kind: 'real-model',
    role,
    config: {},
    flops: null,
    bytes: 0,
    timing: timing(role === 'general' ? 400 : 10),
    ...(role === 'general' ? { tokensPerSecond: { prefill: 850, decode: 42 } } : {}),
    real: {
      model,
      revision: null,
      sha256: null,
      dtype: role === 'general' ? 'q4f16' : 'fp32',
      executionProvider: 'webgpu',
      answer: role === 'general' ? 'generation' : 'logits',
      promptVersion: null,
      taskSet: { id: 'sentiment-en', version: 1, language: 'en' },
      tokens: role === 'general' ? { inputMedian: 61, inputTotal: 2440, outputMedian: 2, outputTotal: 80 } : { inputMedian: 19, inputTotal: 760, outputMedian: 0, outputTotal: 0 },
      accuracy: role === 'general' ? { correct: 28, n: 40, low: 0.5456998118185507, high: 0.8192515477025347 } : { correct: 34, n: 40, low: 0.709276756335103, high: 0.9293881228267964 },
      parseFailures: role === 'general' ? 3 : 0,
      agreement: role === 'general' ? { measured: true, agree: 19, n: 20 } : { measured: true, agree: 20, n: 20 },
      sessionMedianMs: role === 'general' ? 300 : 6,
      ...patch,
    },
  };
}

const replica = (id: string, medianMs: number): Workload => ({ id, kind: 'model', role: id.startsWith('general') ? 'general' : 'specialized', config: {}, flops: 1, bytes: 1, timing: timing(medianMs) });

export function fixtureDoc(): ResultDocument {
  const doc = {
    schemaVersion: 1,
    suite: { preset: 'quick', version: 'x' },
    app: { version: '0.0.0' },
    environment: {},
    workloads: [real('specialized', {}), real('general', {}), replica('specialized:distilbert-sst2', 4), replica('general:qwen2.5-0.5b-instruct', 120)],
    energy: {
      perQuery: {
        specialized: { joules: { p5: 0.1, p50: 0.2, p95: 0.4 }, perCorrect: { available: true, joules: { p5: 0.1076, p50: 0.2353, p95: 0.564 }, method: 'interval-envelope' } },
        general: { joules: { p5: 2, p50: 4, p95: 8 }, perCorrect: { available: true, joules: { p5: 2.441, p50: 5.714, p95: 14.66 }, method: 'interval-envelope' } },
      },
      ratio: { p5: 10, p50: 20, p95: 40 },
      ratioPerCorrect: { available: true, ratio: { p5: 4.33, p50: 24.3, p95: 136 }, method: 'interval-envelope' },
    },
  };
  return doc as unknown as ResultDocument;
}

/** Accuracy on `correct` of `n` sentences, as scoring.accuracy gives it. */
function acc(correct: number, n: number, parseFailures = 0): AccuracyRecord {
  const w = wilson(correct, n);
  return { correct, n, rate: w.rate, low: w.low, high: w.high, parseFailures };
}

/**
 * Accuracy per kind of sentence: the specialized model gets irony 1 of 2, the general one 2 of 2;
 * nobody answered a comparison or a slang sentence (not shown).
 */
export const FIXTURE_BY_DIFFICULTY: Record<'specialized' | 'general', Record<Difficulty, AccuracyRecord | null>> = {
  specialized: { plain: acc(20, 20), negation: acc(10, 12), irony: acc(1, 2), mixed: acc(3, 6), comparison: null, slang: null },
  general: { plain: acc(18, 20), negation: acc(6, 12, 1), irony: acc(2, 2), mixed: acc(2, 6, 2), comparison: null, slang: null },
};

export function fixtureOutput(): RealRaceOutput {
  const model = (notCached: string[]) => ({ notCached });
  return {
    models: { classifier: model([]), generator: model(['onnx/model_q4f16.onnx']) },
    webgpu: {
      specialized: { accuracyByDifficulty: FIXTURE_BY_DIFFICULTY.specialized },
      general: {
        accuracyByDifficulty: FIXTURE_BY_DIFFICULTY.general,
        items: [
          { id: 'en-001', label: 'positive', raw: 'Positive.' },
          { id: 'en-002', label: 'unparseable', raw: 'It depends on the reader.' },
        ],
      },
    },
  } as unknown as RealRaceOutput;
}

export function size(paths: Array<[string, number, boolean]>): ModelSize {
  const files = paths.map(([path, bytes, cached]) => ({ path, url: `https://huggingface.co/x/${path}`, bytes, cached }));
  return { files, total: files.reduce((a, f) => a + f.bytes, 0), toDownload: files.filter((f) => !f.cached).reduce((a, f) => a + f.bytes, 0) };
}

export function progress(p: Partial<ModelProgress>): ModelProgress {
  return { file: { path: 'onnx/model.onnx', received: 0, total: null }, received: 0, total: null, rate: null, etaS: null, notCached: [], ...p };
}

/** A client whose race resolves or rejects when the test says, with the request kept. */
export function fakeClient() {
  let settle: { resolve: (r: RealSessionResult) => void; reject: (e: unknown) => void } | null = null;
  let request: RealSessionRequest | null = null;
  let cached = [{ url: 'https://huggingface.co/x/config.json', bytes: 1_000_000 }];
  const client = {
    run: vi.fn((req: RealSessionRequest) => {
      request = req;
      return new Promise<RealSessionResult>((resolve, reject) => (settle = { resolve, reject }));
    }),
    cancel: vi.fn(),
    answer: vi.fn(async (): Promise<OwnSentenceAnswers> => ({
      specialized: { label: 'negative', ms: 50, tokensIn: 12, tokensOut: 0 },
      general: { label: 'negative', raw: 'Negative.', ms: 200, tokensIn: 60, tokensOut: 2 },
    })),
    size: vi.fn(async (ref: { task: string }) =>
      ref.task === 'classifier' ? size([['config.json', 1_000_000, true], ['onnx/model.onnx', 67_000_000, false]]) : size([['config.json', 1_000_000, false], ['onnx/model_q4f16.onnx', 483_000_000, false]]),
    ),
    cached: vi.fn(async () => cached),
    forget: vi.fn(async () => {
      cached = [];
    }),
  } satisfies RealModelsClient;
  return {
    client,
    progress: (p: Parameters<NonNullable<RealSessionRequest['onProgress']>>[0]) => request?.onProgress?.(p),
    resolve: (r: RealSessionResult) => settle?.resolve(r),
    reject: (e: unknown) => settle?.reject(e),
    request: () => request,
  };
}
