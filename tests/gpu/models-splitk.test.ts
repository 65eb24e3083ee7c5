/**
 * The model runners with a tuning that splits K for every GEMM shape (2, 4 or 8 slices, varied
 * by shape): outputs against the CPU reference under tests/gpu/models.test.ts's tolerance (the
 * split changes the f32 summation order, not the accuracy), FLOPs still equal to countQuery, and
 * one more dispatch per product than the default tuning records (which models.test.ts pins).
 */
import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import { BERT_TINY, TINY_DECODER, type ModelWorkloadSpec } from '../../src/engine/models/config.ts';
import { referenceForward } from '../../src/engine/models/reference.ts';
import { countQuery } from '../../src/engine/models/flops.ts';
import { createModelRunner } from '../../src/engine/models/model-runner.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { compareClose } from '../../kernels/testing.ts';
import { DEFAULT_TUNING, GEMM_SPLIT_K, type GemmSplitK, type KernelTuning } from '../../src/shared/tuning.ts';

const ATOL = 2e-5;
const RTOL = 1e-4;

/** Every shape key gets a split: 2, 4 or 8 by the key's length, so the graph mixes them. */
const splitEverything: KernelTuning = {
  ...DEFAULT_TUNING,
  gemmSplitK: new Proxy<Record<string, GemmSplitK>>({}, {
    get: (_target, key) => (typeof key === 'string' ? GEMM_SPLIT_K[1 + (key.length % 3)] : undefined),
  }),
};

async function run(spec: ModelWorkloadSpec, tuning: KernelTuning) {
  return withDevice(async ({ device }) => {
    const cache = new PipelineCache(device);
    cache.tuning = tuning;
    const runner = await createModelRunner(device, spec, { pipelineCache: cache });
    try {
      runner.submit();
      const out = await runner.readOutputs();
      const count = (name: string) => runner.dispatches.filter((d) => d.kernel === name).length;
      return {
        out,
        flops: runner.dispatches.reduce((s, d) => s + d.flops, 0),
        dispatches: runner.dispatches.length,
        gemm: count('gemm'),
        splitK: count('gemm-splitk'),
      };
    } finally {
      runner.destroy();
    }
  });
}

const specs: ModelWorkloadSpec[] = [
  { family: 'encoder', id: 'spec', role: 'specialized', seed: 1234, model: BERT_TINY, inputTokens: 9, labels: 2 },
  { family: 'decoder', id: 'gen', role: 'general', seed: 77, model: TINY_DECODER, promptTokens: 7, outputTokens: 4 },
];

describe('model runners with split-K on every GEMM shape', () => {
  for (const spec of specs) {
    test(`${spec.model.name}: outputs vs reference, FLOPs, one extra dispatch per product`, async () => {
      const ref = referenceForward(spec);
      const plain = await run(spec, DEFAULT_TUNING);
      const split = await run(spec, splitEverything);
      const expected = ref.logits[ref.logits.length - 1]!;
      const report = compareClose(split.out.logits, expected, ATOL, RTOL);
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
      expect(split.out.tokens).toEqual(ref.tokens);
      expect(split.flops).toBe(countQuery(spec).flops);
      expect(plain.splitK).toBe(0);
      expect(plain.gemm).toBeGreaterThan(0);
      // Every product became two dispatches; nothing else changed.
      expect(split.gemm).toBe(0);
      expect(split.splitK).toBe(2 * plain.gemm);
      expect(split.dispatches).toBe(plain.dispatches + plain.gemm);
    });
  }
});
