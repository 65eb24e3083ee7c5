/**
 * Dispatches per query of every preset's workloads, pinned: the small models are dispatch-bound
 * (each dispatch has a fixed cost on real drivers), so un-fusing a projection, an epilogue or the
 * Q/K/V or gate/up products must fail here. countQuery counts the dispatches the runners record
 * (tests/gpu/models.test.ts checks the runner against it on the tiny models): per encoder layer
 * fused Q/K/V, attention, O (+ residual), layernorm, FFN up (+ GELU), FFN down (+ residual),
 * layernorm = 7; per decoder layer and pass (attention RMSNorm +) fused Q/K/V, RoPE + attention
 * (one attention-rope dispatch), O (+ residual), (FFN RMSNorm +) fused gate/up, (SwiGLU +) down
 * (+ residual) = 5, the norms and SwiGLU running in the products' prologues; per pass embedding,
 * (final norm +) LM head and argmax.
 */
import { describe, expect, test } from 'vitest';
import { countQuery } from '../../src/engine/models/flops.ts';
import { resolveSuite } from '../../src/engine/models/presets.ts';
import { fusionGroups, normGroups } from '../../src/engine/models/buffers.ts';
import { modelTensors } from '../../src/engine/weights.ts';

/**
 * [encoder, decoder prefill, decoder per decode step, decoder total] per preset. Before fusion:
 * ci 27 / 32 / 32 / 128, quick 75 / 424 / 424 / 1696, paper 75 / 340 / 340 / 1360; with fused
 * epilogues and Q/K/V, gate/up but RoPE apart from attention: ci 17 / 22 / 22 / 88, quick
 * 45 / 274 / 274 / 1096, paper 45 / 220 / 220 / 880; with RoPE inside attention (8 per decoder
 * layer): ci 17 / 20 / 20 / 80, quick 45 / 244 / 244 / 976, paper 45 / 196 / 196 / 784; with the
 * decoder's norms and SwiGLU in prologues: encoder 17 (ci) and 45 (quick, paper), 7 per layer;
 * with the encoder's LayerNorms in prologues and normalized residuals (no embedding norm either),
 * 5 per layer: ci 12, quick and paper 32.
 */
const PINNED = {
  ci: [12, 13, 13, 52],
  quick: [32, 153, 153, 612],
  paper: [32, 123, 123, 492],
} as const;

describe('dispatches per query (fused graph)', () => {
  for (const [preset, [enc, prefill, step, total]] of Object.entries(PINNED) as [keyof typeof PINNED, readonly number[]][]) {
    test(preset, () => {
      const [e, d] = resolveSuite(preset).workloads.map(countQuery);
      expect(e!.phases.prefill.dispatches).toBe(enc);
      expect(e!.kernels.map((k) => k.name).sort()).toEqual(['attention', 'classifier', 'embedding', 'gemm']);
      // 5 per encoder layer, plus the embedding and the head (booked as one entry).
      expect(e!.phases.prefill.dispatches).toBe(5 * resolveSuite(preset).workloads[0]!.model.layers + 2);
      expect(d!.phases.prefill.dispatches).toBe(prefill);
      const dec = d!.phases.decode!;
      expect(dec.dispatches / dec.steps).toBe(step);
      expect(d!.phases.prefill.dispatches + dec.dispatches).toBe(total);
      expect(d!.kernels.some((k) => k.name === 'residual')).toBe(false);
      // RoPE runs inside the decoder's attention dispatch.
      expect(d!.kernels.map((k) => k.name)).toContain('attention-rope');
      expect(d!.kernels.some((k) => k.name === 'rope' || k.name === 'attention')).toBe(false);
      // The RMSNorms and SwiGLU run in the products' prologues.
      expect(d!.kernels.some((k) => k.name === 'rmsnorm' || k.name === 'swiglu')).toBe(false);
    });
  }

  test('each layer fuses its Q/K/V weights and biases, and a gated FFN its gate and up weights', () => {
    const [enc, dec] = resolveSuite('ci').workloads;
    const eg = fusionGroups(modelTensors(enc!.model));
    expect(eg.map((g) => g.name)).toEqual(['layers.0.attn.qkv.weight', 'layers.0.attn.qkv.bias', 'layers.1.attn.qkv.weight', 'layers.1.attn.qkv.bias']);
    expect(eg[0]!.members).toEqual(['layers.0.attn.q.weight', 'layers.0.attn.k.weight', 'layers.0.attn.v.weight']);
    expect(eg[1]!.with).toBe('layers.0.attn.qkv.weight');
    // A LayerNorm's gamma and beta share one [2, d] buffer (one binding for a prologue or a normalized residual).
    expect(normGroups(modelTensors(enc!.model)).map((g) => g.name)).toEqual([
      'embed.norm.gammaBeta', 'layers.0.attn.norm.gammaBeta', 'layers.0.ffn.norm.gammaBeta', 'layers.1.attn.norm.gammaBeta', 'layers.1.ffn.norm.gammaBeta',
    ]);
    expect(normGroups(modelTensors(dec!.model))).toEqual([]);
    const dg = fusionGroups(modelTensors(dec!.model)).map((g) => g.name);
    expect(dg).toContain('layers.1.ffn.gateUp.weight');
    expect(dg.filter((n) => n.endsWith('.qkv.weight'))).toHaveLength(dec!.model.layers);
  });
});
