/**
 * The GPU model runners against the CPU reference forward pass (src/engine/models/reference.ts)
 * on the tiny models, from the same synthesized weights and token ids.
 *
 * Tolerance (fp32 path; SwiftShader has no shader-f16): the reference accumulates in f64, the GPU
 * in f32. Each output is a chain of dot products of length ≤ 512 (f32 rounding grows like
 * √k·2⁻²⁴ ≈ 1e-6 typically, k·2⁻²⁴ ≈ 3e-5 relative at worst) through 2 layers whose norms keep
 * activations O(1). Observed on SwiftShader: ≤ 4e-7 absolute. We allow 2e-5 absolute + 1e-4
 * relative (the tied head's logits reach ~50): ≥ 50× the observed error, room for other
 * summation orders and FMA contraction on real GPUs, and still far below what a wrong index, a
 * missing bias or a mis-rotated head produces (errors of order 0.1–1). An f16 path would need
 * ~1e-2 relative (11-bit mantissa). Greedy tokens must match exactly; the test also checks that
 * each reference argmax wins by more than the tolerance, so exact agreement is a fair demand.
 */
import { describe, expect, test } from 'vitest';
import { topMargin } from '../helpers/top-margin.ts';
import { withDevice } from '../helpers/with-device.ts';
import { BERT_TINY, TINY_DECODER, type DecoderWorkloadSpec, type EncoderWorkloadSpec, type ModelWorkloadSpec } from '../../src/engine/models/config.ts';
import { referenceForward, synthWeights } from '../../src/engine/models/reference.ts';
import { modelTensors } from '../../src/engine/weights.ts';
import { countQuery } from '../../src/engine/models/flops.ts';
import { createModelRunner } from '../../src/engine/models/model-runner.ts';
import { KernelLimitError, ModelTooLargeError } from '../../src/engine/errors.ts';
import { compareClose, roundToF16 } from '../../kernels/testing.ts';
import { compileModelPipelines } from '../../src/bench/pipelines.ts';

const ATOL = 2e-5;
const RTOL = 1e-4;

const encoderSpec: EncoderWorkloadSpec = { family: 'encoder', id: 'spec', role: 'specialized', seed: 1234, model: BERT_TINY, inputTokens: 9, labels: 2 };
const decoderSpec: DecoderWorkloadSpec = { family: 'decoder', id: 'gen', role: 'general', seed: 77, model: TINY_DECODER, promptTokens: 7, outputTokens: 4 };

async function runOnGpu(spec: ModelWorkloadSpec, opts: { bindingLimitBytes?: number; forceF16Storage?: boolean } = {}) {
  return withDevice(async ({ device }) => {
    const runner = await createModelRunner(device, spec, opts);
    try {
      runner.submit();
      const first = await runner.readOutputs();
      // A replay of the same query gives the same outputs (argmax feeds the same ids back).
      runner.submit();
      const second = await runner.readOutputs();
      return {
        first, second,
        flops: runner.dispatches.reduce((s, d) => s + d.flops, 0),
        steps: runner.steps.map((s) => ({ label: s.label, phase: s.phase, n: s.dispatches.length, token: s.token })),
        kernels: [...new Set(runner.dispatches.map((d) => d.kernel))].sort(),
        dtype: runner.dtype,
        bytes: runner.dispatches.reduce((s, d) => s + d.bytes, 0),
      };
    } finally {
      runner.destroy();
    }
  });
}

