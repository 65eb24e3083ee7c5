// The tiled products' shared parts: gemm.wgsl and gemm-splitk.wgsl get this text appended at
// pipeline creation (src/engine/ops/product.ts), so both stage A through the same prologue,
// multiply the same register blocks and finish C with the same epilogue: one copy, and the
// same f32 operations in the same order in both.
//
// Expects from the kernel: `dims` (m, n, k, n0, n1, base0, base1, base2, eps), the overrides
// TILE_K, HAS_BIAS, ACTIVATION, HAS_RESIDUAL and PROLOGUE, A as `a4` / `a1`, the prologue's
// operand as `prologue4` / `prologue1`, `bias` and `residual`; gelu() comes from gelu.wgsl.

const TILE_M: u32 = 32u;
const TILE_N: u32 = 32u;
const MAX_TILE_K: u32 = 32u;

// A tile: TILE_M rows × TILE_K/4 vec4 (along k). B tile: TILE_K rows × TILE_N/4 vec4 (along n).
var<workgroup> tileA: array<vec4<f32>, 256>; // TILE_M * MAX_TILE_K / 4
var<workgroup> tileB: array<vec4<f32>, 256>; // MAX_TILE_K * TILE_N / 4

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

// ---- Prologue: A transformed as it is staged ----
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

// The row statistics of the tile rows row0 .. row0 + TILE_M that the prologue needs, before the
// K loop (every slice of a split-K product computes them over the whole row). All 64 threads,
// uniform control flow. Two functions because an entry point may use only one view of A.
fn tileRowStats4(row0: u32, tid: u32) {
  if (PROLOGUE == 1u) {
    for (var r0 = 0u; r0 < TILE_M; r0 += NORM_ROWS) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = sumSquares4(row0 + r0 + j, tid); }
      reduceNormRows(r0, tid);
    }
  }
}

fn tileRowStats1(row0: u32, tid: u32) {
  if (PROLOGUE == 1u) {
    for (var r0 = 0u; r0 < TILE_M; r0 += NORM_ROWS) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = sumSquares1(row0 + r0 + j, tid); }
      reduceNormRows(r0, tid);
    }
  }
}

// silu(g) · u, swiglu.wgsl's expression, per lane.
fn swiglu4(g: vec4<f32>, u: vec4<f32>) -> vec4<f32> {
  return g / (1.0 + exp(-g)) * u;
}

// A's vec4 ai (row r of the tile, vec4 column gk) as the product reads it; zero when !inb.
fn stageA4(ai: u32, inb: bool, r: u32, gk: u32) -> vec4<f32> {
  var v = select(vec4<f32>(0.0), a4[ai], inb);
  if (PROLOGUE == 1u) { v = v * rowInv[r] * prologue4[min(gk, arrayLength(&prologue4) - 1u)]; }
  if (PROLOGUE == 2u) { v = swiglu4(v, prologue4[min(ai, arrayLength(&prologue4) - 1u)]); }
  return v;
}

// A's element ai (row r of the tile, column kk), in bounds, as the product reads it.
fn stageA1(ai: u32, r: u32, kk: u32) -> f32 {
  var x = a1[ai];
  if (PROLOGUE == 1u) { x = x * rowInv[r] * prologue1[kk]; }
  if (PROLOGUE == 2u) { x = x / (1.0 + exp(-x)) * prologue1[ai]; }
  return x;
}

// ---- The K loop ----
// The 4×4 register block of thread lid of the 32×32 tile (row0, col04 vec4 columns), summed over
// vec4 columns [kBegin4, kEnd4) of A: all of K for gemm, one slice for split-K. The prologue's row
// statistics come first, over the whole row. All 64 threads, uniform control flow.
fn tileProduct4(row0: u32, col04: u32, kBegin4: u32, kEnd4: u32, lid: vec3<u32>) -> array<vec4<f32>, 4> {
  let M = dims.m; let N4 = dims.n / 4u; let K4 = dims.k / 4u;
  let tid = lid.y * 8u + lid.x;
  let kv = TILE_K / 4u;
  var acc: array<vec4<f32>, 4>;
  tileRowStats4(row0, tid);
  for (var k0 = kBegin4; k0 < kEnd4; k0 += kv) {
    // Stage A: TILE_M × kv vec4, B: TILE_K × TILE_N/4 vec4, 64 threads cooperate.
    for (var i = tid; i < TILE_M * kv; i += 64u) {
      let r = i / kv; let q = i % kv;
      let gr = row0 + r; let gk = k0 + q;
      tileA[i] = stageA4(min(gr * K4 + gk, arrayLength(&a4) - 1u), gr < M && gk < kEnd4, r, gk);
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
  return acc;
}

// The same over columns [kBegin, kEnd) of A with scalar loads (any M, N, K).
fn tileProduct1(row0: u32, col0: u32, kBegin: u32, kEnd: u32, lid: vec3<u32>) -> array<vec4<f32>, 4> {
  let M = dims.m; let N = dims.n; let K = dims.k;
  let tid = lid.y * 8u + lid.x;
  let kv = TILE_K / 4u;
  var acc: array<vec4<f32>, 4>;
  tileRowStats1(row0, tid);
  for (var k0 = kBegin; k0 < kEnd; k0 += TILE_K) {
    for (var i = tid; i < TILE_M * kv; i += 64u) {
      let r = i / kv; let q = i % kv;
      let gr = row0 + r; let gk = k0 + q * 4u;
      var v = vec4<f32>(0.0);
      if (gr < M) {
        let base = gr * K;
        for (var j = 0u; j < 4u; j++) {
          if (gk + j < kEnd) { v[j] = stageA1(base + gk + j, r, gk + j); }
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
  return acc;
}

// ---- Epilogue: bias, activation, residual on the accumulator, then the output segments ----
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

// Output segments: C's columns [0, n0) are stored at base0 + row·n0 + col, [n0, n0 + n1) at
// base1 + row·n1 + (col − n0), the rest at base2 + row·n2 + (col − n0 − n1).
fn outIndex(row: u32, col: u32) -> u32 {
  let n0 = dims.n0; let n1 = dims.n1;
  if (col < n0) { return dims.base0 + row * n0 + col; }
  if (col < n0 + n1) { return dims.base1 + row * n1 + (col - n0); }
  return dims.base2 + row * (dims.n - n0 - n1) + (col - n0 - n1);
}
