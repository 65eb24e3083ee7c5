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
import { ELEMENTWISE_FLOPS } from '../models/flops.ts';
import { bindGroup, dispatch, dummyBuffer, packWords, segmentWords, uniformBuffer } from './common.ts';
import { prologueBytes, prologueCode, prologueEps, prologueFlops, prologueOperand } from './prologue.ts';
import type { GemvActivation, GemvArgs } from './gemv.ts';
import { weightBytesPerElement, withWeights } from './weight-storage.ts';

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

const ACTIVATION_CODE: Record<GemvActivation, number> = { none: 0, relu: 1, tanh: 2, gelu: 3 };

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
  const layout = args.layout ?? 'kn';
  const wgArgs = args.workgroup ?? {};
  const cols = wgArgs.cols ?? GEMV_COLS;
  const ksplit = wgArgs.ksplit ?? GEMV_KSPLIT;
  const rowLanes = wgArgs.rowLanes ?? GEMV_SG_ROW_LANES;
  const rowsPerWorkgroup = wgArgs.rowsPerWorkgroup ?? GEMV_SG_ROWS;
  const shape: GemvSubgroupShape = { n: args.n, k: args.k, layout, cols, ksplit, rowLanes, rowsPerWorkgroup };
  const activation = args.activation ?? 'none';
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
  const pipeline = cache.get('gemv-subgroup', withWeights(gemvSubgroupCode, args.weights), { HAS_BIAS: args.bias ? 1 : 0, ACTIVATION: ACTIVATION_CODE[activation], HAS_RESIDUAL: args.residual ? 1 : 0, PROLOGUE: prologueCode(args.prologue), ...shapeConstants }, entry);
  const segments = args.segments ?? [{ cols: args.n, offset: args.yOffset ?? 0 }];
  if (args.residual && segments.length > 1) throw new RangeError(`${label}: a residual needs a single output segment`);
  const [n0, n1, y0, y1, y2] = segmentWords(label, args.n, segments);
  const dimWords = [args.n, args.k, args.xOffset ?? 0, y0, n0, n1, y1, y2].map((u) => ({ u }));
  const dims = uniformBuffer(device, `${label}.dims`, packWords([...dimWords, { f: prologueEps(args.prologue) }]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [
    [0, dims],
    [1, args.x],
    [2, args.w],
    [3, args.y],
    [4, args.bias ?? dummyBuffer(device)],
    [5, args.residual ?? dummyBuffer(device)],
    [6, prologueOperand(args.prologue) ?? dummyBuffer(device)],
  ]);
  // FLOPs and bytes exactly as createGemv counts them: the reduction changes neither.
  const activationFlops = activation === 'gelu' ? ELEMENTWISE_FLOPS.gelu : activation !== 'none' ? 1 : 0;
  const extraFlops =
    (args.bias ? args.n : 0) + activationFlops * args.n + (args.residual ? ELEMENTWISE_FLOPS.residual * args.n : 0) + (args.countPrologue === false ? 0 : prologueFlops(args.prologue, 1, args.k));
  const bytes =
    gemvSubgroupMeta.bytes(shape) - (4 - weightBytesPerElement(args.weights)) * args.k * args.n + (args.bias ? 4 * args.n : 0) + (args.residual ? 4 * args.n : 0) + prologueBytes(args.prologue, 1, args.k);
  return dispatch(args.kernelName ?? 'gemv', pipeline, bg, gemvSubgroupMeta.workgroups(shape), gemvSubgroupMeta.flops(shape) + extraFlops, bytes, args.phase);
}
