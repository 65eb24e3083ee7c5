// Row-wise softmax in place, fp32, numerically stable (subtract the row max).
// One workgroup per row. (Attention fuses its own online softmax; this kernel serves
// stand-alone uses such as class probabilities and the micro benchmark.)

struct Params { rows: u32, cols: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

const WG: u32 = 64u;
var<workgroup> red: array<f32, 64>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let n = params.cols;
  let base = wg.x * n;
  var m = -3.0e38;
  for (var i = lid.x; i < n; i += WG) { m = max(m, x[base + i]); }
  red[lid.x] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] = max(red[lid.x], red[lid.x + s]); }
    workgroupBarrier();
  }
  let rowMax = red[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var i = lid.x; i < n; i += WG) { let e = exp(x[base + i] - rowMax); x[base + i] = e; sum += e; }
  red[lid.x] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] += red[lid.x + s]; }
    workgroupBarrier();
  }
  let inv = 1.0 / red[0];
  for (var i = lid.x; i < n; i += WG) { x[base + i] *= inv; }
}
