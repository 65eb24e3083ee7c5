/**
 * The tiny models with `preferF16` on a real shader-f16 adapter (lavapipe): the runner chooses
 * f16 weight storage by itself (no test override), and the logits match the CPU reference run on
 * the same weights rounded to f16. Tolerance and its reasoning: tests/gpu/models.test.ts (f16
 * weight storage), 2e-3 absolute + 1e-2 relative; greedy tokens must match exactly, and each
 * reference argmax must win by more than the tolerance.
 */
import { describe, expect, test } from 'vitest';
import { compareClose, roundToF16 } from '../../kernels/testing.ts';
import { BERT_TINY, TINY_DECODER, type ModelWorkloadSpec } from '../../src/engine/models/config.ts';
import { createModelRunner } from '../../src/engine/models/model-runner.ts';
import { referenceForward, synthWeights } from '../../src/engine/models/reference.ts';
import { modelTensors } from '../../src/engine/weights.ts';
import { withDevice } from '../helpers/with-device.ts';
import { f16Adapter } from './adapter.ts';

const SPECS: ModelWorkloadSpec[] = [
  { family: 'encoder', id: 'spec', role: 'specialized', seed: 1234, model: BERT_TINY, inputTokens: 9, labels: 2 },
  { family: 'decoder', id: 'gen', role: 'general', seed: 77, model: TINY_DECODER, promptTokens: 7, outputTokens: 4 },
];

function topMargin(x: Float32Array): number {
  let a = -Infinity;
  let b = -Infinity;
  for (const v of x) {
    if (v > a) [a, b] = [v, a];
    else if (v > b) b = v;
  }
  return a - b;
}

describe.skipIf(!f16Adapter.ok)('model runners with preferF16 on a shader-f16 adapter', () => {
  for (const spec of SPECS) {
    test(`${spec.model.name}: f16 chosen by the runner, logits vs the reference on f16-rounded weights`, async () => {
      const weights = synthWeights(spec.model, spec.seed);
      for (const t of modelTensors(spec.model)) {
        if (t.shape.length === 2 && t.name !== 'embed.positions') weights.set(t.name, weights.get(t.name)!.map(roundToF16));
      }
      const ref = referenceForward(spec, { weights });
      const gpu = await withDevice(
        async ({ device }) => {
          const runner = await createModelRunner(device, spec, { preferF16: true });
          try {
            runner.submit();
            return { out: await runner.readOutputs(), dtype: runner.dtype };
          } finally {
            runner.destroy();
          }
        },
        { features: ['shader-f16'] },
      );
      expect(gpu.dtype).toBe('f16');
      const expected = ref.logits[ref.logits.length - 1]!;
      const report = compareClose(gpu.out.logits, expected, 2e-3, 1e-2);
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
      for (const l of ref.logits) expect(topMargin(l)).toBeGreaterThan(2e-3 + 1e-2 * Math.max(...l.map(Math.abs)));
      expect(gpu.out.tokens).toEqual(ref.tokens);
    });
  }
});
