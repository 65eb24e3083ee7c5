/**
 * Checks made before a real model is run, each failing with a named error the page can word:
 * the bytes are an ONNX model (OnnxLoadError), its inputs and outputs are the ones the task
 * feeds and reads (ModelSignatureError), and its largest tensor fits the adapter's buffer limits
 * (ModelTooLargeError: onnxruntime-web's WebGPU EP puts each initializer in one buffer).
 */
import { ModelTooLargeError } from '../errors.ts';
import { elemBytes, loadModel } from '../onnx/parse.ts';

export type RealTask = 'classifier' | 'generator';

/** The model's inputs or outputs are not what the task feeds or reads. */
export class ModelSignatureError extends Error {
  override name = 'ModelSignatureError';
  constructor(readonly task: RealTask, readonly missing: readonly string[], readonly unexpected: readonly string[] = []) {
    const lacks = missing.length > 0 ? `it lacks ${missing.join(', ')}` : '';
    const needs = unexpected.length > 0 ? `it needs inputs this task never feeds: ${unexpected.join(', ')}` : '';
    super(`This model cannot serve as the ${task === 'classifier' ? 'sentiment classifier' : 'chat model'}: ${[lacks, needs].filter(Boolean).join('; ')}.`);
  }
}

/**
 * What each task needs, and which other inputs it can feed when a model has them
 * (token_type_ids, position_ids, the other layers' cache).
 */
export const SIGNATURES: Record<RealTask, { inputs: readonly string[]; outputs: readonly string[]; optional: RegExp }> = {
  classifier: { inputs: ['input_ids', 'attention_mask'], outputs: ['logits'], optional: /^token_type_ids$/ },
  generator: {
    inputs: ['input_ids', 'attention_mask', 'past_key_values.0.key', 'past_key_values.0.value'],
    outputs: ['logits', 'present.0.key', 'present.0.value'],
    optional: /^(position_ids|past_key_values\.\d+\.(key|value))$/,
  },
};

export function checkSignature(task: RealTask, inputNames: readonly string[], outputNames: readonly string[]): void {
  const have = new Set([...inputNames, ...outputNames]);
  const sig = SIGNATURES[task];
  const missing = [...sig.inputs, ...sig.outputs].filter((n) => !have.has(n));
  if (task === 'generator') {
    // Every past_key_values.i.* input needs its present.i.* output to feed it back.
    for (const n of inputNames) {
      const m = /^past_key_values\.(\d+)\.(key|value)$/.exec(n);
      if (m && !have.has(`present.${m[1]}.${m[2]}`)) missing.push(`present.${m[1]}.${m[2]}`);
    }
  }
  const unexpected = inputNames.filter((n) => !sig.inputs.includes(n) && !sig.optional.test(n));
  if (missing.length > 0 || unexpected.length > 0) throw new ModelSignatureError(task, missing, unexpected);
}

export interface BufferLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/**
 * Parses the model (OnnxLoadError when the bytes are not ONNX) and checks that its largest
 * tensor fits one storage binding and one buffer of the adapter. Returns the largest tensor.
 */
export function checkModelFits(model: string, bytes: Uint8Array, limits: BufferLimits): { name: string; bytes: number } {
  const parsed = loadModel(bytes);
  let largest = { name: '', bytes: 0 };
  for (const t of parsed.initializers.values()) {
    const n = t.dims.reduce((a, b) => a * b, 1) * elemBytes(t.elemType);
    if (n > largest.bytes) largest = { name: t.name, bytes: n };
  }
  const limit = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  if (largest.bytes > limit) {
    const which = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
    throw new ModelTooLargeError(model, largest.name, which, limit, largest.bytes);
  }
  return largest;
}

/** A half-precision export (fp16, q4f16) on a WebGPU adapter without `shader-f16`. */
export class HalfPrecisionUnavailableError extends Error {
  override name = 'HalfPrecisionUnavailableError';
  constructor(readonly model: string) {
    super(`${model} computes in half precision, which this GPU does not offer to WebGPU (no shader-f16): choose the fp32 or quantized variant, or the WASM (CPU) path.`);
  }
}

/**
 * A half-precision model needs `shader-f16` on the WebGPU EP (onnxruntime-web fails at the first
 * run otherwise, on a Cast). `features` are the adapter's; the WASM EP needs nothing.
 */
export function checkHalfPrecision(model: string, ioType: 'float32' | 'float16', ep: 'webgpu' | 'wasm', features: ReadonlySet<string>): void {
  if (ep === 'webgpu' && ioType === 'float16' && !features.has('shader-f16')) throw new HalfPrecisionUnavailableError(model);
}
