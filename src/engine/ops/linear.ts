/**
 * A linear layer y = x·W (+ b) over a weight that may be split into column blocks (an untied LM
 * head larger than one binding) or, for the tied LM head, read as embedding rows. m = 1 runs the
 * gemv kernel (decode, heads), m > 1 the gemm kernel (prefill, encoder), as in models/flops.ts.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import { KernelLimitError } from '../errors.ts';
import { createGemmTuned } from './gemm-splitk.ts';
import { createGemv, type GemvActivation } from './gemv.ts';
import { createGemvSubgroup, useSubgroupReduction } from './gemv-subgroup.ts';
import type { ProductPrecision, WeightStorage } from './weight-storage.ts';
import type { ProductPrologue, ResidualNorm } from './prologue.ts';
import type { BufferRef, OpResources, OutputSegment } from './common.ts';

/** A buffer holding rows [rowStart, +rowCount) × cols [colStart, +colCount) of a weight. */
export interface WeightBlock {
  buffer: GPUBuffer;
  rowStart: number;
  rowCount: number;
  colStart: number;
  colCount: number;
  /** Default f32. */
  storage?: WeightStorage;
  /** The products' multiplies over this block (default f32; 'f16' needs f16 storage and `shader-f16`). */
  precision?: ProductPrecision;
}

export interface LinearArgs {
  x: BufferRef;
  /** W [k, n] ('kn', split by column blocks) or E [n, k] ('nk', split by row ranges). */
  blocks: readonly WeightBlock[];
  layout?: 'kn' | 'nk';
  y: BufferRef;
  m: number;
  k: number;
  n: number;
  bias?: GPUBuffer;
  activation?: GemvActivation;
  /** y = act(x·W + b) + residual, fused into the product's epilogue (same layout as y, must not alias it). */
  residual?: GPUBuffer;
  /** Where y's columns go (one unsplit weight only): a fused Q/K/V projection; see OutputSegment. */
  segments?: readonly OutputSegment[];
  /**
   * x read through RMSNorm or SwiGLU inside the product (no separate norm or gating dispatch),
   * on whichever kernel the tuning picks: gemm / split-K and gemv / subgroup GEMV all have it.
   */
  prologue?: ProductPrologue;
  /** The residual added is LayerNorm(residual) of its row (a post-LN block); needs `residual`. Every kernel carries it. */
  residualNorm?: ResidualNorm;
  /** Rows of the normalization the prologue's FLOPs book (gemv only; see GemvArgs.prologueRows). */
  prologueRows?: number;
  /** Whether the FLOPs include the prologue's (default true; false when another product books the same normalization). */
  countPrologue?: boolean;
  /** Element offsets (gemv only): which row of x, where y starts. */
  xOffset?: number;
  yOffset?: number;
  label: string;
  resources: OpResources;
  phase: string;
  kernelName?: string;
}

export function createLinear(device: GPUDevice, cache: PipelineCache, args: LinearArgs): Dispatch[] {
  const layout = args.layout ?? 'kn';
  const common = { label: args.label, resources: args.resources, phase: args.phase };
  if (args.m === 1) {
    if (args.blocks.length > 1 && (args.bias || args.residual || args.segments)) throw new KernelLimitError(`${args.label}: a split weight with a bias or residual is not supported`);
    // The GEMV reduction of the device's tuning; without the `subgroups` feature the tuning is ignored.
    const gemv = useSubgroupReduction(device, cache) ? createGemvSubgroup : createGemv;
    return args.blocks.map((b, i) => {
      const n = layout === 'kn' ? b.colCount : b.rowCount;
      const start = layout === 'kn' ? b.colStart : b.rowStart;
      return gemv(device, cache, {
        ...common,
        label: args.blocks.length > 1 ? `${args.label}[${i}]` : args.label,
        x: args.x,
        w: b.buffer,
        weights: b.storage ?? 'f32',
        precision: b.precision ?? 'f32',
        y: args.y,
        n,
        k: args.k,
        layout,
        activation: args.activation ?? 'none',
        xOffset: args.xOffset ?? 0,
        yOffset: (args.yOffset ?? 0) + start,
        ...(args.bias ? { bias: args.bias } : {}),
        ...(args.residual ? { residual: args.residual } : {}),
        ...(args.residualNorm ? { residualNorm: args.residualNorm } : {}),
        ...(args.segments ? { segments: args.segments } : {}),
        ...(args.kernelName ? { kernelName: args.kernelName } : {}),
        ...(args.prologueRows !== undefined ? { prologueRows: args.prologueRows } : {}),
        // Every block of a split weight normalizes x itself; the norm's FLOPs count once.
        ...(args.prologue ? { prologue: args.prologue, countPrologue: i === 0 && args.countPrologue !== false } : {}),
      });
    });
  }
  const block = args.blocks[0];
  if (args.blocks.length !== 1 || !block || layout !== 'kn' || (args.xOffset ?? 0) !== 0 || (args.yOffset ?? 0) !== 0 || (args.activation ?? 'none') === 'tanh') {
    throw new KernelLimitError(`${args.label}: gemm needs one unsplit [k, n] weight and no offsets`);
  }
  return [
    // The plain gemm, or split-K (two dispatches) when the device's tuning splits this shape.
    ...createGemmTuned(device, cache, {
      ...common,
      a: args.x,
      b: block.buffer,
      weights: block.storage ?? 'f32',
      precision: block.precision ?? 'f32',
      c: args.y,
      m: args.m,
      n: args.n,
      k: args.k,
      relu: args.activation === 'relu',
      gelu: args.activation === 'gelu',
      ...(args.bias ? { bias: args.bias } : {}),
      ...(args.residual ? { residual: args.residual } : {}),
      ...(args.residualNorm ? { residualNorm: args.residualNorm } : {}),
      ...(args.segments ? { segments: args.segments } : {}),
      ...(args.prologue ? { prologue: args.prologue } : {}),
      ...(args.countPrologue === false ? { countPrologue: false } : {}),
    }),
  ];
}
