/**
 * GPU memory of a model: weights synthesized in place (kernels/weight-synth) from the tensor list
 * of weights.ts, activations and KV cache. Sizes are checked against the device's limits before
 * anything is allocated, so a model that cannot fit fails with a message that names the model,
 * the tensor and the limit, and says what to do (a smaller preset) — not with a lost device.
 *
 * Tensors larger than one binding are split: the token embedding by row ranges
 * (the embedding gather and the tied LM head visit each range), an untied LM head [hidden,
 * vocab] by column blocks (each block is its own [hidden, cols] matrix; the gemv of a block
 * writes its slice of the logits). Any other tensor over the limit is an error.
 *
 * Fused tensors: each layer's Q, K and V weights (and biases) are written side by side into one
 * [hidden, q + k + v] buffer, so the three projections run as one product (one dispatch instead
 * of three); a LayerNorm's gamma and beta share one [2, d] buffer (normGroups). The values are the per-tensor synthesized ones (kernels/weight-synth places each
 * block at its column offset), so results do not change. A group that would not fit one binding,
 * or that f16 packing cannot place (odd column counts), stays as separate tensors (groupFuses: the
 * same rule lists the tuner's shapes, so it times the products that run).
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import { createWeightSynth } from '../ops/weight-synth.ts';
import { precisionOf, type ProductPrecision, type WeightStorage } from '../ops/weight-storage.ts';
import { submitDispatches } from '../ops/submit.ts';
import { UniformPool } from '../ops/common.ts';
import { tensorElements, type TensorSpec } from '../weights.ts';
import type { ModelWorkloadSpec } from './config.ts';
import { ModelTooLargeError } from '../errors.ts';


/** How a tensor may be cut when it exceeds one binding. */
export type SplitAxis = 'rows' | 'cols' | 'none';

/** One buffer of a tensor: rows [rowStart, +rowCount) × cols [colStart, +colCount), row-major. */
export interface TensorPart {
  buffer: GPUBuffer;
  rowStart: number;
  rowCount: number;
  colStart: number;
  colCount: number;
  /** f16 parts hold two halves per u32 word. */
  storage: WeightStorage;
  /** The products' multiplies over this part: f16 only for f16 parts of an f16-compute model. */
  precision: ProductPrecision;
}

export interface GpuTensor {
  spec: TensorSpec;
  rows: number;
  cols: number;
  storage: WeightStorage;
  parts: TensorPart[];
}

/** Tensors stored side by side in one [rows, Σ cols] buffer, run as one product. */
export interface FusedTensor {
  name: string;
  rows: number;
  cols: number;
  storage: WeightStorage;
  buffer: GPUBuffer;
  members: { spec: TensorSpec; colStart: number; cols: number }[];
}

export interface FusionGroup {
  name: string;
  members: string[];
  /** Fused only if this other group is (a bias goes with its weight: the product needs both or neither). */
  with?: string;
}

/**
 * The groups a model fuses: per layer, Q/K/V weights → `layers.N.attn.qkv.weight` (biases →
 * `.qkv.bias`), and a gated FFN's gate and up weights → `layers.N.ffn.gateUp.weight`.
 */
export function fusionGroups(specs: readonly TensorSpec[]): FusionGroup[] {
  const names = new Set(specs.map((s) => s.name));
  const groups: FusionGroup[] = [];
  for (const s of specs) {
    const m = /^layers\.(\d+)\.attn\.q\.(weight|bias)$/.exec(s.name);
    if (!m) continue;
    const members = ['q', 'k', 'v'].map((x) => `layers.${m[1]}.attn.${x}.${m[2]}`);
    if (members.every((n) => names.has(n))) groups.push({ name: `layers.${m[1]}.attn.qkv.${m[2]}`, members, ...(m[2] === 'bias' ? { with: `layers.${m[1]}.attn.qkv.weight` } : {}) });
  }
  for (const s of specs) {
    const m = /^layers\.(\d+)\.ffn\.gate\.weight$/.exec(s.name);
    const up = m && `layers.${m[1]}.ffn.up.weight`;
    if (m && up && names.has(up)) groups.push({ name: `layers.${m[1]}.ffn.gateUp.weight`, members: [s.name, up] });
  }
  return groups;
}

