// The tiled products' shared parts: gemm.wgsl and gemm-splitk.wgsl get this text appended at
// pipeline creation (src/engine/ops/product.ts), so both stage A through the same prologue,
// multiply the same register blocks and finish C with the same epilogue: one copy, and the
// same f32 operations in the same order in both.
//
// Expects from the kernel: `dims` (m, n, k, n0, n1, base0, base1, base2, eps, epsR), the overrides
// TILE_K, HAS_BIAS, ACTIVATION, HAS_RESIDUAL, RESIDUAL_NORM and PROLOGUE, A as `a4` / `a1`, the
// prologue's operand as `prologue4` / `prologue1`, `bias`, `residual` and the normalized
// residual's gamma/beta `residualNorm`; normTerm() and NORM_LANES come from common.wgsl, gelu() from kernels/gelu/gelu-fn.wgsl;
// ProductT, loadW4 / loadW1 / lenW4 from the weight snippet (kernels/weights).
//
// Precision: one text, two instantiations chosen by the weight snippet's ProductT.
//  - ProductT = f32 (weights-f32.wgsl, weights-f16.wgsl): every conversion below is the identity,
//    so the operations are the f32 ones, in the same order, as before f16 existed.
//  - ProductT = f16 (weights-f16-compute.wgsl, shader-f16): A is rounded to f16 as it is staged
//    (after the f32 prologue), B is read as f16, both tiles hold f16 (half the workgroup memory and
//    its bandwidth), and each 4-term block a.x·b0 + … + a.w·b3 is multiplied and summed in f16,
//    then widened to f32 and added to the f32 accumulator. Why that split: f16 keeps 11
//    significant bits (unit roundoff u = 2⁻¹¹), so a sum over all of K in f16 would grow its
//    error with K and overflow past 65504; a 4-term block's error is at most ≈ 4u · Σ|a·b| over
//    its own terms (4 products, 3 adds, rounded to nearest), and the K / 4 blocks add in f32
//    (u = 2⁻²⁴), so the whole product errs by ≤ ≈ 5u · Σ_k |a_k·b_k| (with A's rounding to f16),
//    f32's part negligible. (WGSL lets a conversion or an operation round to either neighbour, one
//    ulp = 2u: twice these figures at worst.)
//    A value of A beyond f16's range (|a| > 65504) overflows f16: WGSL lets an implementation
//    assume no overflow, so the result is undefined (typically ±inf). Activations of that size
//    are outside what these models produce.
//    The prologue (norm statistics, SwiGLU) and the epilogue (bias, activation, residual,
//    normalized residual) stay f32.

const TILE_M: u32 = 32u;
const TILE_N: u32 = 32u;
const MAX_TILE_K: u32 = 32u;

// A tile: TILE_M rows × TILE_K/4 vec4 (along k). B tile: TILE_K rows × TILE_N/4 vec4 (along n).
// In the product's precision (f16: 2 KiB each instead of 4).
var<workgroup> tileA: array<vec4<ProductT>, 256>; // TILE_M * MAX_TILE_K / 4
var<workgroup> tileB: array<vec4<ProductT>, 256>; // MAX_TILE_K * TILE_N / 4

// Multiply the staged tiles into the 4×4 register block of thread (tx, ty): each 4-term block in
// ProductT (f16: products and the three adds rounded to 11 bits), widened to f32 (exact) and added
// to the f32 accumulator (f32: the widening is the identity, the same f32 expression as ever).
fn accumulate(acc: ptr<function, array<vec4<f32>, 4>>, tx: u32, ty: u32) {
  let kv = TILE_K / 4u;
  for (var kq = 0u; kq < kv; kq++) {
    let b0 = tileB[(kq * 4u + 0u) * (TILE_N / 4u) + tx];
    let b1v = tileB[(kq * 4u + 1u) * (TILE_N / 4u) + tx];
    let b2 = tileB[(kq * 4u + 2u) * (TILE_N / 4u) + tx];
    let b3 = tileB[(kq * 4u + 3u) * (TILE_N / 4u) + tx];
    for (var r = 0u; r < 4u; r++) {
      let a = tileA[(ty * 4u + r) * kv + kq];
      (*acc)[r] += vec4<f32>(a.x * b0 + a.y * b1v + a.z * b2 + a.w * b3);
    }
  }
}

