/**
 * A hand-built, valid result document of the real-models race: DistilBERT-SST2 (fp32) and
 * Qwen2.5-0.5B-Instruct (q4f16) on WebGPU over 40 English items, beside their synthetic replicas
 * (`ROLE:MODEL`, kind `model`) at the same shapes, with the energy section recomputed so that the
 * server accepts it. Not product code: tests and other tools build their documents from it.
 */
import { realModelCost, type RealModelConfig } from './realmodels/cost.ts';
import { realWorkloadId, type RealModelRecord } from './realmodels/record.ts';
import { wilson } from './realmodels/scoring.ts';
import type { ResultDocument, Workload } from './result.ts';
import { sampleResult } from './sample-result.ts';

function wallTiming(samplesMs: number[]): Workload['timing'] {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    source: 'wall-clock', warmup: 2, samplesMs, medianMs: median, p10Ms: sorted[0]!, p90Ms: sorted[sorted.length - 1]!,
    minMs: sorted[0]!, meanMs: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length, cv: 0.05, dropped: 0,
  };
}

/** The architectures as config.json gives them (DistilBERT's dim/n_layers/…, Qwen2's hidden_size/…). */
const DISTILBERT: RealModelConfig = { family: 'encoder', layers: 6, hidden: 768, heads: 12, kvHeads: 12, ffn: 3072, vocab: 30522, headDim: 64, onnxBytes: 267_855_974 };
const QWEN: RealModelConfig = { family: 'decoder', layers: 24, hidden: 896, heads: 14, kvHeads: 2, ffn: 4864, vocab: 151936, headDim: 64, maxNewTokens: 16, onnxBytes: 483_023_158 };

const N = 40;

function accuracyOf(correct: number): RealModelRecord['accuracy'] {
  const w = wilson(correct, N);
  return { correct, n: N, low: w.low, high: w.high };
}

const SPECIALIZED_REAL: RealModelRecord = {
  model: 'distilbert-sst2', revision: null, sha256: 'a'.repeat(64), dtype: 'fp32', executionProvider: 'webgpu', answer: 'logits',
  promptVersion: null, taskSet: { id: 'sentiment-en', version: 1, language: 'en' },
  tokens: { inputMedian: 18, inputTotal: 760, outputMedian: 0, outputTotal: 0 },
  accuracy: accuracyOf(36), parseFailures: 0, agreement: { measured: true, agree: 20, n: 20 }, sessionMedianMs: 9.5,
};
const GENERAL_REAL: RealModelRecord = {
  model: 'qwen2.5-0.5b-instruct', revision: '0123456789abcdef0123456789abcdef01234567', sha256: 'b'.repeat(64), dtype: 'q4f16',
  executionProvider: 'webgpu', answer: 'generation', promptVersion: 'sentiment-zs-1', taskSet: { id: 'sentiment-en', version: 1, language: 'en' },
  tokens: { inputMedian: 62, inputTotal: 2520, outputMedian: 2, outputTotal: 86 },
  accuracy: accuracyOf(31), parseFailures: 2, agreement: { measured: true, agree: 19, n: 20 }, sessionMedianMs: 140,
};

function realWorkload(role: 'general' | 'specialized', config: RealModelConfig, real: RealModelRecord, samplesMs: number[]): Workload {
  const cost = realModelCost(config, real.tokens);
  return {
    id: realWorkloadId(role, real.model, real.executionProvider), kind: 'real-model', role, config,
    flops: cost.flops, ...(cost.flopsUnknown ? { flopsUnknown: cost.flopsUnknown } : {}), bytes: cost.bytes,
    timing: wallTiming(samplesMs),
    ...(role === 'general' ? { tokensPerSecond: { prefill: 900, decode: 45 } } : {}),
    real,
  };
}

/** The synthetic replicas' configs (src/engine/models/config.ts spelling) at the real models' shapes and median token counts. */
const REPLICA_SPECIALIZED = {
  model: 'distilbert-sst2', family: 'encoder', layers: 6, hidden: 768, heads: 12, kvHeads: 12, headDim: 64, ffn: 3072, vocab: 30522,
  maxPositions: 512, dtype: 'f32', normEps: 1e-12, norm: 'layernorm', activation: 'gelu', positions: 'learned', labels: 2,
  preClassifier: 'relu', seed: 1, inputTokens: 18,
};
const REPLICA_GENERAL = {
  model: 'qwen2.5-0.5b-instruct', family: 'decoder', layers: 24, hidden: 896, heads: 14, kvHeads: 2, headDim: 64, ffn: 4864, vocab: 151936,
  maxPositions: 32768, dtype: 'f16', normEps: 1e-6, norm: 'rmsnorm', activation: 'swiglu', positions: 'rope', ropeTheta: 1_000_000,
  tiedEmbeddings: true, qkvBias: true, seed: 1, promptTokens: 62, outputTokens: 2,
};

function replicaTiming(medianMs: number): Workload['timing'] {
  return { source: 'gpu-timestamp', warmup: 3, samplesMs: [medianMs * 0.95, medianMs, medianMs * 1.05], medianMs, p10Ms: medianMs * 0.95, p90Ms: medianMs * 1.05, cv: 0.04, batch: 1, dropped: 0 };
}

/** The four workloads of the sample: the two real models on WebGPU, then their synthetic replicas. */
export function sampleRealWorkloads(): Workload[] {
  return [
    realWorkload('specialized', DISTILBERT, SPECIALIZED_REAL, [11, 12, 12.5, 13, 12.2, 11.8]),
    realWorkload('general', QWEN, GENERAL_REAL, [170, 180, 185, 178, 190, 182]),
    { id: 'specialized:distilbert-sst2', kind: 'model', role: 'specialized', config: REPLICA_SPECIALIZED, flops: 2_000_000_000, bytes: 270_000_000,
      timing: replicaTiming(8), tokensPerSecond: { prefill: 2250, decode: null } },
    { id: 'general:qwen2.5-0.5b-instruct', kind: 'model', role: 'general', config: REPLICA_GENERAL, flops: 60_000_000_000, bytes: 1_000_000_000,
      timing: replicaTiming(120), tokensPerSecond: { prefill: 700, decode: 40 } },
  ];
}

/**
 * A valid real-models result document (see the module comment). Overrides replace top-level
 * fields; the energy section is recomputed from the workloads unless `energy` is overridden.
 */
export function sampleRealResult(overrides: Partial<ResultDocument> = {}): ResultDocument {
  return sampleResult({ workloads: sampleRealWorkloads(), ...overrides });
}
