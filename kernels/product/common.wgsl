// What every product shares (gemm, gemm-splitk, gemv, gemv-subgroup; appended at pipeline creation
// after tile.wgsl or row.wgsl, src/engine/ops/product.ts). The fused GELU is kernels/gelu/gelu-fn.wgsl,
// appended too: the standalone GELU kernel's own function, so fusing it changes no bit.

// The norms' row statistics (RMSNorm and LayerNorm prologues, the normalized residual) use the norm
// kernels' workgroup of 64 lanes: lane t sums elements t, t + 64, …, then a halving tree. Their order.
const NORM_LANES: u32 = 64u;

// One lane's term: x (what = 0), (x − mean)² (1: layernorm.wgsl's `let c = x − mean; q += c·c`), x² (2).
fn normTerm(v: f32, what: u32, mean: f32) -> f32 {
  switch (what) {
    case 0u: { return v; }
    case 1u: { let c = v - mean; return c * c; }
    default: { return v * v; }
  }
}
