/**
 * Pipeline compilation, timed apart from the first query. Which pipelines a model needs is only
 * known by building its graph, and building it on the real device would compile them
 * synchronously (and let the driver hand the same pipelines back later from its own cache). So
 * the graph is built once on a stand-in device that allocates nothing and compiles nothing; the
 * pipeline cache records what the builders asked for; those pipelines are then created on the
 * real device with createComputePipelineAsync, all at once, and timed; the real runner is built
 * on that cache and finds every pipeline ready.
 */
import { PipelineCache, type PipelineRequest } from '../engine/dispatch.ts';
import type { ModelWorkloadSpec } from '../engine/models/config.ts';
import { createModelRunner, type ModelRunnerOptions } from '../engine/models/model-runner.ts';
import { DEFAULT_TUNING, type KernelTuning } from '../shared/tuning.ts';

/**
 * A GPUDevice look-alike for the graph builders: limits and features of the real device, buffers
 * whose mapped range is plain memory, and inert objects for everything else (bind groups,
 * pipelines, encoders, the queue). Nothing it returns can run on a GPU.
 */
export function standInDevice(real: GPUDevice): GPUDevice {
  const inert = (): unknown =>
    new Proxy(() => undefined, {
      // Not a thenable, so an awaited inert value does not hang.
      get: (_t, prop) => (prop === 'then' ? undefined : inert()),
      apply: () => inert(),
    });
  const buffer = (d: GPUBufferDescriptor): unknown => ({
    label: d.label ?? '',
    size: d.size,
    usage: d.usage,
    mapState: 'unmapped',
    getMappedRange: (_offset?: number, size?: number) => new ArrayBuffer(size ?? d.size),
    unmap: () => undefined,
    destroy: () => undefined,
  });
  const overrides: Record<string | symbol, unknown> = {
    limits: real.limits,
    features: real.features,
    lost: new Promise<never>(() => undefined),
    createBuffer: buffer,
    pushErrorScope: () => undefined,
    popErrorScope: () => Promise.resolve(null),
  };
  return new Proxy({} as GPUDevice, { get: (_t, prop) => (prop in overrides ? overrides[prop] : inert()) });
}

/**
 * The distinct pipelines a model's runner creates (weight synthesis and the query graph) under
 * `tuning`, which picks some kernels (e.g. the GEMV reduction): the runner must be built with the same.
 */
export async function modelPipelines(real: GPUDevice, spec: ModelWorkloadSpec, opts: Omit<ModelRunnerOptions, 'pipelineCache'> = {}, tuning: KernelTuning = DEFAULT_TUNING): Promise<PipelineRequest[]> {
  const device = standInDevice(real);
  const cache = new PipelineCache(device);
  cache.tuning = tuning;
  const runner = await createModelRunner(device, spec, { ...opts, pipelineCache: cache });
  runner.destroy();
  return cache.requests();
}

export interface CompiledModel {
  /** The cache holding the model's pipelines, ready for createModelRunner. */
  cache: PipelineCache;
  pipelines: number;
  /** Wall clock of creating them all with createComputePipelineAsync (in parallel). */
  compileMs: number;
}

/**
 * Discover and compile a model's pipelines on `device`. Each shader gets a comment naming this
 * compilation, so pipelines another row of the benchmark already created are compiled again
 * rather than returned from the driver's cache.
 */
export async function compileModelPipelines(device: GPUDevice, spec: ModelWorkloadSpec, opts: Omit<ModelRunnerOptions, 'pipelineCache'> = {}, tuning: KernelTuning = DEFAULT_TUNING): Promise<CompiledModel> {
  const requests = await modelPipelines(device, spec, opts, tuning);
  const cache = new PipelineCache(device);
  cache.tuning = tuning;
  const compileMs = await cache.precompile(requests, `bench compile ${spec.model.name} ${Date.now()}`);
  return { cache, pipelines: requests.length, compileMs };
}
