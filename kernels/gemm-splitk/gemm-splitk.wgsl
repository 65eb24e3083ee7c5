// Split-K matrix product for skinny shapes: C[M,N] = act(A[M,K] · B[K,N] + bias[N]) + R[M,N].
//
// With few rows (a short prompt's prefill, M = 8–64) the plain gemm launches only
// ceil(N/32)·ceil(M/32) workgroups, each walking the whole K: too few to fill a GPU when K is
// large. Here K is cut into S slices of `kSlice` (a multiple of 4), and two dispatches share this
// file and one uniform:
//  1. `partial_vec4` / `partial_scalar`: workgroup (x, y, s) computes the 32×32 tile (x, y) of
//     A[:, slice s] · B[slice s, :] exactly as gemm.wgsl does (same staging, same 4×4 register
//     block, vec4 or scalar loads, weights through loadW4 / loadW1) and stores it, with no
//     epilogue, into the scratch P[s, M, N];
//  2. `reduce_vec4` / `reduce_scalar`: each thread owns one row and 4 consecutive columns, sums
//     P[0] + P[1] + … + P[S−1] in that fixed order, then applies gemm's epilogue (bias,
//     activation, residual, output segments) with the same f32 operations.
// The result is deterministic but not bit-identical to the unsplit gemm: the K terms are added
// in a different order (per slice, then across slices).
//
// Prologues (PROLOGUE, gemm's codes; the operand at binding 7, binding 6 being the scratch) run in
// pass 1 exactly as gemm.wgsl runs them, with its helper functions' text (tests/unit/gemm-splitk.test.ts
// checks it): RMSNorm needs the whole row, so every workgroup first computes inv_rms of its tile's
// rows over the FULL K (not its slice) with rmsnorm.wgsl's order, then scales the slice it stages;
// SwiGLU is element-wise. Split-K with a prologue thus equals rmsnorm / swiglu → split-K bit for bit.
// Globals bound at the same slots are allowed because no entry point uses both declarations.

override TILE_K: u32 = 16u;   // depth of a K step (multiple of 4), as in gemm.wgsl
override HAS_BIAS: bool = false;
override ACTIVATION: u32 = 0u; // 0 = none, 1 = relu, 3 = gelu (gemm's codes)
override HAS_RESIDUAL: bool = false;
override PROLOGUE: u32 = 0u; // 0 = none, 1 = rmsnorm, 2 = swiglu (gemm's codes; pass 1 only)