// ---- Prologue: A transformed as it is staged ----
// Row statistics, NORM_ROWS rows' 64 lane partials at a time (the norm kernels' workgroup of 64
// lanes, each summing elements lane, lane + 64, …, then a halving tree: their order), for
//  - RMSNorm (PROLOGUE 1): inv_rms of each tile row of A, rmsnorm.wgsl's operations;
//  - LayerNorm (PROLOGUE 3): mean, then rstd from the centred squares, layernorm.wgsl's two passes;
//  - the normalized residual (RESIDUAL_NORM): mean and rstd of each row of R over N, the same way.
const NORM_ROWS: u32 = 4u;
var<workgroup> normRed: array<f32, 256>; // NORM_ROWS * NORM_LANES
var<workgroup> rowMean: array<f32, 32>; // TILE_M: LayerNorm's mean of A's rows
var<workgroup> rowInv: array<f32, 32>;  // TILE_M: inv_rms (RMSNorm) or rstd (LayerNorm) of A's rows
var<workgroup> resMean: array<f32, 32>; // mean and rstd of R's rows (normalized residual)
var<workgroup> resInv: array<f32, 32>;

// Lane `lane`'s strided sum of row gr of A (K columns), read as vec4 (main_vec4) or f32.
fn laneSumA4(gr: u32, lane: u32, what: u32, mean: f32) -> f32 {
  var q = 0.0;
  if (gr < dims.m) {
    let K = dims.k; let K4 = K / 4u;
    for (var i = lane; i < K; i += NORM_LANES) { q += normTerm(a4[gr * K4 + i / 4u][i % 4u], what, mean); }
  }
  return q;
}

fn laneSumA1(gr: u32, lane: u32, what: u32, mean: f32) -> f32 {
  var q = 0.0;
  if (gr < dims.m) {
    let K = dims.k;
    for (var i = lane; i < K; i += NORM_LANES) { q += normTerm(a1[gr * K + i], what, mean); }
  }
  return q;
}

// The same over row gr of the residual R [M, N].
fn laneSumR(gr: u32, lane: u32, what: u32, mean: f32) -> f32 {
  var q = 0.0;
  if (gr < dims.m) {
    let N = dims.n;
    for (var i = lane; i < N; i += NORM_LANES) { q += normTerm(residual[gr * N + i], what, mean); }
  }
  return q;
}

// Halving tree over the 64 partials of each of the NORM_ROWS rows in normRed; the row sums end at
// normRed[j · 64]. Called by all 64 threads in uniform control flow.
fn treeRows(tid: u32) {
  workgroupBarrier();
  for (var s = NORM_LANES / 2u; s > 0u; s >>= 1u) {
    if (tid < s) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] += normRed[j * NORM_LANES + tid + s]; }
    }
    workgroupBarrier();
  }
}

// Row sum / count (the mean), or inverseSqrt(sum / count + eps) (inv_rms, rstd): the norm
// kernels' expressions. Thread j < NORM_ROWS reads row j's sum.
fn rowMeanOf(tid: u32, count: u32) -> f32 { return normRed[tid * NORM_LANES] / f32(count); }
fn rowInvOf(tid: u32, count: u32, eps: f32) -> f32 { return inverseSqrt(normRed[tid * NORM_LANES] / f32(count) + eps); }

// After the NORM_ROWS rows' lane sums are in normRed: their means (LayerNorm's first pass), or their
// inv_rms / rstd (RMSNorm, LayerNorm's second pass), at rowMean / rowInv [r0 ..].
fn storeRowMeans(r0: u32, tid: u32) {
  treeRows(tid);
  if (tid < NORM_ROWS) { rowMean[r0 + tid] = rowMeanOf(tid, dims.k); }
  workgroupBarrier();
}

fn storeRowInvs(r0: u32, tid: u32) {
  treeRows(tid);
  if (tid < NORM_ROWS) { rowInv[r0 + tid] = rowInvOf(tid, dims.k, dims.eps); }
  workgroupBarrier();
}

// The second pass's term: x² (RMSNorm) or (x − mean)² (LayerNorm).
fn secondTerm() -> u32 { return select(2u, 1u, PROLOGUE == 3u); }

// The row statistics of the tile rows row0 .. row0 + TILE_M that the prologue needs, before the
// K loop (every slice of a split-K product computes them over the whole row). All 64 threads,
// uniform control flow. Two functions because an entry point may use only one view of A.
fn tileRowStats4(row0: u32, tid: u32) {
  if (PROLOGUE != 1u && PROLOGUE != 3u) { return; }
  for (var r0 = 0u; r0 < TILE_M; r0 += NORM_ROWS) {
    if (PROLOGUE == 3u) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = laneSumA4(row0 + r0 + j, tid, 0u, 0.0); }
      storeRowMeans(r0, tid);
    }
    for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = laneSumA4(row0 + r0 + j, tid, secondTerm(), rowMean[r0 + j]); }
    storeRowInvs(r0, tid);
  }
}

fn tileRowStats1(row0: u32, tid: u32) {
  if (PROLOGUE != 1u && PROLOGUE != 3u) { return; }
  for (var r0 = 0u; r0 < TILE_M; r0 += NORM_ROWS) {
    if (PROLOGUE == 3u) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = laneSumA1(row0 + r0 + j, tid, 0u, 0.0); }
      storeRowMeans(r0, tid);
    }
    for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = laneSumA1(row0 + r0 + j, tid, secondTerm(), rowMean[r0 + j]); }
    storeRowInvs(r0, tid);
  }
}

