// Causal attention with the rotary position embedding folded in, fp32: the decoder's RoPE and
// attention in one dispatch per layer. One workgroup per (query row, query head), keys in chunks
// of 64 with an online softmax (running max and sum): kernels/attention/online-softmax.wgsl, the
// same text as kernels/attention, appended at pipeline creation.
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

/** Element `col` of V's row `row` in the V cache (online-softmax.wgsl reads V through this). */
fn loadV(row: u32, col: u32) -> f32 { return qkv[params.vOff + row * params.kvStride + col]; }

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
    softmaxChunk(s, c0, nKeys, tid, hd, kvCol);
  }

  softmaxStore(qi * params.oStride + h * hd, tid, hd);
}