/**
 * A LayerNorm's gamma and beta side by side, `X.norm.gammaBeta` = [gamma | beta] ([2, d] in
 * memory): the product prologue and the normalized-residual epilogue read a norm through one
 * binding each (a gemm already binds 7 storage buffers of WebGPU's default 8). RMSNorms have no beta.
 */
export function normGroups(specs: readonly TensorSpec[]): FusionGroup[] {
  const names = new Set(specs.map((s) => s.name));
  const groups: FusionGroup[] = [];
  for (const s of specs) {
    const m = /^(.*\.norm)\.gamma$/.exec(s.name);
    if (m && names.has(`${m[1]}.beta`)) groups.push({ name: `${m[1]}.gammaBeta`, members: [s.name, `${m[1]}.beta`] });
  }
  return groups;
}

/** A tensor as the fusion predicate sees it: [rows, cols] (a vector is one row) and its storage. */
export interface FusionMember {
  rows: number;
  cols: number;
  storage: WeightStorage;
}

/** A tensor's [rows, cols]: its first dimension by the rest, a vector as one row. */
export function matrixShape(spec: TensorSpec): { rows: number; cols: number } {
  const rows = spec.shape.length >= 2 ? spec.shape[0]! : 1;
  return { rows, cols: spec.shape.length >= 2 ? tensorElements(spec) / rows : tensorElements(spec) };
}

/**
 * Whether a group's members can share one [rows, Σ cols] buffer, the one rule for allocation and
 * for the tuner's shapes (tuning/shapes.ts lists the products the model will dispatch): same
 * storage and rows, f16 blocks on whole u32 words (two halves per word: even column counts), and
 * the whole block within one storage binding (`limitBytes`).
 */
export function groupFuses(members: readonly FusionMember[], limitBytes: number): boolean {
  const first = members[0];
  if (!first) return false;
  const storage = first.storage;
  const sameKind = members.every((m) => m.storage === storage && m.rows === first.rows);
  // f16 packs two halves per u32: every block must start and end on a word.
  const packable = storage === 'f32' || members.every((m) => m.cols % 2 === 0);
  const cols = members.reduce((sum, m) => sum + m.cols, 0);
  const fits = (storage === 'f16' ? 2 : 4) * first.rows * cols <= limitBytes;
  return sameKind && packable && fits;
}

/**
 * The groups that fuse, in allocation order (a group that goes `with` another after it, and only
 * if that one fuses). Pure: allocateWeights and the tuner's shape walk both ask it.
 */
export function fusedGroups(
  specs: readonly TensorSpec[],
  storageOf: (spec: TensorSpec) => WeightStorage,
  limitBytes: number,
  groups: readonly FusionGroup[] = [...fusionGroups(specs), ...normGroups(specs)],
): FusionGroup[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const done = new Set<string>();
  const out: FusionGroup[] = [];
  for (const group of [...groups.filter((g) => !g.with), ...groups.filter((g) => g.with)]) {
    if (group.with !== undefined && !done.has(group.with)) continue;
    const members = group.members.map((n) => byName.get(n)).filter((s): s is TensorSpec => s !== undefined);
    if (members.length !== group.members.length) continue;
    if (!groupFuses(members.map((m) => ({ ...matrixShape(m), storage: storageOf(m) })), limitBytes)) continue;
    done.add(group.name);
    out.push(group);
  }
  return out;
}

/**
 * Element offsets of Q [rows, qd], K [kvRows, kvd] and V [kvRows, kvd] in one buffer, each block
 * starting on the device's storage binding-offset alignment (so each can be bound as a slice).
 */
export function qkvBlocks(device: GPUDevice, rows: number, qd: number, kvd: number, kvRows = rows): { q: { offset: number; elements: number }; k: { offset: number; elements: number }; v: { offset: number; elements: number }; elements: number } {
  const align = Math.max(4, device.limits.minStorageBufferOffsetAlignment / 4);
  const up = (x: number): number => Math.ceil(x / align) * align;
  const q = { offset: 0, elements: rows * qd };
  const k = { offset: up(q.elements), elements: kvRows * kvd };
  const v = { offset: k.offset + up(k.elements), elements: kvRows * kvd };
  return { q, k, v, elements: v.offset + v.elements };
}

