// Greedy decoding as kernels/argmax/argmax.wgsl (ids[outIndex] = argmax(logits[0 .. n)), ties to
// the lowest index, NaN never wins), with the workgroup's candidates combined by subgroup
// operations: subgroupMax of the values, then subgroupMin of the indices of the lanes holding that
// maximum (each lane's index is the lowest of its own maxima, so the minimum is the lowest index
// of the workgroup's maximum). One slot per subgroup then meets in workgroup memory, scanned in
// order by invocation 0 with the same (greater, or equal and lower index) rule.
// Any subgroup size 1 to 256 works: every lane holds a defined candidate (−3e38, 0xffffffff when
// it saw no logit); slots are indexed lii / S, which assumes subgroups are consecutive ranges of
// local_invocation_index (as kernels/gemv-subgroup does).

enable subgroups;
diagnostic(off, subgroup_uniformity);

struct Params { n: u32, outIndex: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> ids: array<u32>;

const WG: u32 = 256u;
var<workgroup> slotV: array<f32, 256>;
var<workgroup> slotI: array<u32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_index) lii: u32,
        @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) sg: u32) {
  var v = -3.0e38;
  var idx = 0xffffffffu;
  for (var i = lii; i < params.n; i += WG) {
    let x = logits[i];
    if (x > v) { v = x; idx = i; } // i grows, so '>' keeps the lowest index per invocation
  }
  let m = subgroupMax(v);
  let best = subgroupMin(select(0xffffffffu, idx, v == m));
  if (lane == 0u) {
    slotV[lii / sg] = m;
    slotI[lii / sg] = best;
  }
  workgroupBarrier();
  if (lii == 0u) {
    var bv = slotV[0];
    var bi = slotI[0];
    for (var s = 1u; s < (WG + sg - 1u) / sg; s++) {
      let ov = slotV[s];
      let oi = slotI[s];
      if (ov > bv || (ov == bv && oi < bi)) { bv = ov; bi = oi; }
    }
    ids[params.outIndex] = bi;
  }
}
