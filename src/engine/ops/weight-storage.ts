/**
 * How weight matrices are stored (f32, or f16 halves packed two per u32) and in which precision
 * the matrix products multiply them. Kernels that read weights get the matching access snippet
 * (kernels/weights/*.wgsl, binding 2) appended at pipeline creation; the snippet's `ProductT` is
 * the products' arithmetic type:
 *  - f32 storage, f32 products: weights-f32.wgsl;
 *  - f16 storage, f32 products: weights-f16.wgsl (unpack2x16float, core WGSL: any device);
 *  - f16 storage, f16 products: weights-f16-compute.wgsl (the halves read as f16, `enable f16;`
 *    put first in the module; needs `shader-f16`). The products accumulate in f32 either way, and
 *    their prologues and epilogues stay f32 (see kernels/product).
 */
import weightsF32Code from '../../../kernels/weights/weights-f32.wgsl?raw';
import weightsF16Code from '../../../kernels/weights/weights-f16.wgsl?raw';
import weightsF16ComputeCode from '../../../kernels/weights/weights-f16-compute.wgsl?raw';
import { KernelLimitError } from '../errors.ts';

export type WeightStorage = 'f32' | 'f16';

/** The multiplies of a matrix product: f32, or f16 (f16 weights on a `shader-f16` device), both accumulated in f32. */
export type ProductPrecision = 'f32' | 'f16';

/** The weight snippets, for the tuning cache key (a change to one must re-time the candidates). */
export const WEIGHT_SNIPPETS: readonly string[] = [weightsF32Code, weightsF16Code, weightsF16ComputeCode];

/** Kernel source + the weight-access snippet of the storage type (binding 2), f32 arithmetic. */
export function withWeights(code: string, storage: WeightStorage | undefined): string {
  return `${code}\n${storage === 'f16' ? weightsF16Code : weightsF32Code}`;
}

/**
 * A matrix product's source with its weight access in the given precision: f32 as withWeights;
 * f16 with the f16-reading snippet and `enable f16;` first (a directive precedes every declaration;
 * the kernel's own directives, e.g. `enable subgroups;`, may follow it). f16 products need f16 storage.
 */
export function withProductWeights(code: string, storage: WeightStorage | undefined, precision: ProductPrecision): string {
  switch (precision) {
    case 'f32':
      return withWeights(code, storage);
    case 'f16':
      if (storage !== 'f16') throw new RangeError(`f16 products read f16 weights; these are stored as ${storage ?? 'f32'}`);
      return `enable f16;\n${code}\n${weightsF16ComputeCode}`;
  }
}

/** f16 products compile only on a device created with `shader-f16`: say so before WGSL fails to compile. */
export function checkPrecision(device: GPUDevice, label: string, precision: ProductPrecision | undefined): void {
  if (precision === 'f16' && !device.features.has('shader-f16')) throw new KernelLimitError(`${label}: f16 products need a device created with the 'shader-f16' feature`);
}

/**
 * The products' precision for weights of this storage on this run: f16 only when the weights are
 * f16 and the run computes in f16 (the model runner's choice, made where its dtype is).
 */
export function precisionOf(storage: WeightStorage, runPrecision: ProductPrecision): ProductPrecision {
  switch (storage) {
    case 'f32':
      return 'f32';
    case 'f16':
      return runPrecision;
  }
}

export const weightBytesPerElement = (storage: WeightStorage | undefined): number => (storage === 'f16' ? 2 : 4);
