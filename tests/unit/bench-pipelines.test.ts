/**
 * Pipeline discovery for the benchmark's compile timing: the model's graph is built on a stand-in
 * device that compiles nothing, and the cache records what the builders asked for. No GPU needed;
 * tests/gpu/models.test.ts checks on a real device that the build then finds them all.
 */
import { describe, expect, test } from 'vitest';
import { deviceWith, useGpuFlags } from '../helpers/gpu-stand-in.ts';
import { modelPipelines } from '../../src/bench/pipelines.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';

useGpuFlags();

const device = deviceWith();

describe('model pipelines, discovered without a GPU', () => {
  test('ci: each model lists its kernels once, weight synthesis included', async () => {
    const [enc, dec] = resolveSuite('ci').workloads;
    const e = await modelPipelines(device, enc!);
    const d = await modelPipelines(device, dec!);
    const labels = (rs: typeof e) => [...new Set(rs.map((r) => r.label))].sort();
    expect(labels(e)).toEqual(expect.arrayContaining(['attention', 'embedding', 'gemm', 'gemv', 'weight-synth']));
    // The encoder's LayerNorms run in the products' prologues and normalized-residual epilogues.
    expect(labels(e)).not.toContain('layernorm');
    // The decoder's RMSNorms and SwiGLU run in the products' prologues: no pipeline of their own.
    expect(labels(d)).toEqual(expect.arrayContaining(['argmax', 'attention-rope', 'gemm', 'gemv', 'weight-synth']));
    expect(labels(d)).not.toContain('rmsnorm');
    expect(labels(d)).not.toContain('swiglu');
    // Distinct requests: no (label, code, constants, entry point) twice.
    const keys = d.map((r) => `${r.label}|${r.entryPoint}|${JSON.stringify(r.constants)}|${r.code.length}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(d.every((r) => r.code.includes('@compute'))).toBe(true);
  });
});