// gemm's Dims, then the split: `splits` slices of `kSlice` columns of A (the last may be short),
// then the RMSNorm prologue's epsilon (unused otherwise).
struct Dims { m: u32, n: u32, k: u32, n0: u32, n1: u32, base0: u32, base1: u32, base2: u32, splits: u32, kSlice: u32, eps: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<storage, read> residual: array<f32>;

@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> c4: array<vec4<f32>>;
// The partial products P[S, M, N], row-major per slice: written by pass 1, read by pass 2.
@group(0) @binding(6) var<storage, read_write> partial4: array<vec4<f32>>;

@group(0) @binding(1) var<storage, read> a1: array<f32>;
@group(0) @binding(3) var<storage, read_write> c1: array<f32>;
@group(0) @binding(6) var<storage, read_write> partial1: array<f32>;

// The prologue's operand: gamma [K] (RMSNorm) or up [M, K] (SwiGLU); pass 1 only.
@group(0) @binding(7) var<storage, read> prologue4: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read> prologue1: array<f32>;

// B (the weights, binding 2) is read through loadW4 / loadW1 / lenW4, defined by the storage
// snippet appended at pipeline creation: kernels/weights/weights-f32.wgsl or weights-f16.wgsl.

const TILE_M: u32 = 32u;
const TILE_N: u32 = 32u;
const MAX_TILE_K: u32 = 32u;
const REDUCE_WG: u32 = 64u;

var<workgroup> tileA: array<vec4<f32>, 256>; // TILE_M * MAX_TILE_K / 4
var<workgroup> tileB: array<vec4<f32>, 256>; // MAX_TILE_K * TILE_N / 4

// ---- Prologue helpers: the text of gemm.wgsl. ----
// RMSNorm prologue: NORM_ROWS rows' 64 lane partials at a time, then inv_rms of each tile row.
const NORM_LANES: u32 = 64u; // rmsnorm.wgsl's workgroup size: its reduction order
const NORM_ROWS: u32 = 4u;
var<workgroup> normRed: array<f32, 256>; // NORM_ROWS * NORM_LANES
var<workgroup> rowInv: array<f32, 32>;  // TILE_M

// Lane `lane`'s sum of squares of row gr (rmsnorm.wgsl's loop), read as vec4 (main_vec4) or f32.
fn sumSquares4(gr: u32, lane: u32) -> f32 {
  var q = 0.0;
  if (gr < dims.m) {
    let K = dims.k; let K4 = K / 4u;
    for (var i = lane; i < K; i += NORM_LANES) { let v = a4[gr * K4 + i / 4u][i % 4u]; q += v * v; }
  }
  return q;
}

fn sumSquares1(gr: u32, lane: u32) -> f32 {
  var q = 0.0;
  if (gr < dims.m) {
    let K = dims.k;
    for (var i = lane; i < K; i += NORM_LANES) { let v = a1[gr * K + i]; q += v * v; }
  }
  return q;
}

// Tree over the 64 partials of rows r0 .. r0 + NORM_ROWS (rmsnorm.wgsl's halving order), then
// inv_rms with its expression. Called by all 64 threads in uniform control flow.
fn reduceNormRows(r0: u32, tid: u32) {
  workgroupBarrier();
  for (var s = NORM_LANES / 2u; s > 0u; s >>= 1u) {
    if (tid < s) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] += normRed[j * NORM_LANES + tid + s]; }
    }
    workgroupBarrier();
  }
  if (tid < NORM_ROWS) { rowInv[r0 + tid] = inverseSqrt(normRed[tid * NORM_LANES] / f32(dims.k) + dims.eps); }
  workgroupBarrier();
}

// silu(g) · u, swiglu.wgsl's expression, per lane.
fn swiglu4(g: vec4<f32>, u: vec4<f32>) -> vec4<f32> {
  return g / (1.0 + exp(-g)) * u;
}

// ---- end of the prologue helpers ----

// GELU, exact (erf) form: the same expression as gemm.wgsl and gelu.wgsl.
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

// gemm.wgsl's epilogue, unchanged. Lanes at or past column n are computed but never stored.
fn epilogue(v: vec4<f32>, row: u32, col0: u32) -> vec4<f32> {
  let n = dims.n;
  var r = v;
  if (HAS_BIAS) {
    r += vec4<f32>(
      select(0.0, bias[min(col0, n - 1u)], col0 < n),
      select(0.0, bias[min(col0 + 1u, n - 1u)], col0 + 1u < n),
      select(0.0, bias[min(col0 + 2u, n - 1u)], col0 + 2u < n),
      select(0.0, bias[min(col0 + 3u, n - 1u)], col0 + 3u < n));
  }
  if (ACTIVATION == 1u) { r = max(r, vec4<f32>(0.0)); }
  if (ACTIVATION == 3u) { r = vec4<f32>(gelu(r.x), gelu(r.y), gelu(r.z), gelu(r.w)); }
  if (HAS_RESIDUAL) {
    let last = arrayLength(&residual) - 1u;
    let base = row * n + col0;
    r += vec4<f32>(
      select(0.0, residual[min(base, last)], col0 < n),
      select(0.0, residual[min(base + 1u, last)], col0 + 1u < n),
      select(0.0, residual[min(base + 2u, last)], col0 + 2u < n),
      select(0.0, residual[min(base + 3u, last)], col0 + 3u < n));
  }
  return r;
}

