// Memory bandwidth: one vec4 read and one vec4 write per invocation, fully coalesced.
override WORKGROUP_SIZE: u32 = 256u;

struct Params {
  count: u32,       // vec4 elements
  rowStride: u32,   // invocations per row of the 2D dispatch
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * params.rowStride;
  if (i < params.count) {
    dst[i] = src[i];
  }
}
