// Matrix-vector products for decode (M = 1), fp32. Memory-bound: every weight is read once,
// so the point is coalesced loads and enough parallel work.
//
//  - `main_vec4`   y[n] = act(x[k] · W[k,n] + bias[n]), W row-major [k, n], N % 4 == 0:
//                  thread (lx, ly) owns 4 adjacent columns and sums every KSPLIT-th k; adjacent
//                  threads read adjacent vec4s of a W row (coalesced), partial sums meet in
//                  workgroup memory.
//  - `main_scalar` the same for any N (classifier heads with N = 2).
//  - `main_rows`   y[n] = x[k] · E[n,k]ᵀ with E row-major [n, k] (tied LM head: the token
//                  embedding). One row per 64 threads, reduced in workgroup memory; rows may be a
//                  chunk of a split table (yOffset says where the chunk's logits go).
// x and y carry element offsets (xOffset: which row of a [T, k] activation; yOffset: where the
// outputs go), so no binding offset alignment is needed.
//
// Prologues (PROLOGUE, off by default: the override folds the code away) transform x as it is
// read, so decode needs no separate normalization or gating dispatch before the product:
//  - 1 = RMSNorm: x is read as x · inv_rms(x) · gamma[k] (gamma at binding 6). Each workgroup
//    first computes inv_rms of the row with rmsnorm.wgsl's f32 operations in its order (lane t
//    of 64 sums the squares of elements t, t + 64, …; a tree halves the 64 partials), so the
//    product equals rmsnorm → gemv bit for bit.
//  - 2 = SwiGLU: x is read as silu(gate) · up, gate at binding 1, up at binding 6 (same offset),
//    with swiglu.wgsl's expression.

override HAS_BIAS: bool = false;
override ACTIVATION: u32 = 0u; // 0 = none, 1 = relu, 2 = tanh, 3 = gelu
// Add R[yOffset + col] after the activation (a residual connection fused into the projection:
// the projection's output is never written and re-read by a separate add).
override HAS_RESIDUAL: bool = false;
override PROLOGUE: u32 = 0u; // 0 = none, 1 = rmsnorm, 2 = swiglu (codes shared with gemm)

