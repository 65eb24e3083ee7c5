// The matrix-vector products' shared parts: gemv.wgsl and gemv-subgroup.wgsl get this text
// appended at pipeline creation (src/engine/ops/product.ts), so both read x through the same
// prologue and finish y with the same epilogue: one copy, the same f32 operations in both.
//
// Expects from the kernel: `dims` (n, k, xOffset, yOffset, n0, n1, y1, y2, eps, epsR), the
// overrides HAS_BIAS, ACTIVATION, HAS_RESIDUAL, RESIDUAL_NORM and PROLOGUE, `x`, `y`, `bias`,
// `residual`, the prologue's operand `prologue` and the normalized residual's gamma/beta
// `residualNorm`; normTerm() and NORM_LANES come from common.wgsl, gelu() from kernels/gelu/gelu-fn.wgsl; ProductT and loadW4 /
// loadW1 from the weight snippet (kernels/weights).
//
// Precision (the kernels' K loops: `acc += vec4<f32>(ProductT(xin(…)) * loadW4(…))`): with
// ProductT = f32 every conversion is the identity (the f32 operations as before f16 existed); with
// ProductT = f16 (weights-f16-compute.wgsl, shader-f16) x — after the f32 prologue — is rounded to
// f16, W is read as f16, each product x·w is rounded to f16 (error ≤ u = 2⁻¹¹ relative rounded to
// nearest, plus x's own rounding: ≤ ≈ 2u per term; WGSL allows either neighbour, 4u at worst),
// widened to f32 and accumulated in f32 across k and across the
// partial sums; the reductions, the row statistics and the epilogue stay f32. Summing in f32 keeps
// the error at ≈ 2u · Σ_k |x_k·w_k| whatever K (an f16 running sum would add K roundings of the
// growing sum, and overflow past 65504).

// ---- Prologue: x transformed as it is read ----
// Row statistics with the norm kernels' 64 lanes (lane t sums elements t, t + 64, …) and halving
// tree: invocation li of a workgroup of `size` plays lanes li, li + size, … (one lane each when
// size ≥ 64). All invocations, uniform control flow.
var<workgroup> normRed: array<f32, 64>;

// The sum over `count` elements from x[xOffset] (src 0) or residual[yOffset] (src 1) of the terms.
fn rowSum(li: u32, size: u32, src: u32, count: u32, what: u32, mean: f32) -> f32 {
  workgroupBarrier(); // every invocation has read the previous sum out of normRed
  for (var lane = li; lane < NORM_LANES; lane += size) {
    var q = 0.0;
    for (var i = lane; i < count; i += NORM_LANES) {
      var v: f32;
      if (src == 1u) { v = residual[dims.yOffset + i]; } else { v = x[dims.xOffset + i]; }
      q += normTerm(v, what, mean);
    }
    normRed[lane] = q;
  }
  workgroupBarrier();
  for (var s = NORM_LANES / 2u; s > 0u; s >>= 1u) {
    for (var j = li; j < s; j += size) { normRed[j] += normRed[j + s]; }
    workgroupBarrier();
  }
  return normRed[0];
}

// (mean, inv_rms) for RMSNorm: (0, inverseSqrt(Σx² / k + eps)), rmsnorm.wgsl's operations; (mean,
// rstd) for LayerNorm: layernorm.wgsl's two passes. Of x's row (src 0, k, eps) or of the residual
// row (src 1, n, epsR).
fn rmsStats(li: u32, size: u32) -> vec2<f32> {
  return vec2<f32>(0.0, inverseSqrt(rowSum(li, size, 0u, dims.k, 2u, 0.0) / f32(dims.k) + dims.eps));
}

fn layerStats(li: u32, size: u32, src: u32, count: u32, eps: f32) -> vec2<f32> {
  let mean = rowSum(li, size, src, count, 0u, 0.0) / f32(count);
  return vec2<f32>(mean, inverseSqrt(rowSum(li, size, src, count, 1u, mean) / f32(count) + eps));
}

// What the prologue needs of x's row before the product: (mean, inv_rms or rstd); (0, 1) otherwise.
fn rowStats(li: u32, size: u32) -> vec2<f32> {
  var st = vec2<f32>(0.0, 1.0);
  if (PROLOGUE == 1u) { st = rmsStats(li, size); }
  if (PROLOGUE == 3u) { st = layerStats(li, size, 0u, dims.k, dims.eps); }
  return st;
}

// The normalized residual's (mean, rstd) of the residual row; (0, 1) without RESIDUAL_NORM.
fn residualStats(li: u32, size: u32) -> vec2<f32> {
  var st = vec2<f32>(0.0, 1.0);
  if (RESIDUAL_NORM) { st = layerStats(li, size, 1u, dims.n, dims.epsR); }
  return st;
}

// x[kk] as the product reads it: through the prologue when there is one (LayerNorm: gamma [k]
// then beta [k] in the operand).
fn xin(kk: u32, st: vec2<f32>) -> f32 {
  let v = x[dims.xOffset + kk];
  if (PROLOGUE == 1u) { return v * st.y * prologue[kk]; }
  if (PROLOGUE == 2u) { return v / (1.0 + exp(-v)) * prologue[dims.xOffset + kk]; }
  if (PROLOGUE == 3u) { return (v - st.x) * st.y * prologue[kk] + prologue[dims.k + kk]; }
  return v;
}

// ---- Epilogue: bias, activation, residual, then the output segments ----
fn activate(v: f32) -> f32 {
  switch (ACTIVATION) {
    case 1u: { return max(v, 0.0); }
    case 2u: { return tanh(v); }
    case 3u: { return gelu(v); }
    default: { return v; }
  }
}

// Output segments: y's columns [0, n0) go to yOffset + col, [n0, n0 + n1) to y1 + (col − n0), the
// rest to y2 + (col − n0 − n1).
fn outIndex(col: u32) -> u32 {
  if (col < dims.n0) { return dims.yOffset + col; }
  if (col < dims.n0 + dims.n1) { return dims.y1 + (col - dims.n0); }
  return dims.y2 + (col - dims.n0 - dims.n1);
}

// rs: residualStats(); with RESIDUAL_NORM the residual added is LayerNorm(R) of its row,
// layernorm.wgsl's expression, gamma and beta at residualNorm[col], [n + col].
fn finish(col: u32, v: f32, rs: vec2<f32>) {
  var r = v;
  if (HAS_BIAS) { r += bias[col]; }
  r = activate(r);
  if (HAS_RESIDUAL) {
    var res = residual[dims.yOffset + col];
    if (RESIDUAL_NORM) { res = (res - rs.x) * rs.y * residualNorm[col] + residualNorm[dims.n + col]; }
    r += res;
  }
  y[outIndex(col)] = r;
}
