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
import { gemmShapeKey } from '../../shared/tuning.ts';

export interface GemmTuningShape {
  m: number;
  n: number;
  k: number;
  /** Dispatches of this shape in one query of the plan (all models together). */
  count: number;
  /** Whether any model stores this product's weights in f16 (when the device has shader-f16). */
  f16: boolean;
}

export interface GemvTuningShape {
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

class ShapeTally {
  private readonly gemm = new Map<string, GemmTuningShape>();
  private readonly gemv = new Map<string, GemvTuningShape>();
  constructor(private readonly f16: boolean) {}

  /** y[m×n] = x[m×k]·W: `times` dispatches of it per query. */
  linear(m: number, k: number, n: number, times: number, layout: 'kn' | 'nk' = 'kn'): void {
    if (times <= 0) return;
    if (m === 1) {
      const key = `${gemvShapeKey({ n, k })}:${layout}`;
      const s = this.gemv.get(key) ?? { n, k, layout, count: 0, f16: false };
      s.count += times;
      s.f16 ||= this.f16;
      this.gemv.set(key, s);
      return;
    }
    const key = gemmShapeKey(m, n, k);
    const s = this.gemm.get(key) ?? { m, n, k, count: 0, f16: false };
    s.count += times;
    s.f16 ||= this.f16;
    this.gemm.set(key, s);
  }

  into(out: TuningShapes): void {
    for (const s of this.gemm.values()) merge(out.gemm, s, (a) => gemmShapeKey(a.m, a.n, a.k));
    for (const s of this.gemv.values()) merge(out.gemv, s, (a) => `${gemvShapeKey(a)}:${a.layout}`);
  }
}

function merge<T extends { count: number; f16: boolean }>(list: T[], s: T, key: (x: T) => string): void {
  const at = list.find((x) => key(x) === key(s));
  if (!at) list.push({ ...s });
  else {
    at.count += s.count;
    at.f16 ||= s.f16;
  }
}

function encoderShapes(spec: Extract<ModelWorkloadSpec, { family: 'encoder' }>, t: ShapeTally): void {
  const c = spec.model;
  const T = spec.inputTokens;
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const L = c.layers;
  t.linear(T, d, q + 2 * kv, L); // fused Q/K/V
  t.linear(T, q, d, L); // output projection (+ residual)
  t.linear(T, d, c.ffn, L); // FFN up (+ GELU)
  t.linear(T, c.ffn, d, L); // FFN down (+ residual)
  // Classifier head on the first token: two GEMVs.
  t.linear(1, d, d, 1);
  t.linear(1, d, c.labels, 1);
}

function decoderShapes(spec: Extract<ModelWorkloadSpec, { family: 'decoder' }>, t: ShapeTally): void {
  const c = spec.model;
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const L = c.layers;
  const head: 'kn' | 'nk' = c.tiedEmbeddings ? 'nk' : 'kn';
  // One pass over m positions, `times` times per query (the prefill once, decode steps m = 1).
  const pass = (m: number, times: number): void => {
    t.linear(m, d, q + 2 * kv, L * times);
    t.linear(m, q, d, L * times);
    t.linear(m, d, 2 * c.ffn, L * times);
    t.linear(m, c.ffn, d, L * times);
    // The LM head runs on the last position only.
    t.linear(1, d, c.vocab, times, head);
  };
  pass(spec.promptTokens, 1);
  pass(1, Math.max(0, spec.outputTokens - 1));
}

/** Every distinct linear shape of the plan's models, with its dispatches per query. */
export function tuningShapes(models: readonly ModelWorkloadSpec[]): TuningShapes {
  const out: TuningShapes = { gemm: [], gemv: [] };
  for (const spec of models) {
    const t = new ShapeTally(spec.model.dtype === 'f16');
    switch (spec.family) {
      case 'encoder':
        encoderShapes(spec, t);
        break;
      case 'decoder':
        decoderShapes(spec, t);
        break;
    }
    t.into(out);
  }
  return out;
}
