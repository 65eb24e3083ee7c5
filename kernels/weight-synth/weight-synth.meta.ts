import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';

export interface WeightSynthShape {
  count: number;
}

export const weightSynthMeta: KernelMeta<WeightSynthShape> = {
  name: 'weight-synth',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'out', kind: 'storage' },
  ],
  workgroupSize: [256, 1, 1],
  requiredFeatures: [],
  // Integer hashing is not floating-point work: one multiply and one subtract per element.
  flops: ({ count }) => 2 * count,
  bytes: ({ count }) => 4 * count,
  workgroups: ({ count }) => grid2d(ceilDiv(count, 256)),
};
