/**
 * The ONNX oracle in Node (onnxruntime-web's WASM build runs there too), so that the graph
 * builder is checked against the CPU reference even where no browser is available. The browser
 * run, with the same tolerance and its justification, is tests/gpu/ort.test.ts.
 */
import { expect, test } from 'vitest';
import * as ort from 'onnxruntime-web';
import { TINY_DECODER, type DecoderWorkloadSpec } from '../../src/engine/models/config.ts';
import { referenceForward } from '../../src/engine/models/reference.ts';
import { logitsDiff, onnxOracle } from '../../src/engine/onnx/oracle.ts';

ort.env.wasm.numThreads = 1;

test('tiny-decoder: onnxruntime-web (WASM, Node) matches the CPU reference within 1e-4 relative', async () => {
  const spec: DecoderWorkloadSpec = { family: 'decoder', id: 'g', role: 'general', seed: 5, model: TINY_DECODER, promptTokens: 8, outputTokens: 3 };
  const ref = referenceForward(spec);
  const onnx = await onnxOracle(ort, spec, { inputIds: ref.inputIds });
  for (let s = 0; s < 3; s++) {
    const { maxAbsDiff, maxAbsRef } = logitsDiff(onnx.logits[s] ?? new Float32Array(), ref.logits[s] ?? new Float32Array());
    expect(maxAbsDiff).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbsRef));
  }
  expect(onnx.tokens).toEqual(ref.tokens);
});