// Output segments: y's columns [0, n0) go to yOffset + col, [n0, n0 + n1) to y1 + (col − n0), the
// rest to y2 + (col − n0 − n1). One segment (n0 = n) is the plain case; three are a fused Q/K/V
// projection writing Q, K and V where attention reads them (K and V at the cache row of the
// position being decoded).
// eps: the RMSNorm prologue's epsilon (unused otherwise).
struct Dims { n: u32, k: u32, xOffset: u32, yOffset: u32, n0: u32, n1: u32, y1: u32, y2: u32, eps: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<storage, read> residual: array<f32>;
// The prologue's operand: gamma [k] (RMSNorm) or up (SwiGLU, read at xOffset like x).
@group(0) @binding(6) var<storage, read> prologue: array<f32>;

// W (binding 2) is read through loadW4 / loadW1, defined by the storage snippet appended at
// pipeline creation (kernels/weights/weights-f32.wgsl or weights-f16.wgsl).

// Shape of the 'kn' workgroups: COLS column groups × KSPLIT slices of k (COLS·KSPLIT ≤ 256).
// 16 × 16 keeps 16 adjacent vec4 loads per k row (256 contiguous bytes) while giving a
// 896-wide projection 14 workgroups instead of 4: decode is latency-bound on big GPUs.
override COLS: u32 = 16u;
override KSPLIT: u32 = 16u;

var<workgroup> partial4: array<vec4<f32>, 256>; // COLS * KSPLIT
var<workgroup> partial1: array<f32, 256>;

const NORM_LANES: u32 = 64u; // rmsnorm.wgsl's workgroup size: its reduction order
var<workgroup> normRed: array<f32, 64>;

// inv_rms of x's row (RMSNorm prologue): threads 0..63 play rmsnorm.wgsl's lanes. Called by
// every thread of the workgroup in uniform control flow; `li` is local_invocation_index.
fn rowInvRms(li: u32) -> f32 {
  if (li < NORM_LANES) {
    var q = 0.0;
    for (var i = li; i < dims.k; i += NORM_LANES) { let v = x[dims.xOffset + i]; q += v * v; }
    normRed[li] = q;
  }
  workgroupBarrier();
  for (var s = NORM_LANES / 2u; s > 0u; s >>= 1u) {
    if (li < s) { normRed[li] += normRed[li + s]; }
    workgroupBarrier();
  }
  return inverseSqrt(normRed[0] / f32(dims.k) + dims.eps);
}

// x[kk] as the product reads it: through the prologue when there is one.
fn xin(kk: u32, rinv: f32) -> f32 {
  let v = x[dims.xOffset + kk];
  if (PROLOGUE == 1u) { return v * rinv * prologue[kk]; }
  if (PROLOGUE == 2u) { return v / (1.0 + exp(-v)) * prologue[dims.xOffset + kk]; }
  return v;
}

// GELU, exact (erf) form: the same expression as kernels/gelu/gelu.wgsl, so fusing it changes no bit.
fn erf_approx(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let r = 1.0 - poly * exp(-a * a);
  return select(-r, r, z >= 0.0);
}

fn activate(v: f32) -> f32 {
  switch (ACTIVATION) {
    case 1u: { return max(v, 0.0); }
    case 2u: { return tanh(v); }
    case 3u: { return 0.5 * v * (1.0 + erf_approx(v * 0.7071067811865476)); }
    default: { return v; }
  }
}

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

@compute @workgroup_size(COLS, KSPLIT, 1)
fn main_vec4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let n4 = dims.n / 4u;
  let c = wg.x * COLS + lid.x;
  var rinv = 1.0;
  if (PROLOGUE == 1u) { rinv = rowInvRms(li); }
  var acc = vec4<f32>(0.0);
  if (c < n4) {
    for (var kk = lid.y; kk < dims.k; kk += KSPLIT) {
      acc += xin(kk, rinv) * loadW4(kk * n4 + c);
    }
  }
  partial4[lid.y * COLS + lid.x] = acc;
  workgroupBarrier();
  if (lid.y == 0u && c < n4) {
    var s = partial4[lid.x];
    for (var j = 1u; j < KSPLIT; j++) { s += partial4[j * COLS + lid.x]; }
    for (var e = 0u; e < 4u; e++) { finish(c * 4u + e, s[e]); }
  }
}

@compute @workgroup_size(COLS, KSPLIT, 1)
fn main_scalar(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
               @builtin(local_invocation_index) li: u32) {
  let n = dims.n;
  let c = wg.x * COLS + lid.x;
  var rinv = 1.0;
  if (PROLOGUE == 1u) { rinv = rowInvRms(li); }
  var acc = 0.0;
  if (c < n) {
    for (var kk = lid.y; kk < dims.k; kk += KSPLIT) {
      acc += xin(kk, rinv) * loadW1(kk * n + c);
    }
  }
  partial1[lid.y * COLS + lid.x] = acc;
  workgroupBarrier();
  if (lid.y == 0u && c < n) {
    var s = partial1[lid.x];
    for (var j = 1u; j < KSPLIT; j++) { s += partial1[j * COLS + lid.x]; }
    finish(c, s);
  }
}

// 4 rows per workgroup (lid.y), 64 threads across k (lid.x). 2-D grid: row blocks beyond 65535
// workgroups continue in wg.y.
@compute @workgroup_size(64, 4, 1)
fn main_rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let block = wg.y * nwg.x + wg.x;
  let row = block * 4u + lid.y;
  var rinv = 1.0;
  if (PROLOGUE == 1u) { rinv = rowInvRms(li); }
  var acc = 0.0;
  if (row < dims.n) {
    let base = row * dims.k;
    for (var kk = lid.x; kk < dims.k; kk += 64u) {
      acc += xin(kk, rinv) * loadW1(base + kk);
    }
  }
  partial1[lid.y * 64u + lid.x] = acc;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid.x < s) { partial1[lid.y * 64u + lid.x] += partial1[lid.y * 64u + lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u && row < dims.n) { finish(row, partial1[lid.y * 64u]); }
}
