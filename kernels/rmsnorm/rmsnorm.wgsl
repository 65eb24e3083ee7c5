// RMSNorm (Llama/Qwen): y = x / sqrt(mean(x²) + eps) · gamma, fp32. One workgroup per row.
// rowOffset lets the final norm of a prefill touch only the last position (the only one whose
// logits are used).

struct Params { rows: u32, dim: u32, eps: f32, rowOffset: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

const WG: u32 = 64u;
var<workgroup> red: array<f32, 64>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let d = params.dim;
  let base = (params.rowOffset + wg.x) * d;
  var q = 0.0;
  for (var i = lid.x; i < d; i += WG) { let v = x[base + i]; q += v * v; }
  red[lid.x] = q;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] += red[lid.x + s]; }
    workgroupBarrier();
  }
  let rinv = inverseSqrt(red[0] / f32(d) + params.eps);
  for (var i = lid.x; i < d; i += WG) { y[base + i] = x[base + i] * rinv * gamma[i]; }
}
