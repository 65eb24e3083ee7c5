/**
 * The WGSL the matrix products share, appended at pipeline creation like the weight-storage
 * snippet: kernels/product/tile.wgsl (gemm and split-K: tiles, A prologue, C epilogue),
 * kernels/product/row.wgsl (gemv and the subgroup GEMV: x prologue, y epilogue) and
 * kernels/product/common.wgsl (the norms' lane terms, for both) and kernels/gelu/gelu-fn.wgsl (the fused
 * GELU: the GELU kernel's own function). One copy of each prologue and
 * epilogue, so a plain kernel and its tuned variant cannot drift apart. One copy of each precision
 * too: the snippets multiply in the weight snippet's `ProductT`, so the same text is the f32 product
 * (every conversion the identity) or the f16 one (see weight-storage.ts and kernels/product/tile.wgsl).
 */
import tileCode from '../../../kernels/product/tile.wgsl?raw';
import rowCode from '../../../kernels/product/row.wgsl?raw';
import commonCode from '../../../kernels/product/common.wgsl?raw';
import geluFnCode from '../../../kernels/gelu/gelu-fn.wgsl?raw';
import { withProductWeights, type ProductPrecision, type WeightStorage } from './weight-storage.ts';

/** Every shared product snippet (the tuning cache key hashes them with the kernels). */
export const PRODUCT_SNIPPETS: readonly string[] = [tileCode, rowCode, commonCode, geluFnCode];

const TILE_PARTS = `${tileCode}\n${commonCode}\n${geluFnCode}`;
const ROW_PARTS = `${rowCode}\n${commonCode}\n${geluFnCode}`;

/**
 * The shared text appended to a kernel's own WGSL before the weight snippet: tile parts for gemm
 * and gemm-splitk, row parts for gemv and gemv-subgroup, nothing for any other kernel.
 */
export function productParts(kernel: string): string {
  switch (kernel) {
    case 'gemm':
    case 'gemm-splitk':
      return TILE_PARTS;
    case 'gemv':
    case 'gemv-subgroup':
      return ROW_PARTS;
    default:
      return '';
  }
}

/**
 * A tiled product's source (gemm, gemm-splitk) as compiled: kernel + tile parts + common parts +
 * weight access, multiplying in `precision` (f16: `enable f16;` first; it needs f16 weights).
 */
export function tileProductSource(code: string, storage: WeightStorage | undefined, precision: ProductPrecision = 'f32'): string {
  return withProductWeights(`${code}\n${TILE_PARTS}`, storage, precision);
}

/** A matrix-vector product's source (gemv, gemv-subgroup) as compiled: kernel + row parts + common parts + weight access, in `precision`. */
export function rowProductSource(code: string, storage: WeightStorage | undefined, precision: ProductPrecision = 'f32'): string {
  return withProductWeights(`${code}\n${ROW_PARTS}`, storage, precision);
}
