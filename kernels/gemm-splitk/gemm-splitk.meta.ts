import { ceilDiv, type KernelMeta } from '../kernel.ts';
import { GEMM_TILE_M, GEMM_TILE_N, gemmMeta, type GemmShape } from '../gemm/gemm.meta.ts';

/** A GEMM cut into `splits` slices along K (see gemm-splitk.wgsl). */
export interface GemmSplitKShape extends GemmShape {
  /** Requested slices (2, 4 or 8); `splitKPlan` gives the slices actually launched. */
  splits: number;
}

/** Threads per workgroup of the reduce pass (one row × 4 columns each). */
export const SPLITK_REDUCE_WG = 64;

export interface SplitKPlan {
  /** Columns of A per slice: a multiple of 4 (so vec4 rows start on a vec4). */
  kSlice: number;
  /** Non-empty slices: ceil(k / kSlice) ≤ the requested splits (fewer when k is small). */
  slices: number;
}

/**
 * The cut of K: ceil(k / splits) rounded up to a multiple of 4. The last slice may be short; a
 * requested split that would leave a slice empty launches fewer slices instead of summing zeros.
 */
export function splitKPlan({ k, splits }: { k: number; splits: number }): SplitKPlan {
  const kSlice = Math.max(4, Math.ceil(Math.ceil(k / Math.max(1, splits)) / 4) * 4);
  return { kSlice, slices: ceilDiv(k, kSlice) };
}

/** Pass 1: one workgroup per 32×32 output tile and slice. */
export const splitKPartialWorkgroups = (s: GemmSplitKShape): [number, number, number] => [
  ceilDiv(s.n, GEMM_TILE_N),
  ceilDiv(s.m, GEMM_TILE_M),
  splitKPlan(s).slices,
];

/** Pass 2: one thread per row and 4 columns. */
export const splitKReduceWorkgroups = (s: GemmSplitKShape): [number, number, number] => [ceilDiv(ceilDiv(s.n, 4), SPLITK_REDUCE_WG), s.m, 1];

/** Bytes of each pass (f32 weights; the builder corrects for f16 storage): the scratch is written once and read once. */
export function splitKPassBytes(s: GemmSplitKShape): { partial: number; reduce: number } {
  const scratch = 4 * splitKPlan(s).slices * s.m * s.n;
  return { partial: 4 * (s.m * s.k + s.k * s.n) + scratch, reduce: scratch + 4 * s.m * s.n };
}

export const gemmSplitKMeta: KernelMeta<GemmSplitKShape> = {
  name: 'gemm-splitk',
  bindings: [
    // gemm's dims, A, B, C, bias and residual, at gemm's slots.
    ...gemmMeta.bindings.filter((b) => b.binding <= 5),
    { binding: 6, name: 'partial', kind: 'storage' },
    // gamma or up of the prologue (pass 1; a dummy without one).
    { binding: 7, name: 'prologue', kind: 'read-only-storage' },
    // The normalized residual's gamma, beta [2, n] (pass 2; a dummy without one).
    { binding: 8, name: 'residualNorm', kind: 'read-only-storage' },
  ],
  workgroupSize: [8, 8, 1],
  entryWorkgroupSizes: { reduce_vec4: [SPLITK_REDUCE_WG, 1, 1], reduce_scalar: [SPLITK_REDUCE_WG, 1, 1] },
  requiredFeatures: [],
  // Both passes together: the product's 2·m·n·k, as gemm (the cross-slice adds are the split's
  // overhead, not the model's work; the epilogue is counted by the builder, as gemm's).
  flops: ({ m, n, k }) => 2 * m * n * k,
  bytes: (s) => {
    const b = splitKPassBytes(s);
    return b.partial + b.reduce;
  },
  // Pass 1's grid; pass 2's is splitKReduceWorkgroups.
  workgroups: splitKPartialWorkgroups,
};
