// C[M,N] = act(A[M,K] · B[K,N] + bias[N]) + R[M,N], row-major, fp32.
//
// The epilogue (bias, activation, residual) runs on the accumulator in registers, so a model
// needs no separate bias, GELU or residual-add dispatch after a projection: the intermediate
// tensor is never written to memory and read back. Each step is the same f32 operation the
// separate kernels perform (gelu.wgsl's formula, residual.wgsl's add), in the same order, so the
// fused result is bit-identical to the unfused chain.
//
// Each workgroup computes a 32×32 tile of C; each of its 8×8 threads owns a 4×4 register block
// (4 rows × one vec4 of columns). A and B tiles of depth TILE_K are staged in workgroup memory
// so every element loaded from global memory is reused 32 times.
//
// Two entry points share the tiling:
//  - `main_vec4` reads A, B and writes C as vec4 (requires K % 4 == 0 and N % 4 == 0, and every
//    output segment's columns and base a multiple of 4);
//  - `main_scalar` reads f32 and handles any M, N, K (odd shapes, classifier heads with N = 2).
// Both bounds-check every load and store, so M need not be a multiple of the tile.
//
// Prologues (PROLOGUE, off by default: the override folds the code away) transform A as it is
// staged, so the model needs no separate normalization or gating dispatch before the product:
//  - 1 = RMSNorm: A's row r is read as x · inv_rms(r) · gamma[k] (gamma at binding 6). Each
//    workgroup first computes inv_rms of its tile's rows with rmsnorm.wgsl's f32 operations in
//    its order (lane t of 64 sums the squares of elements t, t + 64, …; a tree halves the 64
//    partials), so the product equals rmsnorm → gemm bit for bit.
//  - 2 = SwiGLU: A is read as silu(gate) · up, gate at binding 1, up at binding 6 (same [M, K]
//    layout), with swiglu.wgsl's expression.
// Globals bound at the same slots are allowed because no entry point uses both declarations.

override TILE_K: u32 = 16u;   // depth of a K step (multiple of 4)
override HAS_BIAS: bool = false;
override ACTIVATION: u32 = 0u; // 0 = none, 1 = relu, 3 = gelu (codes shared with gemv; 2 = tanh is gemv only)
override HAS_RESIDUAL: bool = false;
override PROLOGUE: u32 = 0u; // 0 = none, 1 = rmsnorm, 2 = swiglu (codes shared with gemv)

