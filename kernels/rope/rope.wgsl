// Rotary position embedding, rotate-half convention (Llama/Qwen), in place on Q and on the new
// rows of the K cache, fp32. For pair i < headDim/2 at position p:
//   x'[i] = x[i]·cos(p·θ_i) − x[i + hd/2]·sin(p·θ_i),  x'[i + hd/2] = x[i + hd/2]·cos + x[i]·sin
// cos/sin come from a table computed on the CPU in f64 ([positions, hd/2] each), so long
// positions keep full accuracy (p·θ in f32 would lose ~3 digits at p = 32k).
// One thread per (token, head, pair); heads 0..heads−1 are Q heads, the next kvHeads are K heads.

struct Params {
  tokens: u32, heads: u32, kvHeads: u32, headDim: u32,
  pos0: u32, qStride: u32, kStride: u32, kRow0: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> cosTable: array<f32>;
@group(0) @binding(2) var<storage, read> sinTable: array<f32>;
@group(0) @binding(3) var<storage, read_write> q: array<f32>;
@group(0) @binding(4) var<storage, read_write> k: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let half = params.headDim / 2u;
  let perToken = (params.heads + params.kvHeads) * half;
  let idx = gid.y * nwg.x * 64u + gid.x;
  if (idx >= params.tokens * perToken) { return; }
  let t = idx / perToken;
  let r = idx % perToken;
  let head = r / half;
  let i = r % half;
  let pos = params.pos0 + t;
  let c = cosTable[pos * half + i];
  let s = sinTable[pos * half + i];
  if (head < params.heads) {
    let base = t * params.qStride + head * params.headDim;
    let x1 = q[base + i]; let x2 = q[base + i + half];
    q[base + i] = x1 * c - x2 * s;
    q[base + i + half] = x2 * c + x1 * s;
  } else {
    let base = (params.kRow0 + t) * params.kStride + (head - params.heads) * params.headDim;
    let x1 = k[base + i]; let x2 = k[base + i + half];
    k[base + i] = x1 * c - x2 * s;
    k[base + i + half] = x2 * c + x1 * s;
  }
}
