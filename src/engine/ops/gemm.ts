/**
 * Tiled matrix product C = A·B (+bias) (ReLU): prefill and encoder projections, and the
 * micro-benchmark that measures the device's matmul ceiling. Optional RMSNorm or SwiGLU
 * prologue on A (prologue.ts) and bias/activation/residual epilogue on C.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import gemmCode from '../../../kernels/gemm/gemm.wgsl?raw';
import { gemmMeta, gemmUsesVec4 } from '../../../kernels/gemm/gemm.meta.ts';
import { bindGroup, dummyBuffer, packWords, segmentWords, uniformBuffer, type BufferRef, type OpResources, type OutputSegment } from './common.ts';
import {
  checkResidualNorm, prologueBytes, prologueCode, prologueEps, prologueFlops, prologueOperand, residualNormBytes, type ProductPrologue, type ResidualNorm,
} from './prologue.ts';
import { ELEMENTWISE_FLOPS } from '../models/flops.ts';
import { checkPrecision, weightBytesPerElement, type ProductPrecision, type WeightStorage } from './weight-storage.ts';
import { tileProductSource } from './product.ts';

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
  /** Fuse GELU (erf form, the encoder's FFN) into the epilogue; exclusive with `relu`. */
  gelu?: boolean;
  /** Where C's columns go (default: one [m, n] row-major block at element 0); see OutputSegment. */
  segments?: readonly OutputSegment[];
  /** C = act(A·B + bias) + residual: a [m, n] residual added in the epilogue (must not alias C). */
  residual?: BufferRef;
  /** A read through RMSNorm (x·inv_rms·gamma), SwiGLU (silu(A)·up) or LayerNorm as tiles are staged; see prologue.ts. */
  prologue?: ProductPrologue;
  /** The residual added is LayerNorm(residual) of its row (a post-LN block); needs `residual`. */
  residualNorm?: ResidualNorm;
  /** Whether the FLOPs include the prologue's (default true; false when another product books the same normalization). */
  countPrologue?: boolean;
  /** Storage of B (the weights); A and C are f32 activations. */
  weights?: WeightStorage;
  /**
   * The tiles' multiplies (default f32): 'f16' stages A and B as f16 and sums each 4-term block in
   * f16 into f32 accumulators (needs f16 `weights` and a `shader-f16` device); prologue and epilogue stay f32.
   */
  precision?: ProductPrecision;
  label?: string;
  /** Where created uniform buffers are pushed so their owner can destroy them. */
  resources?: OpResources;
  phase?: string;
}

/**
 * FLOPs of the fused epilogue, by the convention of models/flops.ts: the bias add m·n, GELU 8 per
 * element, the residual add 1 per element (the same counts the separate kernels declared: fusing
 * removes a dispatch, not work). The ReLU is not counted by that convention.
 * Bytes, by contrast, drop: a fused GELU or residual reads the residual once (4·m·n, above) but
 * the projection's output is no longer written, read back and rewritten by a second kernel.
 * Split-K's reduce pass counts the same.
 */
export function gemmEpilogueFlops(args: GemmArgs): number {
  const mn = args.m * args.n;
  return (args.bias ? mn : 0) + (args.gelu ? ELEMENTWISE_FLOPS.gelu * mn : 0) + (args.residual ? ELEMENTWISE_FLOPS.residual * mn : 0);
}

/** The prologue's FLOPs over the [m, k] input, unless another product books them. */
export const gemmPrologueFlops = (args: GemmArgs): number => (args.countPrologue === false ? 0 : prologueFlops(args.prologue, args.m, args.k));

/** Bytes the epilogue reads beside the product's own: bias [n], residual [m, n], the residual norm's gamma and beta [2, n]. */
export function gemmEpilogueBytes(args: GemmArgs): number {
  return (args.bias ? 4 * args.n : 0) + (args.residual ? 4 * args.m * args.n : 0) + residualNormBytes(args.residualNorm, args.n);
}

/** The two epsilon words that end the dims uniform of gemm and split-K: the prologue's, the residual norm's. */
export const gemmEpsWords = (args: GemmArgs): { f: number }[] => [{ f: prologueEps(args.prologue) }, { f: args.residualNorm?.eps ?? 0 }];

/**
 * What gemm and split-K both derive from the arguments: the checked output segments and their
 * uniform words, the vec4 choice, and the epilogue's overrides.
 */
export function gemmLayout(label: string, args: GemmArgs): { words: number[]; vec4: boolean; epilogue: Record<string, number> } {
  const segments = args.segments ?? [{ cols: args.n, offset: 0 }];
  if (args.residual && segments.length > 1) throw new RangeError(`${label}: a residual needs a single output segment`);
  if (args.relu && args.gelu) throw new RangeError(`${label}: one activation at most`);
  checkResidualNorm(label, args.residual, args.residualNorm);
  const words = segmentWords(label, args.n, segments);
  // The vec4 store needs every segment's rows to start on a vec4.
  const vec4 = gemmUsesVec4(args) && segments.every((sg) => sg.cols % 4 === 0 && sg.offset % 4 === 0);
  const epilogue = { HAS_BIAS: args.bias ? 1 : 0, ACTIVATION: args.relu ? 1 : args.gelu ? 3 : 0, HAS_RESIDUAL: args.residual ? 1 : 0, RESIDUAL_NORM: args.residualNorm ? 1 : 0 };
  return { words, vec4, epilogue };
}

/** C[m,n] = act(A[m,k]·B[k,n] + bias) + residual; vec4 path when k and n are multiples of 4. */
export function createGemm(device: GPUDevice, cache: PipelineCache, args: GemmArgs): Dispatch {
  const shape = { m: args.m, n: args.n, k: args.k };
  const label = args.label ?? 'Gemm';
  checkPrecision(device, label, args.precision);
  const { words, vec4, epilogue } = gemmLayout(label, args);
  const constants = { ...epilogue, PROLOGUE: prologueCode(args.prologue) };
  const pipeline = cache.get('gemm', tileProductSource(gemmCode, args.weights, args.precision), constants, vec4 ? 'main_vec4' : 'main_scalar');
  const dimWords = [args.m, args.n, args.k, ...words].map((u) => ({ u }));
  const dims = uniformBuffer(device, `${label}.dims`, packWords([...dimWords, ...gemmEpsWords(args)]), args.resources);
  const entries: [number, BufferRef][] = [
    [0, dims],
    [1, args.a],
    [2, args.b],
    [3, args.c],
    [4, args.bias ?? dummyBuffer(device)],
    [5, args.residual ?? dummyBuffer(device)],
    [6, prologueOperand(args.prologue) ?? dummyBuffer(device)],
    [7, args.residualNorm?.gammaBeta ?? dummyBuffer(device)],
  ];
  return {
    kernel: 'gemm',
    pipeline,
    bindGroups: [bindGroup(device, pipeline, `${label}.bindGroup`, entries)],
    workgroups: gemmMeta.workgroups(shape),
    flops: gemmMeta.flops(shape) + gemmEpilogueFlops(args) + gemmPrologueFlops(args),
    bytes: gemmMeta.bytes(shape) - (4 - weightBytesPerElement(args.weights)) * args.k * args.n + gemmEpilogueBytes(args) + prologueBytes(args.prologue, args.m, args.k),
    ...(args.phase !== undefined ? { phase: args.phase } : {}),
  };
}
