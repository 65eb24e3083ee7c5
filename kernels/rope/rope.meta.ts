import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';

/** Threads per workgroup (the WGSL's @workgroup_size), on a 1-D grid. */
const WORKGROUP = 64;

export interface RopeShape {
  tokens: number;
  heads: number;
  kvHeads: number;
  headDim: number;
}

export const ropeMeta: KernelMeta<RopeShape> = {
  name: 'rope',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'cos', kind: 'read-only-storage' },
    { binding: 2, name: 'sin', kind: 'read-only-storage' },
    { binding: 3, name: 'q', kind: 'storage' },
    { binding: 4, name: 'k', kind: 'storage' },
  ],
  workgroupSize: [WORKGROUP, 1, 1],
  requiredFeatures: [],
  // Two products and a sum per output element, over Q and K (models/flops.ts: RoPE 3).
  flops: (s) => 3 * s.tokens * (s.heads + s.kvHeads) * s.headDim,
  bytes: (s) => 4 * (2 * s.tokens * (s.heads + s.kvHeads) * s.headDim + s.tokens * s.headDim),
  workgroups: (s) => grid2d(ceilDiv((s.tokens * (s.heads + s.kvHeads) * s.headDim) / 2, WORKGROUP)),
};

/** cos/sin tables [positions, headDim/2], angle p·θ^(−2i/headDim), computed in f64. */
export function ropeTables(positions: number, headDim: number, theta: number): { cos: Float32Array; sin: Float32Array } {
  const half = headDim / 2;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * Math.pow(theta, (-2 * i) / headDim);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}
