/**
 * How weight matrices are stored: f32, or f16 halves packed in u32 (compute stays f32). Kernels
 * that read weights get the matching access snippet (kernels/weights/*.wgsl, binding 2)
 * appended at pipeline creation.
 */
import weightsF32Code from '../../../kernels/weights/weights-f32.wgsl?raw';
import weightsF16Code from '../../../kernels/weights/weights-f16.wgsl?raw';

export type WeightStorage = 'f32' | 'f16';

/** Kernel source + the weight-access snippet of the storage type (binding 2). */
export function withWeights(code: string, storage: WeightStorage | undefined): string {
  return `${code}\n${storage === 'f16' ? weightsF16Code : weightsF32Code}`;
}

export const weightBytesPerElement = (storage: WeightStorage | undefined): number => (storage === 'f16' ? 2 : 4);
