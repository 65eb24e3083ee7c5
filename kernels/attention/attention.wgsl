// Scaled dot-product attention, fp32, one workgroup per (query row, query head), flash-style:
// keys are visited in chunks of 64 with an online softmax (running max and sum), so any
// sequence length works with a fixed amount of workgroup memory.
//
// Q: [queries, qStride] (head h at columns h·headDim); K, V: [rows, kvStride] (a KV cache, or
// the projections themselves for an encoder). Query i sits at absolute position qPos0 + i and
// attends to keys 0 .. nKeys−1 with nKeys = min(qPos0 + i + 1, kvLen) when causal, kvLen
// otherwise. Grouped-query attention: query head h reads KV head h / (heads / kvHeads).

struct Params {
  queries: u32, heads: u32, kvHeads: u32, headDim: u32,
  qPos0: u32, kvLen: u32, causal: u32, scale: f32,
  qStride: u32, kvStride: u32, oStride: u32, pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;

const WG: u32 = 64u;
const MAX_HEAD_DIM: u32 = 256u;
const PER_THREAD: u32 = 4u; // MAX_HEAD_DIM / WG output dims per thread
const NEG: f32 = -3.0e38;

var<workgroup> qs: array<f32, 256>;
var<workgroup> ps: array<f32, 64>;
var<workgroup> red: array<f32, 64>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let qi = wg.x;
  let h = wg.y;
  let tid = lid.x;
  let hd = params.headDim;
  let kvh = h / (params.heads / params.kvHeads);
  var nKeys = params.kvLen;
  if (params.causal != 0u) { nKeys = min(params.qPos0 + qi + 1u, params.kvLen); }

  let qBase = qi * params.qStride + h * hd;
  for (var d = tid; d < hd; d += WG) { qs[d] = q[qBase + d] * params.scale; }
  workgroupBarrier();

  var m = NEG;      // running max of the scores seen so far
  var l = 0.0;      // running sum of exp(score − m)
  var acc: array<f32, 4>;
  let kvCol = kvh * hd;

  for (var c0 = 0u; c0 < nKeys; c0 += WG) {
    let j = c0 + tid;
    var s = NEG;
    if (j < nKeys) {
      let kBase = j * params.kvStride + kvCol;
      var dot = 0.0;
      for (var d = 0u; d < hd; d++) { dot += qs[d] * k[kBase + d]; }
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
        for (var jj = 0u; jj < count; jj++) { a += ps[jj] * v[(c0 + jj) * params.kvStride + kvCol + d]; }
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
