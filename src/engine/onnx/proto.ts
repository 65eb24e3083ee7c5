/**
 * A minimal Protocol Buffers writer and the few ONNX messages the oracle graphs need
 * (onnx/onnx.proto, IR version 8, opset 17). Hand-written because no protobuf package is a
 * dependency and the subset is small: varints, 64-bit varints for int64 (negative values as
 * ten-byte two's complement), fixed32 floats, length-delimited strings, bytes and messages.
 *
 * Repeated scalars are written unpacked (the proto2 default of onnx.proto); parsers accept both.
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Appends encoded fields; `finish()` concatenates them. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** Unsigned varint of a non-negative integer up to 2^64 − 1 (numbers above 2^53 as bigint). */
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** int32 / int64 / enum / bool: negative values become ten-byte two's complement varints. */
  int(field: number, value: number | bigint): this {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`ProtoWriter.int: ${value} is not a safe integer`);
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// ONNX messages (field numbers from onnx.proto).

/** TensorProto.DataType */
export const OnnxType = Object.freeze({ FLOAT: 1, INT32: 6, INT64: 7 });
export type OnnxElemType = (typeof OnnxType)[keyof typeof OnnxType];

export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array | Int32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function elemType(data: OnnxTensor['data']): OnnxElemType {
  if (data instanceof Float32Array) return OnnxType.FLOAT;
  if (data instanceof BigInt64Array) return OnnxType.INT64;
  return OnnxType.INT32;
}

/** raw_data is little-endian by the ONNX spec. */
function rawBytes(data: OnnxTensor['data']): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) dv.setFloat32(i * 4, data[i] ?? 0, true);
    else if (data instanceof BigInt64Array) dv.setBigInt64(i * 8, data[i] ?? 0n, true);
    else dv.setInt32(i * 4, data[i] ?? 0, true);
  }
  return out;
}

export function tensorProto(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d); // dims
  w.int(2, elemType(t.data)); // data_type
  w.string(8, t.name); // name
  w.bytes(9, rawBytes(t.data)); // raw_data
  return w;
}

/** A dimension is a fixed size or a symbolic name (dynamic axis). */
export type OnnxDim = number | string;

export function valueInfo(name: string, type: OnnxElemType, dims: OnnxDim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d); // dim_value
    else dim.string(2, d); // dim_param
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, type).message(2, shape); // elem_type, shape
  const typeProto = new ProtoWriter().message(1, tensorType); // tensor_type
  return new ProtoWriter().string(1, name).message(2, typeProto);
}

/** AttributeProto.AttributeType */
const AttrType = Object.freeze({ FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 });

export type OnnxAttr =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string };

export function attributeProto(name: string, a: OnnxAttr): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (a.kind) {
    case 'int':
      w.int(3, a.value).int(20, AttrType.INT);
      break;
    case 'ints':
      for (const v of a.value) w.int(8, v);
      w.int(20, AttrType.INTS);
      break;
    case 'float':
      w.float(2, a.value).int(20, AttrType.FLOAT);
      break;
    case 'string':
      w.string(4, a.value).int(20, AttrType.STRING);
      break;
  }
  return w;
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs: Record<string, OnnxAttr>;
}

export function nodeProto(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [k, a] of Object.entries(n.attrs)) w.message(5, attributeProto(k, a));
  return w;
}

export interface OnnxGraphParts {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: ProtoWriter[];
  outputs: ProtoWriter[];
}

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

export function modelProto(g: OnnxGraphParts, producer = 'frugal-ai-lab'): Uint8Array {
  const graph = new ProtoWriter();
  for (const n of g.nodes) graph.message(1, nodeProto(n));
  graph.string(2, g.name);
  for (const t of g.initializers) graph.message(5, tensorProto(t));
  for (const i of g.inputs) graph.message(11, i);
  for (const o of g.outputs) graph.message(12, o);
  const opset = new ProtoWriter().string(1, '').int(2, ONNX_OPSET);
  return new ProtoWriter()
    .int(1, ONNX_IR_VERSION) // ir_version
    .string(2, producer) // producer_name
    .message(7, graph) // graph
    .message(8, opset) // opset_import
    .finish();
}
