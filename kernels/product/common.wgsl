// What every product shares (gemm, gemm-splitk, gemv, gemv-subgroup; appended at pipeline creation
// after tile.wgsl or row.wgsl, src/engine/ops/product.ts).

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

// GELU, exact (erf) form, for the fused activation: the same expression as kernels/gelu/gelu.wgsl,
// so fusing it changes no bit.
fn erf_approx(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let r = 1.0 - poly * exp(-a * a);
  return select(-r, r, z >= 0.0);
}

fn gelu(v: f32) -> f32 {
  return 0.5 * v * (1.0 + erf_approx(v * 0.7071067811865476));
}