/**
 * A decoder layer's buffer: Q [rows, qd] and the new rows' K [rows, kvd] as projected (before
 * RoPE), then the K and V caches [positions, kvd]; each block on the binding-offset alignment.
 * The attention-rope kernel rotates the new K rows into the K cache (see its WGSL).
 */
export function decoderLayerBlocks(device: GPUDevice, rows: number, qd: number, kvd: number, positions: number): { q: Block; kNew: Block; k: Block; v: Block; elements: number } {
  const align = Math.max(4, device.limits.minStorageBufferOffsetAlignment / 4);
  const up = (x: number): number => Math.ceil(x / align) * align;
  const q = { offset: 0, elements: rows * qd };
  const kNew = { offset: up(q.elements), elements: rows * kvd };
  const k = { offset: kNew.offset + up(kNew.elements), elements: positions * kvd };
  const v = { offset: k.offset + up(k.elements), elements: positions * kvd };
  return { q, kNew, k, v, elements: v.offset + v.elements };
}

interface Block {
  offset: number;
  elements: number;
}

/** Largest buffer that can also be bound whole as storage. */
/**
 * Which tensors are stored as f16 when the runner runs in f16: the matrices (linear weights, the
 * token embedding, an untied LM head), which are nearly all of the bytes. Vectors (norm gains,
 * biases) and the learned position table (added in f32 by the gather) stay f32.
 */
export function storageFor(dtype: 'f32' | 'f16'): (spec: TensorSpec) => WeightStorage {
  return (spec) => (dtype === 'f16' && spec.shape.length === 2 && spec.name !== 'embed.positions' ? 'f16' : 'f32');
}

/**
 * Whether a model runs in f16 (f16 weights, f16 products): asked for (the runner's `preferF16`, or
 * the config's dtype as presets set it) and the device has shader-f16. The runner decides its
 * dtype with it, and the autotuner its shapes, so both see the same products.
 */
export function runsF16(device: GPUDevice, spec: ModelWorkloadSpec, preferF16: boolean | undefined): boolean {
  return (preferF16 === true || spec.model.dtype === 'f16') && device.features.has('shader-f16');
}

/** Which tensors may be split when larger than one binding (planParts). */
export function splitAxis(spec: TensorSpec): SplitAxis {
  if (spec.name === 'embed.tokens') return 'rows';
  if (spec.name === 'lmHead.weight') return 'cols';
  return 'none';
}

export function bindingLimit(limits: GPUSupportedLimits): { bytes: number; name: string } {
  return limits.maxStorageBufferBindingSize <= limits.maxBufferSize
    ? { bytes: limits.maxStorageBufferBindingSize, name: 'maxStorageBufferBindingSize' }
    : { bytes: limits.maxBufferSize, name: 'maxBufferSize' };
}

/** The binding limit a model is planned against: the device's, or a test's override when lower. */
export function effectiveBindingLimit(limits: GPUSupportedLimits, override?: number): { bytes: number; name: string } {
  const real = bindingLimit(limits);
  return override !== undefined && override < real.bytes ? { bytes: override, name: `${real.name} (test override)` } : real;
}

export interface PartPlan {
  rowStart: number;
  rowCount: number;
  colStart: number;
  colCount: number;
}

/**
 * Pure planning (unit-testable): the parts of a [rows, cols] tensor of `bytesPerElement` under
 * the limit. Column blocks stay multiples of 4 columns (the vec4 gemv path) whenever possible.
 */
