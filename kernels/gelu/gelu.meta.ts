import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';

/** Threads per workgroup (the WGSL's @workgroup_size), on a 1-D grid. */
const WORKGROUP = 256;

export interface ElementwiseShape {
  count: number;
}

export const geluMeta: KernelMeta<ElementwiseShape> = {
  name: 'gelu',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'storage' },
  ],
  workgroupSize: [WORKGROUP, 1, 1],
  requiredFeatures: [],
  flops: ({ count }) => 8 * count, // models/flops.ts: GELU 8 per element
  bytes: ({ count }) => 4 * 2 * count,
  workgroups: ({ count }) => grid2d(ceilDiv(count, WORKGROUP)),
};
