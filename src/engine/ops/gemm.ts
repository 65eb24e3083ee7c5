/**
 * Tiled matrix product C = A·B (+bias) (ReLU): prefill and encoder projections, and the
 * micro-benchmark that measures the device's matmul ceiling.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import gemmCode from '../../../kernels/gemm/gemm.wgsl?raw';
import { gemmMeta, gemmUsesVec4 } from '../../../kernels/gemm/gemm.meta.ts';
import { bindGroup, dummyBuffer, uniformBuffer, type BufferRef, type OpResources } from './common.ts';
import { weightBytesPerElement, withWeights, type WeightStorage } from './weight-storage.ts';

export interface GemmArgs {
  a: BufferRef;
  b: BufferRef;
  c: BufferRef;
  m: number;
  n: number;
  k: number;
  bias?: GPUBuffer;
  /** Fuse a ReLU into the epilogue (pre-classifier of DistilBERT). */
  relu?: boolean;
  /** Storage of B (the weights); A and C are f32 activations. */
  weights?: WeightStorage;
  label?: string;
  /** Where created uniform buffers are pushed so their owner can destroy them. */
  resources?: OpResources;
  phase?: string;
}

/** C[m,n] = A[m,k]·B[k,n] (+bias) (relu); vec4 path when k and n are multiples of 4. */
export function createGemm(device: GPUDevice, cache: PipelineCache, args: GemmArgs): Dispatch {
  const shape = { m: args.m, n: args.n, k: args.k };
  const label = args.label ?? 'Gemm';
  const vec4 = gemmUsesVec4(shape);
  const pipeline = cache.get('gemm', withWeights(gemmCode, args.weights), { HAS_BIAS: args.bias ? 1 : 0, ACTIVATION: args.relu ? 1 : 0 }, vec4 ? 'main_vec4' : 'main_scalar');
  const dims = uniformBuffer(device, `${label}.dims`, new Uint32Array([args.m, args.n, args.k, 0]), args.resources);
  const entries: [number, BufferRef][] = [
    [0, dims],
    [1, args.a],
    [2, args.b],
    [3, args.c],
    [4, args.bias ?? dummyBuffer(device)],
  ];
  return {
    kernel: 'gemm',
    pipeline,
    bindGroups: [bindGroup(device, pipeline, `${label}.bindGroup`, entries)],
    workgroups: gemmMeta.workgroups(shape),
    // The bias add counts m·n (models/flops.ts), the ReLU is not counted by that convention.
    flops: gemmMeta.flops(shape) + (args.bias ? args.m * args.n : 0),
    bytes: gemmMeta.bytes(shape) - (4 - weightBytesPerElement(args.weights)) * args.k * args.n + (args.bias ? 4 * args.n : 0),
    ...(args.phase !== undefined ? { phase: args.phase } : {}),
  };
}
