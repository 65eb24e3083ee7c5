import type { KernelMeta } from '../kernel-grid.ts';

export interface ArgmaxShape {
  n: number;
}

export const argmaxMeta: KernelMeta<ArgmaxShape> = {
  name: 'argmax',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'logits', kind: 'read-only-storage' },
    { binding: 2, name: 'ids', kind: 'storage' },
  ],
  workgroupSize: [256, 1, 1],
  requiredFeatures: [],
  flops: ({ n }) => n, // one compare per logit
  bytes: ({ n }) => 4 * n + 4,
  workgroups: () => [1, 1, 1],
};
