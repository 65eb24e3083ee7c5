/**
 * A hand-built, valid schema-v1 result document as the `lab` CLI would produce on CI
 * (SwiftShader adapter, preset "ci"). Not product code: the tests and the server load benchmark
 * (scripts/bench-server.ts) build their documents from it, so it lives outside tests/.
 */
import { averageIntensity } from '@tgwf/co2/data';
import constants from '../../data/constants.json';
import profilesJson from '../../data/power-profiles.json';
import embodiedJson from '../../data/embodied.json';
import { withRecomputedFigures } from './recompute.ts';
import { DEFAULT_DRAWS, DEFAULT_SEED, embodiedOfClasses } from './energy-draws.ts';
import type { EnergySection, ResultDocument, Workload } from './result.ts';

function timing(medianMs: number, samplesMs: number[]): Workload['timing'] {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    source: 'gpu-timestamp',
    warmup: 3,
    samplesMs,
    medianMs,
    p10Ms: sorted[0] ?? medianMs,
    p90Ms: sorted[sorted.length - 1] ?? medianMs,
    minMs: sorted[0] ?? medianMs,
    meanMs: medianMs,
    cv: 0.05,
    batch: 4,
    dropped: 0,
    wallMedianMs: medianMs * 1.2,
  };
}

/** The configs of the ci preset's models, as the engine records them (src/engine/models/config.ts). */
const BERT_TINY_CONFIG = {
  model: 'bert-tiny', family: 'encoder', layers: 2, hidden: 128, heads: 2, kvHeads: 2, headDim: 64, ffn: 512, vocab: 30522,
  maxPositions: 512, dtype: 'f32', normEps: 1e-12, norm: 'layernorm', activation: 'gelu', positions: 'learned', labels: 2,
  preClassifier: 'tanh', seed: 1, inputTokens: 16,
};
const TINY_DECODER_CONFIG = {
  model: 'tiny-decoder', family: 'decoder', layers: 2, hidden: 128, heads: 4, kvHeads: 2, headDim: 32, ffn: 384, vocab: 2048,
  maxPositions: 256, dtype: 'f32', normEps: 1e-6, norm: 'rmsnorm', activation: 'swiglu', positions: 'rope', ropeTheta: 10000,
  tiedEmbeddings: false, qkvBias: true, seed: 1, promptTokens: 24, outputTokens: 4,
};

/**
 * An energy section as the app computes it (software-adapter profile, France's grid, 5,000
 * draws), its figures filled in by the recomputation so that the server accepts it.
 */
function sampleEnergy(doc: ResultDocument, key: string): EnergySection {
  const a = constants.assumptions;
  const g = averageIntensity.data['FRA'] ?? 44.18;
  const section: EnergySection = {
    profile: {
      id: 'software-adapter', source: 'catalog', idleW: 15, deltaW: { low: 10, typ: 25, high: 65 }, idleRangeW: { low: 5, high: 60 },
      hostIncluded: false, confidence: 'low', basis: { kind: 'fallback', form: null }, flags: [], embodiedClasses: ['laptop'],
    },
    grid: { country: 'FRA', gPerKWh: g, year: 2024, range: { low: g * 0.9, high: g * 1.1 }, origin: 'dataset' },
    perQuery: { general: { joules: ZERO3, gCO2e: ZERO3 }, specialized: { joules: ZERO3, gCO2e: ZERO3 } },
    ratio: ZERO3,
    embodied: embodiedOfClasses(['laptop']),
    method: {
      formulasVersion: constants.version, draws: DEFAULT_DRAWS, seed: DEFAULT_SEED, prng: 'mulberry32', timing: 'bootstrap-median',
      percentiles: 'linear interpolation of order statistics (p5, p50, p95)',
      assumptions: { hostW: { low: a.hostW.low, typ: a.hostW.typ, high: a.hostW.high }, eta: { low: a.eta.low, high: a.eta.high }, boundSpread: a.boundSpread.value },
      medianInputs: { deltaW: 0, hostW: 0, eta: 0, gPerKWh: 0, idleW: null },
      idleDistributionW: { low: 5, typ: 15, high: 60 },
      dataYears: { grid: 2024, gridSpan: { ...constants.grid.dataYearsSpan }, profiles: profilesJson.version, embodied: embodiedJson.version },
    },
  };
  const cached = ENERGY_CACHE.get(key) ?? withRecomputedFigures({ ...doc, energy: section }).energy!;
  ENERGY_CACHE.set(key, cached);
  // Tests mutate what they get: each call gets its own copy.
  return structuredClone(cached);
}
/** The draws take a few milliseconds; property tests build thousands of sample documents. */
const ENERGY_CACHE = new Map<string, EnergySection>();
const ZERO3 = { p5: 0, p50: 0, p95: 0 };

export function sampleResult(overrides: Partial<ResultDocument> = {}): ResultDocument {
  const doc: ResultDocument = {
    schemaVersion: 1,
    suite: { preset: 'ci', version: 'ci-1' },
    app: { version: '0.1.0' },
    date: '2026-11-23',
    environment: {
      browser: { name: 'chrome', major: 140 },
      os: { family: 'linux' },
      adapter: {
        vendor: 'google',
        architecture: 'swiftshader',
        isFallbackAdapter: true,
        features: ['timestamp-query', 'subgroups'],
        limits: { maxBufferSize: 268435456, maxStorageBufferBindingSize: 134217728 },
        subgroupMinSize: 4,
        subgroupMaxSize: 4,
      },
      timing: 'gpu-timestamp',
      crossOriginIsolated: true,
    },
    workloads: [
      // fma-peak: 1 MFLOP in 2.5 ms → 0.4 GFLOP/s (SwiftShader-like).
      { id: 'fma-peak', kind: 'micro', config: { invocations: 4096, iterations: 128, workgroupSize: 256 }, flops: 1_000_000, bytes: 16_384,
        timing: timing(2.5, [2.4, 2.5, 2.6]), gflops: 0.4, gbps: null, verified: true, dtype: 'f32' },
      { id: 'copy', kind: 'micro', config: { bytes: 262_144, workgroupSize: 256 }, flops: 0, bytes: 524_288,
        timing: timing(1, [0.9, 1, 1.1]), gflops: null, gbps: 0.524288, verified: true },
      { id: 'gemm', kind: 'micro', config: { m: 64, n: 64, k: 64, dtype: 'f32' }, flops: 524_288, bytes: 49_152,
        timing: timing(2, [1.9, 2, 2.2]), gflops: 0.262144, gbps: 0.024576, verified: true },
      { id: 'specialized:bert-tiny', kind: 'model', role: 'specialized', config: BERT_TINY_CONFIG,
        flops: 10_000_000, bytes: 2_000_000, timing: timing(40, [38, 40, 43]),
        kernels: [{ name: 'gemm', medianMs: 30, flops: 9_000_000, bytes: 1_500_000, count: 12 }],
        tokensPerSecond: { prefill: 400, decode: null } },
      { id: 'general:tiny-decoder', kind: 'model', role: 'general', config: TINY_DECODER_CONFIG,
        flops: 80_000_000, bytes: 9_000_000, timing: timing(300, [290, 300, 320]),
        tokensPerSecond: { prefill: 250, decode: 20 } },
    ],
    ...overrides,
  };
  // An energy section given in the overrides (even undefined) wins over the computed one.
  return 'energy' in overrides ? doc : { ...doc, energy: sampleEnergy(doc, 'workloads' in overrides ? JSON.stringify(doc.workloads) : 'default') };
}