export function planParts(
  model: string,
  name: string,
  rows: number,
  cols: number,
  axis: SplitAxis,
  limit: { bytes: number; name: string },
  bytesPerElement = 4,
): PartPlan[] {
  const e = bytesPerElement;
  const total = e * rows * cols;
  if (total <= limit.bytes) return [{ rowStart: 0, rowCount: rows, colStart: 0, colCount: cols }];
  switch (axis) {
    case 'none':
      throw new ModelTooLargeError(model, name, limit.name, limit.bytes, total);
    case 'rows': {
      const perPart = Math.floor(limit.bytes / (e * cols));
      if (perPart < 1) throw new ModelTooLargeError(model, `${name} (one row)`, limit.name, limit.bytes, e * cols);
      const parts: PartPlan[] = [];
      for (let r = 0; r < rows; r += perPart) parts.push({ rowStart: r, rowCount: Math.min(perPart, rows - r), colStart: 0, colCount: cols });
      return parts;
    }
    case 'cols': {
      let perPart = Math.floor(limit.bytes / (e * rows));
      if (perPart >= 4) perPart -= perPart % 4;
      if (perPart < 1) throw new ModelTooLargeError(model, `${name} (one column)`, limit.name, limit.bytes, e * rows);
      const parts: PartPlan[] = [];
      for (let c = 0; c < cols; c += perPart) parts.push({ rowStart: 0, rowCount: rows, colStart: c, colCount: Math.min(perPart, cols - c) });
      return parts;
    }
  }
}

/** Owns every buffer of one model instance; `destroy` frees them all. */
export class ModelBuffers {
  private readonly owned: GPUBuffer[] = [];
  /** Uniform buffers created by the ops, shared when identical; destroyed with the model. */
  readonly resources = new UniformPool();
  readonly tensors = new Map<string, GpuTensor>();
  readonly fusedTensors = new Map<string, FusedTensor>();
  private allocatedBytes = 0;

  constructor(
    readonly device: GPUDevice,
    readonly model: string,
    /** Pretend the binding limit is this small (tests exercise the split paths on tiny models). */
    private readonly limitOverride?: number,
    /** The products' multiplies over f16-stored weights (the runner's choice; f32 weights multiply in f32). */
    readonly precision: ProductPrecision = 'f32',
  ) {}

  get limit(): { bytes: number; name: string } {
    return effectiveBindingLimit(this.device.limits, this.limitOverride);
  }

  /** A storage buffer for activations / KV cache / ids, checked against the limit first. */
  storage(name: string, bytes: number, extraUsage = 0): GPUBuffer {
    // Multiples of 16 bytes: vec4<f32> / vec2<u32> views of the buffer see whole elements.
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    const limit = this.limit;
    if (size > limit.bytes) throw new ModelTooLargeError(this.model, name, limit.name, limit.bytes, size);
    const buffer = this.device.createBuffer({
      label: `Model(${this.model}).${name}`,
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extraUsage,
    });
    this.owned.push(buffer);
    this.allocatedBytes += size;
    return buffer;
  }

  /**
   * Plan every tensor first (throws before allocating anything), then allocate. Members of a
   * fusion group that fits one binding share one buffer (see FusedTensor); the others get their own.
   */
  allocateWeights(
    specs: readonly TensorSpec[],
    splitAxis: (spec: TensorSpec) => SplitAxis,
    storageOf: (spec: TensorSpec) => WeightStorage = () => 'f32',
    groups: readonly FusionGroup[] = [...fusionGroups(specs), ...normGroups(specs)],
  ): void {
    const limit = this.limit;
    const byName = new Map(specs.map((s) => [s.name, s]));
    const fused: { group: FusionGroup; rows: number; cols: number; storage: WeightStorage; members: { spec: TensorSpec; colStart: number; cols: number }[] }[] = [];
    const inFused = new Set<string>();
    for (const group of fusedGroups(specs, storageOf, limit.bytes, groups)) {
      const members = group.members.map((n) => byName.get(n)!);
      const storage = storageOf(members[0]!);
      const rows = matrixShape(members[0]!).rows;
      let colStart = 0;
      const placed = members.map((spec) => {
        const p = { spec, colStart, cols: matrixShape(spec).cols };
        colStart += p.cols;
        return p;
      });
      fused.push({ group, rows, cols: colStart, storage, members: placed });
      for (const m of members) inFused.add(m.name);
    }
    const planned = specs.filter((spec) => !inFused.has(spec.name)).map((spec) => {
      const { rows, cols } = matrixShape(spec);
      const storage = storageOf(spec);
      const e = storage === 'f16' ? 2 : 4;
      return { spec, rows, cols, storage, e, plans: planParts(this.model, spec.name, rows, cols, splitAxis(spec), limit, e) };
    });
    for (const { spec, rows, cols, storage, e, plans } of planned) {
      const parts = plans.map((p, i) => ({
        ...p,
        storage,
        precision: precisionOf(storage, this.precision),
        buffer: this.storage(plans.length > 1 ? `${spec.name}[${i}]` : spec.name, e * p.rowCount * p.colCount),
      }));
      this.tensors.set(spec.name, { spec, rows, cols, storage, parts });
    }
    for (const f of fused) {
      const buffer = this.storage(f.group.name, (f.storage === 'f16' ? 2 : 4) * f.rows * f.cols);
      this.fusedTensors.set(f.group.name, { name: f.group.name, rows: f.rows, cols: f.cols, storage: f.storage, buffer, members: f.members });
    }
  }

