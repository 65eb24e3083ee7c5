// LayerNorm over the last dimension: y = (x − mean) / sqrt(var + eps) · gamma + beta, fp32.
// One workgroup per row; mean and variance in two passes over the row (more accurate than
// E[x²] − E[x]², which cancels badly when |mean| ≫ std).

struct Params { rows: u32, dim: u32, eps: f32, pad: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

const WG: u32 = 64u;
var<workgroup> red: array<f32, 64>;

fn reduceSum(v: f32, tid: u32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (tid < s) { red[tid] += red[tid + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = wg.x;
  let d = params.dim;
  let base = row * d;
  var s = 0.0;
  for (var i = lid.x; i < d; i += WG) { s += x[base + i]; }
  let mean = reduceSum(s, lid.x) / f32(d);
  var q = 0.0;
  for (var i = lid.x; i < d; i += WG) { let c = x[base + i] - mean; q += c * c; }
  let rstd = inverseSqrt(reduceSum(q, lid.x) / f32(d) + params.eps);
  for (var i = lid.x; i < d; i += WG) {
    y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i];
  }
}
