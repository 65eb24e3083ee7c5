/**
 * FLOPs counted from ONNX graphs, dynamic dimensions and inspection: pure (no runtime, no
 * browser), on graphs built in TypeScript with hand-computed expectations.
 */
import { describe, expect, test } from 'vitest';
import { BERT_TINY } from '../../src/engine/models/config.ts';
import { countGraphFlops } from '../../src/engine/onnx/flops.ts';
import { SHAPE_OPS } from '../../src/engine/onnx/shape-ops.ts';
import { ints, int, OnnxGraphBuilder, OnnxType } from '../../src/engine/onnx/graph.ts';
import { buildOnnxModel } from '../../src/engine/onnx/models.ts';
import { inspectOnnx } from '../../src/engine/onnx/parse.ts';
import { dynamicDims, evalDimExpr, resolveInputShapes, shapesForDims, workloadId } from '../../src/shared/onnx.ts';
import { parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { bertTinyFlops, convNet, CONVNET_FLOPS_PER_IMAGE } from './onnx-fixtures.ts';

describe('FLOPs counted from the graph (no runtime)', () => {
  test('bert-tiny at 16 and 64 tokens: shape arithmetic (Shape → Slice → Reshape) folded', () => {
    const bytes = buildOnnxModel(BERT_TINY, 3).bytes;
    expect(bertTinyFlops(16)).toBe(12_878_336); // hand-computed: 2 × 6 422 528 + 32 768 + 512
    expect(countGraphFlops(bytes, { input_ids: [1, 16] })).toEqual({ flops: 12_878_336, complete: true, counted: 2 * 8 + 2, unresolved: [], inferenceFailures: [] });
    expect(countGraphFlops(bytes, { input_ids: [1, 64] }).flops).toBe(bertTinyFlops(64));
  });
  test('Conv, Gemm (transB) and MatMul with a dynamic batch', () => {
    expect(countGraphFlops(convNet(), { pixels: [2, 3, 8, 8] })).toEqual({ flops: 2 * CONVNET_FLOPS_PER_IMAGE, complete: true, counted: 3, unresolved: [], inferenceFailures: [] });
  });
  test('ConvTranspose: output shape (stride 2) and FLOPs, then a MatMul on its flattened output', () => {
    const g = new OnnxGraphBuilder('deconv');
    const x = g.input('x', OnnxType.FLOAT, [1, 2, 3, 3]);
    // W [Cin 2, Cout 4, 3, 3], stride 2: out spatial 2·(3 − 1) + 3 = 7 → [1, 4, 7, 7].
    const y = g.op('ConvTranspose', [x, g.initializer('w', [2, 4, 3, 3], new Float32Array(72))], { strides: ints([2, 2]) });
    const flat = g.op('Flatten', [y], { axis: int(1) }); // [1, 196]
    g.op('MatMul', [flat, g.initializer('head', [196, 2], new Float32Array(392))], {}, 'out');
    g.output('out', OnnxType.FLOAT, [1, 2]);
    // ConvTranspose: 2 · |x| (18) · 4 · 3 · 3 = 1296; MatMul: 2 · 196 · 2 = 784.
    expect(countGraphFlops(g.toBytes(), { x: [1, 2, 3, 3] })).toEqual({ flops: 1296 + 784, complete: true, counted: 2, unresolved: [], inferenceFailures: [] });
  });
  test('a product the count does not model (Einsum) makes the count unknown, not partial', () => {
    const g = new OnnxGraphBuilder('einsum');
    const a = g.input('a', OnnxType.FLOAT, [4, 8]);
    const m = g.op('MatMul', [a, g.initializer('w', [8, 8], new Float32Array(64))]);
    g.op('Einsum', [m, m], { equation: { kind: 'string', value: 'ij,kj->ik' } }, 'y');
    g.output('y', OnnxType.FLOAT, [4, 4]);
    expect(countGraphFlops(g.toBytes(), { a: [4, 8] })).toEqual({ flops: null, complete: false, counted: 1, unresolved: ['Einsum'], inferenceFailures: [] });
  });
  test('exporter shape arithmetic: Shape → Gather (scalar) → Unsqueeze → Concat → Reshape → Transpose → MatMul', () => {
    const g = new OnnxGraphBuilder('heads');
    const x = g.input('x', OnnxType.FLOAT, ['B', 'S', 8]);
    const shape = g.op('Shape', [x]);
    const dim = (i: number) => g.op('Unsqueeze', [g.op('Gather', [shape, g.initializer(`idx${i}`, [], BigInt64Array.from([BigInt(i)]))], { axis: int(0) }), g.i64([0])]);
    const target = g.op('Concat', [dim(0), dim(1), g.i64([2]), g.i64([4])], { axis: int(0) });
    const heads = g.op('Transpose', [g.op('Reshape', [x, target])], { perm: ints([0, 2, 1, 3]) }); // [B, 2, S, 4]
    const keysT = g.op('Transpose', [heads], { perm: ints([0, 1, 3, 2]) }); // [B, 2, 4, S]
    g.op('MatMul', [heads, keysT], {}, 'scores'); // [B, 2, S, S]: 2·B·2·S·S·4 FLOPs
    g.output('scores', OnnxType.FLOAT, ['B', 2, 'S', 'S']);
    expect(countGraphFlops(g.toBytes(), { x: [3, 5, 8] })).toEqual({ flops: 2 * 3 * 2 * 5 * 5 * 4, complete: true, counted: 1, unresolved: [], inferenceFailures: [] });
  });
  test('a shape handler that throws is listed with its message, never swallowed', () => {
    const handlers = SHAPE_OPS as Record<string, (typeof SHAPE_OPS)[string]>;
    handlers['Broken'] = () => {
      throw new RangeError('axis 7 out of range');
    };
    try {
      const g = new OnnxGraphBuilder('broken');
      const x = g.input('x', OnnxType.FLOAT, [2, 8]);
      g.op('MatMul', [g.op('Broken', [x]), g.initializer('w', [8, 8], new Float32Array(64))], {}, 'out');
      g.output('out', OnnxType.FLOAT, [2, 8]);
      expect(countGraphFlops(g.toBytes(), { x: [2, 8] })).toEqual({
        flops: null, complete: false, counted: 0, unresolved: ['MatMul'], inferenceFailures: ['Broken: axis 7 out of range'],
      });
    } finally {
      delete handlers['Broken'];
    }
  });
  test('an operator the inference does not know, feeding a product: count unknown', () => {
    const g = new OnnxGraphBuilder('mystery');
    const x = g.input('x', OnnxType.FLOAT, [2, 8]);
    const y = g.op('MysteryOp', [x]);
    g.op('MatMul', [y, g.initializer('w', [8, 8], new Float32Array(64))], {}, 'out');
    g.output('out', OnnxType.FLOAT, [2, 8]);
    expect(countGraphFlops(g.toBytes(), { x: [2, 8] })).toEqual({ flops: null, complete: false, counted: 0, unresolved: ['MatMul'], inferenceFailures: [] });
  });
  test('dynamic dims of a decoder with a KV cache: shared symbols, past 0 by default, expressions computed', () => {
    const f32 = (name: string, dims: (number | string)[]) => ({ name, elemType: 1, type: 'float32', dims });
    const i64 = (name: string, dims: (number | string)[]) => ({ name, elemType: 7, type: 'int64', dims });
    const inputs = [
      i64('input_ids', ['batch_size', 'sequence_length']),
      i64('attention_mask', ['batch_size', 'past_sequence_length + sequence_length']),
      f32('past_key_values.0.key', ['batch_size', 4, 'past_sequence_length', 16]),
      f32('pixel_values', [null, 3, 'height', 'width'] as unknown as (number | string)[]),
    ];
    expect(dynamicDims(inputs)).toEqual([
      { key: 'sym:batch_size', label: 'batch_size', default: 1 },
      { key: 'sym:sequence_length', label: 'sequence_length', default: 64 },
      { key: 'sym:past_sequence_length', label: 'past_sequence_length', default: 0 },
      { key: 'pixel_values#0', label: 'pixel_values[0]', default: 1 },
      { key: 'sym:height', label: 'height', default: 64 },
      { key: 'sym:width', label: 'width', default: 64 },
    ]);
    expect(shapesForDims(inputs, { 'sym:sequence_length': 5, 'sym:past_sequence_length': 3, 'sym:batch_size': 2 })).toEqual({
      input_ids: [2, 5],
      attention_mask: [2, 8],
      'past_key_values.0.key': [2, 4, 3, 16],
      pixel_values: [1, 3, 64, 64],
    });
    expect(evalDimExpr('a * 2 + 1', new Map([['a', 3]]))).toBe(7);
    expect(evalDimExpr('a - 1', new Map([['a', 3]]))).toBe(2);
    expect(evalDimExpr('sequence_length', new Map([['sequence_length', 3]]))).toBeNull();
    expect(evalDimExpr('a + b', new Map([['a', 3]]))).toBeNull();
  });
  test('workload ids stay within the result schema identifier alphabet and length', () => {
    expect(workloadId('bert-tiny.oracle')).toBe('onnx:bert-tiny.oracle');
    expect(workloadId('my model (v2).onnx')).toBe('onnx:my-model-v2-.onnx');
    expect(workloadId('???')).toBe('onnx:model');
    expect(workloadId('x'.repeat(100))).toHaveLength(64);
  });
  test('inspection: inputs with their symbolic dims, default shapes batch 1 × sequence 64', () => {
    const info = inspectOnnx(buildOnnxModel(BERT_TINY, 3).bytes);
    expect(info.graphName).toBe('bert-tiny.oracle');
    expect(info.opset).toBe(17);
    expect(info.inputs).toEqual([{ name: 'input_ids', elemType: 7, type: 'int64', dims: [1, 'seq'] }]);
    expect(info.outputs).toEqual([{ name: 'logits', elemType: 1, type: 'float32', dims: [1, 1, 2] }]);
    expect(resolveInputShapes(info.inputs)).toEqual({ input_ids: [1, 64] });
    expect(resolveInputShapes([{ name: 'x', elemType: 1, type: 'float32', dims: ['batch', 3, 'h', 'w'] }])).toEqual({ x: [1, 3, 64, 64] });
  });
});

describe('unknown FLOPs in the workload document', () => {
  const onnxWorkload = (flops: number | null, flopsUnknown?: string) => {
    const doc = sampleResult();
    delete doc.energy;
    const base = doc.workloads[0]!;
    doc.workloads = [{ ...base, id: 'onnx:einsum', kind: 'model', role: undefined, config: { source: 'onnx' }, flops, ...(flopsUnknown ? { flopsUnknown } : {}), gflops: null }];
    delete doc.workloads[0]!.role;
    return doc;
  };

  test('an imported model is never published: the dataset keeps the lab\'s own workloads only', () => {
    // Its id, config and uncounted operators are whatever the imported file says: free text.
    expect(parseResult(onnxWorkload(null, 'Not counted: (Einsum).'))).toMatchObject({ ok: false, issues: expect.arrayContaining([expect.stringMatching(/^workloads\.0\.id: must be a known workload id/)]) as unknown });
    expect(parseResult(onnxWorkload(1234))).toMatchObject({ ok: false, issues: expect.arrayContaining([expect.stringMatching(/^workloads\.0\.id: /)]) as unknown });
  });
});
