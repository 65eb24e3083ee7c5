// Greedy decoding on the GPU: ids[outIndex] = argmax(logits[0 .. n)), ties to the lowest index
// (as a CPU loop with a strict '>' would). The id lands in the buffer the next decode step's
// embedding gather reads, so a whole query is one submission without a read-back.

struct Params { n: u32, outIndex: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> ids: array<u32>;

const WG: u32 = 256u;
var<workgroup> bestV: array<f32, 256>;
var<workgroup> bestI: array<u32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var v = -3.0e38;
  var idx = 0xffffffffu;
  for (var i = lid.x; i < params.n; i += WG) {
    let x = logits[i];
    if (x > v) { v = x; idx = i; } // i grows, so '>' keeps the lowest index per thread
  }
  bestV[lid.x] = v;
  bestI[lid.x] = idx;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid.x < s) {
      let ov = bestV[lid.x + s];
      let oi = bestI[lid.x + s];
      if (ov > bestV[lid.x] || (ov == bestV[lid.x] && oi < bestI[lid.x])) {
        bestV[lid.x] = ov;
        bestI[lid.x] = oi;
      }
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) { ids[params.outIndex] = bestI[0]; }
}
