/**
 * Measures a user-supplied ONNX model with onnxruntime-web (the `#/model` view, DESIGN.md §3/§7):
 * WebGPU execution provider, or WASM as the CPU reference, timed like our own workloads
 * (warm-up excluded, raw samples kept, stats from stats.ts) and recorded as a schema-v1 `Workload`.
 *
 * Runs inside the lab worker (no DOM). onnxruntime-web is imported dynamically inside
 * `measureOnnx`, so `inspectOnnx` (a pure protobuf walk the page uses to list inputs before a run)
 * can be imported on the main thread without pulling ort into the page bundle.
 *
 * Timing is wall clock per `session.run` (ort exposes no GPU timestamps), from feeding the inputs to
 * the outputs being back in JS memory: what an application calling the model would wait for.
 *
 * FLOPs: ort does not report them, so they are counted from the graph. Input shapes are concrete
 * once the dynamic dims are chosen, so a static shape inference (with constant folding of the
 * small int64 "shape arithmetic" subgraphs exporters emit: Shape → Gather/Slice → Concat →
 * Reshape) gives every MatMul/Gemm/Conv its operand shapes; the graph's own value_info, with
 * symbolic dims bound from the inputs, fills gaps. Counted: 2 FLOPs per multiply-add of MatMul,
 * Gemm, Conv and ConvTranspose (bias adds and element-wise work are not counted, unlike
 * engine/models/flops.ts: they are a few % at most and their cost depends on ort's fusions).
 * Checked offline against onnx's own shape inference on the 149 models of onnx's backend test
 * data (ResNet-50, VGG-19, DenseNet, Inception, PyTorch-converted layers): identical counts. When any such product's shape
 * cannot be inferred, or the graph holds products this count does not model (attention contrib
 * ops, Einsum, RNNs, quantized MatMul, control flow), `flops` is 0 and the timing carries the
 * flag `flops-unknown`: the type has no null here, and the UI says "not counted".
 * Bytes: weights (initializers and Constant nodes) read once per run + inputs + outputs, a lower
 * bound of traffic.
 */
import { mulberry32 } from '../../shared/prng.ts';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type * as Ort from 'onnxruntime-web';
import type { TimingRecord, Workload } from '../../shared/result.ts';
import { RunCancelledError, WebGpuUnavailableError } from '../errors.ts';
import { cleanDeltas, HIGH_CV, summarize } from '../stats.ts';
import { synthValues } from '../synth-cpu.ts';

// ---------------------------------------------------------------------------------------------
// Errors (they cross the worker boundary: the UI switches on `name`).

/** The bytes are not a model ort can load (not ONNX, truncated, unsupported opset or operator). */
export class OnnxLoadError extends Error {
  override name = 'OnnxLoadError';
}

/** The model loaded but a run failed (unsupported input, out of memory, an EP kernel error). */
export class OnnxRunError extends Error {
  override name = 'OnnxRunError';
}

// ---------------------------------------------------------------------------------------------
// A protobuf reader: only what the ONNX messages below need. Length-delimited fields are views
// into the input (raw_data of a 400 MB model is never copied).

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

class ProtoError extends Error {}

interface Field {
  no: number;
  wire: number;
  /** Varint / fixed value as a number (int64 above 2^53 rounded: only used for dims and clamps). */
  num: number;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();

function* fields(buf: Uint8Array): Generator<Field> {
  let p = 0;
  const varint = (): number => {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (p >= buf.length) throw new ProtoError('truncated varint');
      const b = buf[p++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if (!(b & 0x80)) {
        lo >>>= 0;
        // Negative int64 are ten-byte two's complement: a set top bit of `hi` means negative.
        return hi & 0x80000000 ? (hi - 0x100000000) * 0x100000000 + lo : (hi >>> 0) * 0x100000000 + lo;
      }
    }
    throw new ProtoError('varint longer than 10 bytes');
  };
  while (p < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (no === 0) throw new ProtoError('field number 0');
    switch (wire) {
      case WIRE_VARINT:
        yield { no, wire, num: varint(), bytes: EMPTY };
        break;
      case WIRE_I64: {
        if (p + 8 > buf.length) throw new ProtoError('truncated fixed64');
        const v = new DataView(buf.buffer, buf.byteOffset + p, 8).getFloat64(0, true);
        p += 8;
        yield { no, wire, num: v, bytes: EMPTY };
        break;
      }
      case WIRE_LEN: {
        const len = varint();
        if (len < 0 || p + len > buf.length) throw new ProtoError('length-delimited field past the end');
        const bytes = buf.subarray(p, p + len);
        p += len;
        yield { no, wire, num: len, bytes };
        break;
      }
      case WIRE_I32: {
        if (p + 4 > buf.length) throw new ProtoError('truncated fixed32');
        const v = new DataView(buf.buffer, buf.byteOffset + p, 4).getFloat32(0, true);
        p += 4;
        yield { no, wire, num: v, bytes: EMPTY };
        break;
      }
      default:
        throw new ProtoError(`unsupported wire type ${wire}`);
    }
  }
}

/** A repeated varint field, packed (wire 2) or not. */
function pushVarints(f: Field, out: number[]): void {
  if (f.wire === WIRE_VARINT) out.push(f.num);
  else if (f.wire === WIRE_LEN) for (const g of fields(packedAsVarints(f.bytes))) out.push(g.num);
}

/** Re-tags a packed varint payload as a sequence of field-1 varints so `fields` can read it. */
function packedAsVarints(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2);
  let o = 0;
  let start = true;
  for (const b of bytes) {
    if (start) out[o++] = 0x08; // field 1, varint
    out[o++] = b;
    start = !(b & 0x80);
  }
  return out.subarray(0, o);
}

function pushFloats(f: Field, out: number[]): void {
  if (f.wire === WIRE_I32) out.push(f.num);
  else if (f.wire === WIRE_LEN) {
    const dv = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    for (let i = 0; i + 4 <= f.bytes.length; i += 4) out.push(dv.getFloat32(i, true));
  }
}

// ---------------------------------------------------------------------------------------------
// ONNX messages (onnx/onnx.proto field numbers).

