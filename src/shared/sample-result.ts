/**
 * A hand-built, valid schema-v1 result document as the `lab` CLI would produce on CI
 * (SwiftShader adapter, preset "ci"). Not product code: the tests and the server load benchmark
 * (scripts/bench-server.ts) build their documents from it, so it lives outside tests/.
 */
import type { ResultDocument, Workload } from './result.ts';

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

export function sampleResult(overrides: Partial<ResultDocument> = {}): ResultDocument {
  return {
    schemaVersion: 1,
    suite: { preset: 'ci', version: '1.0.0' },
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
      { id: 'fma-peak', kind: 'micro', config: { n: 4096, iterations: 128 }, flops: 1_000_000, bytes: 16_384,
        timing: timing(2.5, [2.4, 2.5, 2.6]), gflops: 0.4, gbps: null, verified: true, dtype: 'f32' },
      { id: 'copy', kind: 'micro', config: { n: 65536 }, flops: 0, bytes: 524_288,
        timing: timing(1, [0.9, 1, 1.1]), gflops: null, gbps: 0.524288, verified: true },
      { id: 'gemm', kind: 'micro', config: { m: 64, n: 64, k: 64, tile: [4, 4] }, flops: 524_288, bytes: 49_152,
        timing: timing(2, [1.9, 2, 2.2]), gflops: 0.262144, gbps: 0.024576, verified: true },
      { id: 'specialized-tiny', kind: 'model', role: 'specialized', config: { layers: 2, d: 128, tokens: 16 },
        flops: 10_000_000, bytes: 2_000_000, timing: timing(40, [38, 40, 43]),
        kernels: [{ name: 'gemm', medianMs: 30, flops: 9_000_000, bytes: 1_500_000, count: 12 }],
        tokensPerSecond: { prefill: 400, decode: null } },
      { id: 'general-tiny', kind: 'model', role: 'general', config: { layers: 2, d: 128, prefill: 28, decode: 4 },
        flops: 80_000_000, bytes: 9_000_000, timing: timing(300, [290, 300, 320]),
        tokensPerSecond: { prefill: 250, decode: 20 } },
    ],
    energy: {
      profile: { id: 'software-default', source: 'catalog', idleW: 5, deltaW: { low: 5, typ: 15, high: 35 } },
      grid: { country: 'FRA', gPerKWh: 56, year: 2024, source: 'Ember via @tgwf/co2' },
      perQuery: {
        general: { joules: { p5: 3, p50: 6, p95: 12 }, gCO2e: { p5: 0.00005, p50: 0.0001, p95: 0.0002 } },
        specialized: { joules: { p5: 0.4, p50: 0.8, p95: 1.6 }, gCO2e: { p5: 0.000006, p50: 0.000012, p95: 0.000025 } },
      },
      ratio: { p5: 6.5, p50: 7.5, p95: 8.5 },
    },
    ...overrides,
  };
}
