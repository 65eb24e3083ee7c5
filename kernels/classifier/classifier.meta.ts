import type { KernelMeta } from '../kernel-grid.ts';
import { gemvMeta } from '../gemv/gemv.meta.ts';

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
  // It runs on the gemv kernel ('kn' entry points), so it has gemv's bindings and workgroup.
  bindings: gemvMeta.bindings,
  workgroupSize: gemvMeta.workgroupSize,
  requiredFeatures: [],
  flops: ({ hidden: d, labels }) => 2 * d * d + d + d + 2 * d * labels + labels,
  bytes: ({ hidden: d, labels }) => 4 * (d + d * d + d + d + d * labels + labels + labels),
  // The first of its two dispatches (the pre-classifier d→d gemv).
  workgroups: ({ hidden }) => gemvMeta.workgroups({ n: hidden, k: hidden, layout: 'kn' }),
};