describe('model runners vs CPU reference', () => {
  test('bert-tiny: classifier logits and label', async () => {
    const ref = referenceForward(encoderSpec);
    const gpu = await runOnGpu(encoderSpec);
    const expected = ref.logits[0]!;
    const report = compareClose(gpu.first.logits, expected, ATOL, RTOL);
    expect(report, JSON.stringify({ report, gpu: Array.from(gpu.first.logits), ref: Array.from(expected) })).toMatchObject({ ok: true });
    expect(topMargin(expected)).toBeGreaterThan(ATOL);
    expect(gpu.first.tokens).toEqual(ref.tokens);
    expect(Array.from(gpu.second.logits)).toEqual(Array.from(gpu.first.logits));
    expect(gpu.steps).toEqual([{ label: 'encode', phase: 'encode', n: expect.any(Number) as unknown, token: undefined }]);
    // GELU and the residual adds run in the gemm epilogue (no 'gelu' or 'residual' dispatch), the
    // LayerNorms in the products' prologues and normalized-residual epilogues (no 'layernorm').
    expect(gpu.kernels).toEqual(['attention', 'classifier', 'embedding', 'gemm']);
    expect(gpu.flops).toBe(countQuery(encoderSpec).flops);
    expect(gpu.dtype).toBe('f32');
    // Fused graph: 2 layers × 5 + embedding and the head's two gemv (countQuery books the head as
    // one 'classifier' entry) = 13; tests/unit/models-dispatches.test.ts pins the presets.
    expect(gpu.steps[0]?.n).toBe(13);
    expect(gpu.steps[0]?.n).toBe(countQuery(encoderSpec).phases.prefill.dispatches + 1);
  });

  const decoderCases: { name: string; spec: DecoderWorkloadSpec; limit?: number }[] = [
    { name: 'tiny-decoder (GQA 4/2, qkv bias, untied head)', spec: decoderSpec },
    // 300 KB "binding limit": embed.tokens (1 MiB) splits into 4 row ranges, lmHead into 4 column blocks.
    { name: 'tiny-decoder with split embedding and LM head', spec: decoderSpec, limit: 300 * 1024 },
    { name: 'tiny-decoder tied, split embedding read as LM head rows', spec: { ...decoderSpec, seed: 5, model: { ...TINY_DECODER, tiedEmbeddings: true, qkvBias: false } }, limit: 300 * 1024 },
  ];
  for (const c of decoderCases) {
    test(`${c.name}: last logits and greedy tokens`, async () => {
      const ref = referenceForward(c.spec);
      const gpu = await runOnGpu(c.spec, c.limit !== undefined ? { bindingLimitBytes: c.limit } : {});
      const expected = ref.logits[ref.logits.length - 1]!;
      const report = compareClose(gpu.first.logits, expected, ATOL, RTOL);
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
      for (const l of ref.logits) expect(topMargin(l)).toBeGreaterThan(ATOL);
      expect(gpu.first.tokens).toEqual(ref.tokens);
      expect(gpu.second.tokens).toEqual(ref.tokens);
      expect(gpu.steps.map((s) => s.label)).toEqual(['prefill', 'token 2/4', 'token 3/4', 'token 4/4']);
      expect(gpu.steps.map((s) => [s.phase, s.token?.index, s.token?.total])).toEqual([['prefill', 1, 4], ['decode', 2, 4], ['decode', 3, 4], ['decode', 4, 4]]);
      expect(gpu.flops).toBe(countQuery(c.spec).flops);
      if (c.limit === undefined) {
        // Unsplit tensors: the runner records exactly the dispatches countQuery counts (2 layers × 5
        // + 3 per pass; 8 per layer before the norms and SwiGLU moved into the products' prologues,
        // 9 before RoPE moved into the attention dispatch).
        const count = countQuery(c.spec);
        expect(gpu.steps.map((s) => s.n)).toEqual([13, 13, 13, 13]);
        expect(gpu.kernels).toContain('attention-rope');
        expect(gpu.kernels).not.toContain('rmsnorm');
        expect(gpu.kernels).not.toContain('swiglu');
        expect(gpu.steps.reduce((a, s) => a + s.n, 0)).toBe(count.phases.prefill.dispatches + (count.phases.decode?.dispatches ?? 0));
      }
    });
  }

  /**
   * f16 weight storage (what the runner uses with preferF16 on an adapter with shader-f16; forced
   * here because SwiftShader has no shader-f16). The reference runs on the same weights rounded
   * to f16 (ties to even), so only two things differ: the GPU's rounding direction of a few
   * weights (WGSL leaves it to the implementation: at most one f16 ulp, 2⁻¹¹ relative), and f32
   * accumulation order. Stated tolerance 2e-3 absolute + 1e-2 relative: an f16 rounding
   * difference on a weight of magnitude ≤ 1/√fanIn moves a logit by ≲ 1e-3.
   */
  for (const spec of [encoderSpec, decoderSpec] as ModelWorkloadSpec[]) {
    test(`${spec.model.name} with f16 weight storage vs reference on f16-rounded weights`, async () => {
      const weights = synthWeights(spec.model, spec.seed);
      for (const t of modelTensors(spec.model)) {
        if (t.shape.length === 2 && t.name !== 'embed.positions') weights.set(t.name, weights.get(t.name)!.map(roundToF16));
      }
      const ref = referenceForward(spec, { weights });
      const gpu = await runOnGpu(spec, { forceF16Storage: true });
      expect(gpu.dtype).toBe('f16');
      const expected = ref.logits[ref.logits.length - 1]!;
      const report = compareClose(gpu.first.logits, expected, 2e-3, 1e-2);
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
      for (const l of ref.logits) expect(topMargin(l)).toBeGreaterThan(2e-3 + 1e-2 * Math.max(...l.map(Math.abs)));
      expect(gpu.first.tokens).toEqual(ref.tokens);
    });
  }

  test('a head size over the attention kernel limit fails with the kernel-limit error', async () => {
    const wide: DecoderWorkloadSpec = { ...decoderSpec, model: { ...TINY_DECODER, name: 'wide-heads', heads: 1, kvHeads: 1, headDim: 512 } };
    const err = await withDevice(async ({ device }) => createModelRunner(device, wide).then(() => null, (e: unknown) => e));
    // A kernel limit, not a memory limit: one limit, one error (the attention builder throws the same).
    expect(err).toBeInstanceOf(KernelLimitError);
    expect((err as Error).name).toBe('KernelLimitError');
    expect((err as Error).message).toBe(
      "wide-heads: headDim 512 exceeds the attention kernel's limit of 256. Choose a smaller preset (quick or ci) or a custom model with smaller heads.",
    );
  });

  test('a tensor over the binding limit fails before allocation, naming model, tensor and limit', async () => {
    const big: DecoderWorkloadSpec = { ...decoderSpec, model: { ...TINY_DECODER, name: 'custom-big', hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 16384 } };
    const err = await withDevice(async ({ device }) => createModelRunner(device, big).then(() => null, (e: unknown) => e));
    expect(err).toBeInstanceOf(ModelTooLargeError);
    const e = err as ModelTooLargeError;
    expect(e.name).toBe('ModelTooLargeError');
    expect(e.tensor).toBe('layers.0.ffn.gate.weight');
    expect(e.neededBytes).toBe(4 * 4096 * 16384);
    expect(e.message).toContain('custom-big');
    expect(e.message).toContain('layers.0.ffn.gate.weight');
    expect(e.message).toContain('maxStorageBufferBindingSize');
    expect(e.message).toContain('smaller preset');
  });
});

describe('pipelines compiled ahead of the build (the benchmark\'s compile timing)', () => {
  test('the tiny decoder: discovery sees every pipeline, the build creates none late, outputs unchanged', async () => {
    const plain = await runOnGpu(decoderSpec);
    const pre = await withDevice(async ({ device }) => {
      const compiled = await compileModelPipelines(device, decoderSpec);
      const runner = await createModelRunner(device, decoderSpec, { pipelineCache: compiled.cache });
      try {
        runner.submit();
        return { out: await runner.readOutputs(), late: compiled.cache.misses, pipelines: compiled.pipelines, ms: compiled.compileMs };
      } finally {
        runner.destroy();
      }
    });
    expect(pre.late).toBe(0);
    expect(pre.pipelines).toBeGreaterThan(5);
    expect(pre.ms).toBeGreaterThan(0);
    expect(pre.out.tokens).toEqual(plain.first.tokens);
    expect(Array.from(pre.out.logits)).toEqual(Array.from(plain.first.logits));
  });
});
