// Real-model workloads in the result document: the sample is accepted as it is, beside the
// synthetic replicas; each contradiction (kind vs real, id vs role/model/EP, config keys, the
// FLOP and byte estimate) is refused with the field named.
import { describe, expect, test } from 'vitest';
import { parseResult } from '../../src/shared/schema.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';
import { realModelConfig, realModelCost, type RealModelConfig } from '../../src/shared/realmodels/cost.ts';
import { sampleRealResult } from '../../src/shared/sample-real-result.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';

const doc = (): ResultDocument => structuredClone(sampleRealResult());
const real = (d: ResultDocument, role: 'general' | 'specialized'): Workload => d.workloads.find((w) => w.kind === 'real-model' && w.role === role)!;

function rejects(d: unknown, issue: RegExp): void {
  const r = parseResult(d);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.issues.join('\n')).toMatch(issue);
}

describe('a real-model document', () => {
  test('the sample is accepted unchanged, real-model workloads beside the replicas', () => {
    const d = doc();
    const r = parseResult(d);
    expect(r).toEqual({ ok: true, value: d });
    expect(d.workloads.map((w) => `${w.kind} ${w.id}`)).toEqual([
      'real-model specialized:distilbert-sst2:webgpu', 'real-model general:qwen2.5-0.5b-instruct:webgpu',
      'model specialized:distilbert-sst2', 'model general:qwen2.5-0.5b-instruct',
    ]);
    expect(real(d, 'general').timing.source).toBe('wall-clock');
  });

  test('kind real-model needs a real block; any other kind refuses one', () => {
    const a = doc();
    delete real(a, 'general').real;
    rejects(a, /workloads\.1\.real: is required/);
    const b = doc();
    (b.workloads[2] as Workload).real = real(b, 'general').real;
    rejects(b, /workloads\.2\.real: only a workload of kind "real-model" has a real block/);
    const c = doc();
    (c.workloads[0] as { kind: string }).kind = 'bogus';
    rejects(c, /workloads\.0\.kind: must be a workload of kind "micro", "model" or "real-model"/);
  });

  test('the id is ROLE:MODEL:EP of its role and real block', () => {
    const a = doc();
    real(a, 'general').id = 'general:qwen2.5-0.5b-instruct:wasm';
    rejects(a, /workloads\.1: id must be ROLE:MODEL:EP/);
    const b = doc();
    real(b, 'general').id = 'general:unknown-model:webgpu';
    rejects(b, /workloads\.1\.id: must be a known real-model workload id/);
    const c = doc();
    delete real(c, 'general').role;
    rejects(c, /workloads\.1\.role: is required/);
    const e = doc();
    const w = real(e, 'specialized');
    w.role = 'general';
    w.id = 'general:distilbert-sst2:webgpu';
    rejects(e, /the specialized model is the classifier/);
  });

  test('config is closed: known keys, numbers, family matching the answer', () => {
    const a = doc();
    real(a, 'general').config['prompt'] = 'free text';
    rejects(a, /workloads\.1\.config\.prompt: unknown key/);
    const b = doc();
    real(b, 'general').config['layers'] = 'twenty';
    rejects(b, /workloads\.1\.config\.layers: must be a finite number/);
    const c = doc();
    delete real(c, 'general').config['maxNewTokens'];
    rejects(c, /maxNewTokens is set exactly for a decoder/);
    const e = doc();
    real(e, 'specialized').config['family'] = 'decoder';
    real(e, 'specialized').config['maxNewTokens'] = 4;
    rejects(e, /config\.family must be encoder for a classifier/);
  });

  test('a real model is timed on the wall clock; agreement counts no more items than the run answered', () => {
    const a = doc();
    real(a, 'general').timing.source = 'gpu-timestamp';
    rejects(a, /workloads\.1: timing\.source must be "wall-clock" for a real model/);
    const b = doc();
    const r = real(b, 'specialized').real!;
    // 12 items answered (Wilson of 10/12), agreement claimed on 20.
    const w = wilson(10, 12);
    r.accuracy = { correct: 10, n: 12, low: w.low, high: w.high };
    r.tokens = { ...r.tokens, inputTotal: 12 * r.tokens.inputMedian };
    rejects(b, /workloads\.0\.real: agreement\.n must be ≤ accuracy\.n/);
    r.agreement = { measured: true, agree: 12, n: 12 };
    const ok = parseResult(b);
    expect(ok.ok ? [] : ok.issues).toEqual([]);
  });

  test('flops and bytes must be the estimate from the config and the token counts', () => {
    const a = doc();
    real(a, 'general').flops = 1;
    rejects(a, /workloads\.1: flops and bytes must be the estimate/);
    const b = doc();
    real(b, 'specialized').bytes *= 2;
    rejects(b, /workloads\.0: flops and bytes must be the estimate/);
  });

  test('headDim: a document recorded before the key still validates; a head width apart from hidden ÷ heads must match the FLOPs', () => {
    const old = doc();
    delete real(old, 'general').config['headDim'];
    delete real(old, 'specialized').config['headDim'];
    expect(parseResult(old).ok).toBe(true);
    const wide = doc();
    real(wide, 'general').config['headDim'] = 128;
    rejects(wide, /workloads\.1: flops and bytes must be the estimate/);
    const w = real(wide, 'general');
    w.flops = realModelCost(w.config as RealModelConfig, w.real!.tokens).flops;
    expect(parseResult(wide).ok).toBe(true);
  });

  test('an incomplete architecture: flops null with its reason, bytes still the estimate', () => {
    const d = doc();
    const w = real(d, 'specialized');
    w.config['ffn'] = null;
    const cost = realModelCost(w.config as RealModelConfig, w.real!.tokens);
    expect(cost).toEqual({ flops: null, flopsUnknown: 'architecture-incomplete', bytes: 267_855_974 });
    w.flops = null;
    w.flopsUnknown = 'architecture-incomplete';
    expect(parseResult(d).ok).toBe(true);
    delete w.flopsUnknown;
    rejects(d, /flopsUnknown is set exactly when flops is null/);
    w.flopsUnknown = 'operators Foo, Bar';
    rejects(d, /flopsUnknown: must be a known reason for unknown FLOPs/);
  });
});

