import { describe, expect, test } from 'vitest';
import {
  BERT_TINY,
  DISTILBERT_SST2,
  ModelConfigError,
  QWEN25_05B_INSTRUCT,
  TINY_DECODER,
  sequenceLength,
  specFromWorkloadConfig,
  specWithDtype,
  validateConfig,
  workloadConfig,
  type DecoderWorkloadSpec,
  type EncoderWorkloadSpec,
} from '../../src/engine/models/config.ts';
import { countQuery } from '../../src/engine/models/flops.ts';
import {
  SUITE_VERSIONS,
  customToFields,
  limitProblem,
  parseCustom,
  resolveSuite,
} from '../../src/engine/models/presets.ts';
import { dictionaries, t } from '../../src/i18n/index.ts';

const bertTiny16: EncoderWorkloadSpec = {
  family: 'encoder', id: 's', role: 'specialized', seed: 1, model: BERT_TINY, inputTokens: 16, labels: 2,
};
const tinyDecoder24x4: DecoderWorkloadSpec = {
  family: 'decoder', id: 'g', role: 'general', seed: 1, model: TINY_DECODER, promptTokens: 24, outputTokens: 4,
};

describe('countQuery: bert-tiny, 16 tokens (hand count)', () => {
  const q = countQuery(bertTiny16);
  test('matrix products', () => {
    // per layer: q,k,v,o 4·2·16·128·128 = 2,097,152; FFN 2·2·16·128·512 = 4,194,304;
    // attention 2 heads · 16·16 pairs · 4·64 = 131,072 → 6,422,528 per layer, ×2 layers;
    // head on the first token: 2·128·128 + 2·128·2 = 33,280.
    expect(q.matmulFlops).toBe(2 * 6_422_528 + 33_280);
  });
  test('total with element-wise work', () => {
    // embedding position add 16·128 = 2,048; 5 layernorms × 8·2,048 = 81,920 (in the products'
    // prologues now: Q/K/V and FFN up per layer, and the head's, booked over all 16 rows);
    // per layer: biases 8,192 + 10,240, scores 2·256·6 = 3,072, residuals 4,096, GELU 8·16·512 = 65,536;
    // head: bias 128 + tanh 128 + bias 2.
    expect(q.flops).toBe(12_878_336 + 2_048 + 81_920 + 2 * 91_136 + 258);
    expect(q.phases.decode).toBeNull();
    expect(q.phases.prefill.flops).toBe(q.flops);
  });
  test('kernel breakdown sums to the total and counts dispatches', () => {
    expect(q.kernels.reduce((s, k) => s + k.flops, 0)).toBe(q.flops);
    expect(q.kernels.reduce((s, k) => s + k.bytes, 0)).toBe(q.bytes);
    const byName = Object.fromEntries(q.kernels.map((k) => [k.name, k]));
    // per layer: (LayerNorm +) fused Q/K/V, O (+ normalized residual), (LayerNorm +) FFN up (+ GELU),
    // FFN down (+ normalized residual).
    expect(byName.gemm?.count).toBe(2 * 4);
    expect(byName.gelu).toBeUndefined();
    expect(byName.residual).toBeUndefined();
    expect(byName.attention?.count).toBe(2);
    // No LayerNorm dispatch: the 5 norms' 81,920 FLOPs are booked on the products that read them.
    expect(byName.layernorm).toBeUndefined();
    // The head: its products 33,280, the last LayerNorm over 16·128 (8 each), bias, tanh, bias.
    expect(byName.classifier?.flops).toBe(33_280 + 8 * 2_048 + 258);
    expect(byName.classifier?.count).toBe(1);
    expect(byName.gemv).toBeUndefined();
  });
  test('bytes: the classifier reads its weights once, in f32', () => {
    const cls = q.kernels.find((k) => k.name === 'classifier');
    // x 128, the last LayerNorm's gamma and beta 2·128 (the head's prologue), pre W 128·128 + b 128,
    // act out 128, cls W 128·2 + b 2, out 2 → ×4 bytes
    expect(cls?.bytes).toBe(4 * (128 + 256 + 16_384 + 128 + 128 + 256 + 2 + 2));
  });
  test('f16 halves the weight bytes only (activations and norms stay f32)', () => {
    const h = countQuery({ ...bertTiny16, model: { ...BERT_TINY, dtype: 'f16' } });
    expect(h.flops).toBe(q.flops);
    const d = 128, ffn = 512, T = 16, layers = 2, labels = 2;
    // Weight elements read per query in f16: token rows (the position table stays f32), per
    // layer q/k/v/o + FFN (with biases), and the classifier head.
    const perLayer = 4 * (d * d + d) + (d * ffn + ffn) + (ffn * d + d);
    const weights = T * d + layers * perLayer + (d * d + d + d * labels + labels);
    expect(q.bytes - h.bytes).toBe(2 * weights);
  });
  test('embedding bytes: token rows in the weight dtype, the position table f32 in every dtype', () => {
    const h = countQuery({ ...bertTiny16, model: { ...BERT_TINY, dtype: 'f16' } });
    const emb = (c: typeof q) => c.kernels.find((k) => k.name === 'embedding')?.bytes;
    // ids 16·4 = 64; token rows 16·128·4 = 8,192; position rows 16·128·4 = 8,192; out 16·128·4 = 8,192.
    expect(emb(q)).toBe(64 + 8_192 + 8_192 + 8_192);
    // f16 halves only the token rows: 64 + 4,096 + 8,192 + 8,192 = 20,544 (was 16,448 with
    // the position table counted at 2 bytes).
    expect(emb(h)).toBe(20_544);
  });
});

