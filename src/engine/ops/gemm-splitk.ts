/**
 * Split-K GEMM for skinny products (few rows, long K: a short prompt's prefill). Same arguments
 * and same result as createGemm, in two dispatches: partial products over S slices of K into a
 * scratch buffer (A read through gemm's RMSNorm or SwiGLU prologue when asked, inv_rms over the
 * whole row), then a reduce pass that sums them in slice order and applies gemm's epilogue.
 * The summation order differs from the unsplit gemm, so results agree within the gemm tolerance,
 * not bit for bit. Chosen per shape by `PipelineCache.tuning.gemmSplitK` (see createLinear).
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import splitKCode from '../../../kernels/gemm-splitk/gemm-splitk.wgsl?raw';
import {
  gemmSplitKMeta, splitKPartialWorkgroups, splitKPassBytes, splitKPlan, splitKReduceWorkgroups, type GemmSplitKShape,
} from '../../../kernels/gemm-splitk/gemm-splitk.meta.ts';
import { gemmShapeKey, type GemmSplitK } from '../../shared/tuning.ts';
import { KernelLimitError } from '../errors.ts';
import { bindGroup, dummyBuffer, packWords, uniformBuffer, type BufferRef, type OpResources } from './common.ts';
import { prologueBytes, prologueCode, prologueOperand } from './prologue.ts';
import { createGemm, gemmEpilogueBytes, gemmEpilogueFlops, gemmEpsWords, gemmLayout, gemmPrologueFlops, type GemmArgs } from './gemm.ts';
import { checkPrecision, weightBytesPerElement } from './weight-storage.ts';
import { tileProductSource } from './product.ts';

export interface GemmSplitKArgs extends GemmArgs {
  /** Requested slices of K (2, 4 or 8); fewer are launched when K is too short (splitKPlan). */
  splits: number;
}

/** The split the device's tuning asks for this product (1: the plain gemm). */
export function tunedSplitK(cache: PipelineCache, m: number, n: number, k: number): GemmSplitK {
  return cache.tuning.gemmSplitK[gemmShapeKey(m, n, k)] ?? 1;
}

/** Bytes of the scratch buffer P[S, m, n] (f32) a split product needs: an autotuner skips a split whose scratch exceeds the binding limit. */
export function splitKScratchBytes(shape: GemmSplitKShape): number {
  return 4 * splitKPlan(shape).slices * shape.m * shape.n;
}

/**
 * The scratch buffer. With a pool that shares buffers (a model's UniformPool), products of the
 * same scratch size share one: the dispatches of a query run in order and each product's reduce
 * pass reads its partials before the next product's first pass overwrites them. Otherwise one
 * buffer per product, pushed to `resources` so its owner destroys it.
 */
function scratchBuffer(device: GPUDevice, label: string, bytes: number, resources: OpResources | undefined): GPUBuffer {
  const create = (name: string) => device.createBuffer({ label: name, size: bytes, usage: GPUBufferUsage.STORAGE });
  // The key cannot collide with the pool's uniform keys (hex digits of the uniform's bytes).
  if (resources?.intern) return resources.intern(`gemm-splitk.scratch:${bytes}`, () => create('Ops.splitKScratch'));
  const buf = create(`${label}.scratch`);
  resources?.push(buf);
  return buf;
}

/**
 * C[m,n] = act(A'[m,k]·B[k,n] + bias) + residual (A' = A or its prologue) as [partial, reduce]
 * dispatches. Their FLOPs sum to createGemm's (the product and prologue on the first, the epilogue
 * on the second); their bytes add the scratch traffic (written once, read once).
 */
export function createGemmSplitK(device: GPUDevice, cache: PipelineCache, args: GemmSplitKArgs): [Dispatch, Dispatch] {
  const label = args.label ?? 'GemmSplitK';
  const shape: GemmSplitKShape = { m: args.m, n: args.n, k: args.k, splits: args.splits };
  if (!Number.isInteger(args.splits) || args.splits < 2) throw new RangeError(`${label}: split-K needs at least 2 slices, got ${args.splits}`);
  checkPrecision(device, label, args.precision);
  const { words, vec4, epilogue } = gemmLayout(label, args);
  const plan = splitKPlan(shape);
  const scratchBytes = splitKScratchBytes(shape);
  if (scratchBytes > device.limits.maxStorageBufferBindingSize) {
    throw new KernelLimitError(`${label}: split-K scratch of ${scratchBytes} B exceeds the ${device.limits.maxStorageBufferBindingSize} B binding limit`);
  }
  // f16 products: the tiles of pass 1 (f32 partials in the scratch); the reduce pass is f32 whatever the precision.
  const code = tileProductSource(splitKCode, args.weights, args.precision);
  const partialPipeline = cache.get('gemm-splitk', code, { PROLOGUE: prologueCode(args.prologue) }, vec4 ? 'partial_vec4' : 'partial_scalar');
  const reducePipeline = cache.get('gemm-splitk', code, epilogue, vec4 ? 'reduce_vec4' : 'reduce_scalar');
  const dimWords = [args.m, args.n, args.k, ...words, plan.slices, plan.kSlice].map((u) => ({ u }));
  const dims = uniformBuffer(device, `${label}.dims`, packWords([...dimWords, ...gemmEpsWords(args)]), args.resources);
  const scratch = scratchBuffer(device, label, scratchBytes, args.resources);
  const phase = args.phase !== undefined ? { phase: args.phase } : {};
  const bytes = splitKPassBytes(shape);
  const partialEntries: [number, BufferRef][] = [[0, dims], [1, args.a], [2, args.b], [6, scratch], [7, prologueOperand(args.prologue) ?? dummyBuffer(device)]];
  const reduceEntries: [number, BufferRef][] = [
    [0, dims],
    [3, args.c],
    [4, args.bias ?? dummyBuffer(device)],
    [5, args.residual ?? dummyBuffer(device)],
    [6, scratch],
    [8, args.residualNorm?.gammaBeta ?? dummyBuffer(device)],
  ];
  return [
    {
      kernel: gemmSplitKMeta.name,
      pipeline: partialPipeline,
      bindGroups: [bindGroup(device, partialPipeline, `${label}.partial.bindGroup`, partialEntries)],
      workgroups: splitKPartialWorkgroups(shape),
      // The prologue, counted as gemm counts it (once: the per-slice recomputation of inv_rms is
      // the split's overhead, as its cross-slice adds are).
      flops: gemmSplitKMeta.flops(shape) + gemmPrologueFlops(args),
      bytes: bytes.partial - (4 - weightBytesPerElement(args.weights)) * args.k * args.n + prologueBytes(args.prologue, args.m, args.k),
      ...phase,
    },
    {
      kernel: gemmSplitKMeta.name,
      pipeline: reducePipeline,
      bindGroups: [bindGroup(device, reducePipeline, `${label}.reduce.bindGroup`, reduceEntries)],
      workgroups: splitKReduceWorkgroups(shape),
      flops: gemmEpilogueFlops(args),
      bytes: bytes.reduce + gemmEpilogueBytes(args),
      ...phase,
    },
  ];
}

/** createGemm, or createGemmSplitK when `cache.tuning` splits this shape: what createLinear runs for m > 1. */
export function createGemmTuned(device: GPUDevice, cache: PipelineCache, args: GemmArgs): Dispatch[] {
  const splits = tunedSplitK(cache, args.m, args.n, args.k);
  return splits > 1 ? createGemmSplitK(device, cache, { ...args, splits }) : [createGemm(device, cache, args)];
}
