// Embedding gather, fp32: out[t, :] = table[ids[idOffset + t] − rowStart, :] (+ positions[posOffset + t, :]).
// The token table may be split over several buffers (a row chunk each) when it exceeds the
// adapter's binding limit: one dispatch per chunk, each writing only the rows whose token id
// falls in [rowStart, rowStart + rowCount). Every id lies in exactly one chunk, so every row is
// written once. The position row is added by the chunk that owns the token.
// Token ids live in a GPU buffer so that greedy decode can feed argmax's output back without a
// read-back. Out-of-range ids (≥ vocab) write nothing in any chunk; the runner never makes them.

override HAS_POSITIONS: bool = false;

struct Params {
  tokens: u32, dim: u32, idOffset: u32, rowStart: u32,
  rowCount: u32, posOffset: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> ids: array<u32>;
// The token table (binding 2) is read through loadW1 (kernels/weights/weights-*.wgsl).
@group(0) @binding(3) var<storage, read> positions: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = wg.x;
  let id = ids[params.idOffset + t];
  if (id < params.rowStart || id - params.rowStart >= params.rowCount) { return; }
  let src = (id - params.rowStart) * params.dim;
  let dst = t * params.dim;
  for (var d = lid.x; d < params.dim; d += 64u) {
    var v = loadW1(src + d);
    if (HAS_POSITIONS) { v += positions[(params.posOffset + t) * params.dim + d]; }
    out[dst + d] = v;
  }
}
