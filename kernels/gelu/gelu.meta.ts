import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';

export interface ElementwiseShape {
  count: number;
}

export const geluMeta: KernelMeta<ElementwiseShape> = {
  name: 'gelu',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'storage' },
  ],
  workgroupSize: [256, 1, 1],
  requiredFeatures: [],
  flops: ({ count }) => 8 * count, // models/flops.ts: GELU 8 per element
  bytes: ({ count }) => 4 * 2 * count,
  workgroups: ({ count }) => grid2d(ceilDiv(count, 256)),
};
