/**
 * Kernel builders: each turns buffers + a shape into a ready-to-replay `Dispatch` (pipeline from
 * the cache, sizes in a uniform buffer, constants as WGSL `override`s). Model runners compose
 * these; the timing harness replays the resulting lists.
 */

import type { KernelMeta } from '../../kernels/kernel.ts';
import type { Dispatch, PipelineCache } from './dispatch.ts';
import gemmCode from '../../kernels/gemm/gemm.wgsl?raw';
import { gemmMeta, gemmUsesVec4 } from '../../kernels/gemm/gemm.meta.ts';
import { bindGroup, dummyBuffer, packWords, uniformBuffer, type BufferRef, type OpResources } from './ops/common.ts';
import gemvCode from '../../kernels/gemv/gemv.wgsl?raw';
import layernormCode from '../../kernels/layernorm/layernorm.wgsl?raw';
import rmsnormCode from '../../kernels/rmsnorm/rmsnorm.wgsl?raw';
import softmaxCode from '../../kernels/softmax/softmax.wgsl?raw';
import attentionCode from '../../kernels/attention/attention.wgsl?raw';
import geluCode from '../../kernels/gelu/gelu.wgsl?raw';
import swigluCode from '../../kernels/swiglu/swiglu.wgsl?raw';
import residualCode from '../../kernels/residual/residual.wgsl?raw';
import ropeCode from '../../kernels/rope/rope.wgsl?raw';
import embeddingCode from '../../kernels/embedding/embedding.wgsl?raw';
import argmaxCode from '../../kernels/argmax/argmax.wgsl?raw';
import weightSynthCode from '../../kernels/weight-synth/weight-synth.wgsl?raw';
import weightsF32Code from '../../kernels/weights/weights-f32.wgsl?raw';
import weightsF16Code from '../../kernels/weights/weights-f16.wgsl?raw';
import { gemvMeta, gemvUsesVec4, type GemvShape } from '../../kernels/gemv/gemv.meta.ts';
import { layernormMeta } from '../../kernels/layernorm/layernorm.meta.ts';
import { rmsnormMeta } from '../../kernels/rmsnorm/rmsnorm.meta.ts';
import { softmaxMeta } from '../../kernels/softmax/softmax.meta.ts';
import { ATTENTION_MAX_HEAD_DIM, attentionMeta, type AttentionShape } from '../../kernels/attention/attention.meta.ts';
import { geluMeta } from '../../kernels/gelu/gelu.meta.ts';
import { swigluMeta } from '../../kernels/swiglu/swiglu.meta.ts';
import { residualMeta } from '../../kernels/residual/residual.meta.ts';
import { ropeMeta } from '../../kernels/rope/rope.meta.ts';
import { embeddingMeta } from '../../kernels/embedding/embedding.meta.ts';
import { argmaxMeta } from '../../kernels/argmax/argmax.meta.ts';
import { weightSynthMeta } from '../../kernels/weight-synth/weight-synth.meta.ts';

export type { BufferRef, OpResources } from './ops/common.ts';

/** How weight matrices are stored: f32, or f16 halves packed in u32 (compute stays f32). */
export type WeightStorage = 'f32' | 'f16';

/** Kernel source + the weight-access snippet of the storage type (binding 2). */
function withWeights(code: string, storage: WeightStorage | undefined): string {
  return `${code}\n${storage === 'f16' ? weightsF16Code : weightsF32Code}`;
}

const weightBytesPerElement = (storage: WeightStorage | undefined): number => (storage === 'f16' ? 2 : 4);

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

// ---------------------------------------------------------------------------------------------
// Transformer kernels. Every builder returns Dispatch(es) whose flops/bytes follow the kernel's
// meta (and so models/flops.ts); `label` names the GPU objects `Owner.purpose`.


/** What every builder takes besides its own buffers. */
export interface OpCommon {
  label?: string;
  resources?: OpResources;
  phase?: string;
}

function dispatch(
  kernel: string,
  pipeline: GPUComputePipeline,
  bindGroup_: GPUBindGroup,
  workgroups: readonly [number, number, number],
  flops: number,
  bytes: number,
  phase: string | undefined,
): Dispatch {
  return { kernel, pipeline, bindGroups: [bindGroup_], workgroups, flops, bytes, ...(phase !== undefined ? { phase } : {}) };
}

export type GemvActivation = 'none' | 'relu' | 'tanh';

export interface GemvArgs extends OpCommon {
  x: BufferRef;
  w: BufferRef;
  y: BufferRef;
  n: number;
  k: number;
  /** 'kn': W [k, n] (y = x·W); 'nk': W [n, k] (y = x·Wᵀ, tied LM head over embedding rows). */
  layout?: 'kn' | 'nk';
  bias?: GPUBuffer;
  activation?: GemvActivation;
  /** Element offset of x (which row of a [T, k] activation) and of y. */
  xOffset?: number;
  yOffset?: number;
  /** Reported kernel name (the classifier head runs on gemv but is reported as 'classifier'). */
  kernelName?: string;
  /** Storage of W; x and y are f32. */
  weights?: WeightStorage;
}

