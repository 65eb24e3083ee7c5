import type { KernelMeta } from '../kernel-grid.ts';
import type { NormShape } from '../layernorm/layernorm.meta.ts';

export const rmsnormMeta: KernelMeta<NormShape> = {
  name: 'rmsnorm',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'read-only-storage' },
    { binding: 2, name: 'gamma', kind: 'read-only-storage' },
    { binding: 3, name: 'y', kind: 'storage' },
  ],
  workgroupSize: [64, 1, 1],
  requiredFeatures: [],
  // Per element: square and add (2), normalize and scale (2) = 4.
  flops: ({ rows, dim }) => 4 * rows * dim,
  bytes: ({ rows, dim }) => 4 * (2 * rows * dim + dim),
  workgroups: ({ rows }) => [rows, 1, 1],
};
