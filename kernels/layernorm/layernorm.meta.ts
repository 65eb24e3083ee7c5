import type { KernelMeta } from '../kernel-grid.ts';

export interface NormShape {
  rows: number;
  dim: number;
}

export const layernormMeta: KernelMeta<NormShape> = {
  name: 'layernorm',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'read-only-storage' },
    { binding: 2, name: 'gamma', kind: 'read-only-storage' },
    { binding: 3, name: 'beta', kind: 'read-only-storage' },
    { binding: 4, name: 'y', kind: 'storage' },
  ],
  workgroupSize: [64, 1, 1],
  requiredFeatures: [],
  // Per element (src/engine/models/flops.ts convention): mean 1, variance 3, normalize 2, gain, shift = 8.
  flops: ({ rows, dim }) => 8 * rows * dim,
  bytes: ({ rows, dim }) => 4 * (2 * rows * dim + 2 * dim),
  workgroups: ({ rows }) => [rows, 1, 1],
};