/** TensorProto.DataType → ort tensor type and element size. */
const ELEM: Record<number, { ort: string; bytes: number }> = {
  1: { ort: 'float32', bytes: 4 },
  2: { ort: 'uint8', bytes: 1 },
  3: { ort: 'int8', bytes: 1 },
  4: { ort: 'uint16', bytes: 2 },
  5: { ort: 'int16', bytes: 2 },
  6: { ort: 'int32', bytes: 4 },
  7: { ort: 'int64', bytes: 8 },
  8: { ort: 'string', bytes: 0 },
  9: { ort: 'bool', bytes: 1 },
  10: { ort: 'float16', bytes: 2 },
  11: { ort: 'float64', bytes: 8 },
  12: { ort: 'uint32', bytes: 4 },
  13: { ort: 'uint64', bytes: 8 },
  16: { ort: 'bfloat16', bytes: 2 },
  21: { ort: 'uint4', bytes: 0.5 },
  22: { ort: 'int4', bytes: 0.5 },
};
const INT_TYPES = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);

export function elemTypeName(t: number): string {
  return ELEM[t]?.ort ?? `type${t}`;
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

interface TensorInfo {
  name: string;
  dims: number[];
  elemType: number;
  /** Small numeric tensors only (≤ 64 elements), for constant folding of shape arithmetic. */
  values: number[] | null;
  external: boolean;
}

interface AttrInfo {
  i?: number;
  f?: number;
  s?: string;
  ints?: number[];
  floats?: number[];
  t?: TensorInfo;
  hasGraph?: boolean;
}

interface NodeInfo {
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrInfo>;
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

interface ParsedModel extends OnnxGraphInfo {
  nodeList: NodeInfo[];
  initializers: Map<string, TensorInfo>;
  valueInfo: Map<string, OnnxValueInfo>;
}

const SMALL = 64;

function parseTensor(buf: Uint8Array): TensorInfo {
  const dims: number[] = [];
  let elemType = 0;
  let name = '';
  let raw: Uint8Array | null = null;
  // Typed data fields are kept as views and decoded only for small tensors: an old-style model
  // can hold hundreds of MB of weights in float_data, which must not become a JS array.
  const floatFields: Field[] = [];
  const intFields: Field[] = [];
  let external = false;
  for (const f of fields(buf)) {
    switch (f.no) {
      case 1:
        pushVarints(f, dims);
        break;
      case 2:
        elemType = f.num;
        break;
      case 4:
        floatFields.push(f);
        break;
      case 5: // int32_data (also bool, uint8, int8, int16, uint16, float16 bits)
      case 7: // int64_data
        intFields.push(f);
        break;
      case 8:
        name = utf8.decode(f.bytes);
        break;
      case 9:
        raw = f.bytes;
        break;
      case 14:
        external = f.num === 1; // data_location EXTERNAL
        break;
    }
  }
  const count = dims.reduce((a, b) => a * b, 1);
  let values: number[] | null = null;
  if (count <= SMALL) {
    const floats: number[] = [];
    const ints: number[] = [];
    for (const f of floatFields) pushFloats(f, floats);
    for (const f of intFields) pushVarints(f, ints);
    if (raw) values = rawValues(raw, elemType, count);
    else if (elemType === 1 && floats.length === count) values = floats;
    else if (INT_TYPES.has(elemType) && ints.length === count) values = ints;
  }
  return { name, dims, elemType, values, external };
}

function rawValues(raw: Uint8Array, elemType: number, count: number): number[] | null {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = ELEM[elemType]?.bytes ?? 0;
  if (size === 0 || raw.length < count * size) return null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    switch (elemType) {
      case 1: out.push(dv.getFloat32(i * 4, true)); break;
      case 11: out.push(dv.getFloat64(i * 8, true)); break;
      case 6: out.push(dv.getInt32(i * 4, true)); break;
      case 7: out.push(Number(dv.getBigInt64(i * 8, true))); break;
      case 12: out.push(dv.getUint32(i * 4, true)); break;
      case 2: case 9: out.push(dv.getUint8(i)); break;
      case 3: out.push(dv.getInt8(i)); break;
      default: return null;
    }
  }
  return out;
}

function parseValueInfo(buf: Uint8Array): OnnxValueInfo {
  let name = '';
  let elemType = 0;
  let dims: OnnxDimInfo[] | null = null;
  for (const f of fields(buf)) {
    if (f.no === 1) name = utf8.decode(f.bytes);
    else if (f.no === 2) {
      for (const tt of fields(f.bytes)) {
        if (tt.no !== 1) continue; // tensor_type
        for (const g of fields(tt.bytes)) {
          if (g.no === 1) elemType = g.num;
          else if (g.no === 2) {
            dims = [];
            for (const d of fields(g.bytes)) {
              if (d.no !== 1) continue;
              let dim: OnnxDimInfo = null;
              for (const x of fields(d.bytes)) {
                if (x.no === 1) dim = x.num;
                else if (x.no === 2) dim = utf8.decode(x.bytes);
              }
              dims.push(dim);
            }
          }
        }
      }
    }
  }
  return { name, elemType, type: elemTypeName(elemType), dims };
}

function parseAttr(buf: Uint8Array): [string, AttrInfo] {
  let name = '';
  const a: AttrInfo = {};
  for (const f of fields(buf)) {
    switch (f.no) {
      case 1: name = utf8.decode(f.bytes); break;
      case 2: a.f = f.num; break;
      case 3: a.i = f.num; break;
      case 4: a.s = utf8.decode(f.bytes); break;
      case 5: a.t = parseTensor(f.bytes); break;
      case 6: case 11: a.hasGraph = true; break;
      case 7: pushFloats(f, (a.floats ??= [])); break;
      case 8: pushVarints(f, (a.ints ??= [])); break;
    }
  }
  return [name, a];
}

function parseNode(buf: Uint8Array): NodeInfo {
  const n: NodeInfo = { op: '', domain: '', inputs: [], outputs: [], attrs: new Map() };
  for (const f of fields(buf)) {
    switch (f.no) {
      case 1: n.inputs.push(utf8.decode(f.bytes)); break;
      case 2: n.outputs.push(utf8.decode(f.bytes)); break;
      case 4: n.op = utf8.decode(f.bytes); break;
      case 7: n.domain = utf8.decode(f.bytes); break;
      case 5: {
        const [k, v] = parseAttr(f.bytes);
        n.attrs.set(k, v);
        break;
      }
    }
  }
  return n;
}

function parseModel(bytes: Uint8Array): ParsedModel {
  let graph: Uint8Array | null = null;
  let producer = '';
  let irVersion = 0;
  let opset: number | null = null;
  for (const f of fields(bytes)) {
    if (f.no === 1 && f.wire === WIRE_VARINT) irVersion = f.num;
    else if (f.no === 2 && f.wire === WIRE_LEN) producer = utf8.decode(f.bytes);
    else if (f.no === 7 && f.wire === WIRE_LEN) graph = f.bytes;
    else if (f.no === 8 && f.wire === WIRE_LEN) {
      let domain = '';
      let version = 0;
      for (const g of fields(f.bytes)) {
        if (g.no === 1) domain = utf8.decode(g.bytes);
        else if (g.no === 2) version = g.num;
      }
      if (domain === '' || domain === 'ai.onnx') opset = version;
    }
  }
  if (!graph || irVersion <= 0) throw new ProtoError('no graph or no ir_version: not an ONNX ModelProto');
  const m: ParsedModel = {
    graphName: '', producer, irVersion, opset, inputs: [], outputs: [], nodes: 0, ops: {}, initializerBytes: 0, externalData: false,
    nodeList: [], initializers: new Map(), valueInfo: new Map(),
  };
  const declared: OnnxValueInfo[] = [];
  for (const f of fields(graph)) {
    switch (f.no) {
      case 1: m.nodeList.push(parseNode(f.bytes)); break;
      case 2: m.graphName = utf8.decode(f.bytes); break;
      case 5: {
        const t = parseTensor(f.bytes);
        m.initializers.set(t.name, t);
        m.initializerBytes += t.dims.reduce((a, b) => a * b, 1) * (ELEM[t.elemType]?.bytes ?? 0);
        if (t.external) m.externalData = true;
        break;
      }
      case 11: declared.push(parseValueInfo(f.bytes)); break;
      case 12: m.outputs.push(parseValueInfo(f.bytes)); break;
      case 13: {
        const v = parseValueInfo(f.bytes);
        m.valueInfo.set(v.name, v);
        break;
      }
    }
  }
  // Before IR 4, initializers were also listed as inputs: they are not fed.
  m.inputs = declared.filter((v) => !m.initializers.has(v.name));
  m.nodes = m.nodeList.length;
  for (const n of m.nodeList) {
    // Some exporters store weights as Constant nodes rather than initializers.
    const t = n.op === 'Constant' ? n.attrs.get('value')?.t : undefined;
    if (t) m.initializerBytes += t.dims.reduce((a, b) => a * b, 1) * (ELEM[t.elemType]?.bytes ?? 0);
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.op}` : n.op;
    m.ops[key] = (m.ops[key] ?? 0) + 1;
  }
  return m;
}

/** Graph metadata without running anything (the page lists the inputs to size before a run). */
export function inspectOnnx(bytes: Uint8Array): OnnxGraphInfo {
  try {
    const { nodeList: _n, initializers: _i, valueInfo: _v, ...info } = parseModel(bytes);
    return info;
  } catch (e) {
    throw new OnnxLoadError(`Not a readable ONNX model: ${(e as Error).message}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Input shapes.

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
  let total = 0;
  for (const [i, term] of expr.split(/([+-])/).entries()) {
    if (i % 2 === 1) continue;
    const sign = i > 0 && expr.split(/([+-])/)[i - 1] === '-' ? -1 : 1;
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

// ---------------------------------------------------------------------------------------------
// Shape inference and FLOP count.

export interface FlopCount {
  /** 2 × multiply-adds of MatMul, Gemm, Conv and ConvTranspose; 0 when `complete` is false. */
  flops: number;
  complete: boolean;
  /** Products counted, and the op types that prevented a complete count. */
  counted: number;
  unresolved: string[];
}

/** Products this count cannot model (their presence makes the count incomplete). */
const UNCOUNTED_PRODUCTS = new Set([
  'Einsum', 'ConvInteger', 'MatMulInteger', 'QLinearMatMul', 'QLinearConv', 'LSTM', 'GRU', 'RNN',
  'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'MatMulNBits', 'FusedMatMul', 'FusedConv', 'FusedGemm',
  'If', 'Loop', 'Scan', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'QAttention',
]);

const SAME_SHAPE = new Set([
  'Relu', 'Tanh', 'Sigmoid', 'Erf', 'Neg', 'Sqrt', 'Exp', 'Log', 'Abs', 'Cast', 'CastLike', 'Identity', 'Softmax', 'LogSoftmax',
  'LayerNormalization', 'SimplifiedLayerNormalization', 'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization',
  'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Dropout', 'Not', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Clip', 'LeakyRelu',
  'HardSigmoid', 'HardSwish', 'Softplus', 'Sin', 'Cos', 'BatchNormalization', 'InstanceNormalization', 'GroupNormalization',
  'Elu', 'Selu', 'Celu', 'Mish', 'LRN', 'MeanVarianceNormalization', 'Shrink', 'ThresholdedRelu', 'Acos', 'Asin', 'Atan', 'Tan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Softsign', 'Sign', 'IsNaN', 'IsInf', 'Hardmax', 'LpNormalization', 'Trilu', 'RotaryEmbedding', 'CumSum',
]);

const BROADCAST = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'And', 'Or', 'Xor', 'Equal', 'Less', 'Greater', 'LessOrEqual',
  'GreaterOrEqual', 'Mod', 'PRelu', 'BitShift', 'Sum', 'Mean', 'Where', 'BiasAdd',
]);

type Shape = number[];

function broadcast(shapes: Shape[]): Shape | undefined {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v === 1) continue;
      if (d !== 1 && d !== v) return undefined;
      d = v;
    }
    out.push(d);
  }
  return out;
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** Elementwise arithmetic on known small values (numpy broadcasting on flat arrays). */
function foldBinary(op: string, a: { shape: Shape; v: number[] }, b: { shape: Shape; v: number[] }, isInt: boolean): number[] | undefined {
  const out = broadcast([a.shape, b.shape]);
  if (!out || prod(out) > SMALL) return undefined;
  const at = (t: { shape: Shape; v: number[] }, idx: number[]): number => {
    let off = 0;
    for (let i = 0; i < t.shape.length; i++) {
      const d = t.shape[i]!;
      off = off * d + (d === 1 ? 0 : idx[idx.length - t.shape.length + i]!);
    }
    return t.v[off]!;
  };
  const res: number[] = [];
  const idx = out.map(() => 0);
  for (let k = 0; k < prod(out); k++) {
    let r = k;
    for (let i = out.length - 1; i >= 0; i--) {
      idx[i] = r % out[i]!;
      r = Math.floor(r / out[i]!);
    }
    const x = at(a, idx);
    const y = at(b, idx);
    switch (op) {
      case 'Add': res.push(x + y); break;
      case 'Sub': res.push(x - y); break;
      case 'Mul': res.push(x * y); break;
      case 'Div': res.push(isInt ? Math.trunc(x / y) : x / y); break;
      case 'Max': res.push(Math.max(x, y)); break;
      case 'Min': res.push(Math.min(x, y)); break;
      case 'Equal': res.push(x === y ? 1 : 0); break;
      case 'Less': res.push(x < y ? 1 : 0); break;
      case 'Greater': res.push(x > y ? 1 : 0); break;
      default: return undefined;
    }
  }
  return res;
}

