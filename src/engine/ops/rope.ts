/**
 * Rotary position embedding (rotate-half) of Q and of the K cache rows, from cos/sin tables.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import ropeCode from '../../../kernels/rope/rope.wgsl?raw';
import { ropeMeta } from '../../../kernels/rope/rope.meta.ts';
import { bindGroup, dispatch, uniformBuffer, type BufferRef, type OpCommon } from './common.ts';

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
