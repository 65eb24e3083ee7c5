import { describe, expect, test } from 'vitest';
import { ProtoWriter, tensorProto, valueInfo, OnnxType, attributeProto } from '../../src/engine/onnx/proto.ts';
import { buildOnnxModel } from '../../src/engine/onnx/models.ts';
import { BERT_TINY, TINY_DECODER } from '../../src/engine/models/config.ts';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
const ascii = (s: string): string => hex(new TextEncoder().encode(s));

describe('protobuf writer (hand-encoded per the protobuf wire format)', () => {
  test('varint field: 150 → 08 96 01 (the protobuf documentation example)', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('08 96 01');
  });
  test('negative int64 is a ten-byte two\'s complement varint', () => {
    expect(hex(new ProtoWriter().int(2, -1).finish())).toBe('10 ff ff ff ff ff ff ff ff ff 01');
  });
  test('int64 max as bigint', () => {
    expect(hex(new ProtoWriter().int(1, 9223372036854775807n).finish())).toBe('08 ff ff ff ff ff ff ff ff 7f');
  });
  test('string: 12 07 "testing"', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe(`12 07 ${ascii('testing')}`);
  });
  test('float is fixed32 little-endian: 1.0 → 15 00 00 80 3f', () => {
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('15 00 00 80 3f');
  });
  test('TensorProto: dims, data_type, name, raw_data', () => {
    const b = tensorProto({ name: 'w', dims: [2], data: new Float32Array([1, -2]) }).finish();
    expect(hex(b)).toBe('08 02 10 01 42 01 77 4a 08 00 00 80 3f 00 00 00 c0');
  });
  test('ValueInfoProto with a fixed and a symbolic dimension', () => {
    const b = valueInfo('x', OnnxType.FLOAT, [1, 'seq']).finish();
    // name; type { tensor_type { elem_type 1; shape { dim { dim_value 1 } dim { dim_param "seq" } } } }
    expect(hex(b)).toBe(`0a 01 78 12 11 0a 0f 08 01 12 0b 0a 02 08 01 0a 05 12 03 ${ascii('seq')}`);
  });
  test('AttributeProto INTS is written unpacked with its type (7)', () => {
    const b = attributeProto('perm', { kind: 'ints', value: [0, 2] }).finish();
    expect(hex(b)).toBe(`0a 04 ${ascii('perm')} 40 00 40 02 a0 01 07`);
  });
});

describe('oracle graphs', () => {
  test('bert-tiny: one node per operation of the architecture', () => {
    const m = buildOnnxModel(BERT_TINY, 1);
    // per layer: q, k, v, o, up, down + QKᵀ and P·V = 8 MatMuls, ×2; pre-classifier and classifier
    expect(m.stats.ops.MatMul).toBe(18);
    expect(m.stats.ops.LayerNormalization).toBe(5);
    expect(m.stats.ops.Erf).toBe(2);
    expect(m.stats.ops.Softmax).toBe(2);
    expect(m.stats.ops.Tanh).toBe(1);
    expect(m.stats.ops.Relu).toBeUndefined();
    // Starts as a ModelProto: field 1 (ir_version) = 8.
    expect(hex(m.bytes.subarray(0, 2))).toBe('08 08');
  });
  test('tiny-decoder: GQA gathers, RoPE on q and k, untied head', () => {
    const m = buildOnnxModel(TINY_DECODER, 1, { maxSequence: 16 });
    expect(m.maxSequence).toBe(16);
    // per layer: q, k, v, o, gate, up, down + 2 attention = 9, ×2; LM head
    expect(m.stats.ops.MatMul).toBe(19);
    expect(m.stats.ops.Sigmoid).toBe(2);
    expect(m.stats.ops.Neg).toBe(4); // rotate_half of q and k per layer
    expect(m.stats.ops.Gather).toBe(1 + 2 * 2); // embedding + K and V head expansion per layer
    expect(m.stats.ops.ReduceMean).toBe(2 * 2 + 1);
    const tied = buildOnnxModel({ ...TINY_DECODER, tiedEmbeddings: true, kvHeads: 4 }, 1, { maxSequence: 16 });
    expect(tied.stats.ops.Gather).toBe(1); // no expansion without GQA
    expect(tied.stats.ops.Transpose).toBe((m.stats.ops.Transpose ?? 0) + 1); // Eᵀ for the tied head
  });
});