fn outIndex(row: u32, col: u32) -> u32 {
  let n0 = dims.n0; let n1 = dims.n1;
  if (col < n0) { return dims.base0 + row * n0 + col; }
  if (col < n0 + n1) { return dims.base1 + row * n1 + (col - n0); }
  return dims.base2 + row * (dims.n - n0 - n1) + (col - n0 - n1);
}

fn accumulate(acc: ptr<function, array<vec4<f32>, 4>>, tx: u32, ty: u32) {
  let kv = TILE_K / 4u;
  for (var kq = 0u; kq < kv; kq++) {
    let b0 = tileB[(kq * 4u + 0u) * (TILE_N / 4u) + tx];
    let b1v = tileB[(kq * 4u + 1u) * (TILE_N / 4u) + tx];
    let b2 = tileB[(kq * 4u + 2u) * (TILE_N / 4u) + tx];
    let b3 = tileB[(kq * 4u + 3u) * (TILE_N / 4u) + tx];
    for (var r = 0u; r < 4u; r++) {
      let a = tileA[(ty * 4u + r) * kv + kq];
      (*acc)[r] += a.x * b0 + a.y * b1v + a.z * b2 + a.w * b3;
    }
  }
}

// Pass 1, vec4 (K, N multiples of 4; kSlice is a multiple of 4 so every slice starts on a vec4).
@compute @workgroup_size(8, 8, 1)
fn partial_vec4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = dims.m; let N4 = dims.n / 4u; let K4 = dims.k / 4u;
  let s = wg.z;
  let kStart4 = s * (dims.kSlice / 4u);
  let kEnd4 = min(K4, kStart4 + dims.kSlice / 4u);
  let row0 = wg.y * TILE_M;
  let col04 = wg.x * (TILE_N / 4u);
  let tid = lid.y * 8u + lid.x;
  let kv = TILE_K / 4u;
  var acc: array<vec4<f32>, 4>;
  // inv_rms over the whole row (all of K), whatever slice this workgroup multiplies.
  if (PROLOGUE == 1u) {
    for (var r0 = 0u; r0 < TILE_M; r0 += NORM_ROWS) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = sumSquares4(row0 + r0 + j, tid); }
      reduceNormRows(r0, tid);
    }
  }
  for (var k0 = kStart4; k0 < kEnd4; k0 += kv) {
    for (var i = tid; i < TILE_M * kv; i += 64u) {
      let r = i / kv; let q = i % kv;
      let gr = row0 + r; let gk = k0 + q;
      let ai = min(gr * K4 + gk, arrayLength(&a4) - 1u);
      var v = select(vec4<f32>(0.0), a4[ai], gr < M && gk < kEnd4);
      if (PROLOGUE == 1u) { v = v * rowInv[r] * prologue4[min(gk, arrayLength(&prologue4) - 1u)]; }
      if (PROLOGUE == 2u) { v = swiglu4(v, prologue4[min(ai, arrayLength(&prologue4) - 1u)]); }
      tileA[i] = v;
    }
    for (var i = tid; i < TILE_K * (TILE_N / 4u); i += 64u) {
      let r = i / (TILE_N / 4u); let q = i % (TILE_N / 4u);
      let gk = k0 * 4u + r; let gc = col04 + q;
      tileB[i] = select(vec4<f32>(0.0), loadW4(min(gk * N4 + gc, lenW4() - 1u)), gk < kEnd4 * 4u && gc < N4);
    }
    workgroupBarrier();
    accumulate(&acc, lid.x, lid.y);
    workgroupBarrier();
  }
  let gc = col04 + lid.x;
  let slice = s * M * N4;
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y * 4u + r;
    if (gr < M && gc < N4) { partial4[slice + gr * N4 + gc] = acc[r]; }
  }
}

