import { type KernelMeta } from '../kernel.ts';

export interface FmaPeakShape {
  /** Invocations; a multiple of the workgroup size. */
  invocations: number;
  iterations: number;
}

export const FMA_WORKGROUP = 256;
/** Workgroups per row of the 2D dispatch (stays under maxComputeWorkgroupsPerDimension = 65535). */
export const FMA_ROW_WORKGROUPS = 1024;
/** 16 vec4 FMAs per loop iteration = 64 lanes × 2 FLOPs. */
export const FLOPS_PER_ITERATION = 16 * 4 * 2;
/** The final a + b + c + d: 3 vec4 adds. */
export const FLOPS_EPILOGUE = 3 * 4;

export const fmaPeakMeta: KernelMeta<FmaPeakShape> = {
  name: 'fma-peak',
  bindings: [
    { binding: 0, name: 'params', kind: 'uniform' },
    { binding: 1, name: 'result', kind: 'storage' },
  ],
  workgroupSize: [FMA_WORKGROUP, 1, 1],
  requiredFeatures: [],
  flops: ({ invocations, iterations }) => invocations * (iterations * FLOPS_PER_ITERATION + FLOPS_EPILOGUE),
  // Only the result is written; the loop runs in registers.
  bytes: ({ invocations }) => invocations * 16,
  workgroups: ({ invocations }) => {
    const groups = Math.ceil(invocations / FMA_WORKGROUP);
    const x = Math.min(groups, FMA_ROW_WORKGROUPS);
    return [x, Math.ceil(groups / x), 1];
  },
};

/** CPU reference for one invocation (double precision; the GPU may or may not fuse the FMA). */
export function fmaPeakRef(idx: number, iterations: number, mul: number, add: number): [number, number, number, number] {
  const base = (idx & 255) / 256;
  const lanes = [base, base + 0.1, base + 0.2, base + 0.3];
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let l = 0; l < 4; l++) {
    let acc = 0;
    for (const off of [0, 0.01, 0.02, 0.03]) {
      let x = lanes[l]! + off;
      for (let i = 0; i < iterations * 4; i++) x = x * mul + add;
      acc += x;
    }
    out[l] = acc;
  }
  return out;
}
