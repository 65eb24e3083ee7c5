// The matrix-vector products' shared parts: gemv.wgsl and gemv-subgroup.wgsl get this text
// appended at pipeline creation (src/engine/ops/product.ts), so both read x through the same
// prologue and finish y with the same epilogue: one copy, the same f32 operations in both.
//
// Expects from the kernel: `dims` (n, k, xOffset, yOffset, n0, n1, y1, y2, eps), the overrides
// HAS_BIAS, ACTIVATION, HAS_RESIDUAL and PROLOGUE, `x`, `y`, `bias`, `residual` and the prologue's
// operand `prologue`; gelu() comes from gelu.wgsl.

// ---- Prologue: x transformed as it is read ----
const NORM_LANES: u32 = 64u; // rmsnorm.wgsl's workgroup size: its reduction order
var<workgroup> normRed: array<f32, 64>;

// inv_rms of x's row (RMSNorm prologue) with rmsnorm.wgsl's lanes and tree; invocation li of a
// workgroup of `size` plays lanes li, li + size, … (one lane each when size ≥ 64). Called by
// every invocation in uniform control flow.
fn rowInvRms(li: u32, size: u32) -> f32 {
  for (var lane = li; lane < NORM_LANES; lane += size) {
    var q = 0.0;
    for (var i = lane; i < dims.k; i += NORM_LANES) { let v = x[dims.xOffset + i]; q += v * v; }
    normRed[lane] = q;
  }
  workgroupBarrier();
  for (var s = NORM_LANES / 2u; s > 0u; s >>= 1u) {
    for (var j = li; j < s; j += size) { normRed[j] += normRed[j + s]; }
    workgroupBarrier();
  }
  return inverseSqrt(normRed[0] / f32(dims.k) + dims.eps);
}

// What the prologue needs of x's row before the product (inv_rms for RMSNorm; 1 otherwise).
fn rowStats(li: u32, size: u32) -> f32 {
  var rinv = 1.0;
  if (PROLOGUE == 1u) { rinv = rowInvRms(li, size); }
  return rinv;
}

// x[kk] as the product reads it: through the prologue when there is one.
fn xin(kk: u32, rinv: f32) -> f32 {
  let v = x[dims.xOffset + kk];
  if (PROLOGUE == 1u) { return v * rinv * prologue[kk]; }
  if (PROLOGUE == 2u) { return v / (1.0 + exp(-v)) * prologue[dims.xOffset + kk]; }
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

fn finish(col: u32, v: f32) {
  var r = v;
  if (HAS_BIAS) { r += bias[col]; }
  r = activate(r);
  if (HAS_RESIDUAL) { r += residual[dims.yOffset + col]; }
  y[outIndex(col)] = r;
}
