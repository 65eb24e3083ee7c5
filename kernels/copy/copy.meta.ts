import { type KernelMeta } from '../kernel.ts';

export interface CopyShape {
  /** Bytes copied (a multiple of 16). */
  bytes: number;
}

export const COPY_WORKGROUP = 256;
export const COPY_ROW_WORKGROUPS = 1024;

export const copyMeta: KernelMeta<CopyShape> = {
  name: 'copy',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'src', kind: 'read-only-storage' },
    { binding: 2, name: 'dst', kind: 'storage' },
  ],
  workgroupSize: [COPY_WORKGROUP, 1, 1],
  requiredFeatures: [],
  flops: () => 0,
  // Bandwidth convention: bytes read + bytes written.
  bytes: ({ bytes }) => 2 * bytes,
  workgroups: ({ bytes }) => {
    const groups = Math.ceil(bytes / 16 / COPY_WORKGROUP);
    const x = Math.min(groups, COPY_ROW_WORKGROUPS);
    return [x, Math.ceil(groups / x), 1];
  },
};
