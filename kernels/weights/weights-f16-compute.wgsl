// Weight access, f16 storage read as f16 (shader-f16): the buffers weights-f16.wgsl unpacks, seen
// as arrays of halves (element i at bytes 2i .. 2i + 1, which is where pack2x16float put it: the
// first of a pair in the low 16 bits, little-endian), so no unpacking, and the products that get
// this snippet multiply in f16 (ProductT = f16; they accumulate in f32, see kernels/product).
// Only for the matrix products: src/engine/ops/weight-storage.ts puts `enable f16;` first in the
// module (a directive must precede every declaration, and this text is appended last).
// Same functions as weights-f32.wgsl, returning f16.
alias ProductT = f16;
@group(0) @binding(2) var<storage, read> w_h4: array<vec4<f16>>;
@group(0) @binding(2) var<storage, read> w_h1: array<f16>;

/** Elements 4i .. 4i+3. */
fn loadW4(i: u32) -> vec4<f16> { return w_h4[i]; }
/** Element i. */
fn loadW1(i: u32) -> f16 { return w_h1[i]; }
/** Number of whole vec4 groups in the binding. */
fn lenW4() -> u32 { return arrayLength(&w_h4); }
