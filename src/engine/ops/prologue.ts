/**
 * Prologues of the matrix products (gemm, gemv): the input is transformed as the product reads
 * it, so the element-wise kernel that used to run before the product — and its dispatch — goes.
 * RMSNorm: x̂ = x · inv_rms(row) · gamma; SwiGLU: a = silu(gate) · up. The WGSL repeats the
 * separate kernels' f32 operations in their order (kernels/rmsnorm, kernels/swiglu), so the
 * fused product equals the unfused chain.
 */
import { ELEMENTWISE_FLOPS } from '../models/flops.ts';
import type { BufferRef } from './common.ts';

export type ProductPrologue =
  /** The input rows are RMS-normalized (over k) and scaled by gamma [k] before the product. */
  | { kind: 'rmsnorm'; gamma: BufferRef; eps: number }
  /** The input (gate, binding 1) is combined with `up` (same layout and offset) as silu(gate)·up. */
  | { kind: 'swiglu'; up: BufferRef };

/** The PROLOGUE override of gemm.wgsl and gemv.wgsl. */
export function prologueCode(p: ProductPrologue | undefined): number {
  if (!p) return 0;
  switch (p.kind) {
    case 'rmsnorm':
      return 1;
    case 'swiglu':
      return 2;
  }
}

/** What binding 6 holds: gamma or up; undefined without a prologue (a dummy is bound). */
export function prologueOperand(p: ProductPrologue | undefined): BufferRef | undefined {
  if (!p) return undefined;
  switch (p.kind) {
    case 'rmsnorm':
      return p.gamma;
    case 'swiglu':
      return p.up;
  }
}

/** The epsilon word of the dims uniform (0 when unused). */
export const prologueEps = (p: ProductPrologue | undefined): number => (p?.kind === 'rmsnorm' ? p.eps : 0);

/**
 * FLOPs of the prologue over an [m, k] input, as the separate kernels counted them
 * (models/flops.ts: rmsnorm 4, swiglu 6 per element): fusing removes a dispatch, not work.
 */
export function prologueFlops(p: ProductPrologue | undefined, m: number, k: number): number {
  if (!p) return 0;
  switch (p.kind) {
    case 'rmsnorm':
      return ELEMENTWISE_FLOPS.rmsnorm * m * k;
    case 'swiglu':
      return ELEMENTWISE_FLOPS.swiglu * m * k;
  }
}

/**
 * Bytes the prologue adds to the product's own (which already reads the [m, k] input once):
 * gamma [k], or up [m, k]. The normalized or gated tensor is never written and read back.
 */
export function prologueBytes(p: ProductPrologue | undefined, m: number, k: number): number {
  if (!p) return 0;
  switch (p.kind) {
    case 'rmsnorm':
      return 4 * k;
    case 'swiglu':
      return 4 * m * k;
  }
}
