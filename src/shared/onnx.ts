/**
 * What the page and the lab worker share about a user ONNX model: the graph summary the page
 * shows, the options and progress of a measurement, its named errors, and the dynamic-dimension
 * arithmetic the settings form needs. Pure (no ort, no DOM): the page imports it without pulling
 * the engine into its bundle. See docs/ARCHITECTURE.md for the layers.
 */

/** The bytes are not a model ort can load (not ONNX, truncated, unsupported opset or operator). */
export class OnnxLoadError extends Error {
  override name = 'OnnxLoadError';
}

/** The model loaded but a run failed (unsupported input, out of memory, an EP kernel error). */
export class OnnxRunError extends Error {
  override name = 'OnnxRunError';
}

/** A dimension: a size, a symbolic name (dynamic axis) or unknown (null). */
export type OnnxDimInfo = number | string | null;

export interface OnnxValueInfo {
  name: string;
  /** TensorProto.DataType; 0 when not a tensor. */
  elemType: number;
  /** ort's name for the element type ('float32', 'int64', …). */
  type: string;
  /** null when the rank is not declared. */
  dims: OnnxDimInfo[] | null;
}

export interface OnnxGraphInfo {
  graphName: string;
  producer: string;
  irVersion: number;
  /** Default-domain opset version (null when not declared). */
  opset: number | null;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodes: number;
  ops: Record<string, number>;
  initializerBytes: number;
  /** Weights stored outside the file (models > 2 GB): cannot be loaded from one file. */
  externalData: boolean;
}

export type OnnxEp = 'webgpu' | 'wasm';

export interface OnnxMeasureOptions {
  ep: OnnxEp;
  warmup: number;
  samples: number;
  /** Concrete shape per input name (dynamic dims); default batch 1, sequence 64. */
  inputShapes?: Record<string, number[]>;
  seed?: number;
  /** Label when the graph has no name (the file name, say). */
  name?: string;
}

export interface OnnxProgress {
  phase: 'load' | 'warmup' | 'measure';
  sample?: number;
  samples?: number;
  /** The sample just taken (measure phase), for a live chart. */
  ms?: number;
}

// ---------------------------------------------------------------------------------------------
// Dynamic dimensions.

export const DEFAULT_BATCH = 1;
export const DEFAULT_SEQUENCE = 64;
/** A KV cache length ("past_sequence_length"): empty by default, so "total = past + sequence" holds. */
export const DEFAULT_PAST = 0;

/**
 * An editable dynamic dimension: a symbolic name (one field for every input that uses it, e.g.
 * "batch_size" in input_ids and attention_mask) or an unnamed dynamic axis of one input.
 * Symbols that are expressions of others ("past_sequence_length + 1") are computed, not edited.
 */
export interface DynamicDim {
  key: string;
  label: string;
  default: number;
}

function dimKey(input: string, axis: number, d: OnnxDimInfo): string | null {
  if (typeof d === 'number' && d > 0) return null;
  return typeof d === 'string' && d.trim() !== '' ? `sym:${d}` : `${input}#${axis}`;
}

/** "a + b * 2 - 1" over known symbols and integers; null when a term is unknown or it is a plain name. */
export function evalDimExpr(expr: string, symbols: ReadonlyMap<string, number>): number | null {
  if (!/[+*-]/.test(expr.replace(/^\s*-/, ''))) return null;
  const parts = expr.split(/([+-])/);
  let total = 0;
  for (const [i, term] of parts.entries()) {
    if (i % 2 === 1) continue;
    const sign = i > 0 && parts[i - 1] === '-' ? -1 : 1;
    let product = 1;
    for (const factor of term.split('*').map((f) => f.trim())) {
      const v = /^\d+$/.test(factor) ? Number(factor) : symbols.get(factor);
      if (v === undefined) return null;
      product *= v;
    }
    total += sign * product;
  }
  return total;
}

const isExpression = (d: OnnxDimInfo): boolean => typeof d === 'string' && /[+*]|\s-\s/.test(d);

export function dynamicDims(inputs: readonly OnnxValueInfo[]): DynamicDim[] {
  const fields = new Map<string, DynamicDim>();
  for (const inp of inputs) {
    inp.dims?.forEach((d, axis) => {
      const key = dimKey(inp.name, axis, d);
      if (!key || isExpression(d)) return;
      const name = typeof d === 'string' && d.trim() !== '' ? d : `${inp.name}[${axis}]`;
      const def = axis === 0 ? DEFAULT_BATCH : /past/i.test(name) ? DEFAULT_PAST : DEFAULT_SEQUENCE;
      const prev = fields.get(key);
      // A symbol seen on axis 0 anywhere is a batch size.
      if (!prev) fields.set(key, { key, label: name, default: def });
      else if (axis === 0) prev.default = DEFAULT_BATCH;
    });
  }
  return [...fields.values()];
}

/** Concrete shapes from the chosen dynamic dims (`values` by DynamicDim.key, defaults elsewhere). */
export function shapesForDims(inputs: readonly OnnxValueInfo[], values: Readonly<Record<string, number>> = {}): Record<string, number[]> {
  const fields = dynamicDims(inputs);
  const chosen = new Map(fields.map((f) => [f.key, values[f.key] ?? f.default]));
  const symbols = new Map<string, number>();
  for (const [k, v] of chosen) if (k.startsWith('sym:')) symbols.set(k.slice(4), v);
  const out: Record<string, number[]> = {};
  for (const inp of inputs) {
    if (!inp.dims) continue;
    out[inp.name] = inp.dims.map((d, axis) => {
      if (typeof d === 'string' && isExpression(d)) {
        const v = evalDimExpr(d, symbols);
        if (v === null || v < 0) throw new OnnxRunError(`Input “${inp.name}”: cannot compute dimension “${d}” from the others.`);
        return v;
      }
      const key = dimKey(inp.name, axis, d);
      return key ? chosen.get(key)! : (d as number);
    });
  }
  return out;
}

/**
 * Concrete shape of each input: `inputShapes[name]` when given (rank and fixed dims must match),
 * else the declared dims with dynamic ones at their defaults (batch 1, past 0, sequence 64).
 */
export function resolveInputShapes(inputs: readonly OnnxValueInfo[], inputShapes: Record<string, number[]> = {}): Record<string, number[]> {
  const defaults = shapesForDims(inputs.filter((inp) => !inputShapes[inp.name]));
  const out: Record<string, number[]> = {};
  for (const inp of inputs) {
    const given = inputShapes[inp.name];
    if (given) {
      if (inp.dims && given.length !== inp.dims.length) {
        throw new OnnxRunError(`Input “${inp.name}” has rank ${inp.dims.length}; the shape given, [${given.join(', ')}], has rank ${given.length}.`);
      }
      if (!given.every((d) => Number.isInteger(d) && d >= 0)) throw new OnnxRunError(`Input “${inp.name}”: dimensions must be whole numbers ≥ 0.`);
      inp.dims?.forEach((d, i) => {
        if (typeof d === 'number' && d > 0 && given[i] !== d) throw new OnnxRunError(`Input “${inp.name}”: dimension ${i} is fixed to ${d} by the model.`);
      });
      out[inp.name] = [...given];
      continue;
    }
    const shape = defaults[inp.name];
    if (!shape) throw new OnnxRunError(`Input “${inp.name}” declares no shape: give one.`);
    out[inp.name] = shape;
  }
  return out;
}

/** `onnx:<name>` within the result schema's identifier alphabet (A-Z a-z 0-9 ._:@/+-, ≤ 64). */
export function workloadId(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._:@/+-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  return `onnx:${safe}`.slice(0, 64);
}
