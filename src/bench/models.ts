/**
 * Whole models: ours vs onnxruntime-web on the same graph and weights (the ONNX oracle graph of
 * src/engine/onnx/models.ts, f32 on both sides), and our KV-cached decode against the bandwidth
 * roofline. The oracle decoder has no KV-cache inputs, so decode is not compared with
 * onnxruntime-web: its full re-run per token would flatter ours.
 */
import type * as Ort from 'onnxruntime-web/webgpu';
import { specWithDtype, type ModelWorkloadSpec } from '../engine/models/config.ts';
import { PipelineCache } from '../engine/dispatch.ts';
import { createModelRunner, type ModelRunner } from '../engine/models/model-runner.ts';
import { buildOnnxModel, ONNX_INPUT } from '../engine/onnx/models.ts';
import { summarize } from '../engine/stats.ts';
import { measure } from '../engine/timing.ts';
import { workloadInputIds } from '../engine/weights.ts';
import { DEFAULT_TUNING, type KernelTuning } from '../shared/tuning.ts';
import { WARMUP_CALLS, ortWallPerCall } from './feeding.ts';
import type { KernelBenchContext } from './kernels.ts';
import { compileModelPipelines, type CompiledModel } from './pipelines.ts';
import type { DecodeRow, ModelRow, PipelineCompile } from './report.ts';

type OrtModule = typeof Ort;

/** Ours per query: submit every dispatch, read the logits back (what a caller waits for). */
async function oursQuery(runner: ModelRunner, runs: number): Promise<{ firstMs: number; medianMs: number }> {
  const once = async () => {
    const t0 = performance.now();
    runner.submit();
    await runner.readOutputs();
    return performance.now() - t0;
  };
  const firstMs = await once();
  for (let i = 1; i < WARMUP_CALLS; i++) await once();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) t.push(await once());
  return { firstMs, medianMs: summarize(t).median };
}

async function ortQuery(ctx: KernelBenchContext, ort: OrtModule, spec: ModelWorkloadSpec, ids: Uint32Array) {
  const model = buildOnnxModel(spec.model, spec.seed, { maxSequence: ids.length });
  try {
    const data = BigInt64Array.from(ids, (v) => BigInt(v));
    const ms = await ortWallPerCall(ort, model.bytes, [{ name: ONNX_INPUT, dataType: 'int64', data, dims: [1, ids.length] }], ctx.runs);
    return { ms, error: null };
  } catch (e) {
    return { ms: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Encoder forward, or decoder prefill (first token), both engines in f32 on the same weights; ours
 * with `tuning` (the one the bench chose, as a run of the app would use it).
 */
export async function modelRow(ctx: KernelBenchContext, workload: ModelWorkloadSpec, tuning: KernelTuning = DEFAULT_TUNING): Promise<ModelRow> {
  const f32 = specWithDtype(workload, 'f32');
  const spec: ModelWorkloadSpec = f32.family === 'decoder' ? { ...f32, outputTokens: 1 } : f32;
  const ids = workloadInputIds(spec);
  // Pipelines first, timed on their own; the runner is then built on the compiled cache.
  let compiled: CompiledModel | null = null;
  let compileError = '';
  try {
    compiled = await compileModelPipelines(ctx.device, spec, { tokenIds: ids }, tuning);
  } catch (e) {
    compileError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  // Without a compiled cache the runner still gets the tuning (its pipelines then compile lazily).
  const runner = await createModelRunner(ctx.device, spec, { tokenIds: ids, pipelineCache: compiled ? compiled.cache : tunedCache(ctx.device, tuning) });
  const compile: PipelineCompile = compiled
    ? { ms: compiled.compileMs, pipelines: compiled.pipelines, late: compiled.cache.misses }
    : { ms: null, reason: `pipeline discovery or compilation failed: ${compileError}` };
  try {
    const ours = await oursQuery(runner, ctx.runs);
    const ort = await ortQuery(ctx, ctx.ort, spec, ids);
    const dispatches = runner.dispatches.length;
    return {
      kind: 'model',
      model: spec.model.name,
      phase: spec.family === 'encoder' ? 'encode' : 'prefill',
      tokens: ids.length,
      dispatches,
      oursWallMs: ours.medianMs,
      ortWallMs: ort.ms,
      ortError: ort.error,
      dispatchOverheadShare: Math.min(1, (dispatches * ctx.ceilings.dispatch.wallMsPerDispatch) / ours.medianMs),
      compile,
      firstQueryOverheadMs: Math.max(0, ours.firstMs - ours.medianMs),
    };
  } finally {
    runner.destroy();
  }
}

function tunedCache(device: GPUDevice, tuning: KernelTuning): PipelineCache {
  const cache = new PipelineCache(device);
  cache.tuning = tuning;
  return cache;
}

/** Decode steps of a decoder query replayed alone (the KV cache as the query left it), per token, with `tuning`. */
export async function decodeRow(ctx: KernelBenchContext, workload: ModelWorkloadSpec, tuning: KernelTuning = DEFAULT_TUNING): Promise<DecodeRow | null> {
  if (workload.family !== 'decoder' || workload.outputTokens < 2) return null;
  const spec = specWithDtype(workload, 'f32');
  const runner = await createModelRunner(ctx.device, spec, { pipelineCache: tunedCache(ctx.device, tuning) });
  try {
    runner.submit(); // the prefill fills the cache the decode steps read
    await runner.readOutputs();
    const steps = runner.steps.filter((s) => s.phase === 'decode');
    const dispatches = steps.flatMap((s) => s.dispatches);
    const r = await measure(ctx.timer, dispatches, ctx.opts);
    const msPerToken = r.medianMs / steps.length;
    const bytesPerToken = dispatches.reduce((s, d) => s + d.bytes, 0) / steps.length;
    return {
      kind: 'decode',
      model: spec.model.name,
      steps: steps.length,
      bytesPerToken,
      msPerToken,
      tokensPerSecond: 1000 / msPerToken,
      rooflineTokensPerSecond: (ctx.ceilings.bandwidthGbps * 1e9) / bytesPerToken,
      dispatchesPerToken: Math.round(dispatches.length / steps.length),
    };
  } finally {
    runner.destroy();
  }
}