/**
 * Shapes of every value, given the concrete input shapes, then the products' FLOPs. Values not
 * inferred stay unknown; the graph's value_info (symbols bound from the inputs) fills gaps.
 */
export function countGraphFlops(bytes: Uint8Array, inputShapes: Record<string, number[]>): FlopCount {
  return countFlops(parseModel(bytes), inputShapes);
}

function countFlops(m: ParsedModel, inputShapes: Record<string, number[]>): FlopCount {
  const shapes = new Map<string, Shape>();
  const values = new Map<string, number[]>();
  const intish = new Map<string, boolean>();
  for (const [name, t] of m.initializers) {
    shapes.set(name, t.dims);
    if (t.values) values.set(name, t.values);
    intish.set(name, INT_TYPES.has(t.elemType));
  }
  // Symbolic dims bound from the chosen input shapes, for the value_info fallback.
  const symbols = new Map<string, number>();
  for (const inp of m.inputs) {
    const s = inputShapes[inp.name];
    if (!s) continue;
    shapes.set(inp.name, s);
    intish.set(inp.name, INT_TYPES.has(inp.elemType));
    inp.dims?.forEach((d, i) => {
      if (typeof d === 'string' && s[i] !== undefined) symbols.set(d, s[i]!);
    });
  }
  const declared = (name: string): Shape | undefined => {
    const vi = m.valueInfo.get(name) ?? m.outputs.find((o) => o.name === name);
    if (!vi?.dims) return undefined;
    const out: Shape = [];
    for (const d of vi.dims) {
      const v = typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? symbols.get(d) : undefined;
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  };
  const shapeOf = (name: string | undefined): Shape | undefined => (name ? (shapes.get(name) ?? declared(name)) : undefined);
  const valueOf = (name: string | undefined): number[] | undefined => (name ? values.get(name) : undefined);

  let flops = 0;
  let counted = 0;
  const unresolved = new Set<string>();
  for (const n of m.nodeList) {
    const attr = (k: string) => n.attrs.get(k);
    const ins = n.inputs.map((i) => (i === '' ? undefined : shapeOf(i)));
    const in0 = ins[0];
    let out: (Shape | undefined)[] = [];
    let outValue: number[] | undefined;
    const isInt = intish.get(n.inputs[0] ?? '') ?? false;
    if (UNCOUNTED_PRODUCTS.has(n.op) || [...n.attrs.values()].some((a) => a.hasGraph)) unresolved.add(n.op);
    try {
      switch (n.op) {
        case 'MatMul': {
          const a = ins[0];
          const b = ins[1];
          if (!a || !b || a.length === 0 || b.length === 0) break;
          const A = a.length === 1 ? [1, a[0]!] : a;
          const B = b.length === 1 ? [b[0]!, 1] : b;
          const M = A[A.length - 2]!;
          const K = A[A.length - 1]!;
          const N = B[B.length - 1]!;
          const batch = broadcast([A.slice(0, -2), B.slice(0, -2)]);
          if (!batch || B[B.length - 2] !== K) break;
          const o = [...batch, M, N];
          if (a.length === 1) o.splice(o.length - 2, 1);
          if (b.length === 1) o.splice(o.length - 1, 1);
          out = [o];
          break;
        }
        case 'Gemm': {
          const a = ins[0];
          const b = ins[1];
          if (!a || !b || a.length !== 2 || b.length !== 2) break;
          const M = attr('transA')?.i ? a[1]! : a[0]!;
          const N = attr('transB')?.i ? b[0]! : b[1]!;
          out = [[M, N]];
          break;
        }
        case 'Conv':
        case 'MaxPool':
        case 'AveragePool':
        case 'LpPool': {
          const x = ins[0];
          if (!x || x.length < 3) break;
          const spatial = x.length - 2;
          const w = n.op === 'Conv' ? ins[1] : undefined;
          if (n.op === 'Conv' && (!w || w.length !== x.length)) break;
          const kernel = attr('kernel_shape')?.ints ?? w?.slice(2);
          if (!kernel || kernel.length !== spatial) break;
          const strides = attr('strides')?.ints ?? kernel.map(() => 1);
          const dil = attr('dilations')?.ints ?? kernel.map(() => 1);
          const pads = attr('pads')?.ints ?? [...kernel.map(() => 0), ...kernel.map(() => 0)];
          const autoPad = attr('auto_pad')?.s ?? 'NOTSET';
          const ceil = attr('ceil_mode')?.i === 1;
          const os: number[] = [];
          for (let i = 0; i < spatial; i++) {
            const inDim = x[2 + i]!;
            const s = strides[i]!;
            const ek = dil[i]! * (kernel[i]! - 1) + 1;
            if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') os.push(Math.ceil(inDim / s));
            else if (autoPad === 'VALID') os.push(Math.floor((inDim - ek) / s) + 1);
            else {
              const r = (inDim + pads[i]! + pads[i + spatial]! - ek) / s;
              os.push((ceil ? Math.ceil(r) : Math.floor(r)) + 1);
            }
          }
          const channels = n.op === 'Conv' ? w![0]! : x[1]!;
          out = [[x[0]!, channels, ...os]];
          break;
        }
        case 'ConvTranspose': {
          const x = ins[0];
          const w = ins[1];
          if (!x || !w || x.length < 3 || w.length !== x.length) break;
          const spatial = x.length - 2;
          const kernel = attr('kernel_shape')?.ints ?? w.slice(2);
          const strides = attr('strides')?.ints ?? kernel.map(() => 1);
          const dil = attr('dilations')?.ints ?? kernel.map(() => 1);
          const outPad = attr('output_padding')?.ints ?? kernel.map(() => 0);
          const group = attr('group')?.i ?? 1;
          const explicit = attr('output_shape')?.ints;
          const autoPad = attr('auto_pad')?.s ?? 'NOTSET';
          const pads = attr('pads')?.ints ?? [...kernel.map(() => 0), ...kernel.map(() => 0)];
          const os: number[] = [];
          for (let i = 0; i < spatial; i++) {
            const full = strides[i]! * (x[2 + i]! - 1) + outPad[i]! + (kernel[i]! - 1) * dil[i]! + 1;
            if (explicit) os.push(explicit[explicit.length - spatial + i]!);
            else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') os.push(x[2 + i]! * strides[i]!);
            else if (autoPad === 'VALID') os.push(full);
            else os.push(full - pads[i]! - pads[i + spatial]!);
          }
          out = [[x[0]!, w[1]! * group, ...os]];
          break;
        }
        case 'GlobalAveragePool':
        case 'GlobalMaxPool':
          if (in0) out = [[...in0.slice(0, 2), ...in0.slice(2).map(() => 1)]];
          break;
        case 'Flatten': {
          if (!in0) break;
          const ax = norm(attr('axis')?.i ?? 1, in0.length);
          out = [[prod(in0.slice(0, ax)), prod(in0.slice(ax))]];
          break;
        }
        case 'Reshape': {
          const target = valueOf(n.inputs[1]);
          if (!in0 || !target) break;
          const allowZero = attr('allowzero')?.i === 1;
          const o = target.map((d, i) => (d === 0 && !allowZero ? in0[i]! : d));
          const known = prod(o.filter((d) => d !== -1));
          const neg = o.indexOf(-1);
          if (neg >= 0) o[neg] = known === 0 ? 0 : prod(in0) / known;
          out = [o];
          outValue = valueOf(n.inputs[0]);
          break;
        }
        case 'Transpose': {
          if (!in0) break;
          const perm = attr('perm')?.ints ?? in0.map((_, i) => in0.length - 1 - i);
          out = [perm.map((p) => in0[p]!)];
          break;
        }
        case 'Squeeze': {
          if (!in0) break;
          const axes = (attr('axes')?.ints ?? valueOf(n.inputs[1]))?.map((a) => norm(a, in0.length));
          out = [in0.filter((d, i) => (axes ? !axes.includes(i) : d !== 1))];
          outValue = valueOf(n.inputs[0]);
          break;
        }
        case 'Unsqueeze': {
          if (!in0) break;
          const raw = attr('axes')?.ints ?? valueOf(n.inputs[1]);
          if (!raw) break;
          const rank = in0.length + raw.length;
          const axes = raw.map((a) => norm(a, rank));
          const o: Shape = [];
          let j = 0;
          for (let i = 0; i < rank; i++) o.push(axes.includes(i) ? 1 : in0[j++]!);
          out = [o];
          outValue = valueOf(n.inputs[0]);
          break;
        }
        case 'Concat': {
          if (ins.some((s) => !s) || !in0) break;
          const ax = norm(attr('axis')?.i ?? 0, in0.length);
          const o = [...in0];
          o[ax] = ins.reduce((s, x) => s + x![ax]!, 0);
          out = [o];
          const vs = n.inputs.map((i) => valueOf(i));
          if (in0.length === 1 && vs.every((v) => v)) outValue = vs.flatMap((v) => v!);
          break;
        }
        case 'Slice': {
          if (!in0) break;
          const starts = attr('starts')?.ints ?? valueOf(n.inputs[1]);
          const ends = attr('ends')?.ints ?? valueOf(n.inputs[2]);
          if (!starts || !ends) break;
          const axes = (attr('axes')?.ints ?? valueOf(n.inputs[3]) ?? starts.map((_, i) => i)).map((a) => norm(a, in0.length));
          const steps = valueOf(n.inputs[4]) ?? starts.map(() => 1);
          const o = [...in0];
          const ranges: [number, number, number][] = in0.map((d) => [0, d, 1]);
          axes.forEach((ax, i) => {
            const d = in0[ax]!;
            const step = steps[i]!;
            const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
            const s = step > 0 ? clamp(starts[i]!, 0, d) : clamp(starts[i]!, -1, d - 1);
            const e = step > 0 ? clamp(ends[i]!, 0, d) : clamp(ends[i]!, -1, d - 1);
            o[ax] = Math.max(0, Math.ceil((e - s) / step));
            ranges[ax] = [s, e, step];
          });
          out = [o];
          const v = valueOf(n.inputs[0]);
          if (v && in0.length === 1) {
            const [s, , step] = ranges[0]!;
            outValue = Array.from({ length: o[0]! }, (_, k) => v[s + k * step]!);
          }
          break;
        }
        case 'Gather': {
          const idx = ins[1];
          if (!in0 || !idx) break;
          const ax = norm(attr('axis')?.i ?? 0, in0.length);
          out = [[...in0.slice(0, ax), ...idx, ...in0.slice(ax + 1)]];
          const data = valueOf(n.inputs[0]);
          const iv = valueOf(n.inputs[1]);
          if (data && iv && in0.length === 1) outValue = iv.map((i) => data[i < 0 ? i + in0[0]! : i]!);
          break;
        }
        case 'Shape': {
          if (!in0) break;
          const r = in0.length;
          const start = Math.min(Math.max(norm(attr('start')?.i ?? 0, r), 0), r);
          const end = Math.min(Math.max(norm(attr('end')?.i ?? r, r), 0), r);
          outValue = in0.slice(start, Math.max(start, end));
          out = [[outValue.length]];
          intish.set(n.outputs[0]!, true);
          break;
        }
        case 'Size':
          if (in0) {
            out = [[]];
            outValue = [prod(in0)];
            intish.set(n.outputs[0]!, true);
          }
          break;
        case 'Constant': {
          const t = attr('value')?.t;
          if (t) {
            out = [t.dims];
            if (t.values) outValue = t.values;
            intish.set(n.outputs[0]!, INT_TYPES.has(t.elemType));
          } else if (attr('value_int')) [out, outValue] = [[[]], [attr('value_int')!.i!]];
          else if (attr('value_ints')) [out, outValue] = [[[attr('value_ints')!.ints!.length]], attr('value_ints')!.ints!];
          else if (attr('value_float')) [out, outValue] = [[[]], [attr('value_float')!.f!]];
          else if (attr('value_floats')) [out, outValue] = [[[attr('value_floats')!.floats!.length]], attr('value_floats')!.floats!];
          if (attr('value_int') || attr('value_ints')) intish.set(n.outputs[0]!, true);
          break;
        }
        case 'ConstantOfShape': {
          const s = valueOf(n.inputs[0]);
          if (!s) break;
          out = [s];
          const fill = attr('value')?.t?.values?.[0] ?? 0;
          if (prod(s) <= SMALL) outValue = s.length === 0 ? [fill] : Array.from({ length: prod(s) }, () => fill);
          intish.set(n.outputs[0]!, attr('value')?.t ? INT_TYPES.has(attr('value')!.t!.elemType) : false);
          break;
        }
        case 'Expand': {
          const s = valueOf(n.inputs[1]);
          if (!in0 || !s) break;
          out = [broadcast([in0, s])];
          break;
        }
        case 'Tile': {
          const r = valueOf(n.inputs[1]);
          if (in0 && r) out = [in0.map((d, i) => d * r[i]!)];
          break;
        }
        case 'Range': {
          const [s, l, d] = [valueOf(n.inputs[0])?.[0], valueOf(n.inputs[1])?.[0], valueOf(n.inputs[2])?.[0]];
          if (s === undefined || l === undefined || d === undefined || d === 0) break;
          const len = Math.max(Math.ceil((l - s) / d), 0);
          out = [[len]];
          if (len <= SMALL) outValue = Array.from({ length: len }, (_, k) => s + k * d);
          break;
        }
        case 'Pad': {
          const pads = attr('pads')?.ints ?? valueOf(n.inputs[1]);
          if (!in0 || !pads) break;
          const axes = valueOf(n.inputs[3])?.map((a) => norm(a, in0.length)) ?? in0.map((_, i) => i);
          const o = [...in0];
          axes.forEach((ax, i) => (o[ax] = o[ax]! + pads[i]! + pads[i + axes.length]!));
          out = [o];
          break;
        }
        case 'Split': {
          if (!in0) break;
          const ax = norm(attr('axis')?.i ?? 0, in0.length);
          const parts = n.outputs.length;
          const split =
            attr('split')?.ints ??
            valueOf(n.inputs[1]) ??
            (() => {
              const k = attr('num_outputs')?.i ?? parts;
              const size = Math.ceil(in0[ax]! / k);
              return Array.from({ length: parts }, (_, i) => Math.min(size, in0[ax]! - i * size));
            })();
          out = split.map((len) => in0.map((d, i) => (i === ax ? len : d)));
          break;
        }
        case 'ArgMax':
        case 'ArgMin':
        case 'ReduceMean':
        case 'ReduceSum':
        case 'ReduceMax':
        case 'ReduceMin':
        case 'ReduceProd':
        case 'ReduceL2':
        case 'ReduceL1':
        case 'ReduceSumSquare':
        case 'ReduceLogSumExp': {
          if (!in0) break;
          const keep = (attr('keepdims')?.i ?? 1) === 1;
          const arg = n.op === 'ArgMax' || n.op === 'ArgMin';
          const axesRaw = arg ? [attr('axis')?.i ?? 0] : (attr('axes')?.ints ?? valueOf(n.inputs[1]));
          if (!axesRaw && n.inputs[1]) break; // axes from a value not folded
          const noop = attr('noop_with_empty_axes')?.i === 1;
          const axes = axesRaw?.length ? axesRaw.map((a) => norm(a, in0.length)) : noop ? [] : in0.map((_, i) => i);
          out = [keep ? in0.map((d, i) => (axes.includes(i) ? 1 : d)) : in0.filter((_, i) => !axes.includes(i))];
          break;
        }
        default:
          if (SAME_SHAPE.has(n.op)) {
            out = [in0];
            if (n.op === 'Cast' || n.op === 'Identity') outValue = valueOf(n.inputs[0]);
            if (n.op === 'Cast') intish.set(n.outputs[0]!, INT_TYPES.has(attr('to')?.i ?? 0));
          } else if (BROADCAST.has(n.op)) {
            const present = n.inputs.filter((i) => i !== '');
            const ss = present.map((i) => shapeOf(i));
            if (ss.every((s) => s)) out = [broadcast(ss as Shape[])];
            const [a, b] = present.map((i) => valueOf(i));
            if (present.length === 2 && a && b && ss[0] && ss[1]) outValue = foldBinary(n.op, { shape: ss[0], v: a }, { shape: ss[1], v: b }, isInt);
            if (n.op === 'Where' && ss.every((s) => s)) {
              const [c, x, y] = present.map((i) => valueOf(i));
              const o = out[0];
              if (c && x && y && o && prod(o) <= SMALL && [c, x, y].every((v) => v.length === prod(o) || v.length === 1)) {
                outValue = Array.from({ length: prod(o) }, (_, k) => ((c.length === 1 ? c[0] : c[k]) ? (x.length === 1 ? x[0]! : x[k]!) : y.length === 1 ? y[0]! : y[k]!));
              }
              intish.set(n.outputs[0]!, intish.get(present[1] ?? '') ?? false);
            } else if (['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'].includes(n.op)) intish.set(n.outputs[0]!, true);
          }
      }
    } catch {
      out = [];
      outValue = undefined;
    }
    n.outputs.forEach((o, i) => {
      const s = out[i];
      if (s && s.every((d) => Number.isInteger(d) && d >= 0)) shapes.set(o, s);
      if (!intish.has(o)) intish.set(o, isInt);
    });
    if (outValue && n.outputs[0]) values.set(n.outputs[0], outValue);

    // FLOPs of the products, from the (now known or unknown) operand shapes.
    switch (n.op) {
      case 'MatMul': {
        const a = shapeOf(n.inputs[0]);
        const y = shapeOf(n.outputs[0]);
        if (!a || !y) unresolved.add('MatMul');
        else {
          flops += 2 * prod(y) * a[a.length - 1]!;
          counted++;
        }
        break;
      }
      case 'Gemm': {
        const a = shapeOf(n.inputs[0]);
        const y = shapeOf(n.outputs[0]);
        if (!a || !y || a.length !== 2) unresolved.add('Gemm');
        else {
          const K = attr('transA')?.i ? a[0]! : a[1]!;
          flops += 2 * prod(y) * K;
          counted++;
        }
        break;
      }
      case 'ConvTranspose': {
        // Each input element is scattered through (Cout / group) · prod(kernel) multiply-adds.
        const x = shapeOf(n.inputs[0]);
        const w = shapeOf(n.inputs[1]);
        if (!x || !w || !shapeOf(n.outputs[0])) unresolved.add('ConvTranspose');
        else {
          flops += 2 * prod(x) * prod(w.slice(1));
          counted++;
        }
        break;
      }
      case 'Conv': {
        const w = shapeOf(n.inputs[1]);
        const y = shapeOf(n.outputs[0]);
        if (!w || !y) unresolved.add('Conv');
        else {
          // Each output element: (Cin / group) · prod(kernel) multiply-adds = prod(w.dims[1:]).
          flops += 2 * prod(y) * prod(w.slice(1));
          counted++;
        }
        break;
      }
    }
  }
  const complete = unresolved.size === 0;
  return { flops: complete ? flops : 0, complete, counted, unresolved: [...unresolved].sort() };
}

// ---------------------------------------------------------------------------------------------
// Input synthesis.

/** A deterministic stream in [0, 1). */
const mulberry = mulberry32;

export type InputRole = 'token-ids' | 'attention-mask' | 'token-type-ids' | 'position-ids' | 'zeros' | 'random-float' | 'ones';

/** What a synthesized input holds, chosen from its name and type. */
export function inputRole(name: string, elemType: number): InputRole {
  const n = name.toLowerCase();
  if (!INT_TYPES.has(elemType)) return 'random-float';
  if (elemType === 9) return /mask/.test(n) ? 'ones' : 'zeros';
  if (/mask/.test(n)) return 'attention-mask';
  if (/token_type|segment/.test(n)) return 'token-type-ids';
  if (/position/.test(n)) return 'position-ids';
  if (/ids|token|input/.test(n)) return 'token-ids';
  return 'zeros';
}

/** Vocabulary size for token ids: rows of the embedding table the input indexes (Gather data). */
function vocabFor(m: ParsedModel, input: string): number {
  for (const n of m.nodeList) {
    if (n.op === 'Gather' && n.inputs[1] === input) {
      const table = m.initializers.get(n.inputs[0] ?? '');
      if (table?.dims[0]) return table.dims[0];
    }
  }
  return 100; // Unknown: small ids are valid in any real vocabulary.
}

function f32ToF16Bits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = u & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mant >>> 13);
}

