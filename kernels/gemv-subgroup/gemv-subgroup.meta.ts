import { ceilDiv, grid2d, type KernelMeta } from '../kernel-grid.ts';
import { GEMV_COLS, GEMV_KSPLIT, gemvMeta, type GemvShape } from '../gemv/gemv.meta.ts';

/**
 * gemv with its K reduction on subgroup operations (needs the `subgroups` feature): the same
 * products, bindings and epilogue as kernels/gemv; the dispatch is still reported as `gemv` (the
 * per-kernel breakdown counts products, and `environment.tuning` says which reduction ran).
 * `cols`/`ksplit` ('kn') and `rowLanes`/`rowsPerWorkgroup` ('nk') override the workgroup shape
 * (powers of two, product ≤ 256); the defaults match gemv's, so both launch the same grids.
 */
export interface GemvSubgroupShape extends GemvShape {
  cols?: number;
  ksplit?: number;
  rowLanes?: number;
  rowsPerWorkgroup?: number;
}

/** Invocations along k per row of main_rows, and rows per workgroup: RL and RPW of the WGSL. */
export const GEMV_SG_ROW_LANES = 64;
export const GEMV_SG_ROWS = 4;

export const gemvSubgroupUsesVec4 = (s: GemvShape): boolean => s.layout === 'kn' && s.n % 4 === 0;

export const gemvSubgroupMeta: KernelMeta<GemvSubgroupShape> = {
  name: 'gemv-subgroup',
  bindings: gemvMeta.bindings,
  workgroupSize: [GEMV_COLS, GEMV_KSPLIT, 1],
  entryWorkgroupSizes: { main_rows: [GEMV_SG_ROW_LANES, GEMV_SG_ROWS, 1] },
  requiredFeatures: ['subgroups'],
  flops: (s) => gemvMeta.flops(s),
  bytes: (s) => gemvMeta.bytes(s),
  workgroups: (s) => {
    switch (s.layout) {
      case 'kn':
        return [ceilDiv(gemvSubgroupUsesVec4(s) ? s.n / 4 : s.n, s.cols ?? GEMV_COLS), 1, 1];
      case 'nk':
        return grid2d(ceilDiv(s.n, s.rowsPerWorkgroup ?? GEMV_SG_ROWS));
    }
  },
};
