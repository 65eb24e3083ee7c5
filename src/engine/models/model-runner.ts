/**
 * The GPU model runner: allocate and synthesize a model's weights on the device,
 * and record one query as a flat list of dispatches grouped in steps (encode, or prefill then
 * decode 1..outputTokens−1). The timing harness replays `dispatches`; `readOutputs` reads the
 * logits and greedy tokens left by the last replay.
 */
import { PipelineCache, type Dispatch } from '../dispatch.ts';
import { submitDispatches } from '../ops/submit.ts';
import type { ProductPrecision } from '../ops/weight-storage.ts';
import { modelTensors, workloadInputIds } from '../weights.ts';
import { validateWorkload, type ModelWorkloadSpec } from './config.ts';
import { ModelBuffers, runsF16, splitAxis, storageFor } from './buffers.ts';
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
  /** 'f16': f16 weight matrices and, on a `shader-f16` device, f16 products (see `precision`). */
  readonly dtype: 'f32' | 'f16';
  /** The matrix products' multiplies (accumulation is f32 either way): 'f16' with dtype 'f16', except under forceF16Storage. */
  readonly precision: ProductPrecision;
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
   * Run in f16 when the device has `shader-f16` (also when the config's dtype is 'f16'): weight
   * matrices stored as f16 and the matrix products multiplying in f16 (4-term blocks in the tiled
   * products, single products in the row products), accumulating in f32. Activations, norms,
   * attention, biases, KV cache, the products' prologues and epilogues stay f32. f32 otherwise.
   * Recorded as `dtype`.
   */
  preferF16?: boolean;
  /**
   * Tests only: f16 weight storage with f32 products, even without `shader-f16` (SwiftShader
   * lacks it): the halves are unpacked to f32 in core WGSL. Reported as dtype 'f16', precision 'f32'.
   */
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

/** What a runner runs in: f32, or f16 weights with f16 products, or (tests only) f16 weights with f32 products. */
type RunDtype = { dtype: 'f32'; precision: 'f32' } | { dtype: 'f16'; precision: ProductPrecision };

/**
 * f16 when asked for (the option, or the config's dtype as presets set it) and the device has
 * shader-f16: f16 storage and f16 products; f32 otherwise. forceF16Storage: f16 storage, f32
 * products, on any device. Decided once, here: the weights carry it to every product (buffers.ts).
 */
function chooseDtype(device: GPUDevice, spec: ModelWorkloadSpec, opts: ModelRunnerOptions): RunDtype {
  if (opts.forceF16Storage) return { dtype: 'f16', precision: 'f32' };
  return runsF16(device, spec, opts.preferF16) ? { dtype: 'f16', precision: 'f16' } : { dtype: 'f32', precision: 'f32' };
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

  const { dtype, precision } = chooseDtype(device, spec, opts);
  if (spec.model.headDim > ATTENTION_MAX_HEAD_DIM) {
    // Checked before any allocation (the attention builder would throw the same error later).
    throw new KernelLimitError(
      `${name}: headDim ${spec.model.headDim} exceeds the attention kernel's limit of ${ATTENTION_MAX_HEAD_DIM}. ` +
        'Choose a smaller preset (quick or ci) or a custom model with smaller heads.',
    );
  }
  const cache = opts.pipelineCache ?? new PipelineCache(device);
  const bufs = new ModelBuffers(device, name, opts.bindingLimitBytes, precision);
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
    precision,
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
