/**
 * `npm run bench`: in one run on one device, the device's ceilings (FMA peak, copy bandwidth,
 * dispatch and submit overhead), GEMM and GEMV vs onnxruntime-web, whole models vs
 * onnxruntime-web on the same graph, decode vs the bandwidth roofline, and the ratios that sum
 * them up (report.ts). The same kernels and engine as the app; see feeding.ts for fairness.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { acquireDevice } from '../engine/device.ts';
import { PipelineCache } from '../engine/dispatch.ts';
import type { ModelWorkloadSpec } from '../engine/models/config.ts';
import { resolveSuite } from '../engine/models/presets.ts';
import { configureOrt } from '../engine/onnx/ort.ts';
import { GpuTimer } from '../engine/timing.ts';
import { MIN_BATCH_MS } from '../shared/batch-targets.ts';
import { isPresetName, type PresetName } from '../shared/presets.ts';
import { microSpecs } from '../lab/plan.ts';
import { measureCeilings } from './ceilings.ts';
import { FEEDING_METHOD } from './feeding.ts';
import { gemmRow, gemvRow, type KernelBenchContext } from './kernels.ts';
import { gemvReductionRows } from './gemv-reduction.ts';
import { decodeRow, modelRow } from './models.ts';
import { skinnyShapes, splitKRows } from './splitk.ts';
import { BENCH_VERSION, computeRatios, formatTuning, type BenchReport, type BenchRow } from './report.ts';
import { benchTuning } from './tuning.ts';

type Gemm = [m: number, k: number, n: number];
type Gemv = [k: number, n: number];

/** Square GEMMs by preset; `ci` stays tiny for the software adapter. */
const SQUARES: Readonly<Record<PresetName, number[]>> = { ci: [128], quick: [256, 512], custom: [256, 512], paper: [256, 512, 1024, 2048] };

/** The matrix shapes a preset's models actually run: FFN up-projections at prefill and at decode, and the LM head. */
export function transformerShapes(workloads: readonly ModelWorkloadSpec[]): { gemm: Gemm[]; gemv: Gemv[] } {
  const gemm: Gemm[] = [];
  const gemv: Gemv[] = [];
  for (const w of workloads) {
    const { hidden, ffn, vocab } = w.model;
    switch (w.family) {
      case 'encoder':
        gemm.push([w.inputTokens, hidden, ffn]);
        break;
      case 'decoder':
        gemm.push([w.promptTokens, hidden, ffn]);
        gemv.push([hidden, ffn], [hidden, vocab]);
        break;
    }
  }
  const uniq = <T extends number[]>(xs: T[]) => [...new Map(xs.map((x) => [x.join('x'), x])).values()];
  return { gemm: uniq(gemm), gemv: uniq(gemv) };
}

