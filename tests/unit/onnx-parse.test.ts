/**
 * The ONNX parser on files written by an independent writer: onnx-proto (protobufjs code
 * generated from onnx.proto), not our own proto.ts. protobufjs packs repeated scalars; the
 * unpacked form (what onnx's C++ writer emits for proto2 fields) is spliced in by hand.
 */
import { describe, expect, test } from 'vitest';
import onnxProto from 'onnx-proto';
import { countGraphFlops } from '../../src/engine/onnx/flops.ts';
import { inspectOnnx, parseModel } from '../../src/engine/onnx/parse.ts';
import { OnnxLoadError } from '../../src/shared/onnx.ts';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;

type Dim = number | string;
const valueInfo = (name: string, elemType: number, dims: Dim[]): onnxProto.onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

function model(graph: onnxProto.onnx.IGraphProto, opset = 17): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'onnx-proto test',
    opsetImport: [{ domain: 'com.microsoft', version: 1 }, { domain: '', version: opset }],
    graph,
  }).finish();
}

/** Protobuf varint of a (possibly negative) int64: ten bytes of two's complement when negative. */
function varint(n: bigint): number[] {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
}
const lenField = (no: number, payload: readonly number[] | Uint8Array): number[] => [...varint(BigInt((no << 3) | 2)), ...varint(BigInt(payload.length)), ...payload];

