// Weight access, fp32 storage. Appended to kernels that read a weight matrix at binding 2
// (gemm B, gemv W, embedding table); weights-f16.wgsl is the drop-in f16-storage twin and
// weights-f16-compute.wgsl the f16-arithmetic one. Two views of the same binding; each entry point
// uses only one of them.
// ProductT: the type loadW4 / loadW1 return, which the products multiply in (kernels/product).
alias ProductT = f32;
@group(0) @binding(2) var<storage, read> w_vec4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> w_f32: array<f32>;

/** Elements 4i .. 4i+3. */
fn loadW4(i: u32) -> vec4<f32> { return w_vec4[i]; }
/** Element i. */
fn loadW1(i: u32) -> f32 { return w_f32[i]; }
/** Number of whole vec4 groups in the binding. */
fn lenW4() -> u32 { return arrayLength(&w_vec4); }
