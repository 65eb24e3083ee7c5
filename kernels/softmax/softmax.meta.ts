import type { KernelMeta } from '../kernel-grid.ts';

export interface SoftmaxShape {
  rows: number;
  cols: number;
}

export const softmaxMeta: KernelMeta<SoftmaxShape> = {
  name: 'softmax',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'storage' },
  ],
  workgroupSize: [64, 1, 1],
  requiredFeatures: [],
  // Per element: max, subtract, exp, add, scale = 5.
  flops: ({ rows, cols }) => 5 * rows * cols,
  bytes: ({ rows, cols }) => 4 * 2 * rows * cols,
  workgroups: ({ rows }) => [rows, 1, 1],
};