describe('ONNX parser on files written by onnx-proto', () => {
  const w = new Float32Array(8 * 4).fill(0.5);
  const bytes = model({
    name: 'independent',
    input: [valueInfo('x', DataType.FLOAT, ['batch', 8]), valueInfo('w', DataType.FLOAT, [8, 4])],
    output: [valueInfo('y', DataType.FLOAT, ['batch', 2])],
    initializer: [
      { name: 'w', dims: [8, 4], dataType: DataType.FLOAT, rawData: new Uint8Array(w.buffer) },
      { name: 'shape', dims: [2], dataType: DataType.INT64, int64Data: [-1, 2] },
      { name: 'scale', dims: [1], dataType: DataType.FLOAT, floatData: [0.25] },
    ],
    node: [
      { opType: 'MatMul', input: ['x', 'w'], output: ['h'] },
      { opType: 'Softmax', input: ['h'], output: ['s'], attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }] },
      {
        opType: 'ReduceSum', input: ['s'], output: ['r'],
        attribute: [
          { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [-1, -3000000000, 1] },
          { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
        ],
      },
      { opType: 'Reshape', input: ['h', 'shape'], output: ['y0'] },
      { opType: 'LeakyRelu', input: ['y0'], output: ['y1'], attribute: [{ name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.125 }] },
      { opType: 'Resize', input: ['y1'], output: ['y2'], attribute: [{ name: 'mode', type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode('linear') }] },
      { opType: 'Mul', input: ['y2', 'scale'], output: ['y'], domain: '' },
      { opType: 'FusedMatMul', input: ['y'], output: ['unused'], domain: 'com.microsoft' },
    ],
  });

  test('graph summary: inputs (initializers listed as inputs dropped), outputs, dims, opset, ops', () => {
    const info = inspectOnnx(bytes);
    expect(info.graphName).toBe('independent');
    expect(info.producer).toBe('onnx-proto test');
    expect(info.irVersion).toBe(8);
    expect(info.opset).toBe(17); // the default domain's, not com.microsoft's
    expect(info.inputs).toEqual([{ name: 'x', elemType: 1, type: 'float32', dims: ['batch', 8] }]);
    expect(info.outputs).toEqual([{ name: 'y', elemType: 1, type: 'float32', dims: ['batch', 2] }]);
    expect(info.nodes).toBe(8);
    expect(info.ops).toEqual({ MatMul: 1, Softmax: 1, ReduceSum: 1, Reshape: 1, LeakyRelu: 1, Resize: 1, Mul: 1, 'com.microsoft.FusedMatMul': 1 });
    expect(info.initializerBytes).toBe(32 * 4 + 2 * 8 + 4);
    expect(info.externalData).toBe(false);
  });

  test('initializers: shapes and small values from raw_data, packed int64_data (negative) and float_data', () => {
    const m = parseModel(bytes);
    expect(m.initializers.get('w')).toMatchObject({ dims: [8, 4], elemType: 1, external: false });
    expect(m.initializers.get('w')!.values).toEqual(Array.from({ length: 32 }, () => 0.5)); // ≤ 64 elements: decoded
    expect(m.initializers.get('shape')).toMatchObject({ dims: [2], elemType: 7, values: [-1, 2] });
    expect(m.initializers.get('scale')).toMatchObject({ dims: [1], values: [0.25] });
  });

  test('attributes: negative int64 (one and ten bytes), packed ints, float, string', () => {
    const m = parseModel(bytes);
    const attrs = (op: string) => m.nodeList.find((n) => n.op === op)!.attrs;
    expect(attrs('Softmax').get('axis')!.i).toBe(-1);
    expect(attrs('ReduceSum').get('axes')!.ints).toEqual([-1, -3000000000, 1]);
    expect(attrs('ReduceSum').get('keepdims')!.i).toBe(1);
    expect(attrs('LeakyRelu').get('alpha')!.f).toBe(0.125);
    expect(attrs('Resize').get('mode')!.s).toBe('linear');
    expect(m.nodeList.find((n) => n.op === 'FusedMatMul')!.domain).toBe('com.microsoft');
  });

  test('FLOPs of the MatMul; the contrib op it cannot model makes the count incomplete', () => {
    expect(countGraphFlops(bytes, { x: [3, 8] })).toEqual({ flops: null, complete: false, counted: 1, unresolved: ['FusedMatMul'], inferenceFailures: [] });
  });

  test('unpacked repeated fields (one tag per element) read like packed ones', () => {
    // AttributeProto { name: "perm", ints: 2, 0, -1 unpacked (field 8, wire 0), type: INTS }
    const attr = [...lenField(1, [...new TextEncoder().encode('perm')]), ...[2n, 0n, -1n].flatMap((v) => [0x40, ...varint(v)]), ...varint(BigInt(20 << 3)), 7];
    // TensorProto dims unpacked (field 1, wire 0): [3, 5]
    const tensor = [0x08, 3, 0x08, 5, 0x10, DataType.FLOAT, ...lenField(8, [...new TextEncoder().encode('t')])];
    const node = [...onnx.NodeProto.encode({ opType: 'Transpose', input: ['a'], output: ['b'] }).finish(), ...lenField(5, attr)];
    const graph = [...onnx.GraphProto.encode({ name: 'unpacked', input: [valueInfo('a', DataType.FLOAT, [1, 2, 3])] }).finish(), ...lenField(1, node), ...lenField(5, tensor)];
    const bytes2 = Uint8Array.from([...onnx.ModelProto.encode({ irVersion: 7, opsetImport: [{ version: 13 }] }).finish(), ...lenField(7, graph)]);
    const m = parseModel(bytes2);
    expect(m.nodeList[0]!.attrs.get('perm')!.ints).toEqual([2, 0, -1]);
    expect(m.initializers.get('t')!.dims).toEqual([3, 5]);
    expect(m.opset).toBe(13);
  });

  test('a tensor with external data (data_location EXTERNAL) is detected', () => {
    const ext = model({
      name: 'external',
      input: [valueInfo('x', DataType.FLOAT, [1, 4])],
      output: [valueInfo('y', DataType.FLOAT, [1, 4])],
      initializer: [{ name: 'w', dims: [4, 4], dataType: DataType.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'location', value: 'weights.bin' }, { key: 'length', value: '64' }] }],
      node: [{ opType: 'MatMul', input: ['x', 'w'], output: ['y'] }],
    });
    const info = inspectOnnx(ext);
    expect(info.externalData).toBe(true);
    expect(info.initializerBytes).toBe(64);
    expect(parseModel(ext).initializers.get('w')!.external).toBe(true);
  });

  test('a large initializer (8 MB of raw_data) is read as a view into the file, not copied', () => {
    const n = 2 * 1024 * 1024;
    const big = new Float32Array(n);
    big[0] = 1.5;
    big[n - 1] = -2.5;
    const file = model({
      name: 'large',
      input: [valueInfo('x', DataType.FLOAT, [1, 1024])],
      output: [valueInfo('y', DataType.FLOAT, [1, 2048])],
      initializer: [{ name: 'w', dims: [1024, 2048], dataType: DataType.FLOAT, rawData: new Uint8Array(big.buffer) }],
      node: [{ opType: 'MatMul', input: ['x', 'w'], output: ['y'] }],
    });
    const t = parseModel(file).initializers.get('w')!;
    expect(t.dims).toEqual([1024, 2048]);
    expect(t.raw!.byteLength).toBe(4 * n);
    expect(t.raw!.buffer).toBe(file.buffer); // same memory: a subarray of the file
    expect(t.raw!.byteOffset).toBeGreaterThan(file.byteOffset);
    const view = new DataView(t.raw!.buffer, t.raw!.byteOffset, t.raw!.byteLength);
    expect(view.getFloat32(0, true)).toBe(1.5);
    expect(view.getFloat32(4 * (n - 1), true)).toBe(-2.5);
    expect(inspectOnnx(file).initializerBytes).toBe(4 * n);
    expect(countGraphFlops(file, { x: [1, 1024] })).toEqual({ flops: 2 * 1024 * 2048, complete: true, counted: 1, unresolved: [], inferenceFailures: [] });
  });

  test('truncated or non-ONNX bytes: OnnxLoadError', () => {
    expect(() => inspectOnnx(bytes.subarray(0, bytes.length - 7))).toThrow(OnnxLoadError);
    expect(() => inspectOnnx(onnx.GraphProto.encode({ name: 'not a model' }).finish())).toThrow(/Not a readable ONNX model/);
  });
});