function synthInput(ort: OrtModule, m: ParsedModel, inp: OnnxValueInfo, shape: number[], seed: number): Ort.Tensor {
  const count = prod(shape);
  const role = inputRole(inp.name, inp.elemType);
  const rand = mulberry(seed);
  const last = shape[shape.length - 1] ?? 1;
  const intValue = (k: number): number => {
    switch (role) {
      case 'token-ids': return Math.floor(rand() * vocabFor(m, inp.name));
      case 'attention-mask': case 'ones': return 1;
      case 'position-ids': return k % last;
      case 'token-type-ids': case 'zeros': case 'random-float': return 0;
    }
  };
  const type = ELEM[inp.elemType]?.ort;
  switch (type) {
    case 'float32':
      return new ort.Tensor('float32', synthValues(seed, count, 1), shape);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(synthValues(seed, count, 1)), shape);
    case 'float16':
      return new ort.Tensor('float16', Uint16Array.from(synthValues(seed, count, 1), f32ToF16Bits), shape);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from({ length: count }, (_, k) => BigInt(intValue(k))), shape);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from({ length: count }, (_, k) => intValue(k)), shape);
    case 'uint8':
      return new ort.Tensor('uint8', Uint8Array.from({ length: count }, (_, k) => intValue(k) & 0xff), shape);
    case 'int8':
      return new ort.Tensor('int8', Int8Array.from({ length: count }, (_, k) => intValue(k) & 0x7f), shape);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from({ length: count }, () => (role === 'ones' ? 1 : 0)), shape);
    default:
      throw new OnnxRunError(`Input “${inp.name}” has element type ${inp.type}, which this lab cannot synthesize.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Measurement.

type OrtModule = typeof Ort;

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

let ortPromise: Promise<OrtModule> | null = null;

/** ort, configured once: our own copies of the WASM files, one thread unless cross-origin isolated. */
function loadOrt(): Promise<OrtModule> {
  ortPromise ??= import('onnxruntime-web/webgpu').then((mod) => {
    const ort = mod as unknown as OrtModule;
    ort.env.wasm.wasmPaths = { mjs: ortMjsUrl, wasm: ortWasmUrl };
    // Threads need SharedArrayBuffer, available only when cross-origin isolated.
    if (!globalThis.crossOriginIsolated) ort.env.wasm.numThreads = 1;
    // ort warns on every session that shape ops stay on the CPU: expected, and said in the UI.
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortPromise;
}

/** Strings in a workload's config are at most 200 characters (result schema). */
const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 199)}…` : s);

