/**
 * The linear products a run will dispatch, read from the workload specs alone (no graph is
 * built): the same walk as models/flops.ts, which counts every projection of a query, kept here
 * as shapes. m > 1 runs the GEMM kernel (prefill, encoder), m = 1 the GEMV (decode, heads).
 *
 * Shapes assume the fused projections the builders use whenever the weights allow (Q/K/V in one
 * [hidden, q + 2·kv] product, the decoder's gate and up in one [hidden, 2·ffn]); a model whose
 * fused weight did not fit one binding runs unfused shapes, which are then simply not tuned (they
 * run the default). A weight split into column blocks (a very large LM head) is likewise tuned as
 * the whole product, which no dispatch runs: it is dropped by the byte cap (autotune.ts) anyway.
 */
import type { ModelWorkloadSpec } from '../models/config.ts';
import type { GemvActivation } from '../ops/gemv.ts';
import { gemmShapeKey, type TuningPrologue } from '../../shared/tuning.ts';

/**
 * What a product applies after the sum over K (gemm/gemv's epilogue): a bias, an activation, a
 * residual add — of the residual as stored, or LayerNorm-normalized (`residualNorm`, the post-LN
 * encoder). Timed with it, as the model runs it.
 */
export interface TuningEpilogue {
  bias: boolean;
  activation: GemvActivation;
  residual: boolean;
  /** The residual is added as LayerNorm(R) of its row (absent: as stored). */
  residualNorm?: true;
}

/**
 * How the model runs a product: the prologue it reads its input through (absent: none) and its
 * epilogue (absent: none). Candidates are timed and checked with these, so the choice is made on
 * the kernel that runs, not on the bare product (an RMSNorm prologue makes every split-K slice
 * compute its rows' statistics over the whole K, for instance).
 */
export interface TuningFusion {
  prologue?: TuningPrologue;
  epilogue?: TuningEpilogue;
}

export interface GemmTuningShape extends TuningFusion {
  m: number;
  n: number;
  k: number;
  /** Dispatches of this shape in one query of the plan (all models together). */
  count: number;
  /** Whether any model stores this product's weights in f16 (when the device has shader-f16). */
  f16: boolean;
}

export interface GemvTuningShape extends TuningFusion {
  n: number;
  k: number;
  /** 'kn': W [k, n]; 'nk': W [n, k] (the tied LM head reads embedding rows). */
  layout: 'kn' | 'nk';
  count: number;
  f16: boolean;
}

export interface TuningShapes {
  gemm: GemmTuningShape[];
  gemv: GemvTuningShape[];
}

/** The key of a GEMV shape in the trials: `1x${n}x${k}`. */
export const gemvShapeKey = (s: Pick<GemvTuningShape, 'n' | 'k'>): string => gemmShapeKey(1, s.n, s.k);

/** A product's fusion as the model runs it: absent fields are none. */
interface Fusion {
  prologue?: TuningPrologue;
  bias?: boolean;
  activation?: GemvActivation;
  residual?: boolean | 'normalized';
}

function tuningFusion(f: Fusion): TuningFusion {
  const epilogue: TuningEpilogue = {
    bias: f.bias ?? false, activation: f.activation ?? 'none', residual: (f.residual ?? false) !== false,
    ...(f.residual === 'normalized' ? { residualNorm: true as const } : {}),
  };
  const bare = !epilogue.bias && epilogue.activation === 'none' && !epilogue.residual;
  return { ...(f.prologue ? { prologue: f.prologue } : {}), ...(bare ? {} : { epilogue }) };
}

/** A fusion as a short key (cache keys, scratch reuse): `prologue|epilogue`, `-` for none. */
export const fusionKey = (f: TuningFusion): string =>
  `${f.prologue ?? '-'}|${f.epilogue ? `${+f.epilogue.bias}${f.epilogue.activation}${+f.epilogue.residual}${f.epilogue.residualNorm ? 'n' : ''}` : '-'}`;

/** One shape with the dispatches of each fusion it runs with. */
interface Tallied<S> {
  shape: S;
  variants: Map<string, { fusion: TuningFusion; count: number }>;
}

/**
 * The plan's products by shape. One shape is one tuning choice (KernelTuning is keyed by shape),
 * so when products of one shape run with different fusions, the shape is timed with the fusion
 * of most dispatches (the first seen on a tie).
 */
class ShapeTally {
  private readonly gemm = new Map<string, Tallied<Omit<GemmTuningShape, 'count'>>>();
  private readonly gemv = new Map<string, Tallied<Omit<GemvTuningShape, 'count'>>>();
  /** Whether the model being walked stores its weights in f16. */
  f16 = false;

