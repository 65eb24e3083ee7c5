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
//     activation, residual or normalized residual, output segments) with the same f32 operations.
// The result is deterministic but not bit-identical to the unsplit gemm: the K terms are added
// in a different order (per slice, then across slices).
//
// Prologues (PROLOGUE, gemm's codes; the operand at binding 7, binding 6 being the scratch) run in
// pass 1 exactly as gemm.wgsl runs them, with the same functions (kernels/product/tile.wgsl):
// RMSNorm needs the whole row, so every workgroup first computes inv_rms of its tile's rows over
// the FULL K (not its slice) with rmsnorm.wgsl's order, then scales the slice it stages;
// SwiGLU is element-wise. Split-K with a prologue thus equals rmsnorm / swiglu → split-K bit for bit.
// Globals bound at the same slots are allowed because no entry point uses both declarations.

override TILE_K: u32 = 16u;   // depth of a K step (multiple of 4), as in gemm.wgsl
override HAS_BIAS: bool = false;
override ACTIVATION: u32 = 0u; // 0 = none, 1 = relu, 3 = gelu (gemm's codes)
override HAS_RESIDUAL: bool = false;
override PROLOGUE: u32 = 0u; // 0 = none, 1 = rmsnorm, 2 = swiglu, 3 = layernorm (gemm's codes; pass 1 only)
override RESIDUAL_NORM: bool = false; // gemm's normalized residual (pass 2 only)

// gemm's Dims, then the split: `splits` slices of `kSlice` columns of A (the last may be short),
// then the prologue's and the normalized residual's epsilons (unused otherwise).
struct Dims { m: u32, n: u32, k: u32, n0: u32, n1: u32, base0: u32, base1: u32, base2: u32, splits: u32, kSlice: u32, eps: f32, epsR: f32 }

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

// The prologue's operand: gamma [K] (RMSNorm), up [M, K] (SwiGLU) or gamma, beta [2, K] (LayerNorm); pass 1 only.
@group(0) @binding(7) var<storage, read> prologue4: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read> prologue1: array<f32>;
// The normalized residual's gamma, beta [2, N]; pass 2 only.
@group(0) @binding(8) var<storage, read> residualNorm: array<f32>;

// B (the weights, binding 2) is read through loadW4 / loadW1 / lenW4, defined by the storage
// snippet appended at pipeline creation: kernels/weights/weights-f32.wgsl, weights-f16.wgsl or
// weights-f16-compute.wgsl (f16 arithmetic in the tiles; the partials and the reduce stay f32).
// gemm's tiles and K loop (tileProduct4 / tileProduct1), prologue and epilogue (epilogue, outIndex)
// are kernels/product/tile.wgsl, appended too: the same text as gemm's, not a copy.

const REDUCE_WG: u32 = 64u;

// Pass 1, vec4 (K, N multiples of 4; kSlice is a multiple of 4 so every slice starts on a vec4).
@compute @workgroup_size(8, 8, 1)
fn partial_vec4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = dims.m; let N4 = dims.n / 4u;
  let s = wg.z;
  let kStart4 = s * (dims.kSlice / 4u);
  let kEnd4 = min(dims.k / 4u, kStart4 + dims.kSlice / 4u);
  let row0 = wg.y * TILE_M;
  let col04 = wg.x * (TILE_N / 4u);
  // gemm's tile over this slice (inv_rms over the whole row, whatever the slice).
  let acc = tileProduct4(row0, col04, kStart4, kEnd4, lid);
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
  let M = dims.m; let N = dims.n;
  let s = wg.z;
  let kStart = s * dims.kSlice;
  let kEnd = min(dims.k, kStart + dims.kSlice);
  let row0 = wg.y * TILE_M;
  let col0 = wg.x * TILE_N;
  let acc = tileProduct1(row0, col0, kStart, kEnd, lid);
  let gc = col0 + lid.x * 4u;
  let slice = s * M * N;
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y * 4u + r;
    if (gr < M) {
      for (var j = 0u; j < 4u; j++) { if (gc + j < N) { partial1[slice + gr * N + gc + j] = acc[r][j]; } }
    }
  }
}

// Pass 2, vec4: thread (x, row) owns columns 4x .. 4x+3 of one row. A workgroup's 64 threads share
// one row (wg.y): with a normalized residual they first compute that row's mean and rstd (the
// statistics pass works NORM_ROWS rows at a time; the rows after this one are computed and unused).
@compute @workgroup_size(REDUCE_WG, 1, 1)
fn reduce_vec4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>,
               @builtin(local_invocation_id) lid: vec3<u32>) {
  let N4 = dims.n / 4u;
  let q = gid.x; let row = wg.y;
  residualRowStats(row, 1u, lid.x);
  if (q >= N4 || row >= dims.m) { return; }
  let stride = dims.m * N4;
  var acc = partial4[row * N4 + q];
  for (var s = 1u; s < dims.splits; s++) { acc += partial4[s * stride + row * N4 + q]; }
  c4[outIndex(row, q * 4u) / 4u] = epilogue(acc, row, q * 4u, 0u);
}

// Pass 2, any shape: the same ownership, scalar loads and stores.
@compute @workgroup_size(REDUCE_WG, 1, 1)
fn reduce_scalar(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(workgroup_id) wg: vec3<u32>,
                 @builtin(local_invocation_id) lid: vec3<u32>) {
  let N = dims.n;
  let col0 = gid.x * 4u; let row = wg.y;
  residualRowStats(row, 1u, lid.x);
  if (col0 >= N || row >= dims.m) { return; }
  let stride = dims.m * N;
  let base = row * N + col0;
  var acc = vec4<f32>(0.0);
  for (var j = 0u; j < 4u; j++) { if (col0 + j < N) { acc[j] = partial1[base + j]; } }
  for (var s = 1u; s < dims.splits; s++) {
    for (var j = 0u; j < 4u; j++) { if (col0 + j < N) { acc[j] += partial1[s * stride + base + j]; } }
  }
  let v = epilogue(acc, row, col0, 0u);
  for (var j = 0u; j < 4u; j++) { if (col0 + j < N) { c1[outIndex(row, col0 + j)] = v[j]; } }
}
