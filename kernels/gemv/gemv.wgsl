// Matrix-vector products for decode (M = 1): f32 activations, f32 or f16 products (the weight
// snippet's ProductT, see kernels/product/row.wgsl), f32 accumulation. Memory-bound: every weight is read once,
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
//  - 3 = LayerNorm: x is read as (x − mean) · rstd · gamma[k] + beta[k], gamma and beta packed as
//    one [2, k] operand at binding 6, mean and rstd computed first with layernorm.wgsl's two
//    passes in its order: equal to layernorm → gemv bit for bit.
// The normalized residual (RESIDUAL_NORM, with HAS_RESIDUAL) adds LayerNorm(R) of the residual row
// (gamma, beta [2, n] at binding 7), its statistics computed the same way.

override HAS_BIAS: bool = false;
override ACTIVATION: u32 = 0u; // 0 = none, 1 = relu, 2 = tanh, 3 = gelu
// Add R[yOffset + col] after the activation (a residual connection fused into the projection:
// the projection's output is never written and re-read by a separate add).
override HAS_RESIDUAL: bool = false;
override PROLOGUE: u32 = 0u; // 0 = none, 1 = rmsnorm, 2 = swiglu, 3 = layernorm (codes shared with gemm)
override RESIDUAL_NORM: bool = false; // the residual added is LayerNorm(R) (binding 7)

// Output segments: y's columns [0, n0) go to yOffset + col, [n0, n0 + n1) to y1 + (col − n0), the
// rest to y2 + (col − n0 − n1). One segment (n0 = n) is the plain case; three are a fused Q/K/V
// projection writing Q, K and V where attention reads them (K and V at the cache row of the
// position being decoded).
// eps: the RMSNorm or LayerNorm prologue's epsilon; epsR: the normalized residual's (unused otherwise).
struct Dims { n: u32, k: u32, xOffset: u32, yOffset: u32, n0: u32, n1: u32, y1: u32, y2: u32, eps: f32, epsR: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<storage, read> residual: array<f32>;
// The prologue's operand: gamma [k] (RMSNorm), up (SwiGLU, read at xOffset like x) or gamma, beta [2, k] (LayerNorm).
@group(0) @binding(6) var<storage, read> prologue: array<f32>;
// The normalized residual's gamma, beta [2, n].
@group(0) @binding(7) var<storage, read> residualNorm: array<f32>;

// W (binding 2) is read through loadW4 / loadW1, defined by the storage snippet appended at
// pipeline creation (kernels/weights/weights-f32.wgsl, weights-f16.wgsl or weights-f16-compute.wgsl).

// Shape of the 'kn' workgroups: COLS column groups × KSPLIT slices of k (COLS·KSPLIT ≤ 256).
// 16 × 16 keeps 16 adjacent vec4 loads per k row (256 contiguous bytes) while giving a
// 896-wide projection 14 workgroups instead of 4: decode is latency-bound on big GPUs.
override COLS: u32 = 16u;
override KSPLIT: u32 = 16u;

var<workgroup> partial4: array<vec4<f32>, 256>; // COLS * KSPLIT
var<workgroup> partial1: array<f32, 256>;

// The prologue (rowStats, xin) and the epilogue (activate, outIndex, finish) are
// kernels/product/row.wgsl, appended at pipeline creation (shared with gemv-subgroup.wgsl).

@compute @workgroup_size(COLS, KSPLIT, 1)
fn main_vec4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
             @builtin(local_invocation_index) li: u32) {
  let n4 = dims.n / 4u;
  let c = wg.x * COLS + lid.x;
  let st = rowStats(li, COLS * KSPLIT);
  let rs = residualStats(li, COLS * KSPLIT);
  var acc = vec4<f32>(0.0);
  if (c < n4) {
    for (var kk = lid.y; kk < dims.k; kk += KSPLIT) {
      acc += vec4<f32>(ProductT(xin(kk, st)) * loadW4(kk * n4 + c));
    }
  }
  partial4[lid.y * COLS + lid.x] = acc;
  workgroupBarrier();
  if (lid.y == 0u && c < n4) {
    var s = partial4[lid.x];
    for (var j = 1u; j < KSPLIT; j++) { s += partial4[j * COLS + lid.x]; }
    for (var e = 0u; e < 4u; e++) { finish(c * 4u + e, s[e], rs); }
  }
}

@compute @workgroup_size(COLS, KSPLIT, 1)
fn main_scalar(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
               @builtin(local_invocation_index) li: u32) {
  let n = dims.n;
  let c = wg.x * COLS + lid.x;
  let st = rowStats(li, COLS * KSPLIT);
  let rs = residualStats(li, COLS * KSPLIT);
  var acc = 0.0;
  if (c < n) {
    for (var kk = lid.y; kk < dims.k; kk += KSPLIT) {
      acc += f32(ProductT(xin(kk, st)) * loadW1(kk * n + c));
    }
  }
  partial1[lid.y * COLS + lid.x] = acc;
  workgroupBarrier();
  if (lid.y == 0u && c < n) {
    var s = partial1[lid.x];
    for (var j = 1u; j < KSPLIT; j++) { s += partial1[j * COLS + lid.x]; }
    finish(c, s, rs);
  }
}

// 4 rows per workgroup (lid.y), 64 threads across k (lid.x). 2-D grid: row blocks beyond 65535
// workgroups continue in wg.y.
@compute @workgroup_size(64, 4, 1)
fn main_rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let block = wg.y * nwg.x + wg.x;
  let row = block * 4u + lid.y;
  let st = rowStats(li, 64u * 4u);
  let rs = residualStats(li, 64u * 4u);
  var acc = 0.0;
  if (row < dims.n) {
    let base = row * dims.k;
    for (var kk = lid.x; kk < dims.k; kk += 64u) {
      acc += f32(ProductT(xin(kk, st)) * loadW1(base + kk));
    }
  }
  partial1[lid.y * 64u + lid.x] = acc;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid.x < s) { partial1[lid.y * 64u + lid.x] += partial1[lid.y * 64u + lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u && row < dims.n) { finish(row, partial1[lid.y * 64u], rs); }
}
