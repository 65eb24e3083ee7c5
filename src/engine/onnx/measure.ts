/**
 * Measures a user-supplied ONNX model with onnxruntime-web (the `#/model` view): WebGPU
 * execution provider, or WASM as the CPU reference, timed like our own workloads (warm-up
 * excluded, raw samples kept, stats from stats.ts) and recorded as a schema-v1 `Workload`.
 * Runs inside the lab worker (no DOM). See docs/ARCHITECTURE.md for where this sits.
 *
 * Timing is wall clock per `session.run` (ort exposes no GPU timestamps), from feeding the inputs to
 * the outputs being back in JS memory: what an application calling the model would wait for.
 * FLOPs are counted from the graph (flops.ts); when they cannot be, the workload's `flops` is
 * null, `flopsUnknown` says which operators prevented the count, and the timing carries the flag
 * `flops-unknown`. Bytes: weights (initializers and Constant nodes) read once per run + inputs +
 * outputs, a lower bound of traffic.
 */
import type * as Ort from 'onnxruntime-web';
import { OnnxLoadError, OnnxRunError, resolveInputShapes, workloadId, type OnnxMeasureOptions, type OnnxProgress } from '../../shared/onnx.ts';
import type { TimingRecord, Workload } from '../../shared/result.ts';
import { RunCancelledError, WebGpuUnavailableError } from '../errors.ts';
import { cleanDeltas, summarize, timingRecord } from '../stats.ts';
import { countFlops, type FlopCount } from './flops.ts';
import { createSession, loadOrt, ortMessage } from './ort.ts';
import { ELEM, elemBytes, loadModel, type ParsedModel } from './parse.ts';
import { prod } from './shape-ops.ts';
import { inputRole, synthInput } from './synth.ts';

export interface OnnxRunControl {
  readonly cancelled: boolean;
  readonly hidden?: boolean;
}

/** Strings in a workload's config are at most 200 characters (result schema). */
const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

/** Why the FLOPs are unknown, in the words the workload document keeps. */
export function flopsUnknownReason(count: FlopCount): string {
  return clip(`Not counted: the graph holds products whose shapes or cost could not be inferred (${count.unresolved.join(', ') || 'unknown'}).`);
}

/**
 * The timing record of wall-clock samples, the way the engine's own timings are assembled:
 * invalid samples dropped, at least two kept, flags for what a reader must know.
 */
export function wallClockTiming(raw: readonly number[], warmup: number, extraFlags: readonly string[]): TimingRecord {
  const { kept, dropped } = cleanDeltas(raw);
  if (kept.length < 2) throw new OnnxRunError(`Only ${kept.length} of ${raw.length} timing samples were valid: no measurement.`);
  return timingRecord(kept, { source: 'wall-clock', warmup, batch: 1, dropped, wallMedianMs: summarize(kept).median, flags: extraFlags });
}

interface Timed {
  timing: TimingRecord;
  outputBytes: number;
  outputShapes: Record<string, number[]>;
}

async function timeSession(
  session: Ort.InferenceSession,
  feeds: Record<string, Ort.Tensor>,
  model: ParsedModel,
  opts: OnnxMeasureOptions,
  flopsKnown: boolean,
  onProgress: (p: OnnxProgress) => void,
  control: OnnxRunControl | undefined,
): Promise<Timed> {
  const checkCancelled = () => {
    if (control?.cancelled) throw new RunCancelledError();
  };
  let outputBytes = 0;
  const outputShapes: Record<string, number[]> = {};
  const runOnce = async (): Promise<number> => {
    const t0 = performance.now();
    let out: Ort.InferenceSession.OnnxValueMapType;
    try {
      out = await session.run(feeds);
    } catch (e) {
      throw new OnnxRunError(`onnxruntime-web (${opts.ep}) failed to run the model: ${ortMessage(e)}`);
    }
    const ms = performance.now() - t0;
    outputBytes = 0;
    for (const [name, v] of Object.entries(out)) {
      outputShapes[name] = [...v.dims];
      outputBytes += prod(v.dims) * (ELEM[model.outputs.find((o) => o.name === name)?.elemType ?? 1]?.bytes ?? 4);
      v.dispose();
    }
    return ms;
  };
  for (let i = 0; i < opts.warmup; i++) {
    checkCancelled();
    onProgress({ phase: 'warmup', sample: i + 1, samples: opts.warmup });
    await runOnce();
  }
  const raw: number[] = [];
  // A hidden tab is throttled (the lab worker's RunControl tracks visibility): flag, not hide it.
  let hiddenSeen = false;
  for (let s = 0; s < opts.samples; s++) {
    checkCancelled();
    hiddenSeen ||= Boolean(control?.hidden);
    const ms = await runOnce();
    hiddenSeen ||= Boolean(control?.hidden);
    raw.push(ms);
    onProgress({ phase: 'measure', sample: s + 1, samples: opts.samples, ms });
  }
  const extra = [...(flopsKnown ? [] : ['flops-unknown']), ...(hiddenSeen ? ['tab-hidden'] : [])];
  return { timing: wallClockTiming(raw, opts.warmup, extra), outputBytes, outputShapes };
}