export async function runBench(presetArg: string, log: (s: string) => void): Promise<BenchReport> {
  const preset: PresetName = isPresetName(presetArg) ? presetArg : 'ci';
  configureOrt(ort);
  const acquired = await acquireDevice({
    // (acquireDevice adds `subgroups` whenever the adapter has it, so the autotune can time the subgroup GEMV.)
    features: ['timestamp-query'],
    // The largest shapes need large bindings; raised only as far as the adapter allows.
    limits: { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 },
  });
  const { device } = acquired;
  const timer = new GpuTimer(device, acquired.lost);
  const cache = new PipelineCache(device);
  const light = preset === 'ci';
  const opts = { warmup: 1, samples: light ? 3 : 10, minBatchMs: MIN_BATCH_MS };
  const rows: BenchRow[] = [];
  const skipped: BenchReport['skipped'] = [];
  const maxBinding = device.limits.maxStorageBufferBindingSize;
  const fits = (bytes: number, what: string) => {
    if (bytes <= maxBinding) return true;
    skipped.push({ what, reason: `needs a ${bytes} B binding, the adapter allows ${maxBinding} B` });
    return false;
  };
  try {
    const ceilings = await measureCeilings(device, cache, timer, microSpecs(preset), opts);
    log(`ceilings: ${ceilings.peakGflops.toFixed(2)} GFLOP/s, ${ceilings.bandwidthGbps.toFixed(2)} GB/s, ` +
      `${(ceilings.dispatch.wallMsPerDispatch * 1000).toFixed(1)} µs per dispatch, ${(ceilings.dispatch.emptySubmitMs * 1000).toFixed(0)} µs per empty submit`);
    const ctx: KernelBenchContext = { device, cache, timer, ort, opts, runs: light ? 5 : 20, ceilings };
    const workloads = resolveSuite(preset, { limits: acquired.summary.limits }).workloads;
    const shapes = transformerShapes(workloads);
    // The app's autotune on the preset's shapes, reported with its trials.
    const tuning = await benchTuning(device, acquired.adapter.info, acquired.summary, timer, workloads, light ? 0 : 1500);
    for (const line of formatTuning(tuning)) log(line);
    for (const [m, k, n] of [...SQUARES[preset].map((s): Gemm => [s, s, s]), ...shapes.gemm]) {
      if (!fits(4 * Math.max(m * k, k * n, m * n), `gemm ${m}×${k}×${n}`)) continue;
      const row = await gemmRow(ctx, m, k, n);
      rows.push(row);
      log(`gemm ${m}×${k}×${n}: ${row.achieved.toFixed(2)} GFLOP/s, ours ${row.oursWallMs.toFixed(3)} ms vs ort ${row.ortWallMs?.toFixed(3) ?? row.ortError}`);
    }
    for (const [m, k, n] of skinnyShapes(workloads)) {
      if (!fits(4 * Math.max(m * k, k * n), `split-K ${m}×${k}×${n}`)) continue;
      try {
        const split = await splitKRows(ctx, m, k, n);
        rows.push(...split);
        log(`split-K ${m}×${k}×${n}: ${split.map((r) => `S=${r.splitK} ${r.oursKernelMs.toFixed(3)} ms`).join(', ')}`);
      } catch (e) {
        skipped.push({ what: `split-K ${m}×${k}×${n}`, reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
    }
    for (const [k, n] of light ? shapes.gemv.filter(([k, n]) => k * n <= 1 << 20) : shapes.gemv) {
      if (!fits(4 * k * n, `gemv 1×${k}×${n}`)) continue;
      const row = await gemvRow(ctx, k, n);
      rows.push(row);
      log(`gemv 1×${k}×${n}: ${row.achieved.toFixed(2)} GB/s, ours ${row.oursWallMs.toFixed(3)} ms vs ort ${row.ortWallMs?.toFixed(3) ?? row.ortError}`);
      const reductions = await gemvReductionRows(ctx, k, n);
      rows.push(...reductions.rows);
      skipped.push(...reductions.skipped);
      log(`gemv 1×${k}×${n} K reduction: ${reductions.rows.map((r) => `${r.reduction} ${r.achieved.toFixed(2)} GB/s`).join(', ')}`);
    }
    for (const w of workloads) {
      try {
        // The model rows run with the tuning chosen above, as the app's runs do.
        const row = await modelRow(ctx, w, tuning.tuning);
        rows.push(row);
        log(`model ${row.model} ${row.phase}: ${row.dispatches} dispatches, ours ${row.oursWallMs.toFixed(3)} ms vs ort ${row.ortWallMs?.toFixed(3) ?? row.ortError}`);
        const decode = await decodeRow(ctx, w, tuning.tuning);
        if (decode) {
          rows.push(decode);
          log(`decode ${decode.model}: ${decode.tokensPerSecond.toFixed(2)} tok/s, roofline ${decode.rooflineTokensPerSecond.toFixed(2)} tok/s`);
        }
      } catch (e) {
        skipped.push({ what: `model ${w.model.name}`, reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
    }
    const { vendor, architecture } = acquired.summary;
    return {
      benchVersion: BENCH_VERSION,
      preset,
      date: new Date().toISOString().slice(0, 10),
      adapter: { vendor, architecture },
      softwareAdapter: acquired.summary.isFallbackAdapter || /swiftshader/i.test(`${vendor} ${architecture}`),
      timing: timer.source,
      ceilings,
      rows,
      skipped,
      ratios: computeRatios(rows),
      tuning,
      method:
        'Ceilings, kernel GFLOP/s and GB/s and decode time from GPU timestamps (batches of ≥ 10 ms, median; wall clock when the adapter has no timestamps). ' +
        'Dispatch cost: a 16-byte copy replayed 2,000 times in one pass, empty-submit latency subtracted. ' +
        `${FEEDING_METHOD} Whole models: the ONNX oracle graph (same weights) in f32 on both engines, ours with the kernel tuning above; decoder rows time the prefill; ` +
        "each model's pipelines are created with createComputePipelineAsync (in parallel, shaders salted so nothing comes from a driver cache) and timed before the model is built, apart from its first query; " +
        'split-K rows time one skinny product unsplit and split into 2, 4 and 8 slices of K (GPU timestamps, same batches), each output checked against the unsplit one first; ' +
        'decode is compared with the bandwidth roofline (copy bandwidth ÷ bytes its dispatches declare per token), not with onnxruntime-web, whose oracle graph has no KV cache.',
    };
  } finally {
    timer.destroy();
    acquired.release();
  }
}
