// SwiGLU combine in place: gate[i] = silu(gate[i]) · up[i], silu(x) = x / (1 + e^−x), fp32.

struct Params { count: u32, pad0: u32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> gate: array<f32>;
// Only read, but declared read_write: the decoder's fused gate/up product writes gate and up as
// two slices of one buffer, and WebGPU forbids a buffer being read-only and writable storage in
// the same dispatch (even on disjoint ranges); two writable slices of it are allowed.
@group(0) @binding(2) var<storage, read_write> up: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 256u + gid.x;
  if (i >= params.count) { return; }
  let g = gate[i];
  gate[i] = g / (1.0 + exp(-g)) * up[i];
}
