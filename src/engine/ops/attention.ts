/**
 * Fused multi-head attention (scores, softmax, weighted sum) with grouped-query heads.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import attentionCode from '../../../kernels/attention/attention.wgsl?raw';
import onlineSoftmaxCode from '../../../kernels/attention/online-softmax.wgsl?raw';
import { ATTENTION_MAX_HEAD_DIM, attentionMeta, type AttentionShape } from '../../../kernels/attention/attention.meta.ts';
import { KernelLimitError } from '../errors.ts';
import { bindGroup, dispatch, packWords, uniformBuffer, type BufferRef, type OpCommon } from './common.ts';

/**
 * Kernel source + the online softmax, weighted sum of V and output store that attention and
 * attention-rope share (kernels/attention/online-softmax.wgsl): one text, so both kernels run the
 * same f32 operations in the same order.
 */
export function withOnlineSoftmax(code: string): string {
  return `${code}\n${onlineSoftmaxCode}`;
}

/** attention.wgsl with its snippet, as the pipeline compiles it. */
const ATTENTION_CODE = withOnlineSoftmax(attentionCode);

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
  const pipeline = cache.get('attention', ATTENTION_CODE);
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
