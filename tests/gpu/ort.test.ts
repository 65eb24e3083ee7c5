/**
 * Oracle 2 against oracle 1: onnxruntime-web (WASM execution provider, in the real browser) runs
 * the ONNX graph built in TypeScript from the same config and synthesized weights; reference.ts
 * runs the same model on the CPU with a KV cache. Both are f32 with different summation orders
 * (ORT's MLAS kernels block and vectorize; the reference accumulates in f64), so they agree to
 * rounding: |Δlogit| ≤ 1e-4 · max(1, max|logit|). Measured: ~1e-7 (bert-tiny), ~1e-6
 * (tiny-decoder), so the bound has two orders of magnitude of headroom while still catching any
 * real mistake (a missing bias, a wrong RoPE pair or a GQA head mapping moves logits by ≥ 1e-2).
 * Greedy tokens must be identical; the test also checks that each step's top-2 gap is far above
 * the tolerance, so equality is well-defined rather than luck.
 */
import { describe, expect, test } from 'vitest';
import * as ort from 'onnxruntime-web/wasm';
import { BERT_TINY, TINY_DECODER, type DecoderWorkloadSpec, type EncoderWorkloadSpec, type ModelWorkloadSpec } from '../../src/engine/models/config.ts';
import { referenceForward } from '../../src/engine/models/reference.ts';
import { logitsDiff, onnxOracle, top2Gap } from '../../src/engine/onnx/oracle.ts';

// Serve the WASM binary from our own origin (vite serves node_modules in dev).
ort.env.wasm.wasmPaths = { wasm: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', import.meta.url).href };
// One thread: deterministic, and no dependency on cross-origin isolation.
ort.env.wasm.numThreads = 1;

const ORACLE_RTOL = 1e-4;

const bertTiny: EncoderWorkloadSpec = { family: 'encoder', id: 's', role: 'specialized', seed: 11, model: BERT_TINY, inputTokens: 16, labels: 2 };
const tinyDecoder: DecoderWorkloadSpec = { family: 'decoder', id: 'g', role: 'general', seed: 11, model: TINY_DECODER, promptTokens: 12, outputTokens: 4 };
const tinyDecoderTiedMha: DecoderWorkloadSpec = {
  ...tinyDecoder,
  seed: 12,
  model: { ...TINY_DECODER, name: 'tiny-decoder-tied', tiedEmbeddings: true, qkvBias: false, kvHeads: 4 },
};

async function compare(spec: ModelWorkloadSpec): Promise<void> {
  const ref = referenceForward(spec);
  const onnx = await onnxOracle(ort, spec, { inputIds: ref.inputIds });
  expect(onnx.logits.length).toBe(ref.logits.length);
  for (let s = 0; s < ref.logits.length; s++) {
    const r = ref.logits[s] ?? new Float32Array();
    const o = onnx.logits[s] ?? new Float32Array();
    const { maxAbsDiff, maxAbsRef } = logitsDiff(o, r);
    expect(maxAbsDiff, `${spec.model.name} step ${s}`).toBeLessThanOrEqual(ORACLE_RTOL * Math.max(1, maxAbsRef));
    expect(top2Gap(r), `${spec.model.name} step ${s}: greedy choice well separated`).toBeGreaterThan(10 * ORACLE_RTOL * Math.max(1, maxAbsRef));
  }
  expect(onnx.tokens).toEqual(ref.tokens);
}

describe('onnxruntime-web (WASM EP) vs the CPU reference', () => {
  test('bert-tiny: classifier logits of the first token', async () => {
    await compare(bertTiny);
  });
  test('tiny-decoder (GQA 4/2, q/k/v biases, untied head): logits and 4 greedy tokens', async () => {
    await compare(tinyDecoder);
  });
  test('tiny-decoder variant (multi-head, no biases, tied head): logits and 4 greedy tokens', async () => {
    await compare(tinyDecoderTiedMha);
  });
  test('the oracle is sensitive: another seed gives different logits', async () => {
    const a = await onnxOracle(ort, { ...tinyDecoder, outputTokens: 1 });
    const b = await onnxOracle(ort, { ...tinyDecoder, outputTokens: 1, seed: 99 }, { inputIds: a.inputIds });
    expect(logitsDiff(a.logits[0] ?? new Float32Array(), b.logits[0] ?? new Float32Array()).maxAbsDiff).toBeGreaterThan(1e-2);
  });
});
