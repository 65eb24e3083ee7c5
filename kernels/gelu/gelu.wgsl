// GELU in place, exact (erf) form as in BERT: x · ½ · (1 + erf(x / √2)), fp32.
// WGSL has no erf: Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), below f32 resolution of the
// result for the activations a transformer sees. 2-D grid for long tensors.

struct Params { count: u32, pad0: u32, pad1: u32, pad2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

fn erf_approx(z: f32) -> f32 {
  let a = abs(z);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  let r = 1.0 - poly * exp(-a * a);
  return select(-r, r, z >= 0.0);
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 256u + gid.x;
  if (i >= params.count) { return; }
  let v = x[i];
  x[i] = 0.5 * v * (1.0 + erf_approx(v * 0.7071067811865476));
}
