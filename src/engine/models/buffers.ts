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
 */
import type { Dispatch, PipelineCache } from '../dispatch.ts';
import { createWeightSynth } from '../ops/weight-synth.ts';
import type { WeightStorage } from '../ops/weight-storage.ts';
import { submitDispatches } from '../ops/submit.ts';
import { UniformPool } from '../ops/common.ts';
import { tensorElements, type TensorSpec } from '../weights.ts';
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
}

export interface GpuTensor {
  spec: TensorSpec;
  rows: number;
  cols: number;
  storage: WeightStorage;
  parts: TensorPart[];
}

/** Largest buffer that can also be bound whole as storage. */
export function bindingLimit(limits: GPUSupportedLimits): { bytes: number; name: string } {
  return limits.maxStorageBufferBindingSize <= limits.maxBufferSize
    ? { bytes: limits.maxStorageBufferBindingSize, name: 'maxStorageBufferBindingSize' }
    : { bytes: limits.maxBufferSize, name: 'maxBufferSize' };
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
  private allocatedBytes = 0;

  constructor(
    readonly device: GPUDevice,
    readonly model: string,
    /** Pretend the binding limit is this small (tests exercise the split paths on tiny models). */
    private readonly limitOverride?: number,
  ) {}

  get limit(): { bytes: number; name: string } {
    const real = bindingLimit(this.device.limits);
    return this.limitOverride !== undefined && this.limitOverride < real.bytes ? { bytes: this.limitOverride, name: `${real.name} (test override)` } : real;
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

  /** Plan every tensor first (throws before allocating anything), then allocate. */
  allocateWeights(specs: readonly TensorSpec[], splitAxis: (spec: TensorSpec) => SplitAxis, storageOf: (spec: TensorSpec) => WeightStorage = () => 'f32'): void {
    const limit = this.limit;
    const planned = specs.map((spec) => {
      const rows = spec.shape.length >= 2 ? spec.shape[0]! : 1;
      const cols = spec.shape.length >= 2 ? tensorElements(spec) / rows : tensorElements(spec);
      const storage = storageOf(spec);
      const e = storage === 'f16' ? 2 : 4;
      return { spec, rows, cols, storage, e, plans: planParts(this.model, spec.name, rows, cols, splitAxis(spec), limit, e) };
    });
    for (const { spec, rows, cols, storage, e, plans } of planned) {
      const parts = plans.map((p, i) => ({
        ...p,
        storage,
        buffer: this.storage(plans.length > 1 ? `${spec.name}[${i}]` : spec.name, e * p.rowCount * p.colCount),
      }));
      this.tensors.set(spec.name, { spec, rows, cols, storage, parts });
    }
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
  }
}
