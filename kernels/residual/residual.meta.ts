import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';
import type { ElementwiseShape } from '../gelu/gelu.meta.ts';

/** Threads per workgroup (the WGSL's @workgroup_size), on a 1-D grid. */
const WORKGROUP = 256;

export const residualMeta: KernelMeta<ElementwiseShape> = {
  name: 'residual',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'storage' },
    { binding: 2, name: 'y', kind: 'read-only-storage' },
  ],
  workgroupSize: [WORKGROUP, 1, 1],
  requiredFeatures: [],
  flops: ({ count }) => count,
  bytes: ({ count }) => 4 * 3 * count,
  workgroups: ({ count }) => grid2d(ceilDiv(count, WORKGROUP)),
};
