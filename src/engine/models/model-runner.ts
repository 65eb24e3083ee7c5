/**
 * The GPU model runner: allocate and synthesize a model's weights on the device,
 * and record one query as a flat list of dispatches grouped in steps (encode, or prefill then
 * decode 1..outputTokens−1). The timing harness replays `dispatches`; `readOutputs` reads the
 * logits and greedy tokens left by the last replay.
 */
import { PipelineCache, type Dispatch } from '../dispatch.ts';
import { submitDispatches } from '../ops/submit.ts';
import type { WeightStorage } from '../ops/weight-storage.ts';
import { modelTensors, workloadInputIds, type TensorSpec } from '../weights.ts';
import { validateWorkload, type ModelWorkloadSpec } from './config.ts';
import { ModelBuffers, type SplitAxis } from './buffers.ts';
import { KernelLimitError, ModelTooLargeError } from '../errors.ts';
import { buildEncoder } from './encoder.ts';
import { buildDecoder } from './decoder.ts';
import type { ModelGraph, ModelStep } from './graph.ts';
import { ATTENTION_MAX_HEAD_DIM } from '../../../kernels/attention/attention.meta.ts';


export interface ModelRunner {
  /** prefill/encode, then decode 1..outputTokens−1. */
  readonly steps: readonly ModelStep[];
  /** All steps concatenated = one query. */
  readonly dispatches: readonly Dispatch[];
  readonly dtype: 'f32' | 'f16';
  /** Bytes of GPU memory the model holds (weights, activations, KV cache). */
  readonly gpuBytes: number;
  /** Encode and submit one query (tests and one-off runs; the timer replays `dispatches` itself). */
  submit(): void;
  /**
   * Last logits (encoder: the labels; decoder: the last decode step's vocab) and greedy tokens
   * (encoder: the argmax label; decoder: every generated token), as left by the last query run.
   */
  readOutputs(): Promise<{ logits: Float32Array; tokens: number[] }>;
  destroy(): void;
}

export interface ModelRunnerOptions {
  /** Weight seed; defaults to spec.seed. */
  seed?: number;
  /**
   * Store weight matrices as f16 when the device has `shader-f16` (also when the config's dtype
   * is 'f16'); f32 otherwise (the path itself only needs core WGSL: halves packed in u32, unpacked to f32 for the arithmetic).
   * Activations, norms, biases, KV cache and accumulation stay f32. Recorded as `dtype`.
   */
  preferF16?: boolean;
  /** Tests only: use f16 weight storage even without `shader-f16` (SwiftShader lacks it). */
  forceF16Storage?: boolean;
  /** Input token ids (encoder input or decoder prompt); defaults to the seeded synthetic ids. */
  tokenIds?: Int32Array | Uint32Array;
  /** Tests only: treat the binding limit as this many bytes, to exercise split tensors. */
  bindingLimitBytes?: number;
  /**
   * The pipeline cache to build with (default: a new one). The benchmark passes one it has
   * precompiled, so pipeline creation is timed apart from the first query.
   */
  pipelineCache?: PipelineCache;
}

/**
 * Which tensors are stored as f16 when the runner runs in f16: the matrices (linear weights, the
 * token embedding, an untied LM head), which are nearly all of the bytes. Vectors (norm gains,
 * biases) and the learned position table (added in f32 by the gather) stay f32.
 */
export function storageFor(dtype: 'f32' | 'f16'): (spec: TensorSpec) => WeightStorage {
  return (spec) => (dtype === 'f16' && spec.shape.length === 2 && spec.name !== 'embed.positions' ? 'f16' : 'f32');
}

/** Which tensors may be split when larger than one binding (see buffers.ts). */
function splitAxis(spec: TensorSpec): SplitAxis {
  if (spec.name === 'embed.tokens') return 'rows';
  if (spec.name === 'lmHead.weight') return 'cols';
  return 'none';
}

