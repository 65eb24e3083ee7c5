// GELU, exact (erf) form, for the products' fused activation: the same expression as
// kernels/gelu/gelu.wgsl, so fusing it changes no bit. Appended at pipeline creation to gemm,
// gemm-splitk, gemv and gemv-subgroup (src/engine/ops/product.ts).
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
