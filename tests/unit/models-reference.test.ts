import { describe, expect, test } from 'vitest';
import {
  argmax,
  erf,
  gelu,
  layerNorm,
  matmul,
  referenceForward,
  rmsNorm,
  ropeInPlace,
  silu,
  synthWeights,
} from '../../src/engine/models/reference.ts';
import { BERT_TINY, TINY_DECODER, type DecoderWorkloadSpec, type EncoderWorkloadSpec } from '../../src/engine/models/config.ts';

const f32 = (a: number[]): Float32Array => new Float32Array(a);

describe('reference building blocks (hand-computed)', () => {
  test('matmul with bias: [1 2 3; 4 5 6]·[1 0; 0 1; 1 1] + [10, 20]', () => {
    const y = matmul(f32([1, 2, 3, 4, 5, 6]), 2, 3, f32([1, 0, 0, 1, 1, 1]), 2, f32([10, 20]));
    expect(Array.from(y)).toEqual([14, 25, 20, 31]);
  });
  test('layerNorm of [1, 2, 3, 4]: mean 2.5, variance 1.25', () => {
    const y = layerNorm(f32([1, 2, 3, 4]), 1, 4, f32([1, 1, 1, 2]), f32([0, 0, 0, 1]), 0);
    const s = 1 / Math.sqrt(1.25);
    expect(y[0]).toBeCloseTo(-1.5 * s, 6);
    expect(y[1]).toBeCloseTo(-0.5 * s, 6);
    expect(y[3]).toBeCloseTo(2 * 1.5 * s + 1, 6);
  });
  test('rmsNorm of [3, 4]: rms = √12.5', () => {
    const y = rmsNorm(f32([3, 4]), 1, 2, f32([1, 2]), 0);
    expect(y[0]).toBeCloseTo(3 / Math.sqrt(12.5), 6);
    expect(y[1]).toBeCloseTo(8 / Math.sqrt(12.5), 6);
  });
  test('erf, GELU and SiLU at known points', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(-1.5)).toBeCloseTo(-0.9661051464753108, 14);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 6);
    expect(gelu(1)).toBeCloseTo(0.8413447460685429, 12);
    expect(gelu(-1)).toBeCloseTo(-0.15865525393145707, 12);
    expect(silu(1)).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
  });
  test('RoPE: identity at position 0; rotates pair (0, 2) of a 4-wide head by p·θ^0 and (1, 3) by p·θ^(-1/2)', () => {
    const x0 = f32([1, 2, 3, 4]);
    ropeInPlace(x0, 1, 0, 1, 4, 100);
    expect(Array.from(x0)).toEqual([1, 2, 3, 4]);
    const x = f32([1, 2, 3, 4]);
    ropeInPlace(x, 1, 2, 1, 4, 100); // position 2: angles 2 and 2/10
    expect(x[0]).toBeCloseTo(1 * Math.cos(2) - 3 * Math.sin(2), 6);
    expect(x[2]).toBeCloseTo(3 * Math.cos(2) + 1 * Math.sin(2), 6);
    expect(x[1]).toBeCloseTo(2 * Math.cos(0.2) - 4 * Math.sin(0.2), 6);
    expect(x[3]).toBeCloseTo(4 * Math.cos(0.2) + 2 * Math.sin(0.2), 6);
  });
  test('argmax takes the first maximum', () => {
    expect(argmax(f32([1, 5, 5, 2]))).toBe(1);
  });
});

describe('reference forward passes', () => {
  const enc: EncoderWorkloadSpec = { family: 'encoder', id: 's', role: 'specialized', seed: 3, model: BERT_TINY, inputTokens: 8, labels: 2 };
  const dec: DecoderWorkloadSpec = { family: 'decoder', id: 'g', role: 'general', seed: 3, model: TINY_DECODER, promptTokens: 6, outputTokens: 4 };

  test('encoder: one logits vector of `labels`, deterministic in the seed', () => {
    const a = referenceForward(enc);
    expect(a.logits.length).toBe(1);
    expect(a.logits[0]?.length).toBe(2);
    expect(a.tokens).toEqual([argmax(a.logits[0] ?? f32([]))]);
    expect(Array.from(referenceForward(enc).logits[0] ?? [])).toEqual(Array.from(a.logits[0] ?? []));
    expect(Array.from(referenceForward({ ...enc, seed: 4 }).logits[0] ?? [])).not.toEqual(Array.from(a.logits[0] ?? []));
  });
  test('encoder: bidirectional — changing the last token changes the first token\'s logits', () => {
    const a = referenceForward(enc);
    const ids = a.inputIds.slice();
    ids[7] = (ids[7] ?? 0) + 1;
    expect(Array.from(referenceForward(enc, { inputIds: ids }).logits[0] ?? [])).not.toEqual(Array.from(a.logits[0] ?? []));
  });
  test('decoder: the KV-cache path equals recomputing the whole sequence at every step', () => {
    const weights = synthWeights(TINY_DECODER, 3);
    const run = referenceForward(dec, { weights });
    expect(run.logits.length).toBe(4);
    expect(run.tokens.length).toBe(4);
    for (let s = 1; s < 4; s++) {
      // Prefill of prompt + the s tokens generated so far, minus the last one, gives step s's logits.
      const seq = new Uint32Array([...run.inputIds, ...run.tokens.slice(0, s)]);
      const fresh = referenceForward({ ...dec, promptTokens: seq.length, outputTokens: 1 }, { weights, inputIds: seq });
      const a = run.logits[s] ?? f32([]);
      const b = fresh.logits[0] ?? f32([]);
      let maxDiff = 0;
      for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
      expect(maxDiff).toBeLessThan(1e-5);
      expect(fresh.tokens[0]).toBe(run.tokens[s]);
    }
  });
});