describe('countQuery: tiny-decoder, prompt 24, 4 output tokens (hand count)', () => {
  const q = countQuery(tinyDecoder24x4);
  test('outputTokens − 1 decode steps', () => {
    expect(q.phases.decode?.steps).toBe(3);
    expect(q.phases.decode?.perStep.length).toBe(3);
  });
  test('matrix products: prefill, LM head on used positions only, decode against the cache', () => {
    // prefill per layer: q 786,432 + k,v 786,432 + o 786,432 + gate/up/down 7,077,888
    //   + causal attention 4 heads · 300 pairs · 128 = 153,600 → 9,590,784 ×2;
    // LM head once on the last prompt position: 2·128·2048 = 524,288.
    // decode step s: 2 layers · 393,216 + 4·(24+s)·128 ·2 + 524,288; keys 25+26+27 = 78.
    const prefill = 2 * 9_590_784 + 524_288;
    const decode = 3 * (2 * 393_216 + 524_288) + 1024 * 78;
    expect(q.matmulFlops).toBe(prefill + decode);
  });
  test('prefill total with element-wise work', () => {
    // per layer: 2 rmsnorms 24,576, q/k/v biases 6,144, rope 13,824, scores 7,200, residuals 6,144,
    // SwiGLU 55,296 → 113,184 ×2; final rmsnorm on one row 512; argmax 2,048.
    expect(q.phases.prefill.flops).toBe(2 * 9_590_784 + 524_288 + 2 * 113_184 + 512 + 2_048);
  });
  test('each decode step reads one more K and V row per layer', () => {
    const steps = q.phases.decode?.perStep ?? [];
    // 2 (K,V) · 2 KV heads · 32 · 4 bytes · 2 layers = 1,024 bytes more per step
    expect((steps[1]?.bytes ?? 0) - (steps[0]?.bytes ?? 0)).toBe(1024);
    expect((steps[2]?.bytes ?? 0) - (steps[1]?.bytes ?? 0)).toBe(1024);
    // and attends one more key: 4 heads · (4·32 + 6) flops
    expect((steps[1]?.flops ?? 0) - (steps[0]?.flops ?? 0)).toBe(4 * (4 * 32 + 6) * 2);
  });
  test('decode steps read every weight again (gemv), and the total is the sum of phases', () => {
    const gemv = q.kernels.find((k) => k.name === 'gemv');
    // per step: 2 layers × 4 products (fused Q/K/V, O, fused gate/up, down) + LM head = 9; plus the prefill LM head = 1
    expect(gemv?.count).toBe(3 * 9 + 1);
    expect(q.flops).toBe(q.phases.prefill.flops + (q.phases.decode?.flops ?? 0));
    expect(q.kernels.reduce((s, k) => s + k.bytes, 0)).toBe(q.bytes);
  });
  test('one output token means no decode step', () => {
    const one = countQuery({ ...tinyDecoder24x4, outputTokens: 1 });
    expect(one.phases.decode?.steps).toBe(0);
    expect(one.flops).toBe(q.phases.prefill.flops);
  });
});