export async function measureOnnx(
  bytes: Uint8Array,
  opts: OnnxMeasureOptions,
  onProgress: (p: OnnxProgress) => void,
  control?: OnnxRunControl,
): Promise<Workload> {
  if (!Number.isInteger(opts.samples) || opts.samples < 2) throw new RangeError(`samples must be a whole number ≥ 2 (got ${opts.samples}).`);
  if (!Number.isInteger(opts.warmup) || opts.warmup < 0) throw new RangeError(`warmup must be a whole number ≥ 0 (got ${opts.warmup}).`);
  onProgress({ phase: 'load' });
  const model = loadModel(bytes);
  if (model.externalData) {
    throw new OnnxLoadError('This model keeps its weights in separate files (ONNX external data, used above 2 GB): load a single-file model.');
  }
  const shapes = resolveInputShapes(model.inputs, opts.inputShapes);
  const count = countFlops(model, shapes);

  if (opts.ep === 'webgpu' && !(globalThis.navigator as Navigator | undefined)?.gpu) {
    throw new WebGpuUnavailableError('no-navigator-gpu', 'WebGPU is not available here: choose the WASM (CPU) execution provider.');
  }
  const ort = await loadOrt();
  if (control?.cancelled) throw new RunCancelledError();
  let session: Ort.InferenceSession;
  try {
    // ort copies the bytes into its WASM heap; the page keeps its own copy for the next run.
    session = await createSession(ort, bytes, opts.ep);
  } catch (e) {
    throw new OnnxLoadError(`onnxruntime-web (${opts.ep} execution provider) could not load the model: ${ortMessage(e)}`);
  }
  try {
    const seed = opts.seed ?? 1;
    const feeds: Record<string, Ort.Tensor> = {};
    model.inputs.forEach((inp, i) => {
      feeds[inp.name] = synthInput(ort, model, inp, shapes[inp.name]!, seed + i);
    });
    const { timing, outputBytes, outputShapes } = await timeSession(session, feeds, model, opts, count.complete, onProgress, control);
    const median = timing.medianMs;
    const inputBytes = model.inputs.reduce((s, inp) => s + prod(shapes[inp.name]!) * elemBytes(inp.elemType), 0);
    const bytesMoved = Math.round(model.initializerBytes + inputBytes + outputBytes);
    const name = model.graphName || opts.name || 'model';
    const dims = (d: readonly (number | string | null)[] | null | undefined) => (d ? `[${d.map((x) => x ?? '?').join(',')}]` : '[?]');
    return {
      id: workloadId(name),
      kind: 'model',
      // The result schema takes only scalars and short arrays of scalars (≤ 64 items, strings
      // ≤ 200 chars) in `config`: inputs and outputs are one readable string each.
      config: {
        source: 'onnx',
        graph: clip(model.graphName) || null,
        file: opts.name ? clip(opts.name) : null,
        producer: clip(model.producer) || null,
        irVersion: model.irVersion,
        opset: model.opset,
        ep: opts.ep,
        // WASM threads: the CPU EP's, and those of any op the WebGPU EP leaves on the CPU.
        threads: ort.env.wasm.numThreads ?? null,
        crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
        inputs: model.inputs.slice(0, 64).map((inp) => clip(`${inp.name}: ${inp.type}${dims(shapes[inp.name])} ${inputRole(inp.name, inp.elemType)}`)),
        outputs: model.outputs.slice(0, 64).map((o) => clip(`${o.name}: ${o.type}${dims(outputShapes[o.name] ?? o.dims)}`)),
        nodes: model.nodes,
        ops: Object.entries(model.ops)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 64)
          .map(([op, n]) => clip(`${op}×${n}`)),
        weightBytes: model.initializerBytes,
        seed,
        flopsCounted: count.complete,
        flopsProducts: count.counted,
        flopsUnresolved: count.unresolved.slice(0, 64).map(clip),
        ...(count.inferenceFailures.length ? { shapeInferenceFailures: count.inferenceFailures.map(clip) } : {}),
        flopsBasis: '2 × multiply-adds of MatMul, Gemm, Conv and ConvTranspose, shapes inferred from the graph',
        bytesBasis: 'weights read once + inputs + outputs (lower bound)',
        timedSpan: 'session.run: feeds in, outputs back in JS memory',
      },
      ...(count.complete ? { flops: count.flops } : { flops: null, flopsUnknown: flopsUnknownReason(count) }),
      bytes: bytesMoved,
      timing,
      gflops: count.complete && count.flops > 0 ? count.flops / (median * 1e6) : null,
      gbps: bytesMoved / (median * 1e6),
    };
  } finally {
    // The measurement is complete; a session that fails to release leaks only worker memory.
    await session.release().catch((e: unknown) => console.warn('onnxruntime-web: session.release failed', e));
  }
}