// Output segments: C's columns [0, n0) are stored at base0 + row·n0 + col, [n0, n0 + n1) at
// base1 + row·n1 + (col − n0), the rest at base2 + row·n2 + (col − n0 − n1). One segment
// (n0 = n, base0 = 0) is the plain row-major C. Three are a fused Q/K/V projection writing Q, K
// and V as three row-major blocks of one buffer, each where attention reads it.
// eps: the RMSNorm prologue's epsilon (unused otherwise).
struct Dims { m: u32, n: u32, k: u32, n0: u32, n1: u32, base0: u32, base1: u32, base2: u32, eps: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
// R, added after the activation (a residual connection): same [M, N] layout as C.
@group(0) @binding(5) var<storage, read> residual: array<f32>;

@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> c4: array<vec4<f32>>;

@group(0) @binding(1) var<storage, read> a1: array<f32>;
@group(0) @binding(3) var<storage, read_write> c1: array<f32>;

// The prologue's operand: gamma [K] (RMSNorm) or up [M, K] (SwiGLU).
@group(0) @binding(6) var<storage, read> prologue4: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> prologue1: array<f32>;

// B (the weights, binding 2) is read through loadW4 / loadW1 / lenW4, defined by the storage
// snippet appended at pipeline creation: kernels/weights/weights-f32.wgsl or weights-f16.wgsl.

const TILE_M: u32 = 32u;
const TILE_N: u32 = 32u;
const MAX_TILE_K: u32 = 32u;

// A tile: TILE_M rows × TILE_K/4 vec4 (along k). B tile: TILE_K rows × TILE_N/4 vec4 (along n).
var<workgroup> tileA: array<vec4<f32>, 256>; // TILE_M * MAX_TILE_K / 4
var<workgroup> tileB: array<vec4<f32>, 256>; // MAX_TILE_K * TILE_N / 4

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

// GELU, exact (erf) form: the same expression as kernels/gelu/gelu.wgsl, so fusing it changes no bit.
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

// Lanes at or past column n are computed but never stored.
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

// Multiply the staged tiles into the 4×4 register block of thread (tx, ty).
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

@compute @workgroup_size(8, 8, 1)
fn main_vec4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = dims.m; let N4 = dims.n / 4u; let K4 = dims.k / 4u;
  let row0 = wg.y * TILE_M;
  let col04 = wg.x * (TILE_N / 4u);
  let tid = lid.y * 8u + lid.x;
  let kv = TILE_K / 4u;
  var acc: array<vec4<f32>, 4>;
  if (PROLOGUE == 1u) {
    for (var r0 = 0u; r0 < TILE_M; r0 += NORM_ROWS) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = sumSquares4(row0 + r0 + j, tid); }
      reduceNormRows(r0, tid);
    }
  }
  for (var k0 = 0u; k0 < K4; k0 += kv) {
    // Stage A: TILE_M × kv vec4, B: TILE_K × TILE_N/4 vec4, 64 threads cooperate.
    for (var i = tid; i < TILE_M * kv; i += 64u) {
      let r = i / kv; let q = i % kv;
      let gr = row0 + r; let gk = k0 + q;
      let ai = min(gr * K4 + gk, arrayLength(&a4) - 1u);
      var v = select(vec4<f32>(0.0), a4[ai], gr < M && gk < K4);
      if (PROLOGUE == 1u) { v = v * rowInv[r] * prologue4[min(gk, arrayLength(&prologue4) - 1u)]; }
      if (PROLOGUE == 2u) { v = swiglu4(v, prologue4[min(ai, arrayLength(&prologue4) - 1u)]); }
      tileA[i] = v;
    }
    for (var i = tid; i < TILE_K * (TILE_N / 4u); i += 64u) {
      let r = i / (TILE_N / 4u); let q = i % (TILE_N / 4u);
      let gk = k0 * 4u + r; let gc = col04 + q;
      tileB[i] = select(vec4<f32>(0.0), loadW4(min(gk * N4 + gc, lenW4() - 1u)), gk < K4 * 4u && gc < N4);
    }
    workgroupBarrier();
    accumulate(&acc, lid.x, lid.y);
    workgroupBarrier();
  }
  let gc = col04 + lid.x;
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y * 4u + r;
    if (gr < M && gc < N4) { c4[outIndex(gr, gc * 4u) / 4u] = epilogue(acc[r], gr, gc * 4u); }
  }
}

@compute @workgroup_size(8, 8, 1)
fn main_scalar(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = dims.m; let N = dims.n; let K = dims.k;
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
  for (var k0 = 0u; k0 < K; k0 += TILE_K) {
    for (var i = tid; i < TILE_M * kv; i += 64u) {
      let r = i / kv; let q = i % kv;
      let gr = row0 + r; let gk = k0 + q * 4u;
      var v = vec4<f32>(0.0);
      if (gr < M) {
        let base = gr * K;
        for (var j = 0u; j < 4u; j++) {
          if (gk + j < K) {
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
      if (gk < K) {
        for (var j = 0u; j < 4u; j++) { if (gc + j < N) { v[j] = loadW1(gk * N + gc + j); } }
      }
      tileB[i] = v;
    }
    workgroupBarrier();
    accumulate(&acc, lid.x, lid.y);
    workgroupBarrier();
  }
  let gc = col0 + lid.x * 4u;
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y * 4u + r;
    if (gr < M) {
      let v = epilogue(acc[r], gr, gc);
      for (var j = 0u; j < 4u; j++) { if (gc + j < N) { c1[outIndex(gr, gc + j)] = v[j]; } }
    }
  }
}
