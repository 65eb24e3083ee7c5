import type { KernelMeta } from '../kernel-grid.ts';
import { argmaxMeta, type ArgmaxShape } from '../argmax/argmax.meta.ts';

/**
 * argmax with its workgroup reduction on subgroup operations (needs `subgroups`); same
 * bindings, counts and result as kernels/argmax, and still reported as `argmax`.
 */
export const argmaxSubgroupMeta: KernelMeta<ArgmaxShape> = {
  ...argmaxMeta,
  name: 'argmax-subgroup',
  requiredFeatures: ['subgroups'],
};
