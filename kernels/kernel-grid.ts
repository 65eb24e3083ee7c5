/**
 * Grid helpers shared by the kernels of this folder (re-exports kernel.ts so a meta imports one
 * module). WebGPU caps each grid dimension at 65535 workgroups (maxComputeWorkgroupsPerDimension
 * default), so long 1-D launches fold into x·y and the shader linearizes `wg.y * nwg.x + wg.x`.
 */
export { ceilDiv, type KernelMeta } from './kernel.ts';

export const MAX_WORKGROUPS_PER_DIM = 65535;

export function grid2d(workgroups: number): [number, number, number] {
  const count = Math.max(1, workgroups);
  if (count <= MAX_WORKGROUPS_PER_DIM) return [count, 1, 1];
  const y = Math.ceil(count / MAX_WORKGROUPS_PER_DIM);
  return [Math.ceil(count / y), y, 1];
}