const ACTIVATION_CODE: Record<GemvActivation, number> = { none: 0, relu: 1, tanh: 2 };

/** y = act(x·W + bias) for one row (decode projections, LM head, classifier head). */
export function createGemv(device: GPUDevice, cache: PipelineCache, args: GemvArgs): Dispatch {
  const shape: GemvShape = { n: args.n, k: args.k, layout: args.layout ?? 'kn' };
  const label = args.label ?? 'Gemv';
  const activation = args.activation ?? 'none';
  const entry = shape.layout === 'nk' ? 'main_rows' : gemvUsesVec4(shape) ? 'main_vec4' : 'main_scalar';
  const pipeline = cache.get('gemv', withWeights(gemvCode, args.weights), { HAS_BIAS: args.bias ? 1 : 0, ACTIVATION: ACTIVATION_CODE[activation] }, entry);
  const dims = uniformBuffer(device, `${label}.dims`, new Uint32Array([args.n, args.k, args.xOffset ?? 0, args.yOffset ?? 0]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [
    [0, dims],
    [1, args.x],
    [2, args.w],
    [3, args.y],
    [4, args.bias ?? dummyBuffer(device)],
  ]);
  const extraFlops = (args.bias ? args.n : 0) + (activation !== 'none' ? args.n : 0);
  return dispatch(args.kernelName ?? 'gemv', pipeline, bg, gemvMeta.workgroups(shape), gemvMeta.flops(shape) + extraFlops, gemvMeta.bytes(shape) - (4 - weightBytesPerElement(args.weights)) * args.k * args.n + (args.bias ? 4 * args.n : 0), args.phase);
}

export interface LayerNormArgs extends OpCommon {
  x: BufferRef;
  gamma: BufferRef;
  beta: BufferRef;
  y: BufferRef;
  rows: number;
  dim: number;
  eps: number;
}

export function createLayerNorm(device: GPUDevice, cache: PipelineCache, args: LayerNormArgs): Dispatch {
  const label = args.label ?? 'LayerNorm';
  const pipeline = cache.get('layernorm', layernormCode);
  const params = uniformBuffer(device, `${label}.params`, packWords([{ u: args.rows }, { u: args.dim }, { f: args.eps }, { u: 0 }]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.x], [2, args.gamma], [3, args.beta], [4, args.y]]);
  const shape = { rows: args.rows, dim: args.dim };
  return dispatch('layernorm', pipeline, bg, layernormMeta.workgroups(shape), layernormMeta.flops(shape), layernormMeta.bytes(shape), args.phase);
}

export interface RmsNormArgs extends OpCommon {
  x: BufferRef;
  gamma: BufferRef;
  y: BufferRef;
  rows: number;
  dim: number;
  eps: number;
  /** First row to normalize (same row index in x and y). */
  rowOffset?: number;
}

export function createRmsNorm(device: GPUDevice, cache: PipelineCache, args: RmsNormArgs): Dispatch {
  const label = args.label ?? 'RmsNorm';
  const pipeline = cache.get('rmsnorm', rmsnormCode);
  const params = uniformBuffer(device, `${label}.params`, packWords([{ u: args.rows }, { u: args.dim }, { f: args.eps }, { u: args.rowOffset ?? 0 }]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.x], [2, args.gamma], [3, args.y]]);
  const shape = { rows: args.rows, dim: args.dim };
  return dispatch('rmsnorm', pipeline, bg, rmsnormMeta.workgroups(shape), rmsnormMeta.flops(shape), rmsnormMeta.bytes(shape), args.phase);
}

export interface SoftmaxArgs extends OpCommon {
  x: BufferRef;
  rows: number;
  cols: number;
}

export function createSoftmax(device: GPUDevice, cache: PipelineCache, args: SoftmaxArgs): Dispatch {
  const label = args.label ?? 'Softmax';
  const pipeline = cache.get('softmax', softmaxCode);
  const params = uniformBuffer(device, `${label}.params`, new Uint32Array([args.rows, args.cols, 0, 0]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.x]]);
  const shape = { rows: args.rows, cols: args.cols };
  return dispatch('softmax', pipeline, bg, softmaxMeta.workgroups(shape), softmaxMeta.flops(shape), softmaxMeta.bytes(shape), args.phase);
}

export class KernelLimitError extends Error {
  override name = 'KernelLimitError';
}