// Mean and rstd of the residual rows row0 .. row0 + rows (rows ≤ TILE_M, in steps of NORM_ROWS),
// at resMean / resInv [0 ..): the normalized residual's statistics, layernorm.wgsl's two passes
// over N. All 64 threads, uniform control flow; nothing without RESIDUAL_NORM.
fn residualRowStats(row0: u32, rows: u32, tid: u32) {
  if (RESIDUAL_NORM) {
    for (var r0 = 0u; r0 < rows; r0 += NORM_ROWS) {
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = laneSumR(row0 + r0 + j, tid, 0u, 0.0); }
      treeRows(tid);
      if (tid < NORM_ROWS) { resMean[r0 + tid] = rowMeanOf(tid, dims.n); }
      workgroupBarrier();
      for (var j = 0u; j < NORM_ROWS; j++) { normRed[j * NORM_LANES + tid] = laneSumR(row0 + r0 + j, tid, 1u, resMean[r0 + j]); }
      treeRows(tid);
      if (tid < NORM_ROWS) { resInv[r0 + tid] = rowInvOf(tid, dims.n, dims.epsR); }
      workgroupBarrier();
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
  if (PROLOGUE == 3u) {
    // gamma [K] then beta [K] (vec4 K / 4 further); layernorm.wgsl's (x − mean) · rstd · gamma + beta.
    let last = arrayLength(&prologue4) - 1u;
    let y = (v - rowMean[r]) * rowInv[r] * prologue4[min(gk, last)] + prologue4[min(dims.k / 4u + gk, last)];
    v = select(vec4<f32>(0.0), y, inb);
  }
  return v;
}

// A's element ai (row r of the tile, column kk), in bounds, as the product reads it.
fn stageA1(ai: u32, r: u32, kk: u32) -> f32 {
  var x = a1[ai];
  if (PROLOGUE == 1u) { x = x * rowInv[r] * prologue1[kk]; }
  if (PROLOGUE == 2u) { x = x / (1.0 + exp(-x)) * prologue1[ai]; }
  if (PROLOGUE == 3u) { x = (x - rowMean[r]) * rowInv[r] * prologue1[kk] + prologue1[dims.k + kk]; }
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
      // The prologue in f32, then converted to ProductT (f16: to a neighbouring f16; f32: identity).
      tileA[i] = vec4<ProductT>(stageA4(min(gr * K4 + gk, arrayLength(&a4) - 1u), gr < M && gk < kEnd4, r, gk));
    }
    for (var i = tid; i < TILE_K * (TILE_N / 4u); i += 64u) {
      let r = i / (TILE_N / 4u); let q = i % (TILE_N / 4u);
      let gk = k0 * 4u + r; let gc = col04 + q;
      tileB[i] = select(vec4<ProductT>(0.0), loadW4(min(gk * N4 + gc, lenW4() - 1u)), gk < kEnd4 * 4u && gc < N4);
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
      tileA[i] = vec4<ProductT>(v);
    }
    for (var i = tid; i < TILE_K * (TILE_N / 4u); i += 64u) {
      let r = i / (TILE_N / 4u); let q = i % (TILE_N / 4u);
      let gk = k0 + r; let gc = col0 + q * 4u;
      var v = vec4<ProductT>(0.0);
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
// Lanes at or past column n are computed but never stored. With RESIDUAL_NORM the residual added
// is LayerNorm(R) of its row: (R − mean) · rstd · gamma + beta, layernorm.wgsl's expression, with
// the row's statistics at resMean[rs] / resInv[rs] and gamma, beta at residualNorm[col], [n + col].
fn epilogue(v: vec4<f32>, row: u32, col0: u32, rs: u32) -> vec4<f32> {
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
    var res = vec4<f32>(
      select(0.0, residual[min(base, last)], col0 < n),
      select(0.0, residual[min(base + 1u, last)], col0 + 1u < n),
      select(0.0, residual[min(base + 2u, last)], col0 + 2u < n),
      select(0.0, residual[min(base + 3u, last)], col0 + 3u < n));
    if (RESIDUAL_NORM) {
      let lastG = arrayLength(&residualNorm) - 1u;
      let gamma = vec4<f32>(
        residualNorm[min(col0, lastG)], residualNorm[min(col0 + 1u, lastG)], residualNorm[min(col0 + 2u, lastG)], residualNorm[min(col0 + 3u, lastG)]);
      let beta = vec4<f32>(
        residualNorm[min(n + col0, lastG)], residualNorm[min(n + col0 + 1u, lastG)], residualNorm[min(n + col0 + 2u, lastG)], residualNorm[min(n + col0 + 3u, lastG)]);
      res = (res - resMean[rs]) * resInv[rs] * gamma + beta;
    }
    r += res;
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
