// GELU, exact (erf) form as in BERT: x · ½ · (1 + erf(x / √2)), fp32. One copy, appended at
// pipeline creation to the GELU kernel (gelu.wgsl) and to every product (the fused activation,
// src/engine/ops/product.ts), so the fused and the separate GELU are the same f32 operations.
// WGSL has no erf: Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), below f32 resolution of the
// result for the activations a transformer sees.
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
