// C[M,N] = act(A[M,K] · B[K,N] + bias[N]) + R[M,N], row-major: f32 activations, f32 or f16
// multiplies (the weight snippet's ProductT, see kernels/product/tile.wgsl), f32 accumulation.
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
//  - 3 = LayerNorm: A's row r is read as (x − mean(r)) · rstd(r) · gamma[k] + beta[k], gamma and
//    beta packed as one [2, K] operand at binding 6; each workgroup first computes mean and rstd
//    of its tile's rows with layernorm.wgsl's two passes in its order, so the product equals
//    layernorm → gemm bit for bit.
// The normalized residual (RESIDUAL_NORM, with HAS_RESIDUAL): the residual added is LayerNorm(R)
// of its row, gamma and beta packed as [2, N] at binding 7, the row statistics computed by the
// workgroup in layernorm.wgsl's order: equal to layernorm → gemm with that residual, bit for bit.
// A post-LN encoder thus never writes its normalized hidden state (see src/engine/models/encoder.ts).
// Globals bound at the same slots are allowed because no entry point uses both declarations.

override TILE_K: u32 = 16u;   // depth of a K step (multiple of 4)
override HAS_BIAS: bool = false;
override ACTIVATION: u32 = 0u; // 0 = none, 1 = relu, 3 = gelu (codes shared with gemv; 2 = tanh is gemv only)
override HAS_RESIDUAL: bool = false;
override PROLOGUE: u32 = 0u; // 0 = none, 1 = rmsnorm, 2 = swiglu, 3 = layernorm (codes shared with gemv)
override RESIDUAL_NORM: bool = false;

// Output segments: C's columns [0, n0) are stored at base0 + row·n0 + col, [n0, n0 + n1) at
// base1 + row·n1 + (col − n0), the rest at base2 + row·n2 + (col − n0 − n1). One segment
// (n0 = n, base0 = 0) is the plain row-major C. Three are a fused Q/K/V projection writing Q, K
// and V as three row-major blocks of one buffer, each where attention reads it.
// eps: the RMSNorm or LayerNorm prologue's epsilon; epsR: the normalized residual's (unused otherwise).
struct Dims { m: u32, n: u32, k: u32, n0: u32, n1: u32, base0: u32, base1: u32, base2: u32, eps: f32, epsR: f32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
// R, added after the activation (a residual connection): same [M, N] layout as C.
@group(0) @binding(5) var<storage, read> residual: array<f32>;

@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> c4: array<vec4<f32>>;

@group(0) @binding(1) var<storage, read> a1: array<f32>;
@group(0) @binding(3) var<storage, read_write> c1: array<f32>;

// The prologue's operand: gamma [K] (RMSNorm), up [M, K] (SwiGLU) or gamma, beta [2, K] (LayerNorm).
@group(0) @binding(6) var<storage, read> prologue4: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> prologue1: array<f32>;
// The normalized residual's gamma, beta [2, N].
@group(0) @binding(7) var<storage, read> residualNorm: array<f32>;

// B (the weights, binding 2) is read through loadW4 / loadW1 / lenW4, defined by the storage
// snippet appended at pipeline creation: kernels/weights/weights-f32.wgsl, weights-f16.wgsl or
// weights-f16-compute.wgsl (f16 arithmetic in the tiles).
// The tiles and the K loop (tileProduct4 / tileProduct1), the prologue and the epilogue
// (epilogue, outIndex) are kernels/product/tile.wgsl, appended too (shared with gemm-splitk.wgsl).

@compute @workgroup_size(8, 8, 1)
fn main_vec4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = dims.m; let N4 = dims.n / 4u;
  let row0 = wg.y * TILE_M;
  let col04 = wg.x * (TILE_N / 4u);
  let acc = tileProduct4(row0, col04, 0u, dims.k / 4u, lid);
  residualRowStats(row0, TILE_M, lid.y * 8u + lid.x);
  let gc = col04 + lid.x;
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y * 4u + r;
    if (gr < M && gc < N4) { c4[outIndex(gr, gc * 4u) / 4u] = epilogue(acc[r], gr, gc * 4u, lid.y * 4u + r); }
  }
}

@compute @workgroup_size(8, 8, 1)
fn main_scalar(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = dims.m; let N = dims.n;
  let row0 = wg.y * TILE_M;
  let col0 = wg.x * TILE_N;
  let acc = tileProduct1(row0, col0, 0u, dims.k, lid);
  residualRowStats(row0, TILE_M, lid.y * 8u + lid.x);
  let gc = col0 + lid.x * 4u;
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + lid.y * 4u + r;
    if (gr < M) {
      let v = epilogue(acc[r], gr, gc, lid.y * 4u + r);
      for (var j = 0u; j < 4u; j++) { if (gc + j < N) { c1[outIndex(gr, gc + j)] = v[j]; } }
    }
  }
}
