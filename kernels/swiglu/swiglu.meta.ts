import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';
import type { ElementwiseShape } from '../gelu/gelu.meta.ts';

/** Threads per workgroup (the WGSL's @workgroup_size), on a 1-D grid. */
const WORKGROUP = 256;

export const swigluMeta: KernelMeta<ElementwiseShape> = {
  name: 'swiglu',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'gate', kind: 'storage' },
    // read_write only so it may be a slice of the gate's buffer (see swiglu.wgsl); never written.
    { binding: 2, name: 'up', kind: 'storage' },
  ],
  workgroupSize: [WORKGROUP, 1, 1],
  requiredFeatures: [],
  flops: ({ count }) => 6 * count, // silu 4, ·up, (models/flops.ts: 6 per element)
  bytes: ({ count }) => 4 * 3 * count,
  workgroups: ({ count }) => grid2d(ceilDiv(count, WORKGROUP)),
};