export async function createModelRunner(device: GPUDevice, spec: ModelWorkloadSpec, opts: ModelRunnerOptions = {}): Promise<ModelRunner> {
  validateWorkload(spec);
  const seed = opts.seed ?? spec.seed;
  const name = spec.model.name;
  const inputLength = spec.family === 'encoder' ? spec.inputTokens : spec.promptTokens;
  const ids = opts.tokenIds ? Uint32Array.from(opts.tokenIds) : workloadInputIds(spec);
  if (ids.length !== inputLength) throw new RangeError(`${name}: ${ids.length} token ids given, the workload has ${inputLength}`);
  const bad = ids.findIndex((t) => t >= spec.model.vocab);
  if (bad >= 0) throw new RangeError(`${name}: token id ${ids[bad]} at ${bad} is outside the vocabulary (${spec.model.vocab})`);

  // f16 when asked for (the option, or the config's dtype as presets set it) and the device has
  // shader-f16; f32 otherwise. The choice is what `dtype` reports.
  const wantF16 = opts.preferF16 === true || spec.model.dtype === 'f16';
  const dtype: 'f32' | 'f16' = opts.forceF16Storage || (wantF16 && device.features.has('shader-f16')) ? 'f16' : 'f32';
  if (spec.model.headDim > ATTENTION_MAX_HEAD_DIM) {
    // Checked before any allocation (the attention builder would throw the same error later).
    throw new KernelLimitError(
      `${name}: headDim ${spec.model.headDim} exceeds the attention kernel's limit of ${ATTENTION_MAX_HEAD_DIM}. ` +
        'Choose a smaller preset (quick or ci) or a custom model with smaller heads.',
    );
  }
  const cache = opts.pipelineCache ?? new PipelineCache(device);
  const bufs = new ModelBuffers(device, name, opts.bindingLimitBytes);
  device.pushErrorScope('out-of-memory');
  let graph: ModelGraph;
  try {
    // Planning throws ModelTooLargeError before any allocation when a tensor cannot fit a binding.
    bufs.allocateWeights(modelTensors(spec.model), splitAxis, storageFor(dtype));
    bufs.synthesize(cache, seed);
    switch (spec.family) {
      case 'encoder':
        graph = buildEncoder(device, cache, bufs, spec, ids);
        break;
      case 'decoder':
        graph = buildDecoder(device, cache, bufs, spec, ids);
        break;
    }
  } catch (e) {
    await device.popErrorScope();
    bufs.destroy();
    throw e;
  }
  const oom = await device.popErrorScope();
  if (oom) {
    const bytes = bufs.bytes;
    bufs.destroy();
    throw new ModelTooLargeError(name, 'its weights, activations and KV cache', 'out-of-memory', null, bytes);
  }

  const steps = graph.steps;
  const dispatches = steps.flatMap((s) => s.dispatches);
  const { ids: idsBuffer, logits, logitsCount } = graph;
  let destroyed = false;

  return {
    steps,
    dispatches,
    dtype,
    gpuBytes: bufs.bytes,
    submit() {
      submitDispatches(device, dispatches, `Model(${name}).query`);
    },
    async readOutputs() {
      const idsCount = spec.family === 'decoder' ? spec.promptTokens + spec.outputTokens : 0;
      const logitsBytes = 4 * logitsCount;
      const staging = device.createBuffer({ label: `Model(${name}).readback`, size: logitsBytes + 4 * idsCount, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      try {
        const enc = device.createCommandEncoder({ label: `Model(${name}).readback.encoder` });
        enc.copyBufferToBuffer(logits, 0, staging, 0, logitsBytes);
        if (idsCount > 0) enc.copyBufferToBuffer(idsBuffer, 0, staging, logitsBytes, 4 * idsCount);
        device.queue.submit([enc.finish()]);
        await staging.mapAsync(GPUMapMode.READ);
        const mapped = staging.getMappedRange();
        const out = new Float32Array(mapped.slice(0, logitsBytes));
        let tokens: number[];
        switch (spec.family) {
          case 'encoder': {
            let best = 0;
            for (let i = 1; i < out.length; i++) if (out[i]! > out[best]!) best = i;
            tokens = [best];
            break;
          }
          case 'decoder':
            tokens = Array.from(new Uint32Array(mapped.slice(logitsBytes + 4 * spec.promptTokens, logitsBytes + 4 * idsCount)));
            break;
        }
        staging.unmap();
        return { logits: out, tokens };
      } finally {
        staging.destroy();
      }
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      bufs.destroy();
    },
  };
}
