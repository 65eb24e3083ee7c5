/**
 * The two ends of a model: the embedding gather (token ids in) and the greedy argmax (token id out).
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import embeddingCode from '../../../kernels/embedding/embedding.wgsl?raw';
import argmaxCode from '../../../kernels/argmax/argmax.wgsl?raw';
import argmaxSubgroupCode from '../../../kernels/argmax-subgroup/argmax-subgroup.wgsl?raw';
import { embeddingMeta } from '../../../kernels/embedding/embedding.meta.ts';
import { argmaxMeta } from '../../../kernels/argmax/argmax.meta.ts';
import { argmaxSubgroupMeta } from '../../../kernels/argmax-subgroup/argmax-subgroup.meta.ts';
import { useSubgroupReduction } from './gemv-subgroup.ts';
import { bindGroup, dispatch, dummyBuffer, uniformBuffer, type BufferRef, type OpCommon } from './common.ts';
import { weightBytesPerElement, withWeights, type WeightStorage } from './weight-storage.ts';

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
  // Same result either way (ties to the lowest index); the subgroup kernel follows the GEMV reduction of the tuning.
  const subgroup = useSubgroupReduction(device, cache);
  const meta = subgroup ? argmaxSubgroupMeta : argmaxMeta;
  const pipeline = subgroup ? cache.get('argmax-subgroup', argmaxSubgroupCode) : cache.get('argmax', argmaxCode);
  const params = uniformBuffer(device, `${label}.params`, new Uint32Array([args.n, args.outIndex, 0, 0]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.logits], [2, args.ids]]);
  const shape = { n: args.n };
  return dispatch('argmax', pipeline, bg, meta.workgroups(shape), meta.flops(shape), meta.bytes(shape), args.phase);
}
