import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';

/** Threads per workgroup (the WGSL's @workgroup_size), on a 1-D grid. */
const WORKGROUP = 256;

export interface WeightSynthShape {
  count: number;
  /** f16 storage: two elements per thread and 2 bytes each. */
  f16?: boolean;
}

export const weightSynthMeta: KernelMeta<WeightSynthShape> = {
  name: 'weight-synth',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'out', kind: 'storage' },
  ],
  workgroupSize: [WORKGROUP, 1, 1],
  requiredFeatures: [],
  // Integer hashing is not floating-point work: one multiply and one subtract per element.
  flops: ({ count }) => 2 * count,
  bytes: ({ count, f16 }) => (f16 ? 2 : 4) * count,
  workgroups: ({ count, f16 }) => grid2d(ceilDiv(f16 ? ceilDiv(count, 2) : count, WORKGROUP)),
};
