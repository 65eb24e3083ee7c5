/**
 * The linear products a run will dispatch, read from the workload specs alone (no graph is
 * built): the same walk as models/flops.ts, which counts every projection of a query, kept here
 * as shapes. m > 1 runs the GEMM kernel (prefill, encoder), m = 1 the GEMV (decode, heads).
 *
 * Which products run depends on the device too, and the walk asks the same rules as the model's
 * buffers (models/buffers.ts): Q/K/V run as one [hidden, q + 2·kv] product and the decoder's gate
 * and up as one [hidden, 2·ffn] only where `fusedGroups` fuses their weights (f16 storage needs
 * even column counts, the fused block must fit one storage binding), else as separate products;
 * a weight split into blocks (an LM head larger than one binding, `planParts`) runs one GEMV per
 * block. So the tuner times exactly what the runner dispatches (tests/unit/tuning-dispatch.test.ts).
 */
import type { ModelWorkloadSpec } from '../models/config.ts';
import type { GemvActivation } from '../ops/gemv.ts';
import { fusedGroups, matrixShape, planParts, splitAxis, storageFor } from '../models/buffers.ts';
import { modelTensors, type TensorSpec } from '../weights.ts';
import { ModelTooLargeError } from '../errors.ts';
import { gemmShapeKey, type TuningPrologue } from '../../shared/tuning.ts';
import { weightBytesPerElement } from '../ops/weight-storage.ts';

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
  /** Whether any model stores this product's weights in f16 (DispatchContext.f16: tuneForRun answers as the runner decides, shader-f16 included). */
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
export interface ProductFusion {
  prologue?: TuningPrologue;
  bias?: boolean;
  activation?: GemvActivation;
  residual?: boolean | 'normalized';
}

