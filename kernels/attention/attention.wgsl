// Scaled dot-product attention, fp32, one workgroup per (query row, query head), flash-style:
// keys are visited in chunks of 64 with an online softmax (running max and sum), so any
// sequence length works with a fixed amount of workgroup memory. The online softmax, the weighted
// sum of V and the store are online-softmax.wgsl, appended at pipeline creation.
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

/** Element `col` of V's row `row` (online-softmax.wgsl reads V through this). */
fn loadV(row: u32, col: u32) -> f32 { return v[row * params.kvStride + col]; }

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
    softmaxChunk(s, c0, nKeys, tid, hd, kvCol);
  }

  softmaxStore(qi * params.oStride + h * hd, tid, hd);
}
