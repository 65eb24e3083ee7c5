/**
 * The element-wise kernels (GELU, SwiGLU, residual add): one shape ({ count }), one uniform layout.
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import type { KernelMeta } from '../../../kernels/kernel.ts';
import geluKernelCode from '../../../kernels/gelu/gelu.wgsl?raw';
import geluFnCode from '../../../kernels/gelu/gelu-fn.wgsl?raw';
import swigluCode from '../../../kernels/swiglu/swiglu.wgsl?raw';
import residualCode from '../../../kernels/residual/residual.wgsl?raw';
import { geluMeta } from '../../../kernels/gelu/gelu.meta.ts';
import { swigluMeta } from '../../../kernels/swiglu/swiglu.meta.ts';
import { residualMeta } from '../../../kernels/residual/residual.meta.ts';
import { bindGroup, dispatch, uniformBuffer, type BufferRef, type OpCommon } from './common.ts';

/** The GELU kernel with its function (gelu-fn.wgsl, shared with the products' fused activation). */
const geluCode = `${geluKernelCode}\n${geluFnCode}`;

export interface ElementwiseArgs extends OpCommon {
  count: number;
}

/** The element-wise kernels share one shape ({ count }) and one uniform layout. */
function elementwise(
  device: GPUDevice,
  cache: PipelineCache,
  kernel: 'gelu' | 'swiglu' | 'residual',
  code: string,
  meta: KernelMeta<{ count: number }>,
  args: ElementwiseArgs,
  buffers: readonly BufferRef[],
  defaultLabel: string,
): Dispatch {
  const label = args.label ?? defaultLabel;
  const pipeline = cache.get(kernel, code);
  const params = uniformBuffer(device, `${label}.params`, new Uint32Array([args.count, 0, 0, 0]), args.resources);
  const bg = bindGroup(device, pipeline, `${label}.bindGroup`, [[0, params], ...buffers.map((b, i) => [i + 1, b] as const)]);
  const shape = { count: args.count };
  return dispatch(kernel, pipeline, bg, meta.workgroups(shape), meta.flops(shape), meta.bytes(shape), args.phase);
}

/** GELU (erf form) in place on `x[0 .. count)`. */
export function createGelu(device: GPUDevice, cache: PipelineCache, args: ElementwiseArgs & { x: BufferRef }): Dispatch {
  return elementwise(device, cache, 'gelu', geluCode, geluMeta, args, [args.x], 'Gelu');
}

/** gate = silu(gate) · up, in place on `gate`. */
export function createSwiglu(device: GPUDevice, cache: PipelineCache, args: ElementwiseArgs & { gate: BufferRef; up: BufferRef }): Dispatch {
  return elementwise(device, cache, 'swiglu', swigluCode, swigluMeta, args, [args.gate, args.up], 'Swiglu');
}

/** x += y on `count` elements. */
export function createResidual(device: GPUDevice, cache: PipelineCache, args: ElementwiseArgs & { x: BufferRef; y: BufferRef }): Dispatch {
  return elementwise(device, cache, 'residual', residualCode, residualMeta, args, [args.x, args.y], 'Residual');
}