describe('paper preset: general vs specialized FLOPs per query', () => {
  test('Qwen2.5-0.5B (112 + 4 tokens) needs 15.2× the FLOPs of DistilBERT (64 tokens)', () => {
    const suite = resolveSuite('paper');
    const [spec, gen] = suite.workloads;
    if (!spec || !gen) throw new Error('two workloads expected');
    expect(spec.role).toBe('specialized');
    expect(gen.role).toBe('general');
    const s = countQuery(spec);
    const g = countQuery(gen);
    // DistilBERT: 6 × (301,989,888 + 603,979,776 + 12,582,912) + head 1,182,720
    expect(s.matmulFlops).toBe(5_512_498_176);
    // Qwen: 357,826,560 linear weights per token in the blocks; prefill 2·112·that + attention
    // 544,309,248 + LM head 272,269,312; 3 decode steps 3·987,922,432 + attention 29,417,472.
    expect(g.matmulFlops).toBe(83_962_912_768);
    const ratio = g.flops / s.flops;
    expect(ratio).toBeGreaterThan(15.0);
    expect(ratio).toBeLessThan(15.4);
  });
  test('chatty answers (48 tokens, 47 decode steps of ~0.99 GFLOP each) widen the gap to 23.2×', () => {
    const suite = resolveSuite('paper', { answer: 'chatty' });
    const [s, g] = suite.workloads.map(countQuery);
    const ratio = (g?.flops ?? 0) / (s?.flops ?? 1);
    expect(ratio).toBeGreaterThan(23.0);
    expect(ratio).toBeLessThan(23.4);
  });
});

