import type { KernelMeta } from '../kernel-grid.ts';

export interface EmbeddingShape {
  tokens: number;
  dim: number;
  positions: boolean;
}

export const embeddingMeta: KernelMeta<EmbeddingShape> = {
  name: 'embedding',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'ids', kind: 'read-only-storage' },
    { binding: 2, name: 'table', kind: 'read-only-storage' },
    { binding: 3, name: 'positions', kind: 'read-only-storage' },
    { binding: 4, name: 'out', kind: 'storage' },
  ],
  workgroupSize: [64, 1, 1],
  requiredFeatures: [],
  // Only the position add computes (models/flops.ts: 1 per element); ids are u32.
  flops: (s) => (s.positions ? s.tokens * s.dim : 0),
  bytes: (s) => 4 * s.tokens + 4 * (s.positions ? 3 : 2) * s.tokens * s.dim,
  workgroups: (s) => [s.tokens, 1, 1],
};
