// The part of attention that kernels/attention and kernels/attention-rope share, appended to each
// at pipeline creation (src/engine/ops/attention.ts): the online softmax over chunks of 64 keys
// (running max and sum) and the weighted sum of V, then the output store. One text for both, so
// the fused RoPE kernel keeps attention's f32 operations in attention's order.
//
// The kernel provides `fn loadV(row: u32, col: u32) -> f32` (element `col` of V's row `row`) and
// `o` (the output, rows of oStride elements). It fills `qs` with the scaled query of its
// (row, head), then for each chunk c0 = 0, 64, … below nKeys computes lane tid's score of key
// c0 + tid (NEG past nKeys) and calls softmaxChunk; then softmaxStore.

const WG: u32 = 64u;
const PER_THREAD: u32 = 4u; // max head size 256 / WG output dims per thread
const NEG: f32 = -3.0e38;

var<workgroup> qs: array<f32, 256>;
var<workgroup> ps: array<f32, 64>;
var<workgroup> red: array<f32, 64>;

var<private> runMax: f32 = NEG; // running max of the scores seen so far
var<private> runSum: f32 = 0.0; // running sum of exp(score − runMax)
var<private> acc: array<f32, 4>; // this lane's output dims d = tid + e·WG, not yet divided by runSum

/** Folds keys c0 .. c0 + 63 (lane tid holds the score s of key c0 + tid) into the running state. */
fn softmaxChunk(s: f32, c0: u32, nKeys: u32, tid: u32, hd: u32, kvCol: u32) {
  let j = c0 + tid;
  // Chunk max.
  red[tid] = s;
  workgroupBarrier();
  for (var st = WG / 2u; st > 0u; st >>= 1u) {
    if (tid < st) { red[tid] = max(red[tid], red[tid + st]); }
    workgroupBarrier();
  }
  let mNew = max(runMax, red[0]);
  workgroupBarrier();
  let p = select(0.0, exp(s - mNew), j < nKeys);
  ps[tid] = p;
  red[tid] = p;
  workgroupBarrier();
  for (var st = WG / 2u; st > 0u; st >>= 1u) {
    if (tid < st) { red[tid] += red[tid + st]; }
    workgroupBarrier();
  }
  let correction = exp(runMax - mNew);
  runSum = runSum * correction + red[0];
  let count = min(WG, nKeys - c0);
  for (var e = 0u; e < PER_THREAD; e++) {
    let d = tid + e * WG;
    if (d < hd) {
      var a = acc[e] * correction;
      for (var jj = 0u; jj < count; jj++) { a += ps[jj] * loadV(c0 + jj, kvCol + d); }
      acc[e] = a;
    }
  }
  runMax = mNew;
  workgroupBarrier();
}

/** o[oBase + d] = the attention output of this (row, head): the weighted sum over the running sum. */
fn softmaxStore(oBase: u32, tid: u32, hd: u32) {
  let inv = 1.0 / runSum;
  for (var e = 0u; e < PER_THREAD; e++) {
    let d = tid + e * WG;
    if (d < hd) { o[oBase + d] = acc[e] * inv; }
  }
}
