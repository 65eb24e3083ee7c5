/**
 * Row normalizations (LayerNorm, RMSNorm). Softmax has no kernel of its own: attention fuses it.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import layernormCode from '../../../kernels/layernorm/layernorm.wgsl?raw';
import rmsnormCode from '../../../kernels/rmsnorm/rmsnorm.wgsl?raw';
import { layernormMeta } from '../../../kernels/layernorm/layernorm.meta.ts';
import { rmsnormMeta } from '../../../kernels/rmsnorm/rmsnorm.meta.ts';
import { bindGroup, dispatch, packWords, uniformBuffer, type BufferRef, type OpCommon } from './common.ts';

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
