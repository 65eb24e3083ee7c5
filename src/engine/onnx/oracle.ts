/**
 * Runs the ONNX oracle graph in onnxruntime-web and returns the same shape as the CPU reference
 * (`ReferenceOutput`): encoder logits of the first token, or decoder logits of the last prompt
 * position and of each greedy step, decoding by re-running the whole sequence (no KV cache).
 *
 * onnxruntime-web is passed in (a type-only import here) so the engine bundle never pulls it in
 * unless a caller does; tests import `onnxruntime-web/wasm` and use the WASM execution provider.
 */
import type { ModelWorkloadSpec } from '../models/config.ts';
import { argmax, workloadInputIds, type ReferenceOutput } from '../models/reference.ts';
import { buildOnnxModel, ONNX_INPUT, ONNX_OUTPUT } from './models.ts';
import type { OrtModule } from './ort.ts';

export interface OracleOptions {
  inputIds?: Uint32Array;
  executionProviders?: string[];
}

export async function onnxOracle(ort: OrtModule, spec: ModelWorkloadSpec, opts: OracleOptions = {}): Promise<ReferenceOutput> {
  const ids = opts.inputIds ?? workloadInputIds(spec);
  const steps = spec.family === 'decoder' ? spec.outputTokens : 1;
  const model = buildOnnxModel(spec.model, spec.seed, { maxSequence: ids.length + steps });
  const session = await ort.InferenceSession.create(model.bytes, { executionProviders: opts.executionProviders ?? ['wasm'] });
  try {
    const seq = Array.from(ids);
    const logits: Float32Array[] = [];
    const tokens: number[] = [];
    for (let s = 0; s < steps; s++) {
      const input = new ort.Tensor('int64', BigInt64Array.from(seq, (v) => BigInt(v)), [1, seq.length]);
      const out = await session.run({ [ONNX_INPUT]: input });
      const tensor = out[ONNX_OUTPUT];
      if (!tensor) throw new Error(`onnx oracle: no "${ONNX_OUTPUT}" output`);
      const data = Float32Array.from(tensor.data as Float32Array);
      logits.push(data);
      const next = argmax(data);
      tokens.push(next);
      seq.push(next);
    }
    return { inputIds: ids, logits, tokens };
  } finally {
    await session.release();
  }
}

/** Largest absolute difference between two logits vectors, and the largest |reference|. */
export function logitsDiff(actual: Float32Array, expected: Float32Array): { maxAbsDiff: number; maxAbsRef: number } {
  if (actual.length !== expected.length) throw new Error(`logits length ${actual.length} ≠ ${expected.length}`);
  let maxAbsDiff = 0;
  let maxAbsRef = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN));
    // A NaN anywhere is the worst possible difference, never silently ignored.
    maxAbsDiff = Number.isNaN(d) ? Infinity : Math.max(maxAbsDiff, d);
    maxAbsRef = Math.max(maxAbsRef, Math.abs(expected[i] ?? 0));
  }
  return { maxAbsDiff, maxAbsRef };
}

/** Gap between the best and second-best logit: a greedy token is only well-defined above the tolerance. */
export function top2Gap(logits: Float32Array): number {
  let a = -Infinity;
  let b = -Infinity;
  for (const v of logits) {
    if (v > a) {
      b = a;
      a = v;
    } else if (v > b) b = v;
  }
  return a - b;
}