export interface AttentionArgs extends OpCommon {
  q: BufferRef;
  k: BufferRef;
  v: BufferRef;
  o: BufferRef;
  shape: AttentionShape;
  /** Row strides in elements; default heads·headDim for q/o and kvHeads·headDim for k/v. */
  qStride?: number;
  kvStride?: number;
  oStride?: number;
  /** Score scale; default 1/sqrt(headDim). */
  scale?: number;
}

export function createAttention(device: GPUDevice, cache: PipelineCache, args: AttentionArgs): Dispatch {
  const s = args.shape;
  const label = args.label ?? 'Attention';
  if (s.headDim > ATTENTION_MAX_HEAD_DIM) throw new KernelLimitError(`attention supports headDim ≤ ${ATTENTION_MAX_HEAD_DIM} (got ${s.headDim})`);
  if (s.heads % s.kvHeads !== 0) throw new KernelLimitError(`attention needs kvHeads (${s.kvHeads}) to divide heads (${s.heads})`);
  const pipeline = cache.get('attention', attentionCode);
  const params = uniformBuffer(
    device,
    `${label}.params`,
    packWords([
      { u: s.queries }, { u: s.heads }, { u: s.kvHeads }, { u: s.headDim },
      { u: s.qPos0 }, { u: s.kvLen }, { u: s.causal ? 1 : 0 }, { f: args.scale ?? 1 / Math.sqrt(s.headDim) },
      { u: args.qStride ?? s.heads * s.headDim }, { u: args.kvStride ?? s.kvHeads * s.headDim }, { u: args.oStride ?? s.heads * s.headDim }, { u: 0 },
    ]),
    args.resources,
  );
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.q], [2, args.k], [3, args.v], [4, args.o]]);
  return dispatch('attention', pipeline, bg, attentionMeta.workgroups(s), attentionMeta.flops(s), attentionMeta.bytes(s), args.phase);
}

export interface ElementwiseArgs extends OpCommon {
  count: number;
}

/** The element-wise kernels share one shape ({ count }) and one uniform layout. */
function elementwise(
  device: GPUDevice,
  cache: PipelineCache,
  kernel: 'gelu' | 'swiglu' | 'residual',
  code: string,
  meta: KernelMeta<{ count: number }>,
  args: ElementwiseArgs,
  buffers: readonly BufferRef[],
  defaultLabel: string,
): Dispatch {
  const label = args.label ?? defaultLabel;
  const pipeline = cache.get(kernel, code);
  const params = uniformBuffer(device, `${label}.params`, new Uint32Array([args.count, 0, 0, 0]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], ...buffers.map((b, i) => [i + 1, b] as const)]);
  const shape = { count: args.count };
  return dispatch(kernel, pipeline, bg, meta.workgroups(shape), meta.flops(shape), meta.bytes(shape), args.phase);
}

/** GELU (erf form) in place on `x[0 .. count)`. */
export function createGelu(device: GPUDevice, cache: PipelineCache, args: ElementwiseArgs & { x: BufferRef }): Dispatch {
  return elementwise(device, cache, 'gelu', geluCode, geluMeta, args, [args.x], 'Gelu');
}

/** gate = silu(gate) · up, in place on `gate`. */
export function createSwiglu(device: GPUDevice, cache: PipelineCache, args: ElementwiseArgs & { gate: BufferRef; up: BufferRef }): Dispatch {
  return elementwise(device, cache, 'swiglu', swigluCode, swigluMeta, args, [args.gate, args.up], 'Swiglu');
}

/** x += y on `count` elements. */
export function createResidual(device: GPUDevice, cache: PipelineCache, args: ElementwiseArgs & { x: BufferRef; y: BufferRef }): Dispatch {
  return elementwise(device, cache, 'residual', residualCode, residualMeta, args, [args.x, args.y], 'Residual');
}

export interface RopeArgs extends OpCommon {
  q: BufferRef;
  /** K rows (a KV cache: rows kRow0 .. kRow0 + tokens − 1 are rotated). */
  k: BufferRef;
  cos: BufferRef;
  sin: BufferRef;
  tokens: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Absolute position of the first token (row of the cos/sin tables). */
  pos0: number;
  kRow0?: number;
}

export function createRope(device: GPUDevice, cache: PipelineCache, args: RopeArgs): Dispatch {
  const label = args.label ?? 'Rope';
  const pipeline = cache.get('rope', ropeCode);
  const params = uniformBuffer(
    device,
    `${label}.params`,
    new Uint32Array([args.tokens, args.heads, args.kvHeads, args.headDim, args.pos0, args.heads * args.headDim, args.kvHeads * args.headDim, args.kRow0 ?? args.pos0]),
    args.resources,
  );
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.cos], [2, args.sin], [3, args.q], [4, args.k]]);
  const shape = { tokens: args.tokens, heads: args.heads, kvHeads: args.kvHeads, headDim: args.headDim };
  return dispatch('rope', pipeline, bg, ropeMeta.workgroups(shape), ropeMeta.flops(shape), ropeMeta.bytes(shape), args.phase);
}

