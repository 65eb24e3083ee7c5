import type { KernelMeta } from '../kernel-grid.ts';

/**
 * The encoder's classifier head on the first token: pre-classifier dense d→d + activation
 * (DistilBERT: ReLU; BERT pooler: tanh), then classifier dense d→labels. It runs as two `gemv`
 * dispatches (kernels/gemv, activation fused in the epilogue) reported under this name, so the
 * breakdown shows the head apart from the projections. Counts as in models/flops.ts.
 */
export interface ClassifierShape {
  hidden: number;
  labels: number;
}

export const classifierMeta: KernelMeta<ClassifierShape> = {
  name: 'classifier',
  bindings: [
    { binding: 0, name: 'dims', kind: 'uniform' },
    { binding: 1, name: 'x', kind: 'read-only-storage' },
    { binding: 2, name: 'w', kind: 'read-only-storage' },
    { binding: 3, name: 'y', kind: 'storage' },
    { binding: 4, name: 'bias', kind: 'read-only-storage' },
  ],
  workgroupSize: [64, 4, 1],
  requiredFeatures: [],
  flops: ({ hidden: d, labels }) => 2 * d * d + d + d + 2 * d * labels + labels,
  bytes: ({ hidden: d, labels }) => 4 * (d + d * d + d + d + d * labels + labels + labels),
  workgroups: ({ hidden }) => [Math.ceil(hidden / 256), 1, 1],
};
