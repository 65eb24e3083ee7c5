// Weight access, f16 storage (two halves packed per u32, as pack2x16float writes them), f32
// arithmetic: unpack2x16float is core WGSL, so this path halves the bytes every weight read moves
// without needing `enable f16` (devices without shader-f16, SwiftShader). Same functions as
// weights-f32.wgsl; weights-f16-compute.wgsl reads the same buffers as f16 for f16 products.
alias ProductT = f32;
@group(0) @binding(2) var<storage, read> w_pairs2: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read> w_pairs: array<u32>;

fn loadW4(i: u32) -> vec4<f32> {
  let p = w_pairs2[i];
  return vec4<f32>(unpack2x16float(p.x), unpack2x16float(p.y));
}
fn loadW1(i: u32) -> f32 {
  let v = unpack2x16float(w_pairs[i >> 1u]);
  return select(v.x, v.y, (i & 1u) == 1u);
}
fn lenW4() -> u32 { return arrayLength(&w_pairs2); }
