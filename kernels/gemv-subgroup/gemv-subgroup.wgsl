// The gemv kernel (kernels/gemv/gemv.wgsl) with its K partial sums combined by subgroup
// operations instead of a shared-memory loop. Same entry points, bindings, uniform and epilogue;
// only the reduction differs, so the summation order (and the last bits) may differ from gemv.
// A separate file because `enable subgroups;` fails to compile on a device without the feature.
//
// Reduction: the partial sums to add live in aligned groups of R consecutive invocations
// (local_invocation_index): R = KSPLIT for 'kn' (after a transpose through workgroup memory),
// R = RL for 'nk' rows. With S = subgroup_size (any power of two the adapter reports, 4 to 128):
//  - S < R: subgroupAdd sums each subgroup (it lies inside one group), the first lane of each
//    subgroup writes that sum to slot lii / S, and after one barrier the group's first lane adds
//    its R / S slots in order.
//  - S ≥ R: a subgroup holds whole groups (or, when it is wider than the workgroup, the whole
//    workgroup): a butterfly of subgroupShuffleXor with masks R/2 … 1 sums each group without
//    leaving it, every lane of which is active.
// Every lane holds a defined value (0 where it has no work) before any subgroup operation, so no
// uninitialized or inactive lane is ever read.
// Assumption (what Dawn's backends do; the API does not promise it): subgroups are consecutive
// ranges of local_invocation_index starting at multiples of S. The builder keeps workgroup sizes
// powers of two, so with S ≤ the workgroup size every subgroup is full.
//
// Prologues (PROLOGUE, as gemv.wgsl: same codes, binding 6, eps in the uniform): x is read as
// x · inv_rms(x) · gamma (1), silu(gate) · up (2) or LayerNorm(x) (3) through gemv's `xin`
// (kernels/product/row.wgsl); the normalized residual (RESIDUAL_NORM) likewise.
// The row statistics repeat the norm kernels' f32 operations in their order (64 lanes' strided
// sums, a halving tree): the workgroup's invocations play those 64 lanes (each several when the
// workgroup has fewer than 64), so the fused product equals rmsnorm / layernorm → gemv-subgroup
// bit for bit.

enable subgroups;
// Subgroup operations below run under branches on subgroup_size, which is the same for every
// invocation of a subgroup; the analysis cannot see that.
diagnostic(off, subgroup_uniformity);

override HAS_BIAS: bool = false;
override ACTIVATION: u32 = 0u; // 0 = none, 1 = relu, 2 = tanh, 3 = gelu
override HAS_RESIDUAL: bool = false;
override PROLOGUE: u32 = 0u; // 0 = none, 1 = rmsnorm, 2 = swiglu, 3 = layernorm (gemv's codes)
override RESIDUAL_NORM: bool = false; // gemv's normalized residual (binding 7)

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

// W (binding 2) is read through loadW4 / loadW1 (kernels/weights/*.wgsl, appended at pipeline creation),
// in the snippet's ProductT (f32, or f16 with weights-f16-compute.wgsl: see kernels/product/row.wgsl).

// 'kn': COLS column groups × KSPLIT slices of k (powers of two, COLS·KSPLIT ≤ 256).
override COLS: u32 = 16u;
override KSPLIT: u32 = 16u;
// 'nk' rows: RL invocations along k per row × RPW rows per workgroup (powers of two, RL·RPW ≤ 256).
override RL: u32 = 64u;
override RPW: u32 = 4u;

var<workgroup> partial4: array<vec4<f32>, 256>; // COLS * KSPLIT
var<workgroup> partial1: array<f32, 256>;
// One slot per subgroup: 256 slots cover any subgroup size down to 1.
var<workgroup> slots4: array<vec4<f32>, 256>;
var<workgroup> slots1: array<f32, 256>;

// The prologue (rowStats, xin) and the epilogue (activate, outIndex, finish) are
// kernels/product/row.wgsl, appended at pipeline creation: gemv's text, not a copy.

