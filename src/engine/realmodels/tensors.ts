/** Reading ort tensors whatever their float type (the half-precision exports return float16). */
import type * as Ort from 'onnxruntime-web';
import { f16BitsToF32 } from '../../shared/half.ts';

/** `count` values of a float32 or float16 CPU tensor from `offset`, as float32. */
export function floatsOf(t: Ort.Tensor, offset = 0, count = t.size - offset): Float32Array {
  const data = t.data;
  if (data instanceof Float32Array) return data.subarray(offset, offset + count);
  if (t.type === 'float16' && data instanceof Uint16Array) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = f16BitsToF32(data[offset + i]!);
    return out;
  }
  // Float16Array, where the runtime has it, reads as numbers already.
  if (t.type === 'float16' && ArrayBuffer.isView(data) && 'length' in data) return Float32Array.from((data as unknown as ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }).subarray(offset, offset + count));
  throw new TypeError(`expected a float32 or float16 tensor, got ${t.type}`);
}