/** `onnx:<name>` within the result schema's identifier alphabet (A-Z a-z 0-9 ._:@/+-, ≤ 64). */
export function workloadId(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._:@/+-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  return `onnx:${safe}`.slice(0, 64);
}

function ortMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function measureOnnx(
  bytes: Uint8Array,
  opts: OnnxMeasureOptions,
  onProgress: (p: OnnxProgress) => void,
  control?: { readonly cancelled: boolean; readonly hidden?: boolean },
): Promise<Workload> {
  if (!Number.isInteger(opts.samples) || opts.samples < 2) throw new RangeError(`samples must be a whole number ≥ 2 (got ${opts.samples}).`);
  if (!Number.isInteger(opts.warmup) || opts.warmup < 0) throw new RangeError(`warmup must be a whole number ≥ 0 (got ${opts.warmup}).`);
  const checkCancelled = () => {
    if (control?.cancelled) throw new RunCancelledError();
  };
  onProgress({ phase: 'load' });
  let model: ParsedModel;
  try {
    model = parseModel(bytes);
  } catch (e) {
    throw new OnnxLoadError(`Not a readable ONNX model: ${ortMessage(e)}.`);
  }
  if (model.externalData) {
    throw new OnnxLoadError('This model keeps its weights in separate files (ONNX external data, used above 2 GB): load a single-file model.');
  }
  const shapes = resolveInputShapes(model.inputs, opts.inputShapes);
  const count = countFlops(model, shapes);

  if (opts.ep === 'webgpu' && !(globalThis.navigator as Navigator | undefined)?.gpu) {
    throw new WebGpuUnavailableError('no-navigator-gpu', 'WebGPU is not available here: choose the WASM (CPU) execution provider.');
  }
  const ort = await loadOrt();
  checkCancelled();
  let session: Ort.InferenceSession;
  try {
    // ort copies the bytes into its WASM heap; the page keeps its own copy for the next run.
    session = await ort.InferenceSession.create(bytes, { executionProviders: [opts.ep], graphOptimizationLevel: 'all' });
  } catch (e) {
    throw new OnnxLoadError(`onnxruntime-web (${opts.ep} execution provider) could not load the model: ${ortMessage(e)}`);
  }
  try {
    const seed = opts.seed ?? 1;
    const feeds: Record<string, Ort.Tensor> = {};
    model.inputs.forEach((inp, i) => {
      feeds[inp.name] = synthInput(ort, model, inp, shapes[inp.name]!, seed + i);
    });
    let outputBytes = 0;
    const outputShapes: Record<string, number[]> = {};
    const runOnce = async (): Promise<number> => {
      const t0 = performance.now();
      let out: Ort.InferenceSession.OnnxValueMapType;
      try {
        out = await session.run(feeds);
      } catch (e) {
        throw new OnnxRunError(`onnxruntime-web (${opts.ep}) failed to run the model: ${ortMessage(e)}`);
      }
      const ms = performance.now() - t0;
      outputBytes = 0;
      for (const [name, v] of Object.entries(out)) {
        outputShapes[name] = [...v.dims];
        outputBytes += prod(v.dims) * (ELEM[model.outputs.find((o) => o.name === name)?.elemType ?? 1]?.bytes ?? 4);
        v.dispose();
      }
      return ms;
    };
    for (let i = 0; i < opts.warmup; i++) {
      checkCancelled();
      onProgress({ phase: 'warmup', sample: i + 1, samples: opts.warmup });
      await runOnce();
    }
    const raw: number[] = [];
    // A hidden tab is throttled (the lab worker's RunControl tracks visibility): flag, not hide it.
    let hiddenSeen = false;
    for (let s = 0; s < opts.samples; s++) {
      checkCancelled();
      hiddenSeen ||= Boolean(control?.hidden);
      const ms = await runOnce();
      hiddenSeen ||= Boolean(control?.hidden);
      raw.push(ms);
      onProgress({ phase: 'measure', sample: s + 1, samples: opts.samples, ms });
    }
    const { kept, dropped } = cleanDeltas(raw);
    if (kept.length < 2) throw new OnnxRunError(`Only ${kept.length} of ${raw.length} timing samples were valid: no measurement.`);
    const st = summarize(kept);
    const flags: string[] = [];
    if (st.cv !== null && st.cv > HIGH_CV) flags.push('high-variability');
    if (dropped > 0) flags.push('dropped-samples');
    if (!count.complete) flags.push('flops-unknown');
    if (hiddenSeen) flags.push('tab-hidden');
    const timing: TimingRecord = {
      source: 'wall-clock',
      warmup: opts.warmup,
      samplesMs: kept,
      medianMs: st.median,
      p10Ms: st.p10,
      p90Ms: st.p90,
      minMs: st.min,
      meanMs: st.mean,
      cv: st.cv!, // defined: at least two samples
      ...(st.ciMedian ? { ciMedianMs: st.ciMedian } : {}),
      batch: 1,
      dropped,
      wallMedianMs: st.median,
      flags,
    };
    const inputBytes = model.inputs.reduce((s, inp) => s + prod(shapes[inp.name]!) * (ELEM[inp.elemType]?.bytes ?? 0), 0);
    const bytesMoved = Math.round(model.initializerBytes + inputBytes + outputBytes);
    const name = model.graphName || opts.name || 'model';
    const dims = (d: readonly (number | string | null)[] | null | undefined) => (d ? `[${d.map((x) => x ?? '?').join(',')}]` : '[?]');
    return {
      id: workloadId(name),
      kind: 'model',
      // The result schema takes only scalars and short arrays of scalars (≤ 64 items, strings
      // ≤ 200 chars) in `config`: inputs and outputs are one readable string each.
      config: {
        source: 'onnx',
        graph: clip(model.graphName) || null,
        file: opts.name ? clip(opts.name) : null,
        producer: clip(model.producer) || null,
        irVersion: model.irVersion,
        opset: model.opset,
        ep: opts.ep,
        // WASM threads: the CPU EP's, and those of any op the WebGPU EP leaves on the CPU.
        threads: ort.env.wasm.numThreads ?? null,
        crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
        inputs: model.inputs.slice(0, 64).map((inp) => clip(`${inp.name}: ${inp.type}${dims(shapes[inp.name])} ${inputRole(inp.name, inp.elemType)}`)),
        outputs: model.outputs.slice(0, 64).map((o) => clip(`${o.name}: ${o.type}${dims(outputShapes[o.name] ?? o.dims)}`)),
        nodes: model.nodes,
        ops: Object.entries(model.ops)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, 64)
          .map(([op, n]) => clip(`${op}×${n}`)),
        weightBytes: model.initializerBytes,
        seed,
        flopsCounted: count.complete,
        flopsProducts: count.counted,
        flopsUnresolved: count.unresolved.slice(0, 64).map(clip),
        flopsBasis: '2 × multiply-adds of MatMul, Gemm, Conv and ConvTranspose, shapes inferred from the graph',
        bytesBasis: 'weights read once + inputs + outputs (lower bound)',
        timedSpan: 'session.run: feeds in, outputs back in JS memory',
      },
      flops: count.flops,
      bytes: bytesMoved,
      timing,
      gflops: count.complete && count.flops > 0 ? count.flops / (st.median * 1e6) : null,
      gbps: bytesMoved / (st.median * 1e6),
    };
  } finally {
    await session.release().catch(() => {});
  }
}