  /** A fused tensor as one unsplit weight block, or undefined when the group was not fused. */
  fused(name: string): { block: { buffer: GPUBuffer; rowStart: number; rowCount: number; colStart: number; colCount: number; storage: WeightStorage; precision: ProductPrecision }; cols: number } | undefined {
    const f = this.fusedTensors.get(name);
    return f && { block: { buffer: f.buffer, rowStart: 0, rowCount: f.rows, colStart: 0, colCount: f.cols, storage: f.storage, precision: precisionOf(f.storage, this.precision) }, cols: f.cols };
  }

  /** Weight-synthesis dispatches for every allocated tensor (one per part). */
  synthesisDispatches(cache: PipelineCache, seed: number): Dispatch[] {
    const list: Dispatch[] = [];
    for (const t of this.tensors.values()) {
      t.parts.forEach((p, i) => {
        list.push(
          createWeightSynth(this.device, cache, {
            out: p.buffer,
            count: p.rowCount * p.colCount,
            seed,
            tensorId: t.spec.id,
            init: t.spec.init,
            scale: t.spec.scale,
            baseIndex: p.rowStart * t.cols + p.colStart,
            chunkCols: p.colCount,
            fullCols: t.cols,
            storage: t.storage,
            label: `Model(${this.model}).synth.${t.spec.name}${t.parts.length > 1 ? `[${i}]` : ''}`,
            resources: this.resources,
          }),
        );
      });
    }
    for (const f of this.fusedTensors.values()) {
      for (const m of f.members) {
        list.push(
          createWeightSynth(this.device, cache, {
            out: f.buffer,
            count: f.rows * m.cols,
            seed,
            tensorId: m.spec.id,
            init: m.spec.init,
            scale: m.spec.scale,
            chunkCols: m.cols,
            fullCols: m.cols,
            outCols: f.cols,
            outCol0: m.colStart,
            storage: f.storage,
            label: `Model(${this.model}).synth.${m.spec.name}`,
            resources: this.resources,
          }),
        );
      }
    }
    return list;
  }

  /** Synthesize all weights on the GPU (submitted in batches to keep command buffers modest). */
  synthesize(cache: PipelineCache, seed: number): void {
    const list = this.synthesisDispatches(cache, seed);
    for (let i = 0; i < list.length; i += 64) submitDispatches(this.device, list.slice(i, i + 64), `Model(${this.model}).synth`);
  }

  tensor(name: string): GpuTensor {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`${this.model}: no tensor ${name}`);
    return t;
  }

  /** The single buffer of an unsplit tensor. */
  buffer(name: string): GPUBuffer {
    const t = this.tensor(name);
    if (t.parts.length !== 1) throw new Error(`${this.model}: ${name} is split over ${t.parts.length} buffers`);
    return t.parts[0]!.buffer;
  }

  get bytes(): number {
    return this.allocatedBytes;
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.resources.destroy();
    this.owned.length = 0;
    this.tensors.clear();
    this.fusedTensors.clear();
  }
}