// Sum of v over the aligned group of r invocations holding lii; exact at the group's first
// invocation (lii % r == 0). Call from uniform control flow (it has a barrier).
fn groupSum4(v: vec4<f32>, r: u32, lii: u32, lane: u32, sg: u32) -> vec4<f32> {
  var s = v;
  if (sg >= r) {
    for (var m = r >> 1u; m > 0u; m >>= 1u) { s += subgroupShuffleXor(s, m); }
  } else {
    s = subgroupAdd(s);
    if (lane == 0u) { slots4[lii / sg] = s; }
  }
  workgroupBarrier();
  if (sg < r && lii % r == 0u) {
    let first = lii / sg;
    s = slots4[first];
    for (var j = 1u; j < r / sg; j++) { s += slots4[first + j]; }
  }
  return s;
}

fn groupSum1(v: f32, r: u32, lii: u32, lane: u32, sg: u32) -> f32 {
  var s = v;
  if (sg >= r) {
    for (var m = r >> 1u; m > 0u; m >>= 1u) { s += subgroupShuffleXor(s, m); }
  } else {
    s = subgroupAdd(s);
    if (lane == 0u) { slots1[lii / sg] = s; }
  }
  workgroupBarrier();
  if (sg < r && lii % r == 0u) {
    let first = lii / sg;
    s = slots1[first];
    for (var j = 1u; j < r / sg; j++) { s += slots1[first + j]; }
  }
  return s;
}

// Thread (lx, ly) sums every KSPLIT-th k of 4 adjacent columns (coalesced vec4 loads along a W
// row, as gemv); the partial sums are transposed through workgroup memory so that the KSPLIT
// slices of one column group become consecutive invocations, then reduced as above.
@compute @workgroup_size(COLS, KSPLIT, 1)
fn main_vec4(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
             @builtin(local_invocation_index) lii: u32,
             @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) sg: u32) {
  let n4 = dims.n / 4u;
  let c = wg.x * COLS + lid.x;
  let st = rowStats(lii, COLS * KSPLIT);
  let rs = residualStats(lii, COLS * KSPLIT);
  var acc = vec4<f32>(0.0);
  if (c < n4) {
    for (var kk = lid.y; kk < dims.k; kk += KSPLIT) {
      acc += vec4<f32>(ProductT(xin(kk, st)) * loadW4(kk * n4 + c));
    }
  }
  partial4[lid.y * COLS + lid.x] = acc;
  workgroupBarrier();
  let col = lii / KSPLIT;
  var s = groupSum4(partial4[(lii % KSPLIT) * COLS + col], KSPLIT, lii, lane, sg);
  let cc = wg.x * COLS + col;
  if (lii % KSPLIT == 0u && cc < n4) {
    for (var e = 0u; e < 4u; e++) { finish(cc * 4u + e, s[e], rs); }
  }
}

@compute @workgroup_size(COLS, KSPLIT, 1)
fn main_scalar(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
               @builtin(local_invocation_index) lii: u32,
               @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) sg: u32) {
  let n = dims.n;
  let c = wg.x * COLS + lid.x;
  let st = rowStats(lii, COLS * KSPLIT);
  let rs = residualStats(lii, COLS * KSPLIT);
  var acc = 0.0;
  if (c < n) {
    for (var kk = lid.y; kk < dims.k; kk += KSPLIT) {
      acc += f32(ProductT(xin(kk, st)) * loadW1(kk * n + c));
    }
  }
  partial1[lid.y * COLS + lid.x] = acc;
  workgroupBarrier();
  let col = lii / KSPLIT;
  let s = groupSum1(partial1[(lii % KSPLIT) * COLS + col], KSPLIT, lii, lane, sg);
  let cc = wg.x * COLS + col;
  if (lii % KSPLIT == 0u && cc < n) { finish(cc, s, rs); }
}

// RPW rows per workgroup (lid.y), RL invocations across k (lid.x): a row's partial sums are
// already RL consecutive invocations. 2-D grid: row blocks beyond 65535 workgroups continue in wg.y.
@compute @workgroup_size(RL, RPW, 1)
fn main_rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) lii: u32,
             @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) sg: u32) {
  let block = wg.y * nwg.x + wg.x;
  let row = block * RPW + lid.y;
  let st = rowStats(lii, RL * RPW);
  let rs = residualStats(lii, RL * RPW);
  var acc = 0.0;
  if (row < dims.n) {
    let base = row * dims.k;
    for (var kk = lid.x; kk < dims.k; kk += RL) {
      acc += f32(ProductT(xin(kk, st)) * loadW1(base + kk));
    }
  }
  let s = groupSum1(acc, RL, lii, lane, sg);
  if (lid.x == 0u && row < dims.n) { finish(row, s, rs); }
}
