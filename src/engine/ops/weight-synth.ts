/**
 * On-device weight synthesis: fills a buffer with the seeded values of src/engine/weights.ts.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import weightSynthCode from '../../../kernels/weight-synth/weight-synth.wgsl?raw';
import { weightSynthMeta } from '../../../kernels/weight-synth/weight-synth.meta.ts';
import { bindGroup, dispatch, packWords, uniformBuffer, type BufferRef, type OpCommon } from './common.ts';
import type { WeightStorage } from './weight-storage.ts';

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
  /** Row stride of the output and column where the block starts in it (a block of a wider, fused matrix). */
  outCols?: number;
  outCol0?: number;
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
      { u: args.outCols ?? cols }, { u: args.outCol0 ?? 0 }, { u: 0 }, { u: 0 },
    ]),
    args.resources,
  );
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], [1, args.out]]);
  const shape = { count: args.count, f16 };
  return dispatch('weight-synth', pipeline, bg, weightSynthMeta.workgroups(shape), weightSynthMeta.flops(shape), weightSynthMeta.bytes(shape), args.phase);
}
