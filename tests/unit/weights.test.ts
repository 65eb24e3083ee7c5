import { describe, expect, test } from 'vitest';
import {
  fanInScale,
  hash32,
  modelTensors,
  synthBits,
  synthTensor,
  synthValue,
  syntheticTokens,
  tensorElements,
  unitFromBits,
  weightBytes,
} from '../../src/engine/weights.ts';
import { BERT_TINY, MODEL_PRESETS, TINY_DECODER, parameterCount } from '../../src/engine/models/config.ts';

describe('weight synthesis contract', () => {
  // Expected values computed independently in Python (arbitrary-precision ints masked to 32 bits).
  test('lowbias32 matches known values', () => {
    expect(hash32(0)).toBe(0);
    expect(hash32(1)).toBe(1753845952);
    expect(hash32(0xdeadbeef)).toBe(3861431939);
  });
  test('bits(seed, tensorId, index) = hash32(index ^ hash32(seed ^ hash32(tensorId)))', () => {
    expect(synthBits(1, 2, 3)).toBe(1198046445);
    expect(synthBits(1, 2, 3)).toBe(hash32(3 ^ hash32(1 ^ hash32(2))));
  });
  test('unit maps the top 24 bits exactly onto [-1, 1)', () => {
    expect(unitFromBits(0)).toBe(-1);
    expect(unitFromBits(0xffffffff)).toBe(1 - 2 ** -23);
    expect(unitFromBits(0x80000000)).toBe(0);
    expect(unitFromBits(0x000000ff)).toBe(-1); // the low 8 bits are dropped
  });
  test('synthValue is f32(unit · scale)', () => {
    expect(synthValue(42, 0, 0, 1)).toBe(-0.24914610385894775);
    const v = synthValue(42, 0, 0, fanInScale(3));
    expect(v).toBe(Math.fround(-0.24914610385894775 * Math.fround(1 / Math.sqrt(3))));
    expect(fanInScale(128)).toBe(Math.fround(1 / Math.sqrt(128)));
  });
  test('synthTensor agrees with synthValue element by element, and ones/zeros are exact', () => {
    const spec = { id: 7, name: 't', shape: [3, 5], init: 'synth' as const, scale: fanInScale(3) };
    const t = synthTensor(9, spec);
    expect(t.length).toBe(15);
    for (let i = 0; i < 15; i++) expect(t[i]).toBe(synthValue(9, 7, i, spec.scale));
    expect(Array.from(synthTensor(9, { ...spec, init: 'ones' }))).toEqual(new Array(15).fill(1));
    expect(Array.from(synthTensor(9, { ...spec, init: 'zeros' }))).toEqual(new Array(15).fill(0));
  });
  test('values are uniform on [-scale, scale): mean ~ 0, variance ~ scale²/3', () => {
    const t = synthTensor(3, { id: 1, name: 't', shape: [100_000], init: 'synth', scale: 1 });
    let s = 0;
    let s2 = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of t) {
      s += v;
      s2 += v * v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(hi).toBeLessThan(1);
    // Standard error of the mean: sqrt(1/3 / 1e5) ≈ 0.0018; 5 sigma.
    expect(Math.abs(s / t.length)).toBeLessThan(0.01);
    expect(s2 / t.length).toBeCloseTo(1 / 3, 2);
  });
  test('different seeds and tensor ids give different streams', () => {
    expect(synthBits(1, 0, 0)).not.toBe(synthBits(2, 0, 0));
    expect(synthBits(1, 0, 0)).not.toBe(synthBits(1, 1, 0));
  });
});

describe('modelTensors', () => {
  test('tiny-decoder: 27 tensors in a fixed order, ids are indices', () => {
    const list = modelTensors(TINY_DECODER);
    // embed + 2 layers × (norm, q w+b, k w+b, v w+b, o, norm, gate, up, down) + final norm + untied head
    expect(list.length).toBe(1 + 2 * 12 + 1 + 1);
    list.forEach((t, i) => expect(t.id).toBe(i));
    expect(list.map((t) => t.name).slice(0, 5)).toEqual([
      'embed.tokens',
      'layers.0.attn.norm.gamma',
      'layers.0.attn.q.weight',
      'layers.0.attn.q.bias',
      'layers.0.attn.k.weight',
    ]);
    expect(list.find((t) => t.name === 'layers.1.attn.k.weight')?.shape).toEqual([128, 64]);
    expect(list.find((t) => t.name === 'layers.1.ffn.down.weight')?.shape).toEqual([384, 128]);
    expect(list.find((t) => t.name === 'layers.1.ffn.down.weight')?.scale).toBe(fanInScale(384));
    expect(list.at(-1)).toMatchObject({ name: 'lmHead.weight', shape: [128, 2048] });
  });
  test('tied decoders have no lmHead tensor', () => {
    const names = modelTensors(MODEL_PRESETS['smollm2-135m']).map((t) => t.name);
    expect(names).not.toContain('lmHead.weight');
    expect(names).not.toContain('layers.0.attn.q.bias'); // SmolLM has no q/k/v biases
  });
  test('names are unique and element counts add up to the parameter count', () => {
    for (const c of Object.values(MODEL_PRESETS)) {
      const list = modelTensors(c);
      expect(new Set(list.map((t) => t.name)).size).toBe(list.length);
      expect(list.reduce((s, t) => s + tensorElements(t), 0)).toBe(parameterCount(c));
    }
  });
  test('bert-tiny parameter count (hand count) and published sizes', () => {
    // embeddings 30522·128 + 512·128 + 2·128; per layer 4·(128·128+128) + 2·128 + (128·512+512) + (512·128+128) + 2·128;
    // head (128·128+128) + (128·2+2)
    const layer = 4 * (128 * 128 + 128) + 256 + (128 * 512 + 512) + (512 * 128 + 128) + 256;
    expect(parameterCount(BERT_TINY)).toBe(30522 * 128 + 512 * 128 + 256 + 2 * layer + 128 * 128 + 128 + 258);
    // SmolLM2-135M has 134,515,008 parameters (tied embeddings).
    expect(parameterCount(MODEL_PRESETS['smollm2-135m'])).toBe(134_515_008);
    // Qwen2.5-0.5B: 494,032,768 parameters (0.49 B, tied).
    expect(parameterCount(MODEL_PRESETS['qwen2.5-0.5b-instruct'])).toBe(494_032_768);
    expect(weightBytes(BERT_TINY, 4)).toBe(parameterCount(BERT_TINY) * 4);
  });
});

describe('syntheticTokens', () => {
  test('deterministic, in range, seeded', () => {
    const a = syntheticTokens(5, 64, 2048);
    expect(Array.from(a)).toEqual(Array.from(syntheticTokens(5, 64, 2048)));
    expect(Array.from(a).every((t) => t >= 0 && t < 2048)).toBe(true);
    expect(Array.from(a)).not.toEqual(Array.from(syntheticTokens(6, 64, 2048)));
    expect(new Set(a).size).toBeGreaterThan(50);
  });
});
