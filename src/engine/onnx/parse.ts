/**
 * ONNX messages (onnx/onnx.proto field numbers) → our types: ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto and ValueInfoProto. Built on the wire-format reader in protobuf.ts.
 */
import { OnnxLoadError, type OnnxDimInfo, type OnnxGraphInfo, type OnnxValueInfo } from '../../shared/onnx.ts';
import { fields, ProtoError, pushFloats, pushVarints, utf8, WIRE_LEN, WIRE_VARINT, type Field } from './protobuf.ts';

/** TensorProto.DataType → ort tensor type and element size. */
export const ELEM: Record<number, { ort: string; bytes: number }> = {
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
export const INT_TYPES: ReadonlySet<number> = new Set([2, 3, 4, 5, 6, 7, 9, 12, 13]);

/** Tensors with at most this many elements are decoded (constant folding of shape arithmetic). */
export const SMALL = 64;

export function elemTypeName(t: number): string {
  return ELEM[t]?.ort ?? `type${t}`;
}

export const elemBytes = (t: number): number => ELEM[t]?.bytes ?? 0;

export interface TensorInfo {
  name: string;
  dims: number[];
  elemType: number;
  /** Small numeric tensors only (≤ SMALL elements), for constant folding of shape arithmetic. */
  values: number[] | null;
  /** raw_data as a view into the model bytes (never copied), or null. */
  raw: Uint8Array | null;
  /** data_location EXTERNAL: the values live in another file. */
  external: boolean;
}

export interface AttrInfo {
  i?: number;
  f?: number;
  s?: string;
  ints?: number[];
  floats?: number[];
  t?: TensorInfo;
  hasGraph?: boolean;
}

export interface NodeInfo {
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrInfo>;
}

export interface ParsedModel extends OnnxGraphInfo {
  nodeList: NodeInfo[];
  initializers: Map<string, TensorInfo>;
  valueInfo: Map<string, OnnxValueInfo>;
}

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export function parseTensor(buf: Uint8Array): TensorInfo {
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
      case 1: pushVarints(f, dims); break;
      case 2: elemType = f.num; break;
      case 4: floatFields.push(f); break;
      case 5: // int32_data (also bool, uint8, int8, int16, uint16, float16 bits)
      case 7: // int64_data
        intFields.push(f);
        break;
      case 8: name = utf8(f.bytes); break;
      case 9: raw = f.bytes; break;
      case 14: external = f.num === 1; break; // data_location EXTERNAL
    }
  }
  const n = count(dims);
  let values: number[] | null = null;
  if (n <= SMALL) {
    const floats: number[] = [];
    const ints: number[] = [];
    for (const f of floatFields) pushFloats(f, floats);
    for (const f of intFields) pushVarints(f, ints);
    if (raw) values = rawValues(raw, elemType, n);
    else if (elemType === 1 && floats.length === n) values = floats;
    else if (INT_TYPES.has(elemType) && ints.length === n) values = ints;
  }
  return { name, dims, elemType, values, raw, external };
}

function rawValues(raw: Uint8Array, elemType: number, n: number): number[] | null {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const size = elemBytes(elemType);
  if (size === 0 || raw.length < n * size) return null;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
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

function parseDims(buf: Uint8Array): OnnxDimInfo[] {
  const dims: OnnxDimInfo[] = [];
  for (const d of fields(buf)) {
    if (d.no !== 1) continue;
    let dim: OnnxDimInfo = null;
    for (const x of fields(d.bytes)) {
      if (x.no === 1) dim = x.num;
      else if (x.no === 2) dim = utf8(x.bytes);
    }
    dims.push(dim);
  }
  return dims;
}

export function parseValueInfo(buf: Uint8Array): OnnxValueInfo {
  let name = '';
  let elemType = 0;
  let dims: OnnxDimInfo[] | null = null;
  for (const f of fields(buf)) {
    if (f.no === 1) name = utf8(f.bytes);
    else if (f.no === 2) {
      for (const tt of fields(f.bytes)) {
        if (tt.no !== 1) continue; // tensor_type
        for (const g of fields(tt.bytes)) {
          if (g.no === 1) elemType = g.num;
          else if (g.no === 2) dims = parseDims(g.bytes);
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
      case 1: name = utf8(f.bytes); break;
      case 2: a.f = f.num; break;
      case 3: a.i = f.num; break;
      case 4: a.s = utf8(f.bytes); break;
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
      case 1: n.inputs.push(utf8(f.bytes)); break;
      case 2: n.outputs.push(utf8(f.bytes)); break;
      case 4: n.op = utf8(f.bytes); break;
      case 7: n.domain = utf8(f.bytes); break;
      case 5: {
        const [k, v] = parseAttr(f.bytes);
        n.attrs.set(k, v);
        break;
      }
    }
  }
  return n;
}

function parseOpset(buf: Uint8Array): { domain: string; version: number } {
  let domain = '';
  let version = 0;
  for (const g of fields(buf)) {
    if (g.no === 1) domain = utf8(g.bytes);
    else if (g.no === 2) version = g.num;
  }
  return { domain, version };
}

const tensorBytes = (t: TensorInfo): number => count(t.dims) * elemBytes(t.elemType);

export function parseModel(bytes: Uint8Array): ParsedModel {
  let graph: Uint8Array | null = null;
  let producer = '';
  let irVersion = 0;
  let opset: number | null = null;
  for (const f of fields(bytes)) {
    if (f.no === 1 && f.wire === WIRE_VARINT) irVersion = f.num;
    else if (f.no === 2 && f.wire === WIRE_LEN) producer = utf8(f.bytes);
    else if (f.no === 7 && f.wire === WIRE_LEN) graph = f.bytes;
    else if (f.no === 8 && f.wire === WIRE_LEN) {
      const { domain, version } = parseOpset(f.bytes);
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
      case 2: m.graphName = utf8(f.bytes); break;
      case 5: {
        const t = parseTensor(f.bytes);
        m.initializers.set(t.name, t);
        m.initializerBytes += tensorBytes(t);
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
    if (t) m.initializerBytes += tensorBytes(t);
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.op}` : n.op;
    m.ops[key] = (m.ops[key] ?? 0) + 1;
  }
  return m;
}

/** parseModel, with any wire-format failure reported as an OnnxLoadError the UI can name. */
export function loadModel(bytes: Uint8Array): ParsedModel {
  try {
    return parseModel(bytes);
  } catch (e) {
    throw new OnnxLoadError(`Not a readable ONNX model: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

/** Graph metadata without running anything (the page lists the inputs to size before a run). */
export function inspectOnnx(bytes: Uint8Array): OnnxGraphInfo {
  const { nodeList: _n, initializers: _i, valueInfo: _v, ...info } = loadModel(bytes);
  return info;
}
