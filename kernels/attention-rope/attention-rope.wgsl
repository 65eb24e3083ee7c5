// Causal attention with the rotary position embedding folded in, fp32: the decoder's RoPE and
// attention in one dispatch per layer. One workgroup per (query row, query head), keys in chunks
// of 64 with an online softmax (running max and sum), as kernels/attention.
//
// Everything lives in one buffer, one layer's `qkv` (element offsets in the uniform): Q of the
// new rows and their K, both not yet rotated ("kNew", written there by the Q/K/V projection), and
// the K and V caches. Query i sits at position qPos0 + i and attends to keys 0 .. qPos0 + i.
// Keys before qPos0 come from the K cache, already rotated by earlier passes; keys from qPos0 on
// come from kNew, rotated on the fly. Each new K row is also stored, rotated, into its cache row,
// by the first query head of its KV group: nothing reads cache rows ≥ qPos0 in this dispatch, so
// the write races with no read. Rotation and scaling are the same f32 operations as the rope
// kernel followed by the attention kernel's scaling:
//   x'[i] = x[i]·cos − x[i + hd/2]·sin,  x'[i + hd/2] = x[i + hd/2]·cos + x[i]·sin  (i < hd/2)
// with cos/sin from tables [positions, hd/2] computed in f64 on the CPU.

struct Params {
  queries: u32, heads: u32, kvHeads: u32, headDim: u32,
  qPos0: u32, kvLen: u32, scale: f32, qStride: u32,
  qOff: u32, kNewOff: u32, kOff: u32, vOff: u32,
  kvStride: u32, oStride: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> cosTable: array<f32>;
@group(0) @binding(2) var<storage, read> sinTable: array<f32>;
@group(0) @binding(3) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;

const WG: u32 = 64u;
const PER_THREAD: u32 = 4u; // max head size 256 / WG output dims per thread
const NEG: f32 = -3.0e38;

var<workgroup> qs: array<f32, 256>;
var<workgroup> ps: array<f32, 64>;
var<workgroup> red: array<f32, 64>;

/** Element d of the row at `base` (head size hd), rotated to table row `pos`. */
fn rotated(base: u32, d: u32, pos: u32, hd: u32) -> f32 {
  let half = hd / 2u;
  let i = select(d - half, d, d < half);
  let c = cosTable[pos * half + i];
  let s = sinTable[pos * half + i];
  let x1 = qkv[base + i];
  let x2 = qkv[base + i + half];
  if (d < half) { return x1 * c - x2 * s; }
  return x2 * c + x1 * s;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let qi = wg.x;
  let h = wg.y;
  let tid = lid.x;
  let hd = params.headDim;
  let group = params.heads / params.kvHeads;
  let kvh = h / group;
  let kvCol = kvh * hd;
  let pos = params.qPos0 + qi;
  let nKeys = min(pos + 1u, params.kvLen);

  let qBase = params.qOff + qi * params.qStride + h * hd;
  for (var d = tid; d < hd; d += WG) { qs[d] = rotated(qBase, d, pos, hd) * params.scale; }
  // This row's K, rotated, into the cache (one writer per row and KV head).
  if (h % group == 0u) {
    let nBase = params.kNewOff + qi * params.kvStride + kvCol;
    let cBase = params.kOff + pos * params.kvStride + kvCol;
    for (var d = tid; d < hd; d += WG) { qkv[cBase + d] = rotated(nBase, d, pos, hd); }
  }
  workgroupBarrier();

  var m = NEG;      // running max of the scores seen so far
  var l = 0.0;      // running sum of exp(score − m)
  var acc: array<f32, 4>;

  for (var c0 = 0u; c0 < nKeys; c0 += WG) {
    let j = c0 + tid;
    var s = NEG;
    if (j < nKeys) {
      var dot = 0.0;
      if (j < params.qPos0) {
        let kBase = params.kOff + j * params.kvStride + kvCol;
        for (var d = 0u; d < hd; d++) { dot += qs[d] * qkv[kBase + d]; }
      } else {
        let nBase = params.kNewOff + (j - params.qPos0) * params.kvStride + kvCol;
        for (var d = 0u; d < hd; d++) { dot += qs[d] * rotated(nBase, d, j, hd); }
      }
      s = dot;
    }
    // Chunk max.
    red[tid] = s;
    workgroupBarrier();
    for (var st = WG / 2u; st > 0u; st >>= 1u) {
      if (tid < st) { red[tid] = max(red[tid], red[tid + st]); }
      workgroupBarrier();
    }
    let mNew = max(m, red[0]);
    workgroupBarrier();
    let p = select(0.0, exp(s - mNew), j < nKeys);
    ps[tid] = p;
    red[tid] = p;
    workgroupBarrier();
    for (var st = WG / 2u; st > 0u; st >>= 1u) {
      if (tid < st) { red[tid] += red[tid + st]; }
      workgroupBarrier();
    }
    let correction = exp(m - mNew);
    l = l * correction + red[0];
    let count = min(WG, nKeys - c0);
    for (var e = 0u; e < PER_THREAD; e++) {
      let d = tid + e * WG;
      if (d < hd) {
        var a = acc[e] * correction;
        for (var jj = 0u; jj < count; jj++) { a += ps[jj] * qkv[params.vOff + (c0 + jj) * params.kvStride + kvCol + d]; }
        acc[e] = a;
      }
    }
    m = mNew;
    workgroupBarrier();
  }

  let oBase = qi * params.oStride + h * hd;
  let inv = 1.0 / l;
  for (var e = 0u; e < PER_THREAD; e++) {
    let d = tid + e * WG;
    if (d < hd) { o[oBase + d] = acc[e] * inv; }
  }
}
