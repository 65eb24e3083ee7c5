/**
 * Property check of flops.ts against a closed form written independently from the
 * convention of kernels/README.md, over random architectures and token counts.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { BERT_TINY, TINY_DECODER, parameterCount, type DecoderWorkloadSpec, type EncoderWorkloadSpec } from '../../src/engine/models/config.ts';
import { countQuery } from '../../src/engine/models/flops.ts';

const small = (max: number): fc.Arbitrary<number> => fc.integer({ min: 1, max });

describe('countQuery matches the closed form of the FLOP convention', () => {
  test('decoder: 2·(linear weights)·(tokens through them) + LM head on used positions + attention over attended keys', () => {
    fc.assert(
      fc.property(small(4), small(4), small(3), small(8), small(64), small(300), small(40), small(6), fc.boolean(), fc.boolean(),
        (layers, kvHeads, group, halfHeadDim, ffn, vocab, P, O, tied, bias) => {
          const heads = kvHeads * group;
          const headDim = 2 * halfHeadDim;
          const hidden = heads * headDim;
          const spec: DecoderWorkloadSpec = {
            family: 'decoder', id: 'g', role: 'general', seed: 1, promptTokens: P, outputTokens: O,
            model: { ...TINY_DECODER, layers, heads, kvHeads, headDim, hidden, ffn, vocab, tiedEmbeddings: tied, qkvBias: bias },
          };
          const S = O - 1;
          const q = heads * headDim;
          const kv = kvHeads * headDim;
          const linearPerToken = layers * (hidden * q + 2 * hidden * kv + q * hidden + 3 * hidden * ffn);
          const attendedKeys = (P * (P + 1)) / 2 + S * P + (S * (S + 1)) / 2;
          const expected = 2 * linearPerToken * (P + S) + 2 * hidden * vocab * (1 + S) + layers * 4 * heads * headDim * attendedKeys;
          const c = countQuery(spec);
          expect(c.matmulFlops).toBe(expected);
          expect(c.flops).toBeGreaterThan(expected);
          // Weights are read once per pass: at least (1 + S) times the non-embedding weights.
          const embeddingOnly = vocab * hidden;
          expect(c.bytes).toBeGreaterThanOrEqual(4 * (parameterCount(spec.model) - embeddingOnly) * (1 + S));
        }),
      { numRuns: 200 },
    );
  });
  test('encoder: every token through every layer, all T² pairs, head on one token', () => {
    fc.assert(
      fc.property(small(4), small(4), small(16), small(64), small(3), small(64), (layers, heads, headDim, ffn, labels, T) => {
        const hidden = heads * headDim;
        const spec: EncoderWorkloadSpec = {
          family: 'encoder', id: 's', role: 'specialized', seed: 1, inputTokens: T, labels,
          model: { ...BERT_TINY, layers, heads, kvHeads: heads, headDim, hidden, ffn, labels },
        };
        const expected = layers * (2 * T * (4 * hidden * hidden + 2 * hidden * ffn) + 4 * heads * headDim * T * T) + 2 * hidden * hidden + 2 * hidden * labels;
        expect(countQuery(spec).matmulFlops).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
