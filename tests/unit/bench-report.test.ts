import { describe, expect, test } from 'vitest';
import { computeRatios, formatReport, geometricMean, medianCv, type BenchReport, type BenchRow, type KernelRow, type ModelRow } from '../../src/bench/report.ts';
import { transformerShapes } from '../../src/bench/bench.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';

const gemm = (oursWallMs: number, ortWallMs: number | null, fractionOfCeiling: number, ortError: string | null = null): KernelRow => ({
  kind: 'gemm', shape: { m: 64, k: 64, n: 64 }, flops: 2 * 64 ** 3, bytes: 3 * 4 * 64 ** 2, oursKernelMs: 1, oursTiming: 'gpu-timestamp',
  oursWallMs, ortWallMs, ortError, achieved: 1, fractionOfCeiling,
});
const model = (oursWallMs: number, ortWallMs: number | null, share: number): ModelRow => ({
  kind: 'model', model: 'bert-tiny', phase: 'encode', tokens: 16, dispatches: 40, oursWallMs, ortWallMs, ortError: null, dispatchOverheadShare: share, compile: { ms: 40, pipelines: 9, late: 0 }, firstQueryOverheadMs: 3,
});

describe('benchmark ratios', () => {
  test('geometric mean of ratios; nothing measurable is null', () => {
    expect(geometricMean([2, 8])).toBeCloseTo(4, 12);
    expect(geometricMean([0.5, 2])).toBeCloseTo(1, 12);
    expect(geometricMean([])).toBeNull();
    expect(geometricMean([Number.NaN])).toBeNull();
  });

  test('cross-engine ratio is ort ÷ ours, checked against its target', () => {
    const r = computeRatios([gemm(1, 2, 0.5), gemm(1, 0.5, 0.2)]);
    expect(r.gemmVsOrt).toEqual({ value: 1, n: 2, target: 1.5, met: false });
    expect(r.gemmVsFmaPeak.value).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(r.gemmVsFmaPeak.met).toBe(false);
    const fast = computeRatios([gemm(1, 3, 0.7)]);
    expect(fast.gemmVsOrt.value).toBeCloseTo(3, 12);
    expect(fast.gemmVsOrt).toMatchObject({ n: 1, target: 1.5, met: true });
    expect(fast.gemmVsFmaPeak.met).toBe(true);
  });

  test('an engine that failed gives null with its error, never 0', () => {
    const r = computeRatios([gemm(1, null, 0.5, 'MatMul: out of memory')]);
    expect(r.gemmVsOrt).toEqual({ value: null, reason: 'onnxruntime-web failed: MatMul: out of memory', target: 1.5, met: null });
    expect(r.gemvVsOrt).toMatchObject({ value: null, reason: 'no GEMV shape in this preset' });
    expect(r.decodeVsRoofline).toMatchObject({ value: null });
  });

  test('decode against the roofline and dispatch overhead share', () => {
    const rows: BenchRow[] = [
      model(10, 13, 0.25),
      { kind: 'decode', model: 'tiny', steps: 3, bytesPerToken: 1e6, msPerToken: 2, tokensPerSecond: 500, rooflineTokensPerSecond: 1000, dispatchesPerToken: 30 },
    ];
    const r = computeRatios(rows);
    expect(r.decodeVsRoofline).toEqual({ value: 0.5, n: 1, target: 0.7, met: false });
    expect(r.modelVsOrt.value).toBeCloseTo(1.3, 12);
    expect(r.modelVsOrt.met).toBe(true);
    expect(r.dispatchOverheadShare).toEqual({ value: 0.25, n: 1, target: null, met: null });
  });

  test('CV of the medians across repeated runs', () => {
    expect(medianCv([10])).toBeNull();
    expect(medianCv([10, 10, 10])).toBe(0);
    expect(medianCv([9, 11])).toBeCloseTo(Math.SQRT2 / 10, 12);
  });

  test('the printed table flags a software adapter and unmet targets', () => {
    const rows: BenchRow[] = [gemm(1, 2, 0.5)];
    const report: BenchReport = {
      benchVersion: 3, preset: 'ci', date: '2026-11-29', adapter: { vendor: 'google', architecture: 'swiftshader' }, softwareAdapter: true,
      timing: 'gpu-timestamp', ceilings: { peakGflops: 1, bandwidthGbps: 1, dispatch: { gpuMsPerDispatch: 0.001, wallMsPerDispatch: 0.002, emptySubmitMs: 0.1 } },
      rows, skipped: [{ what: 'gemv 1×896×151936', reason: 'too large' }], ratios: computeRatios(rows), method: 'test',
    };
    const text = formatReport(report);
    expect(text).toContain('SOFTWARE ADAPTER: not GPU performance');
    expect(text).toMatch(/gemmVsOrt\s+2\.00 \(n=1\) · target ≥ 1\.5 · met/);
    expect(text).toMatch(/gemmVsFmaPeak\s+0\.500 \(n=1\) · target ≥ 0\.6 · NOT met/);
    expect(text).toContain('skipped gemv 1×896×151936: too large');
  });

  test('pipeline compilation is printed apart from the first query, or why it was not timed', () => {
    const timed = model(10, 13, 0.25);
    const untimed: ModelRow = { ...timed, compile: { ms: null, reason: 'pipeline discovery or compilation failed: X' }, firstQueryOverheadMs: 250 };
    const late: ModelRow = { ...timed, compile: { ms: 12.5, pipelines: 7, late: 2 } };
    const rows: BenchRow[] = [timed, untimed, late];
    const report: BenchReport = {
      benchVersion: 3, preset: 'ci', date: '2026-11-29', adapter: { vendor: 'google', architecture: 'swiftshader' }, softwareAdapter: true,
      timing: 'gpu-timestamp', ceilings: { peakGflops: 1, bandwidthGbps: 1, dispatch: { gpuMsPerDispatch: 0.001, wallMsPerDispatch: 0.002, emptySubmitMs: 0.1 } },
      rows, skipped: [], ratios: computeRatios(rows), method: 'test',
    };
    const lines = formatReport(report).split('\n').filter((l) => l.startsWith('model'));
    expect(lines[0]).toContain('9 pipelines compiled in 40.00 ms, first query +3.00 ms');
    expect(lines[1]).toContain('pipelines not timed (pipeline discovery or compilation failed: X), first query +250 ms');
    expect(lines[2]).toContain('7 pipelines compiled in 12.50 ms (+2 late)');
  });
});

describe('transformer shapes of a preset', () => {
  test('paper: the FFN up-projections at prefill and decode, and the LM head GEMV', () => {
    const s = transformerShapes(resolveSuite('paper').workloads);
    expect(s.gemm).toContainEqual([64, 768, 3072]);
    expect(s.gemv).toContainEqual([896, 4864]);
    expect(s.gemv).toContainEqual([896, 151936]);
  });
});
