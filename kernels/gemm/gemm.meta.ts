import { ceilDiv, type KernelMeta } from '../kernel.ts';

export interface GemmShape {
  m: number;
  n: number;
  k: number;
}

/** Output tile of one workgroup (see gemm.wgsl: 8×8 threads × 4×4 register block). */
export const GEMM_TILE_M = 32;
export const GEMM_TILE_N = 32;

/** The vec4 entry point needs rows of A and B that start on a vec4 boundary. */
export const gemmUsesVec4 = (s: GemmShape): boolean => s.k % 4 === 0 && s.n % 4 === 0;

export const gemmMeta: KernelMeta<GemmShape> = {
  name: 'gemm',
  bindings: [
    { binding: 0, name: 'dims', kind: 'uniform' },
    { binding: 1, name: 'a', kind: 'read-only-storage' },
    { binding: 2, name: 'b', kind: 'read-only-storage' },
    { binding: 3, name: 'c', kind: 'storage' },
    { binding: 4, name: 'bias', kind: 'read-only-storage' },
    { binding: 5, name: 'residual', kind: 'read-only-storage' },
    // The prologue's operand: RMSNorm gamma [k], SwiGLU up [m, k] or LayerNorm gamma, beta [2, k] (a dummy when off).
    { binding: 6, name: 'prologue', kind: 'read-only-storage' },
    // The normalized residual's gamma, beta [2, n] (a dummy when off).
    { binding: 7, name: 'residualNorm', kind: 'read-only-storage' },
  ],
  workgroupSize: [8, 8, 1],
  requiredFeatures: [],
  // FLOP convention (kernels/README.md): a matrix product counts 2·m·n·k; bias and activation are not counted here.
  flops: ({ m, n, k }) => 2 * m * n * k,
  bytes: ({ m, n, k }) => 4 * (m * k + k * n + m * n),
  workgroups: ({ m, n }) => [ceilDiv(n, GEMM_TILE_N), ceilDiv(m, GEMM_TILE_M), 1],
};
