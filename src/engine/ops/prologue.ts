/**
 * Prologues of the matrix products (gemm, gemv): the input is transformed as the product reads
 * it, so the element-wise kernel that used to run before the product — and its dispatch — goes.
 * RMSNorm: x̂ = x · inv_rms(row) · gamma; SwiGLU: a = silu(gate) · up; LayerNorm: x̂ = (x − mean) ·
 * rstd · gamma + beta. The WGSL (kernels/product) repeats the separate kernels' f32 operations in
 * their order (kernels/rmsnorm, kernels/swiglu, kernels/layernorm), so the fused product equals
 * the unfused chain. The normalized residual is the epilogue's counterpart: the residual added is
 * LayerNorm(R), for a post-LN block whose normalized state is read twice (see ResidualNorm).
 */
import { ELEMENTWISE_FLOPS } from '../models/flops.ts';
import type { BufferRef } from './common.ts';

export type ProductPrologue =
  /** The input rows are RMS-normalized (over k) and scaled by gamma [k] before the product. */
  | { kind: 'rmsnorm'; gamma: BufferRef; eps: number }
  /** The input (gate, binding 1) is combined with `up` (same layout and offset) as silu(gate)·up. */
  | { kind: 'swiglu'; up: BufferRef }
  /** The input rows are LayerNorm-ed (over k): (x − mean)·rstd·gamma + beta, gamma and beta packed [2, k]. */
  | { kind: 'layernorm'; gammaBeta: BufferRef; eps: number };

/**
 * The residual added in the epilogue is LayerNorm(R) of its row (over n), gamma and beta packed
 * [2, n]: a post-LN block adds the normalized state it never wrote. Its FLOPs are not counted by
 * the product: the graph books that LayerNorm on the prologue that reads the same rows.
 */
export interface ResidualNorm {
  gammaBeta: BufferRef;
  eps: number;
}

/** The PROLOGUE override of gemm.wgsl and gemv.wgsl. */
export function prologueCode(p: ProductPrologue | undefined): number {
  if (!p) return 0;
  switch (p.kind) {
    case 'rmsnorm':
      return 1;
    case 'swiglu':
      return 2;
    case 'layernorm':
      return 3;
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
    case 'layernorm':
      return p.gammaBeta;
  }
}

/** The epsilon word of the dims uniform (0 when unused). */
export function prologueEps(p: ProductPrologue | undefined): number {
  if (!p) return 0;
  switch (p.kind) {
    case 'rmsnorm':
    case 'layernorm':
      return p.eps;
    case 'swiglu':
      return 0;
  }
}

/** A normalized residual needs a residual to normalize. */
export function checkResidualNorm(label: string, residual: unknown, norm: ResidualNorm | undefined): void {
  if (norm && !residual) throw new RangeError(`${label}: a normalized residual needs a residual`);
}

/** The normalized residual's bytes: gamma and beta [2, n] (the residual itself is counted as a plain one). */
export const residualNormBytes = (norm: ResidualNorm | undefined, n: number): number => (norm ? 8 * n : 0);

/**
 * FLOPs of the prologue over an [m, k] input, as the separate kernels counted them
 * (models/flops.ts: rmsnorm 4, swiglu 6, layernorm 8 per element): fusing removes a dispatch, not work.
 */
export function prologueFlops(p: ProductPrologue | undefined, m: number, k: number): number {
  if (!p) return 0;
  switch (p.kind) {
    case 'rmsnorm':
      return ELEMENTWISE_FLOPS.rmsnorm * m * k;
    case 'swiglu':
      return ELEMENTWISE_FLOPS.swiglu * m * k;
    case 'layernorm':
      return ELEMENTWISE_FLOPS.layernorm * m * k;
  }
}

/**
 * Bytes the prologue adds to the product's own (which already reads the [m, k] input once):
 * gamma [k], up [m, k], or gamma and beta [2, k]. The normalized or gated tensor is never written
 * and read back.
 */
export function prologueBytes(p: ProductPrologue | undefined, m: number, k: number): number {
  if (!p) return 0;
  switch (p.kind) {
    case 'rmsnorm':
      return 4 * k;
    case 'swiglu':
      return 4 * m * k;
    case 'layernorm':
      return 8 * k;
  }
}