// Pass 1, any shape.
@compute @workgroup_size(8, 8, 1)
fn partial_scalar(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = dims.m; let N = dims.n; let K = dims.k;
  let s = wg.z;
  let kStart = s * dims.kSlice;
  let kEnd = min(K, kStart + dims.kSlice);
  let row0 = wg.y * TILE_M;
  let col0 = wg.x * TILE_N;
  let tid = lid.y * 8u + lid.x;
  let kv = TILE_K / 4u;
  var acc: array<vec4<f32>, 4>;
  if (PROLOGUE == 1u) {
    for (var r0 = 0u; r0 < TILE_M; r0 += NORM_ROWS) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = sumSquares1(row0 + r0 + j, tid); }
      reduceNormRows(r0, tid);
    }
  }
  for (var k0 = kStart; k0 < kEnd; k0 += TILE_K) {
    for (var i = tid; i < TILE_M * kv; i += 64u) {
      let r = i / kv; let q = i % kv;
      let gr = row0 + r; let gk = k0 + q * 4u;
      var v = vec4<f32>(0.0);
      if (gr < M) {
        let base = gr * K;
        for (var j = 0u; j < 4u; j++) {
          if (gk + j < kEnd) {
            var x = a1[base + gk + j];
            if (PROLOGUE == 1u) { x = x * rowInv[r] * prologue1[gk + j]; }
            if (PROLOGUE == 2u) { x = x / (1.0 + exp(-x)) * prologue1[base + gk + j]; }
            v[j] = x;
          }
        }
      }
      tileA[i] = v;
    }
    for (var i = tid; i < TILE_K * (TILE_N / 4u); i += 64u) {
      let r = i / (TILE_N / 4u); let q = i % (TILE_N / 4u);
      let gk = k0 + r; let gc = col0 + q * 4u;
      var v = vec4<f32>(0.0);
      if (gk < kEnd) {
        for (var j = 0u; j < 4u; j++) { if (gc + j < N) { v[j] = loadW1(gk * N + gc + j); } }
      }
      tileB[i] = v;
    }
    workgroupBarrier();
    accumulate(&acc, lid.x, lid.y);
    workgroupBarrier();
  }
  let gc = col0 + lid.x * 4u;
  let slice = s * M * N;
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y * 4u + r;
    if (gr < M) {
      for (var j = 0u; j < 4u; j++) { if (gc + j < N) { partial1[slice + gr * N + gc + j] = acc[r][j]; } }
    }
  }
}

// Pass 2, vec4: thread (x, row) owns columns 4x .. 4x+3 of one row.
@compute @workgroup_size(REDUCE_WG, 1, 1)
fn reduce_vec4(@builtin(global_invocation_id) gid: vec3<u32>) {
  let N4 = dims.n / 4u;
  let q = gid.x; let row = gid.y;
  if (q >= N4 || row >= dims.m) { return; }
  let stride = dims.m * N4;
  var acc = partial4[row * N4 + q];
  for (var s = 1u; s < dims.splits; s++) { acc += partial4[s * stride + row * N4 + q]; }
  c4[outIndex(row, q * 4u) / 4u] = epilogue(acc, row, q * 4u);
}

// Pass 2, any shape: the same ownership, scalar loads and stores.
@compute @workgroup_size(REDUCE_WG, 1, 1)
fn reduce_scalar(@builtin(global_invocation_id) gid: vec3<u32>) {
  let N = dims.n;
  let col0 = gid.x * 4u; let row = gid.y;
  if (col0 >= N || row >= dims.m) { return; }
  let stride = dims.m * N;
  let base = row * N + col0;
  var acc = vec4<f32>(0.0);
  for (var j = 0u; j < 4u; j++) { if (col0 + j < N) { acc[j] = partial1[base + j]; } }
  for (var s = 1u; s < dims.splits; s++) {
    for (var j = 0u; j < 4u; j++) { if (col0 + j < N) { acc[j] += partial1[s * stride + base + j]; } }
  }
  let v = epilogue(acc, row, col0);
  for (var j = 0u; j < 4u; j++) { if (col0 + j < N) { c1[outIndex(row, col0 + j)] = v[j]; } }
}
