/**
 * The GPU engine against onnxruntime-web (WASM EP) on the same graph and weights (the
 * second, independent oracle): bert-tiny's classifier logits, and tiny-decoder's logits at every greedy step
 * plus the generated tokens. The GPU runner keeps only the last step's logits, so step k is
 * checked by a runner built for k output tokens (same weights, same prompt).
 *
 * Tolerance, f32 engine: |Δlogit| ≤ 1e-3 · max(1, max|logit|). Both sides are f32 but the GPU
 * sums in a different order (tiled GEMM, workgroup reductions in norms, softmax and attention),
 * and WGSL's exp/tanh are only accurate to a few ULP (erf by A&S 7.1.26, |error| ≤ 1.5e-7):
 * measured differences are ~1e-6 (see the log), so 1e-3 leaves ample headroom while a real bug
 * (wrong bias, RoPE pair, GQA mapping, mask) moves logits by ≥ 1e-2. An f16 engine would need
 * ~5e-2 (10-bit mantissa over d=128 sums); SwiftShader has no shader-f16, so only f32 runs here.
 */
import { describe, expect, test } from 'vitest';
import * as ort from 'onnxruntime-web/wasm';
import { withDevice } from '../helpers/with-device.ts';
import { BERT_TINY, TINY_DECODER, type DecoderWorkloadSpec, type EncoderWorkloadSpec, type ModelWorkloadSpec } from '../../src/engine/models/config.ts';
import { workloadInputIds } from '../../src/engine/weights.ts';
import { createModelRunner, type ModelRunner } from '../../src/engine/models/model-runner.ts';
import { countQuery } from '../../src/engine/models/flops.ts';
import { logitsDiff, onnxOracle } from '../../src/engine/onnx/oracle.ts';

ort.env.wasm.wasmPaths = { wasm: new URL('../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', import.meta.url).href };
ort.env.wasm.numThreads = 1;

const GPU_F32_RTOL = 1e-3;

const bertTiny: EncoderWorkloadSpec = { family: 'encoder', id: 's', role: 'specialized', seed: 21, model: BERT_TINY, inputTokens: 16, labels: 2 };
const tinyDecoder: DecoderWorkloadSpec = { family: 'decoder', id: 'g', role: 'general', seed: 21, model: TINY_DECODER, promptTokens: 12, outputTokens: 3 };

function withinTolerance(gpu: Float32Array, expected: Float32Array, label: string): void {
  const { maxAbsDiff, maxAbsRef } = logitsDiff(gpu, expected);
  console.log(`${label}: max |Δlogit| = ${maxAbsDiff.toExponential(2)} (max |logit| ${maxAbsRef.toFixed(3)})`);
  expect(maxAbsDiff, label).toBeLessThanOrEqual(GPU_F32_RTOL * Math.max(1, maxAbsRef));
}

/** The FLOPs the runner's dispatches declare agree with the independent count from the config. */
function countsAgree(runner: ModelRunner, spec: ModelWorkloadSpec): void {
  const declared = runner.dispatches.reduce((s, d) => s + d.flops, 0);
  const counted = countQuery(spec).flops;
  console.log(`${spec.model.name}: dispatch FLOPs ${declared}, counted from the config ${counted}`);
  expect(Math.abs(declared - counted) / counted).toBeLessThan(0.02);
}

describe('GPU engine vs onnxruntime-web (WASM EP)', () => {
  test('bert-tiny: classifier logits and label', async () => {
    const ids = workloadInputIds(bertTiny);
    const oracle = await onnxOracle(ort, bertTiny, { inputIds: ids });
    await withDevice(async ({ device }) => {
      const runner = await createModelRunner(device, bertTiny, { tokenIds: ids });
      try {
        expect(runner.dtype).toBe('f32');
        countsAgree(runner, bertTiny);
        runner.submit();
        const out = await runner.readOutputs();
        withinTolerance(out.logits, oracle.logits[0] ?? new Float32Array(), 'bert-tiny');
        expect(out.tokens).toEqual(oracle.tokens);
      } finally {
        runner.destroy();
      }
    });
  });

  test('tiny-decoder: logits of the prefill and of each decode step, and the greedy tokens', async () => {
    const ids = workloadInputIds(tinyDecoder);
    const oracle = await onnxOracle(ort, tinyDecoder, { inputIds: ids });
    await withDevice(async ({ device }) => {
      for (let k = 1; k <= tinyDecoder.outputTokens; k++) {
        const runner = await createModelRunner(device, { ...tinyDecoder, outputTokens: k }, { tokenIds: ids });
        try {
          countsAgree(runner, { ...tinyDecoder, outputTokens: k });
          runner.submit();
          const out = await runner.readOutputs();
          withinTolerance(out.logits, oracle.logits[k - 1] ?? new Float32Array(), `tiny-decoder step ${k - 1}`);
          expect(out.tokens).toEqual(oracle.tokens.slice(0, k));
        } finally {
          runner.destroy();
        }
      }
    });
  });

  test('tiny-decoder variant (tied LM head, one KV head for four query heads, no biases): last logits and tokens', async () => {
    const spec: DecoderWorkloadSpec = {
      ...tinyDecoder,
      seed: 22,
      outputTokens: 2,
      model: { ...TINY_DECODER, name: 'tiny-decoder-tied', tiedEmbeddings: true, kvHeads: 1, qkvBias: false },
    };
    const ids = workloadInputIds(spec);
    const oracle = await onnxOracle(ort, spec, { inputIds: ids });
    await withDevice(async ({ device }) => {
      const runner = await createModelRunner(device, spec, { tokenIds: ids });
      try {
        runner.submit();
        const out = await runner.readOutputs();
        withinTolerance(out.logits, oracle.logits[1] ?? new Float32Array(), 'tiny-decoder-tied step 1');
        expect(out.tokens).toEqual(oracle.tokens);
      } finally {
        runner.destroy();
      }
    });
  });
});
