/**
 * Matrix-vector product for one row: decode projections, the LM head, the classifier head.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import gemvCode from '../../../kernels/gemv/gemv.wgsl?raw';
import { GEMV_COLS, GEMV_KSPLIT, gemvMeta, gemvUsesVec4, type GemvShape } from '../../../kernels/gemv/gemv.meta.ts';
import { bindGroup, dispatch, dummyBuffer, packWords, segmentWords, uniformBuffer, type BufferRef, type OpCommon, type OutputSegment } from './common.ts';
import {
  checkResidualNorm, prologueBytes, prologueCode, prologueEps, prologueFlops, prologueOperand, residualNormBytes, type ProductPrologue, type ResidualNorm,
} from './prologue.ts';
import { ELEMENTWISE_FLOPS } from '../models/flops.ts';
import { checkPrecision, weightBytesPerElement, type ProductPrecision, type WeightStorage } from './weight-storage.ts';
import { rowProductSource } from './product.ts';

export type GemvActivation = 'none' | 'relu' | 'tanh' | 'gelu';

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
  /**
   * Where y's columns go when not one block at yOffset: see OutputSegment (the first segment's
   * offset replaces yOffset). A fused Q/K/V projection of one row.
   */
  segments?: readonly OutputSegment[];
  /** y = act(x·W + bias) + residual[yOffset + col]: a residual fused into the epilogue (must not alias y). */
  residual?: BufferRef;
  /** x read through RMSNorm (x·inv_rms·gamma), SwiGLU (silu(x)·up) or LayerNorm; see prologue.ts. */
  prologue?: ProductPrologue;
  /**
   * Whether this dispatch's FLOPs include the prologue's (default true). False for the second and
   * later blocks of a split weight: each block repeats the normalization, which counts once.
   */
  countPrologue?: boolean;
  /**
   * Rows of the normalization the prologue's FLOPs book (default 1, the row it reads). The encoder's
   * classifier head reads row 0 of the last hidden state through its final LayerNorm and books that
   * norm over all rows, as the unfused model ran it: models/flops.ts counts the model, not the fusion.
   */
  prologueRows?: number;
  /** The residual added is LayerNorm(residual) of its row; needs `residual`. */
  residualNorm?: ResidualNorm;
  /** Storage of W; x and y are f32. */
  weights?: WeightStorage;
  /**
   * The multiplies (default f32): 'f16' rounds x to f16 and multiplies it by W read as f16, each
   * product widened to f32 for the f32 sums (needs f16 `weights` and a `shader-f16` device).
   */
  precision?: ProductPrecision;
}

const ACTIVATION_CODE: Record<GemvActivation, number> = { none: 0, relu: 1, tanh: 2, gelu: 3 };

/** The epilogue and prologue overrides of gemv.wgsl and gemv-subgroup.wgsl. */
export function gemvConstants(args: GemvArgs): Record<string, number> {
  return {
    HAS_BIAS: args.bias ? 1 : 0, ACTIVATION: ACTIVATION_CODE[args.activation ?? 'none'], HAS_RESIDUAL: args.residual ? 1 : 0, RESIDUAL_NORM: args.residualNorm ? 1 : 0, PROLOGUE: prologueCode(args.prologue),
  };
}

/** The dims uniform (offsets, output segments, eps) and the bind group gemv and the subgroup GEMV share. */
export function gemvBindGroup(device: GPUDevice, pipeline: GPUComputePipeline, label: string, args: GemvArgs): GPUBindGroup {
  const segments = args.segments ?? [{ cols: args.n, offset: args.yOffset ?? 0 }];
  if (args.residual && segments.length > 1) throw new RangeError(`${label}: a residual needs a single output segment`);
  checkResidualNorm(label, args.residual, args.residualNorm);
  const [n0, n1, y0, y1, y2] = segmentWords(label, args.n, segments);
  const dimWords = [args.n, args.k, args.xOffset ?? 0, y0, n0, n1, y1, y2].map((u) => ({ u }));
  const dims = uniformBuffer(device, `${label}.dims`, packWords([...dimWords, { f: prologueEps(args.prologue) }, { f: args.residualNorm?.eps ?? 0 }]), args.resources);
  return bindGroup(device, pipeline, `${label}.bindGroup`, [
    [0, dims],
    [1, args.x],
    [2, args.w],
    [3, args.y],
    [4, args.bias ?? dummyBuffer(device)],
    [5, args.residual ?? dummyBuffer(device)],
    [6, prologueOperand(args.prologue) ?? dummyBuffer(device)],
    [7, args.residualNorm?.gammaBeta ?? dummyBuffer(device)],
  ]);
}

/**
 * FLOPs and bytes of a one-row product beyond the meta's 2·n·k and 4·(k + k·n + n) (f32): the
 * epilogue as the separate kernels counted it (models/flops.ts: bias 1, tanh/relu 1 — the
 * classifier head's convention —, GELU 8, residual 1 per output), the prologue as its separate
 * kernel did (rmsnorm 4, swiglu 6 per input element, once), the weights' storage. Bytes: the
 * residual and the prologue's operand are read once; the unfused output write + re-read +
 * rewrite is gone. The reduction (workgroup or subgroup) changes neither.
 */
export function gemvFusedCosts(args: GemvArgs): { flops: number; bytes: number } {
  const activation = args.activation ?? 'none';
  const activationFlops = activation === 'gelu' ? ELEMENTWISE_FLOPS.gelu : activation !== 'none' ? 1 : 0;
  const flops =
    (args.bias ? args.n : 0) + activationFlops * args.n + (args.residual ? ELEMENTWISE_FLOPS.residual * args.n : 0) + (args.countPrologue === false ? 0 : prologueFlops(args.prologue, args.prologueRows ?? 1, args.k));
  const bytes =
    -(4 - weightBytesPerElement(args.weights)) * args.k * args.n + (args.bias ? 4 * args.n : 0) + (args.residual ? 4 * args.n : 0) + prologueBytes(args.prologue, 1, args.k) + residualNormBytes(args.residualNorm, args.n);
  return { flops, bytes };
}

/** y = act(x·W + bias) for one row (decode projections, LM head, classifier head). */
export function createGemv(device: GPUDevice, cache: PipelineCache, args: GemvArgs): Dispatch {
  const shape: GemvShape = { n: args.n, k: args.k, layout: args.layout ?? 'kn' };
  const label = args.label ?? 'Gemv';
  checkPrecision(device, label, args.precision);
  const entry = shape.layout === 'nk' ? 'main_rows' : gemvUsesVec4(shape) ? 'main_vec4' : 'main_scalar';
  // The 'kn' entry points take their workgroup shape from the meta, so dispatch counts and WGSL agree.
  const shapeConstants: Record<string, number> = shape.layout === 'kn' ? { COLS: GEMV_COLS, KSPLIT: GEMV_KSPLIT } : {};
  const pipeline = cache.get('gemv', rowProductSource(gemvCode, args.weights, args.precision), { ...gemvConstants(args), ...shapeConstants }, entry);
  const bg = gemvBindGroup(device, pipeline, label, args);
  const extra = gemvFusedCosts(args);
  return dispatch(args.kernelName ?? 'gemv', pipeline, bg, gemvMeta.workgroups(shape), gemvMeta.flops(shape) + extra.flops, gemvMeta.bytes(shape) + extra.bytes, args.phase);
}