  /** y[m×n] = x[m×k]·W: `times` dispatches of it per query, run with `fusion`. */
  linear(m: number, k: number, n: number, times: number, fusion: Fusion = {}, layout: 'kn' | 'nk' = 'kn'): void {
    if (times <= 0) return;
    if (m === 1) add(this.gemv, `${gemvShapeKey({ n, k })}:${layout}`, { n, k, layout, f16: false }, this.f16, tuningFusion(fusion), times);
    else add(this.gemm, gemmShapeKey(m, n, k), { m, n, k, f16: false }, this.f16, tuningFusion(fusion), times);
  }

  shapes(): TuningShapes {
    return { gemm: [...this.gemm.values()].map(resolve), gemv: [...this.gemv.values()].map(resolve) };
  }
}

function add<S extends { f16: boolean }>(map: Map<string, Tallied<S>>, key: string, shape: S, f16: boolean, fusion: TuningFusion, times: number): void {
  const t: Tallied<S> = map.get(key) ?? { shape, variants: new Map() };
  t.shape.f16 ||= f16;
  const fk = fusionKey(fusion);
  const v = t.variants.get(fk) ?? { fusion, count: 0 };
  v.count += times;
  t.variants.set(fk, v);
  map.set(key, t);
}

function resolve<S>(t: Tallied<S>): S & TuningFusion & { count: number } {
  let count = 0;
  let top: { fusion: TuningFusion; count: number } | null = null;
  for (const v of t.variants.values()) {
    count += v.count;
    if (!top || v.count > top.count) top = v;
  }
  return { ...t.shape, count, ...(top?.fusion ?? {}) };
}

function encoderShapes(spec: Extract<ModelWorkloadSpec, { family: 'encoder' }>, t: ShapeTally): void {
  const c = spec.model;
  const T = spec.inputTokens;
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const L = c.layers;
  // Post-LN: each LayerNorm runs in the prologue of the product that reads the state and in the
  // normalized-residual epilogue of the one that adds it back (models/encoder.ts).
  t.linear(T, d, q + 2 * kv, L, { prologue: 'layernorm', bias: true }); // fused Q/K/V
  t.linear(T, q, d, L, { bias: true, residual: 'normalized' }); // output projection
  t.linear(T, d, c.ffn, L, { prologue: 'layernorm', bias: true, activation: 'gelu' }); // FFN up
  t.linear(T, c.ffn, d, L, { bias: true, residual: 'normalized' }); // FFN down
  // Classifier head on the first token: two GEMVs, the first reading the last LayerNorm.
  t.linear(1, d, d, 1, { prologue: 'layernorm', bias: true, activation: c.preClassifier });
  t.linear(1, d, c.labels, 1, { bias: true });
}

function decoderShapes(spec: Extract<ModelWorkloadSpec, { family: 'decoder' }>, t: ShapeTally): void {
  const c = spec.model;
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const L = c.layers;
  const head: 'kn' | 'nk' = c.tiedEmbeddings ? 'nk' : 'kn';
  // One pass over m positions, `times` times per query (the prefill once, decode steps m = 1).
  // The norms and SwiGLU run in the prologue of the product after them, the residual adds in
  // the epilogues of the O and down projections (models/decoder.ts).
  const pass = (m: number, times: number): void => {
    t.linear(m, d, q + 2 * kv, L * times, { prologue: 'rmsnorm', bias: c.qkvBias });
    t.linear(m, q, d, L * times, { residual: true });
    t.linear(m, d, 2 * c.ffn, L * times, { prologue: 'rmsnorm' });
    t.linear(m, c.ffn, d, L * times, { prologue: 'swiglu', residual: true });
    // The LM head runs on the last position only, after the final norm.
    t.linear(1, d, c.vocab, times, { prologue: 'rmsnorm' }, head);
  };
  pass(spec.promptTokens, 1);
  pass(1, Math.max(0, spec.outputTokens - 1));
}

/** Every distinct linear shape of the plan's models, with its dispatches per query. */
export function tuningShapes(models: readonly ModelWorkloadSpec[]): TuningShapes {
  const t = new ShapeTally();
  for (const spec of models) {
    t.f16 = spec.model.dtype === 'f16';
    switch (spec.family) {
      case 'encoder':
        encoderShapes(spec, t);
        break;
      case 'decoder':
        decoderShapes(spec, t);
        break;
    }
  }
  return t.shapes();
}
