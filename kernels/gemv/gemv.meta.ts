import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';

/**
 * y[n] = x[k]·W (+bias): `layout: 'kn'` for W [k, n] (projections, untied LM head),
 * `'nk'` for W [n, k] (tied LM head reading the token embedding rows).
 */
export interface GemvShape {
  n: number;
  k: number;
  layout: 'kn' | 'nk';
}

/** Columns (vec4 groups on the vec4 path) per 'kn' workgroup: COLS of gemv.wgsl. */
export const GEMV_COLS = 16;
export const GEMV_KSPLIT = 16;

export const gemvUsesVec4 = (s: GemvShape): boolean => s.layout === 'kn' && s.n % 4 === 0;

export const gemvMeta: KernelMeta<GemvShape> = {
  name: 'gemv',
  bindings: [
    { binding: 0, name: 'dims', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'read-only-storage' },
    { binding: 2, name: 'w', kind: 'read-only-storage' },
    { binding: 3, name: 'y', kind: 'storage' },
    { binding: 4, name: 'bias', kind: 'read-only-storage' },
    { binding: 5, name: 'residual', kind: 'read-only-storage' },
    // The prologue's operand: RMSNorm gamma [k], SwiGLU up or LayerNorm gamma, beta [2, k] (a dummy when off).
    { binding: 6, name: 'prologue', kind: 'read-only-storage' },
    // The normalized residual's gamma, beta [2, n] (a dummy when off).
    { binding: 7, name: 'residualNorm', kind: 'read-only-storage' },
  ],
  // The 'kn' entry points; main_rows ('nk') gives 4 rows of 64 threads each.
  workgroupSize: [GEMV_COLS, GEMV_KSPLIT, 1],
  entryWorkgroupSizes: { main_rows: [64, 4, 1] },
  requiredFeatures: [],
  // A matrix product with m = 1: 2·n·k.
  flops: ({ n, k }) => 2 * n * k,
  bytes: ({ n, k }) => 4 * (k + k * n + n),
  workgroups: (s) => {
    switch (s.layout) {
      case 'kn':
        return [ceilDiv(gemvUsesVec4(s) ? s.n / 4 : s.n, GEMV_COLS), 1, 1];
      case 'nk':
        return grid2d(ceilDiv(s.n, 4));
    }
  },
};
