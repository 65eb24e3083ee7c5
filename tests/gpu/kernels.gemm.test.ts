/**
 * gemm on the GPU against the CPU reference, on the data-driven cases of kernels/gemm.
 * Tolerance: inputs are in [-1, 1), the reference accumulates in f64 and the GPU in f32 over
 * k terms, so the error grows like k·2^-24 at worst; 1e-5·(1+k) absolute is well above that
 * and far below any indexing mistake (which shows up as errors of order 0.1–1).
 */
import { describe, expect, test } from 'vitest';
import { withDevice } from '../helpers/with-device.ts';
import cases from '../../kernels/gemm/gemm.cases.json';
import { parseCases } from '../../kernels/cases-schema.ts';
import { gemmRef } from '../../kernels/gemm/gemm.ref.ts';
import { compareClose, seededValues } from '../../kernels/testing.ts';
import { createGemm } from '../../src/engine/ops/gemm.ts';
import { PipelineCache } from '../../src/engine/dispatch.ts';
import { submitDispatches } from '../../src/engine/ops/submit.ts';

describe('gemm kernel vs CPU reference', () => {
  for (const c of parseCases('gemm', cases)) {
    test(c.name, async () => {
      const { m, n, k } = c;
      const seed = c.seed ?? 0;
      const a = c.a ? new Float32Array(c.a) : seededValues(seed, m * k);
      const b = c.b ? new Float32Array(c.b) : seededValues(seed + 1000, k * n);
      const bias = c.bias === 'seeded' ? seededValues(seed + 2000, n) : c.bias ? new Float32Array(c.bias) : undefined;
      const expected = c.expected ? new Float32Array(c.expected) : gemmRef(a, b, m, n, k, { ...(bias ? { bias } : {}), relu: c.relu ?? false });
      const got = await withDevice(async ({ device, buffer, read, track }) => {
        const cache = new PipelineCache(device);
        const resources: GPUBuffer[] = [];
        const out = buffer(m * n * 4);
        const d = createGemm(device, cache, {
          a: buffer(a), b: buffer(b), c: out, m, n, k,
          ...(bias ? { bias: buffer(bias) } : {}),
          relu: c.relu ?? false,
          resources,
        });
        submitDispatches(device, [d]);
        const result = new Float32Array(await read(out, m * n * 4));
        resources.forEach(track);
        // 2·m·n·k for the product, m·n for the bias add (models/flops.ts convention).
        expect(d.flops).toBe(2 * m * n * k + (bias ? m * n : 0));
        return result;
      });
      const report = compareClose(got, expected, 1e-5 * (1 + k));
      expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
    });
  }
});
