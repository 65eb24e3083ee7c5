/**
 * The matrix-vector product with its K reduction on subgroup operations (kernels/gemv-subgroup):
 * the same arguments, outputs, prologue, epilogue, FLOPs and bytes as createGemv. createLinear picks it for
 * m = 1 when the device has `subgroups` and the tuning says so (`useSubgroupReduction`).
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import { KernelLimitError } from '../errors.ts';
import gemvSubgroupCode from '../../../kernels/gemv-subgroup/gemv-subgroup.wgsl?raw';
import { GEMV_COLS, GEMV_KSPLIT } from '../../../kernels/gemv/gemv.meta.ts';
import { GEMV_SG_ROW_LANES, GEMV_SG_ROWS, gemvSubgroupMeta, gemvSubgroupUsesVec4, type GemvSubgroupShape } from '../../../kernels/gemv-subgroup/gemv-subgroup.meta.ts';
import { dispatch } from './common.ts';
import { gemvBindGroup, gemvConstants, gemvFusedCosts, type GemvArgs } from './gemv.ts';
import { rowProductSource } from './product.ts';
import { checkPrecision } from './weight-storage.ts';

/**
 * True when this device and cache run the subgroup reductions (GEMV, and greedy argmax with it):
 * the tuning's `gemvReduction` asks for them and the device has `subgroups`; otherwise the tuning
 * is ignored and the workgroup kernels run.
 */
export function useSubgroupReduction(device: GPUDevice, cache: PipelineCache): boolean {
  return cache.tuning.gemvReduction === 'subgroup' && device.features.has('subgroups');
}

/** Workgroup shape overrides (tests exercise subgroups wider than the reduction with them). */
export interface GemvSubgroupWorkgroup {
  /** 'kn': column groups × k slices per workgroup (default gemv's 16 × 16). */
  cols?: number;
  ksplit?: number;
  /** 'nk': invocations along k per row × rows per workgroup (default 64 × 4). */
  rowLanes?: number;
  rowsPerWorkgroup?: number;
}

export interface GemvSubgroupArgs extends GemvArgs {
  workgroup?: GemvSubgroupWorkgroup;
}

const isPow2 = (v: number): boolean => Number.isInteger(v) && v >= 1 && (v & (v - 1)) === 0;

function checkShape(label: string, a: number, b: number): void {
  // The reduction relies on power-of-two groups (aligned subgroups, xor butterflies) and on the
  // 256-entry workgroup arrays of the WGSL.
  if (!isPow2(a) || !isPow2(b) || a * b > 256) throw new KernelLimitError(`${label}: subgroup gemv workgroup ${a}×${b} must be powers of two with at most 256 invocations`);
}

/** y = act(x'·W + bias) (+ residual) for one row, x' = x or its prologue, K summed with subgroup operations. */
export function createGemvSubgroup(device: GPUDevice, cache: PipelineCache, args: GemvSubgroupArgs): Dispatch {
  const label = args.label ?? 'GemvSubgroup';
  if (!device.features.has('subgroups')) throw new KernelLimitError(`${label}: the device was created without the 'subgroups' feature`);
  checkPrecision(device, label, args.precision);
  const layout = args.layout ?? 'kn';
  const wgArgs = args.workgroup ?? {};
  const cols = wgArgs.cols ?? GEMV_COLS;
  const ksplit = wgArgs.ksplit ?? GEMV_KSPLIT;
  const rowLanes = wgArgs.rowLanes ?? GEMV_SG_ROW_LANES;
  const rowsPerWorkgroup = wgArgs.rowsPerWorkgroup ?? GEMV_SG_ROWS;
  const shape: GemvSubgroupShape = { n: args.n, k: args.k, layout, cols, ksplit, rowLanes, rowsPerWorkgroup };
  let entry: string;
  let shapeConstants: Record<string, number>;
  switch (layout) {
    case 'kn':
      checkShape(label, cols, ksplit);
      entry = gemvSubgroupUsesVec4(shape) ? 'main_vec4' : 'main_scalar';
      shapeConstants = { COLS: cols, KSPLIT: ksplit };
      break;
    case 'nk':
      checkShape(label, rowLanes, rowsPerWorkgroup);
      entry = 'main_rows';
      shapeConstants = { RL: rowLanes, RPW: rowsPerWorkgroup };
      break;
  }
  const pipeline = cache.get('gemv-subgroup', rowProductSource(gemvSubgroupCode, args.weights, args.precision), { ...gemvConstants(args), ...shapeConstants }, entry);
  const bg = gemvBindGroup(device, pipeline, label, args);
  // FLOPs and bytes exactly as createGemv counts them: the reduction changes neither.
  const extra = gemvFusedCosts(args);
  return dispatch(args.kernelName ?? 'gemv', pipeline, bg, gemvSubgroupMeta.workgroups(shape), gemvSubgroupMeta.flops(shape) + extra.flops, gemvSubgroupMeta.bytes(shape) + extra.bytes, args.phase);
}
