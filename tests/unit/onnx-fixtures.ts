/** ONNX graphs and their hand-computed FLOPs, shared by the unit and GPU ONNX tests. */
import { BERT_TINY } from '../../src/engine/models/config.ts';
import { ints, int, OnnxGraphBuilder, OnnxType } from '../../src/engine/onnx/graph.ts';

/** bert-tiny, S tokens: matrix products only (biases and element-wise work are not counted). */
export function bertTinyFlops(S: number): number {
  const { layers: L, hidden: d, heads: H, headDim: hd, ffn, labels } = BERT_TINY;
  const perLayer = 4 * 2 * S * d * d /* q, k, v, o */ + 2 * H * 2 * S * S * hd /* QKᵀ, PV */ + 2 * 2 * S * d * ffn; /* up, down */
  return L * perLayer + 2 * d * d /* pre-classifier, first token */ + 2 * d * labels;
}

/**
 * x [N, 3, 8, 8] → Conv 4×3×3×3, stride 2, pad 1 → [N, 4, 4, 4] → Flatten → [N, 64]
 * → Gemm with Bᵀ [10, 64] → [N, 10] → MatMul [10, 5] → [N, 5].
 * FLOPs per image: Conv 2·(4·4·4)·(3·3·3) = 3456, Gemm 2·10·64 = 1280, MatMul 2·5·10 = 100: 4836.
 */
export function convNet(): Uint8Array {
  const g = new OnnxGraphBuilder('convnet');
  const x = g.input('pixels', OnnxType.FLOAT, ['N', 3, 8, 8]);
  const w = g.initializer('conv.w', [4, 3, 3, 3], new Float32Array(4 * 27).fill(0.01));
  const c = g.op('Conv', [x, w], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) });
  const f = g.op('Flatten', [c], { axis: int(1) });
  const gemm = g.op('Gemm', [f, g.initializer('fc.w', [10, 64], new Float32Array(640).fill(0.02))], { transB: int(1) });
  g.op('MatMul', [gemm, g.initializer('head.w', [10, 5], new Float32Array(50).fill(0.03))], {}, 'scores');
  g.output('scores', OnnxType.FLOAT, ['N', 5]);
  return g.toBytes();
}

export const CONVNET_FLOPS_PER_IMAGE = 3456 + 1280 + 100;
