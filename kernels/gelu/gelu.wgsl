// GELU in place, exact (erf) form as in BERT, fp32: gelu() is gelu-fn.wgsl, appended at pipeline
// creation (src/engine/ops/elementwise.ts), the same function the products' fused activation calls.
// 2-D grid for long tensors.

struct Params { count: u32, pad0: u32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 256u + gid.x;
  if (i >= params.count) { return; }
  x[i] = gelu(x[i]);
}
