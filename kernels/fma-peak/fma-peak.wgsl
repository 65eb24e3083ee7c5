// Sustained FMA throughput: four independent vec4 chains per invocation (enough instruction-level
// parallelism to hide FMA latency), unrolled 4x, x <- x*m + k with 0 < m < 1 so values converge
// instead of overflowing. The loop count is a uniform, so the compiler cannot fold the loop.
override WORKGROUP_SIZE: u32 = 256u;

struct Params {
  iterations: u32,
  rowStride: u32,   // invocations per row of the 2D dispatch
  mul: f32,
  add: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> result: array<vec4f>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let idx = gid.x + gid.y * params.rowStride;
  let base = f32(idx & 255u) * (1.0 / 256.0);
  var a = vec4f(base, base + 0.1, base + 0.2, base + 0.3);
  var b = a + vec4f(0.01);
  var c = a + vec4f(0.02);
  var d = a + vec4f(0.03);
  let m = vec4f(params.mul);
  let k = vec4f(params.add);
  for (var i = 0u; i < params.iterations; i++) {
    a = fma(a, m, k); b = fma(b, m, k); c = fma(c, m, k); d = fma(d, m, k);
    a = fma(a, m, k); b = fma(b, m, k); c = fma(c, m, k); d = fma(d, m, k);
    a = fma(a, m, k); b = fma(b, m, k); c = fma(c, m, k); d = fma(d, m, k);
    a = fma(a, m, k); b = fma(b, m, k); c = fma(c, m, k); d = fma(d, m, k);
  }
  result[idx] = a + b + c + d;
}