describe('realModelCost', () => {
  const tokens = { inputMedian: 10, inputTotal: 100, outputMedian: 3, outputTotal: 30 };
  test('an encoder: layers × tokens × (linear + attention) + the head', () => {
    const c: RealModelConfig = { family: 'encoder', layers: 2, hidden: 8, heads: 2, kvHeads: 2, ffn: 16, vocab: 100, onnxBytes: 1000 };
    // linear per token: qkv 2·8·(8+2·2·4)=384, out 128, ffn 2·2·8·16=512 → 1024; attention 4·10·8 = 320
    expect(realModelCost(c, { ...tokens, outputMedian: 0, outputTotal: 0 })).toEqual({ flops: 2 * 10 * (1024 + 320) + 128 + 32, bytes: 1000 });
  });
  test('a decoder: prefill, decode steps and the LM head on every position', () => {
    const c: RealModelConfig = { family: 'decoder', layers: 1, hidden: 8, heads: 2, kvHeads: 1, ffn: 16, vocab: 100, maxNewTokens: 8, onnxBytes: 1000 };
    // linear per token: qkv 2·8·(8+2·1·4)=256, out 128, ffn 3·2·8·16=768 → 1152
    // positions 10 + 2 = 12; ctx Σ1..10 = 55 and (11 + 12) = 23 → attention 4·8·78 = 2496; head 12·2·8·100 = 19200
    expect(realModelCost(c, tokens)).toEqual({ flops: 12 * 1152 + 2496 + 19200, bytes: 3000 });
    // headDim = hidden ÷ heads given explicitly: the same count as without it (documents before the key).
    expect(realModelCost({ ...c, headDim: 4 }, tokens)).toEqual(realModelCost(c, tokens));
  });
  test('a head_dim set apart from hidden ÷ heads (Qwen3-style) widens Q, the output projection and attention', () => {
    const c: RealModelConfig = { family: 'decoder', layers: 1, hidden: 8, heads: 2, kvHeads: 1, headDim: 8, ffn: 16, vocab: 100, maxNewTokens: 8, onnxBytes: 1000 };
    // qDim 16: qkv 2·8·(16+2·1·8)=512, out 2·16·8=256, ffn 768 → 1536; attention 4·16·78 = 4992
    expect(realModelCost(c, tokens)).toEqual({ flops: 12 * 1536 + 4992 + 19200, bytes: 3000 });
    expect(realModelCost({ ...c, headDim: null }, tokens)).toEqual({ flops: null, flopsUnknown: 'architecture-incomplete', bytes: 3000 });
  });
  test('realModelConfig records head_dim when config.json gives it, else hidden ÷ heads', () => {
    const qwen3 = { hidden_size: 1024, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128, intermediate_size: 3072, vocab_size: 151936 };
    expect(realModelConfig(qwen3, 'decoder', 1000, 16)).toMatchObject({ hidden: 1024, heads: 16, headDim: 128 });
    expect(realModelConfig({ ...qwen3, head_dim: undefined }, 'decoder', 1000, 16)).toMatchObject({ headDim: 64 });
    expect(realModelConfig({ dim: 768, n_heads: 12 }, 'encoder', 1000)).toMatchObject({ headDim: 64, layers: null });
  });
});
