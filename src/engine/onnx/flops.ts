/**
 * FLOPs of a user ONNX graph: ort does not report them, so they are counted from the graph once
 * the input shapes are concrete (shape inference in infer.ts). Counted: 2 FLOPs per
 * multiply-add of MatMul, Gemm, Conv and ConvTranspose, one handler per operator below. Bias
 * adds and element-wise work are not counted, unlike engine/models/flops.ts: they are a few %
 * at most and their cost depends on ort's fusions. When any product's shape cannot be inferred,
 * or the graph holds products this count does not model (attention contrib ops, Einsum, RNNs,
 * quantized MatMul, control flow), the count is incomplete and no partial number is reported.
 */
import { ShapeEnv } from './infer.ts';
import { loadModel, type AttrInfo, type NodeInfo, type ParsedModel } from './parse.ts';
import { prod, type Shape } from './shape-ops.ts';

/**
 * 2 × multiply-adds of MatMul, Gemm, Conv and ConvTranspose, or null (never a partial number)
 * with the op types that prevented a complete count. `counted` is the products counted.
 */
export type FlopCount = (
  | { complete: true; flops: number; counted: number; unresolved: [] }
  | { complete: false; flops: null; counted: number; unresolved: string[] }
) & {
  /** Nodes whose shape inference failed ("Op: message"), whatever the outcome of the count. */
  inferenceFailures: string[];
};

/** Products this count cannot model (their presence makes the count incomplete). */
const UNCOUNTED_PRODUCTS: ReadonlySet<string> = new Set([
  'Einsum', 'ConvInteger', 'MatMulInteger', 'QLinearMatMul', 'QLinearConv', 'LSTM', 'GRU', 'RNN',
  'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'MatMulNBits', 'FusedMatMul', 'FusedConv', 'FusedGemm',
  'If', 'Loop', 'Scan', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'QAttention',
]);

interface Operands {
  input(i: number): Shape | undefined;
  output(i: number): Shape | undefined;
  attr(name: string): AttrInfo | undefined;
}

/** FLOPs of one product node; null when its operand shapes are unknown. */
type FlopHandler = (o: Operands) => number | null;

/** opType → FLOPs. Every other operator counts 0 (not a product, or in UNCOUNTED_PRODUCTS). */
const FLOP_OPS: Readonly<Record<string, FlopHandler>> = {
  MatMul: (o) => {
    const a = o.input(0);
    const y = o.output(0);
    return a && y ? 2 * prod(y) * a[a.length - 1]! : null;
  },
  Gemm: (o) => {
    const a = o.input(0);
    const y = o.output(0);
    if (!a || !y || a.length !== 2) return null;
    return 2 * prod(y) * (o.attr('transA')?.i ? a[0]! : a[1]!);
  },
  // Each output element: (Cin / group) · prod(kernel) multiply-adds = prod(w.dims[1:]).
  Conv: (o) => {
    const w = o.input(1);
    const y = o.output(0);
    return w && y ? 2 * prod(y) * prod(w.slice(1)) : null;
  },
  // Each input element is scattered through (Cout / group) · prod(kernel) multiply-adds.
  ConvTranspose: (o) => {
    const x = o.input(0);
    const w = o.input(1);
    return x && w && o.output(0) ? 2 * prod(x) * prod(w.slice(1)) : null;
  },
};

function operands(n: NodeInfo, env: ShapeEnv): Operands {
  return {
    input: (i) => env.shapeOf(n.inputs[i]),
    output: (i) => env.shapeOf(n.outputs[i]),
    attr: (k) => n.attrs.get(k),
  };
}

export function countFlops(m: ParsedModel, inputShapes: Readonly<Record<string, number[]>>): FlopCount {
  const env = new ShapeEnv(m, inputShapes);
  let flops = 0;
  let counted = 0;
  const unresolved = new Set<string>();
  for (const n of m.nodeList) {
    if (UNCOUNTED_PRODUCTS.has(n.op) || [...n.attrs.values()].some((a) => a.hasGraph)) unresolved.add(n.op);
    env.infer(n);
    const handler = Object.hasOwn(FLOP_OPS, n.op) ? FLOP_OPS[n.op] : undefined;
    if (!handler) continue;
    const f = handler(operands(n, env));
    if (f === null) unresolved.add(n.op);
    else {
      flops += f;
      counted++;
    }
  }
  const inferenceFailures = env.failures.slice(0, 64);
  return unresolved.size === 0
    ? { complete: true, flops, counted, unresolved: [], inferenceFailures }
    : { complete: false, flops: null, counted, unresolved: [...unresolved].sort(), inferenceFailures };
}

/** Shapes of every value, given the concrete input shapes, then the products' FLOPs. */
export function countGraphFlops(bytes: Uint8Array, inputShapes: Record<string, number[]>): FlopCount {
  return countFlops(loadModel(bytes), inputShapes);
}