describe('config', () => {
  test('workloadConfig carries the contract fields flat', () => {
    const c = workloadConfig(tinyDecoder24x4);
    for (const k of ['family', 'layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'ffn', 'vocab', 'maxPositions', 'dtype', 'promptTokens', 'outputTokens']) {
      expect(c, k).toHaveProperty(k);
    }
    expect(c.model).toBe('tiny-decoder');
    expect(c.kvHeads).toBe(2);
    const e = workloadConfig(bertTiny16);
    expect(e).toMatchObject({ family: 'encoder', inputTokens: 16, labels: 2, model: 'bert-tiny' });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
  test('specFromWorkloadConfig inverts workloadConfig, so a result document can be recounted', () => {
    for (const spec of [...resolveSuite('paper').workloads, ...resolveSuite('ci', { f16: true }).workloads]) {
      const json = JSON.parse(JSON.stringify(workloadConfig(spec))) as Record<string, unknown>;
      const back = specFromWorkloadConfig(json, spec.id, spec.role);
      expect(back).toEqual(spec);
      expect(countQuery(back)).toEqual(countQuery(spec));
    }
    const broken = { ...workloadConfig(tinyDecoder24x4), kvHeads: 'two' };
    expect(() => specFromWorkloadConfig(broken, 'g', 'general')).toThrow(/kvHeads must be a number/);
    const inconsistent = { ...workloadConfig(tinyDecoder24x4), kvHeads: 3 };
    expect(() => specFromWorkloadConfig(inconsistent, 'g', 'general')).toThrow(/must divide heads/);
  });
  test('specWithDtype records the dtype a runner actually used, and bytes follow it', () => {
    const f16 = specWithDtype({ ...tinyDecoder24x4, model: { ...TINY_DECODER, dtype: 'f16' } }, 'f32');
    expect(f16.model.dtype).toBe('f32');
    expect(workloadConfig(f16).dtype).toBe('f32');
    expect(countQuery(f16).bytes).toBe(countQuery(tinyDecoder24x4).bytes);
    expect(specWithDtype(tinyDecoder24x4, 'f32')).toBe(tinyDecoder24x4);
  });
  test('sequence length: the last generated token is never fed back', () => {
    expect(sequenceLength(tinyDecoder24x4)).toBe(27);
    expect(sequenceLength(bertTiny16)).toBe(16);
  });
  test('validateConfig names the wrong field', () => {
    expect(() => validateConfig({ ...TINY_DECODER, kvHeads: 3 })).toThrow(ModelConfigError);
    try {
      validateConfig({ ...BERT_TINY, hidden: 100 });
    } catch (e) {
      expect((e as ModelConfigError).field).toBe('headDim');
      expect((e as ModelConfigError).name).toBe('ModelConfigError');
    }
    for (const c of [BERT_TINY, DISTILBERT_SST2, QWEN25_05B_INSTRUCT, TINY_DECODER]) expect(() => validateConfig(c)).not.toThrow();
  });
});

describe('suites', () => {
  test('every preset is versioned and pairs specialized with general', () => {
    for (const p of ['ci', 'quick', 'paper', 'custom'] as const) {
      const s = resolveSuite(p);
      expect(s.version).toBe(SUITE_VERSIONS[p]);
      expect(s.task).toBe('sentiment');
      expect(s.workloads.map((w) => w.role)).toEqual(['specialized', 'general']);
    }
  });
  test('ci is tiny: under 0.1 GFLOP for the two queries together', () => {
    const s = resolveSuite('ci');
    expect(s.workloads.map((w) => w.model.name)).toEqual(['bert-tiny', 'tiny-decoder']);
    const total = s.workloads.reduce((a, w) => a + countQuery(w).flops, 0);
    expect(total).toBeLessThan(1e8);
  });
  test('f16 is recorded in every config when the adapter has shader-f16', () => {
    const s = resolveSuite('ci', { f16: true });
    expect(s.workloads.every((w) => w.model.dtype === 'f16')).toBe(true);
    expect(s.notes[0]?.key).toBe('model.note.dtypeF16');
    expect(resolveSuite('ci').workloads.every((w) => w.model.dtype === 'f32')).toBe(true);
  });
  test('quick fits the default limits with DistilBERT and SmolLM2 (embedding 113.2 MB ≤ 134.2 MB)', () => {
    const s = resolveSuite('quick');
    expect(s.workloads.map((w) => w.model.name)).toEqual(['distilbert-sst2', 'smollm2-135m']);
    expect(s.notes.map((n) => n.key)).toEqual(['model.note.dtype', 'model.note.quickChose', 'model.note.quickChose']);
    expect(s.notes[2]?.text).toContain('113.2 MB');
    for (const n of s.notes) expect(n.key in dictionaries.en).toBe(true);
    expect(t(s.notes[2]?.key ?? '', s.notes[2]?.params, 'en')).toBe(
      'smollm2-135m chosen (its largest tensor, 113.2 MB, fits the 134.2 MB buffer limit of this GPU).',
    );
  });
  test('quick falls back to the tiny pair and says why under small limits', () => {
    const s = resolveSuite('quick', { limits: { maxStorageBufferBindingSize: 64e6, maxBufferSize: 256e6 } });
    // DistilBERT's word embeddings 30522·768·4 = 93.8 MB > 64 MB; bert-tiny's 15.6 MB fits.
    expect(s.workloads.map((w) => w.model.name)).toEqual(['bert-tiny', 'tiny-decoder']);
    expect(s.notes.filter((n) => n.key === 'model.note.quickSkipped').map((n) => n.params.model)).toEqual(['distilbert-sst2', 'smollm2-135m']);
    // f16 halves the tensors: SmolLM2's 56.6 MB embedding fits again.
    const h = resolveSuite('quick', { f16: true, limits: { maxStorageBufferBindingSize: 64e6, maxBufferSize: 256e6 } });
    expect(h.workloads.map((w) => w.model.name)).toEqual(['distilbert-sst2', 'smollm2-135m']);
  });
});

describe('custom suites from URL parameters', () => {
  // Page parameters are the lab's to strip: see tests/unit/custom-params.test.ts.
  test('overrides fields and token counts', () => {
    const r = parseCustom(new URLSearchParams('specialized=bert-tiny&general=tiny-decoder&g.layers=3&g.tiedEmbeddings=true&promptTokens=10&outputTokens=2&inputTokens=8&seed=7'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const g = r.value.general;
    expect(g.family).toBe('decoder');
    if (g.family !== 'decoder') return;
    expect(g.model).toMatchObject({ name: 'custom', layers: 3, tiedEmbeddings: true, hidden: 128 });
    expect(g.promptTokens).toBe(10);
    expect(g.outputTokens).toBe(2);
    expect(g.seed).toBe(7);
    expect(r.value.specialized.model.name).toBe('bert-tiny');
    const s = resolveSuite('custom', { custom: r.value });
    expect(s.workloads[1]?.model.layers).toBe(3);
  });
  test('reports every wrong field by name', () => {
    const r = parseCustom(new URLSearchParams('g.layers=two&s.heads=-1&g.qkvBias=maybe&general=gpt-9&bogus=1&s.ropeTheta=5'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.code]));
    expect(byField).toEqual({
      general: 'unknown-model',
      'g.layers': 'not-a-number',
      's.heads': 'not-positive-integer',
      'g.qkvBias': 'invalid-choice',
      's.ropeTheta': 'unknown-param',
      bogus: 'unknown-param',
    });
    expect(r.errors.every((e) => e.key.startsWith('model.error.'))).toBe(true);
  });
  test('structural errors name the field: kvHeads must divide heads', () => {
    const r = parseCustom(new URLSearchParams('general=tiny-decoder&g.kvHeads=3'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([['g.kvHeads', 'invalid-config']]);
    expect(t(r.errors[0]?.key ?? '', r.errors[0]?.params, 'en')).toBe('“g.kvHeads” does not fit the rest of the model: kvHeads (3) must divide heads (4)');
  });
  test('too many tokens for the position table names maxPositions', () => {
    const r = parseCustom(new URLSearchParams('specialized=bert-tiny&general=tiny-decoder&promptTokens=250&outputTokens=10'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]?.field).toBe('g.maxPositions');
  });
  test('customToFields round-trips', () => {
    const r = parseCustom(new URLSearchParams('specialized=bert-tiny&general=tiny-decoder&g.layers=3&outputTokens=2'));
    if (!r.ok) throw new Error('parse failed');
    const again = parseCustom(customToFields(r.value));
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.value.general.model).toEqual({ ...r.value.general.model });
    expect({ ...again.value.specialized.model, name: 'bert-tiny' }).toEqual(r.value.specialized.model);
  });
});

describe('limits', () => {
  test('names the model and the limit, and suggests a smaller preset', () => {
    const [, gen] = resolveSuite('paper').workloads;
    if (!gen) throw new Error('missing');
    // Qwen's FFN activations (116 tokens × 4864 × 4 bytes = 2.26 MB) exceed a 2 MB binding.
    const p = limitProblem(gen, { maxStorageBufferBindingSize: 2_000_000 }, 'paper');
    expect(p).toMatchObject({ model: 'qwen2.5-0.5b-instruct', limit: 'maxStorageBufferBindingSize', suggestion: 'quick', what: 'ffn-activations', needBytes: 2_256_896 });
    expect(p?.message).toContain('qwen2.5-0.5b-instruct');
    expect(p?.key).toBe('model.error.limit.ffn-activations');
    expect(t(p?.key ?? '', p?.params, 'en')).toBe(
      'qwen2.5-0.5b-instruct cannot run on this GPU: the FFN activations need 2.3 MB, above the maxStorageBufferBindingSize limit (2.0 MB). Try the “quick” preset.',
    );
    expect(limitProblem(gen, undefined, 'paper')).toBeNull();
  });
});