/** A fusion in the tuner's form (TuningFusion: a bare epilogue is none). */
export function tuningFusion(f: ProductFusion): TuningFusion {
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

/** One product a model dispatches, `times` per query: y[m×n] = x[m×k]·W, run with `fusion`. */
export interface LinearProduct {
  m: number;
  k: number;
  n: number;
  /** 'kn': W [k, n]; 'nk': W [n, k] (the tied LM head reads embedding rows). */
  layout: 'kn' | 'nk';
  /** Its weights are stored in f16. */
  f16: boolean;
  fusion: TuningFusion;
  times: number;
}

/**
 * What decides which products a model dispatches besides its config: the device's storage binding
 * limit (models/buffers.ts `bindingLimit`, or a test's override) and whether the runner stores the
 * model's matrices in f16 (its `dtype`, models/model-runner.ts).
 */
export interface DispatchContext {
  /** Bytes (default: no limit, so every group fuses and nothing is split). */
  bindingLimitBytes?: number;
  /** Default: the config's dtype is 'f16'. */
  f16?: (spec: ModelWorkloadSpec) => boolean;
}

/**
 * The plan's products by shape. One shape is one tuning choice (KernelTuning is keyed by shape),
 * so when products of one shape run with different fusions, the shape is timed with the fusion
 * of most dispatches (the first seen on a tie).
 */
function tally(products: readonly LinearProduct[]): TuningShapes {
  const gemm = new Map<string, Tallied<Omit<GemmTuningShape, 'count'>>>();
  const gemv = new Map<string, Tallied<Omit<GemvTuningShape, 'count'>>>();
  for (const { m, k, n, layout, f16, fusion, times } of products) {
    if (times <= 0) continue;
    if (m === 1) add(gemv, `${gemvShapeKey({ n, k })}:${layout}`, { n, k, layout, f16: false }, f16, fusion, times);
    else add(gemm, gemmShapeKey(m, n, k), { m, n, k, f16: false }, f16, fusion, times);
  }
  return { gemm: [...gemm.values()].map(resolve), gemv: [...gemv.values()].map(resolve) };
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

/** One model's walk: its weights' fusion and splits on this device, and where products go. */
class ModelWalk {
  readonly products: LinearProduct[] = [];
  private readonly fused: Set<string>;
  private readonly names: Set<string>;
  private readonly storageOf: (t: TensorSpec) => 'f32' | 'f16';
  private readonly byName: Map<string, TensorSpec>;

  constructor(
    private readonly spec: ModelWorkloadSpec,
    private readonly limitBytes: number,
    f16: boolean,
  ) {
    const tensors = modelTensors(spec.model);
    this.storageOf = storageFor(f16 ? 'f16' : 'f32');
    this.fused = new Set(fusedGroups(tensors, this.storageOf, limitBytes).map((g) => g.name));
    this.names = new Set(tensors.map((t) => t.name));
    this.byName = new Map(tensors.map((t) => [t.name, t]));
  }

  /** y[m×n] = x[m×k]·W, `times` per query, with the storage of the tensor `weight`. */
  linear(m: number, k: number, n: number, times: number, weight: string, fusion: ProductFusion = {}, layout: 'kn' | 'nk' = 'kn'): void {
    const t = this.byName.get(weight);
    this.products.push({ m, k, n, layout, f16: t !== undefined && this.storageOf(t) === 'f16', fusion: tuningFusion(fusion), times });
  }

  /** Layer l's Q/K/V weights (and biases, where the model has them) share one buffer (the builders' condition). */
  qkvFused(l: number): boolean {
    const p = `layers.${l}.attn`;
    return this.fused.has(`${p}.qkv.weight`) && (!this.names.has(`${p}.q.bias`) || this.fused.has(`${p}.qkv.bias`));
  }

  gateUpFused(l: number): boolean {
    return this.fused.has(`layers.${l}.ffn.gateUp.weight`);
  }

  /**
   * The output columns of each GEMV block of a weight split as the runner splits it (the tied
   * head's embedding by rows, an untied head by columns: buffers.ts splitAxis). A weight that
   * cannot be placed at all makes the run fail before any product; it is listed whole.
   */
  blocks(name: string): number[] {
    const t = this.byName.get(name);
    if (!t) return [];
    const { rows, cols } = matrixShape(t);
    const axis = splitAxis(t);
    try {
      const parts = planParts(this.spec.model.name, name, rows, cols, axis, { bytes: this.limitBytes, name: 'binding' }, weightBytesPerElement(this.storageOf(t)));
      return parts.map((p) => (axis === 'rows' ? p.rowCount : p.colCount));
    } catch (e) {
      if (e instanceof ModelTooLargeError) return [axis === 'rows' ? rows : cols];
      throw e;
    }
  }
}

function encoderProducts(spec: Extract<ModelWorkloadSpec, { family: 'encoder' }>, w: ModelWalk): void {
  const c = spec.model;
  const T = spec.inputTokens;
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  for (let l = 0; l < c.layers; l++) {
    const p = `layers.${l}`;
    // Post-LN: each LayerNorm runs in the prologue of the product that reads the state and in the
    // normalized-residual epilogue of the one that adds it back (models/encoder.ts). Unfused, each
    // of Q, K and V reads the state through the LayerNorm prologue.
    if (w.qkvFused(l)) w.linear(T, d, q + 2 * kv, 1, `${p}.attn.q.weight`, { prologue: 'layernorm', bias: true });
    else for (const [x, n] of [['q', q], ['k', kv], ['v', kv]] as const) w.linear(T, d, n, 1, `${p}.attn.${x}.weight`, { prologue: 'layernorm', bias: true });
    w.linear(T, q, d, 1, `${p}.attn.o.weight`, { bias: true, residual: 'normalized' }); // output projection
    w.linear(T, d, c.ffn, 1, `${p}.ffn.up.weight`, { prologue: 'layernorm', bias: true, activation: 'gelu' }); // FFN up
    w.linear(T, c.ffn, d, 1, `${p}.ffn.down.weight`, { bias: true, residual: 'normalized' }); // FFN down
  }
  // Classifier head on the first token: two GEMVs, the first reading the last LayerNorm.
  w.linear(1, d, d, 1, 'head.pre.weight', { prologue: 'layernorm', bias: true, activation: c.preClassifier });
  w.linear(1, d, c.labels, 1, 'head.classifier.weight', { bias: true });
}

function decoderProducts(spec: Extract<ModelWorkloadSpec, { family: 'decoder' }>, w: ModelWalk): void {
  const c = spec.model;
  const d = c.hidden;
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  const head = c.tiedEmbeddings
    ? { weight: 'embed.tokens', layout: 'nk' as const, blocks: w.blocks('embed.tokens') }
    : { weight: 'lmHead.weight', layout: 'kn' as const, blocks: w.blocks('lmHead.weight') };
  // One pass over m positions, `times` times per query (the prefill once, decode steps m = 1).
  // The norms and SwiGLU run in the prologue of the product after them, the residual adds in
  // the epilogues of the O and down projections (models/decoder.ts). Unfused Q/K/V or gate/up
  // read rows a separate RMSNorm dispatch normalized: no prologue.
  const pass = (m: number, times: number): void => {
    for (let l = 0; l < c.layers; l++) {
      const p = `layers.${l}`;
      if (w.qkvFused(l)) w.linear(m, d, q + 2 * kv, times, `${p}.attn.q.weight`, { prologue: 'rmsnorm', bias: c.qkvBias });
      else for (const [x, n] of [['q', q], ['k', kv], ['v', kv]] as const) w.linear(m, d, n, times, `${p}.attn.${x}.weight`, { bias: c.qkvBias });
      w.linear(m, q, d, times, `${p}.attn.o.weight`, { residual: true });
      if (w.gateUpFused(l)) w.linear(m, d, 2 * c.ffn, times, `${p}.ffn.gate.weight`, { prologue: 'rmsnorm' });
      else for (const x of ['gate', 'up'] as const) w.linear(m, d, c.ffn, times, `${p}.ffn.${x}.weight`);
      w.linear(m, c.ffn, d, times, `${p}.ffn.down.weight`, { prologue: 'swiglu', residual: true });
    }
    // The LM head runs on the last position only, after the final norm: one GEMV per block.
    for (const n of head.blocks) w.linear(1, d, n, times, head.weight, { prologue: 'rmsnorm' }, head.layout);
  };
  pass(spec.promptTokens, 1);
  pass(1, Math.max(0, spec.outputTokens - 1));
}

/** Every linear product of one model's query on a device like `ctx`, with its dispatches per query. */
export function modelProducts(spec: ModelWorkloadSpec, ctx: DispatchContext = {}): LinearProduct[] {
  const w = new ModelWalk(spec, ctx.bindingLimitBytes ?? Number.POSITIVE_INFINITY, ctx.f16 ? ctx.f16(spec) : spec.model.dtype === 'f16');
  switch (spec.family) {
    case 'encoder':
      encoderProducts(spec, w);
      break;
    case 'decoder':
      decoderProducts(spec, w);
      break;
  }
  return w.products;
}

/** Every distinct linear shape of the plan's models on a device like `ctx`, with its dispatches per query. */
export function tuningShapes(models: readonly ModelWorkloadSpec[], ctx: DispatchContext = {}): TuningShapes {
  return tally(models.flatMap((spec) => modelProducts(spec, ctx)));
}
