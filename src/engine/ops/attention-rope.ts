/**
 * The decoder's RoPE and causal attention in one dispatch (kernels/attention-rope): Q and the new
 * K rows are rotated in the kernel, the rotated K rows stored into the cache, and attention runs
 * over the cache, with grouped-query heads.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import attentionRopeCode from '../../../kernels/attention-rope/attention-rope.wgsl?raw';
import { attentionRopeMeta, type AttentionRopeShape } from '../../../kernels/attention-rope/attention-rope.meta.ts';
import { ATTENTION_MAX_HEAD_DIM } from '../../../kernels/attention/attention.meta.ts';
import { KernelLimitError } from '../errors.ts';
import { withOnlineSoftmax } from './attention.ts';
import { bindGroup, dispatch, packWords, uniformBuffer, type BufferRef, type OpCommon } from './common.ts';

/** Element offsets of the blocks of one layer's buffer (rows are kvHeads·headDim long for K/V). */
export interface AttentionRopeLayout {
  /** Q of the new rows, [queries, heads·headDim], before rotation. */
  q: number;
  /** K of the new rows, [queries, kvHeads·headDim], before rotation. */
  kNew: number;
  /** K cache [positions, kvHeads·headDim], rotated; rows qPos0.. are written by this dispatch. */
  k: number;
  /** V cache [positions, kvHeads·headDim]; rows qPos0.. already hold the new V. */
  v: number;
}

/** attention-rope.wgsl with attention's online-softmax snippet, as the pipeline compiles it. */
const ATTENTION_ROPE_CODE = withOnlineSoftmax(attentionRopeCode);

export interface AttentionRopeArgs extends OpCommon {
  /** The layer's whole buffer, bound read-write (it is both read and written, see the WGSL). */
  qkv: GPUBuffer;
  layout: AttentionRopeLayout;
  cos: BufferRef;
  sin: BufferRef;
  o: BufferRef;
  shape: AttentionRopeShape;
  /** Score scale; default 1/sqrt(headDim). */
  scale?: number;
}

export function createAttentionRope(device: GPUDevice, cache: PipelineCache, args: AttentionRopeArgs): Dispatch {
  const s = args.shape;
  const label = args.label ?? 'AttentionRope';
  if (s.headDim > ATTENTION_MAX_HEAD_DIM) throw new KernelLimitError(`attention supports headDim ≤ ${ATTENTION_MAX_HEAD_DIM} (got ${s.headDim})`);
  if (s.headDim % 2 !== 0) throw new KernelLimitError(`RoPE needs an even head size (got ${s.headDim})`);
  if (s.heads % s.kvHeads !== 0) throw new KernelLimitError(`attention needs kvHeads (${s.kvHeads}) to divide heads (${s.heads})`);
  const pipeline = cache.get('attention-rope', ATTENTION_ROPE_CODE);
  const L = args.layout;
  const params = uniformBuffer(
    device,
    `${label}.params`,
    packWords([
      { u: s.queries }, { u: s.heads }, { u: s.kvHeads }, { u: s.headDim },
      { u: s.qPos0 }, { u: s.qPos0 + s.queries }, { f: args.scale ?? 1 / Math.sqrt(s.headDim) }, { u: s.heads * s.headDim },
      { u: L.q }, { u: L.kNew }, { u: L.k }, { u: L.v },
      { u: s.kvHeads * s.headDim }, { u: s.heads * s.headDim }, { u: 0 }, { u: 0 },
    ]),
    args.resources,
  );
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.cos], [2, args.sin], [3, args.qkv], [4, args.o]]);
  return dispatch('attention-rope', pipeline, bg, attentionRopeMeta.workgroups(s), attentionRopeMeta.flops(s), attentionRopeMeta.bytes(s), args.phase);
}