/** A row range of a (possibly split) embedding table. */
export interface TableChunk {
  buffer: GPUBuffer;
  rowStart: number;
  rowCount: number;
}

export interface EmbeddingArgs extends OpCommon {
  ids: BufferRef;
  chunks: readonly TableChunk[];
  positions?: BufferRef;
  out: BufferRef;
  tokens: number;
  dim: number;
  /** Index in `ids` of the first token, and row of `positions` for it. */
  idOffset?: number;
  posOffset?: number;
  /** Storage of the token table (positions stay f32). */
  weights?: WeightStorage;
}

/**
 * One dispatch per table chunk. The whole gather's flops/bytes are carried by the first
 * dispatch (the chunks together do one gather; which chunk serves a token depends on the data).
 */
export function createEmbedding(device: GPUDevice, cache: PipelineCache, args: EmbeddingArgs): Dispatch[] {
  const label = args.label ?? 'Embedding';
  const hasPos = args.positions !== undefined;
  const pipeline = cache.get('embedding', withWeights(embeddingCode, args.weights), { HAS_POSITIONS: hasPos ? 1 : 0 });
  const shape = { tokens: args.tokens, dim: args.dim, positions: hasPos };
  return args.chunks.map((chunk, i) => {
    const params = uniformBuffer(
      device,
      `${label}.params${i}`,
      new Uint32Array([args.tokens, args.dim, args.idOffset ?? 0, chunk.rowStart, chunk.rowCount, args.posOffset ?? 0, 0, 0]),
      args.resources,
    );
    const bg = bindGroup(device, pipeline, `${label}.bindGroup${i}`, [
      [0, params],
      [1, args.ids],
      [2, chunk.buffer],
      [3, args.positions ?? dummyBuffer(device)],
      [4, args.out],
    ]);
    const bytes = embeddingMeta.bytes(shape) - (4 - weightBytesPerElement(args.weights)) * args.tokens * args.dim;
    return dispatch('embedding', pipeline, bg, embeddingMeta.workgroups(shape), i === 0 ? embeddingMeta.flops(shape) : 0, i === 0 ? bytes : 0, args.phase);
  });
}

export interface ArgmaxArgs extends OpCommon {
  logits: BufferRef;
  ids: BufferRef;
  n: number;
  outIndex: number;
}

export function createArgmax(device: GPUDevice, cache: PipelineCache, args: ArgmaxArgs): Dispatch {
  const label = args.label ?? 'Argmax';
  const pipeline = cache.get('argmax', argmaxCode);
  const params = uniformBuffer(device, `${label}.params`, new Uint32Array([args.n, args.outIndex, 0, 0]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.logits], [2, args.ids]]);
  const shape = { n: args.n };
  return dispatch('argmax', pipeline, bg, argmaxMeta.workgroups(shape), argmaxMeta.flops(shape), argmaxMeta.bytes(shape), args.phase);
}

export interface WeightSynthArgs extends OpCommon {
  out: BufferRef;
  count: number;
  seed: number;
  tensorId: number;
  init: 'synth' | 'ones' | 'zeros';
  /** f32 scale of `synth` values. */
  scale: number;
  /** Index in the whole tensor of the block's first element; block rows of chunkCols out of fullCols. */
  baseIndex?: number;
  chunkCols?: number;
  fullCols?: number;
  /** Write f16 halves packed in u32 (the buffer holds ceil(count/2) words). */
  storage?: WeightStorage;
}

export function createWeightSynth(device: GPUDevice, cache: PipelineCache, args: WeightSynthArgs): Dispatch {
  const label = args.label ?? 'WeightSynth';
  const f16 = args.storage === 'f16';
  const pipeline = cache.get('weight-synth', weightSynthCode, {}, f16 ? 'main_f16' : 'main');
  const constant = args.init === 'ones' ? 1 : 0;
  const cols = args.chunkCols ?? Math.max(1, args.count);
  const params = uniformBuffer(
    device,
    `${label}.params`,
    packWords([
      { u: args.seed }, { u: args.tensorId }, { u: args.baseIndex ?? 0 }, { u: args.count },
      { u: cols }, { u: args.fullCols ?? cols }, { u: args.init === 'synth' ? 0 : 1 }, { f: args.init === 'synth' ? Math.fround(args.scale) : constant },
    ]),
    args.resources,
  );
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.out]]);
  const shape = { count: args.count, f16 };
  return dispatch('weight-synth', pipeline, bg, weightSynthMeta.workgroups(shape), weightSynthMeta.flops(shape), weightSynthMeta.bytes(shape), args.phase);
}
