/**
 * Shape inference, one small handler per ONNX operator: `SHAPE_OPS[opType](ctx)` gives the
 * output shapes (and, for small integer "shape arithmetic" tensors, the folded values). The walk
 * that applies them is in infer.ts. Checked offline against onnx's own shape inference on the
 * 149 models of onnx's backend test data: identical shapes wherever products read them.
 */
import { INT_TYPES, SMALL, type AttrInfo, type NodeInfo } from './parse.ts';

export type Shape = number[];

/**
 * What a handler sees of one node: its attributes, operand shapes and folded values. The lookups
 * are function properties, not methods: handlers destructure them and call them unbound.
 */
export interface InferContext {
  node: NodeInfo;
  attr: (name: string) => AttrInfo | undefined;
  /** Operand shapes, undefined where unknown or the input is omitted (''). */
  ins: (Shape | undefined)[];
  shapeOf: (name: string | undefined) => Shape | undefined;
  valueOf: (name: string | undefined) => number[] | undefined;
  /** Whether the first input holds integers (integer division when folding). */
  isInt: boolean;
  isIntValue: (name: string | undefined) => boolean;
}

/** A handler's answer: output shapes in order, the first output's folded value, its integer-ness. */
export interface Inferred {
  out: (Shape | undefined)[];
  value?: number[] | undefined;
  /** Whether output 0 holds integers; unset: same as the first input. */
  int?: boolean;
}

export type ShapeHandler = (c: InferContext) => Inferred | undefined;

export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);
const zeros = (xs: readonly unknown[]): number[] => xs.map(() => 0);
const ones = (xs: readonly unknown[]): number[] => xs.map(() => 1);

/** numpy broadcasting; undefined when the shapes are incompatible. */
export function broadcast(shapes: readonly Shape[]): Shape | undefined {
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

type Folded = { shape: Shape; v: number[] };
const BINARY: Readonly<Record<string, (x: number, y: number, isInt: boolean) => number>> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  Mul: (x, y) => x * y,
  Div: (x, y, isInt) => (isInt ? Math.trunc(x / y) : x / y),
  Max: (x, y) => Math.max(x, y),
  Min: (x, y) => Math.min(x, y),
  Equal: (x, y) => (x === y ? 1 : 0),
  Less: (x, y) => (x < y ? 1 : 0),
  Greater: (x, y) => (x > y ? 1 : 0),
};

/** Elementwise arithmetic on known small values (numpy broadcasting on flat arrays). */
function foldBinary(op: string, a: Folded, b: Folded, isInt: boolean): number[] | undefined {
  const f = Object.hasOwn(BINARY, op) ? BINARY[op] : undefined;
  const out = broadcast([a.shape, b.shape]);
  if (!f || !out || prod(out) > SMALL) return undefined;
  const at = (t: Folded, idx: number[]): number => {
    let off = 0;
    for (let i = 0; i < t.shape.length; i++) {
      const d = t.shape[i]!;
      off = off * d + (d === 1 ? 0 : idx[idx.length - t.shape.length + i]!);
    }
    return t.v[off]!;
  };
  const res: number[] = [];
  const idx = zeros(out);
  for (let k = 0; k < prod(out); k++) {
    let r = k;
    for (let i = out.length - 1; i >= 0; i--) {
      idx[i] = r % out[i]!;
      r = Math.floor(r / out[i]!);
    }
    res.push(f(at(a, idx), at(b, idx), isInt));
  }
  return res;
}

// ---------------------------------------------------------------------------------------------
// Products and windows.

const matMul: ShapeHandler = ({ ins: [a, b] }) => {
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : b;
  const M = A[A.length - 2]!;
  const K = A[A.length - 1]!;
  const N = B[B.length - 1]!;
  const batch = broadcast([A.slice(0, -2), B.slice(0, -2)]);
  if (!batch || B[B.length - 2] !== K) return undefined;
  const o = [...batch, M, N];
  if (a.length === 1) o.splice(o.length - 2, 1);
  if (b.length === 1) o.splice(o.length - 1, 1);
  return { out: [o] };
};

const gemm: ShapeHandler = ({ ins: [a, b], attr }) => {
  if (!a || !b || a.length !== 2 || b.length !== 2) return undefined;
  return { out: [[attr('transA')?.i ? a[1]! : a[0]!, attr('transB')?.i ? b[0]! : b[1]!]] };
};

/** Conv and the pools: one output size per spatial axis from kernel, strides, dilations, pads. */
const window: ShapeHandler = ({ node, ins, attr }) => {
  const x = ins[0];
  if (!x || x.length < 3) return undefined;
  const spatial = x.length - 2;
  const w = node.op === 'Conv' ? ins[1] : undefined;
  if (node.op === 'Conv' && (!w || w.length !== x.length)) return undefined;
  const kernel = attr('kernel_shape')?.ints ?? w?.slice(2);
  if (!kernel || kernel.length !== spatial) return undefined;
  const strides = attr('strides')?.ints ?? ones(kernel);
  const dil = attr('dilations')?.ints ?? ones(kernel);
  const pads = attr('pads')?.ints ?? [...zeros(kernel), ...zeros(kernel)];
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
  return { out: [[x[0]!, w ? w[0]! : x[1]!, ...os]] };
};

const convTranspose: ShapeHandler = ({ ins: [x, w], attr }) => {
  if (!x || !w || x.length < 3 || w.length !== x.length) return undefined;
  const spatial = x.length - 2;
  const kernel = attr('kernel_shape')?.ints ?? w.slice(2);
  const strides = attr('strides')?.ints ?? ones(kernel);
  const dil = attr('dilations')?.ints ?? ones(kernel);
  const outPad = attr('output_padding')?.ints ?? zeros(kernel);
  const group = attr('group')?.i ?? 1;
  const explicit = attr('output_shape')?.ints;
  const autoPad = attr('auto_pad')?.s ?? 'NOTSET';
  const pads = attr('pads')?.ints ?? [...zeros(kernel), ...zeros(kernel)];
  const os: number[] = [];
  for (let i = 0; i < spatial; i++) {
    const full = strides[i]! * (x[2 + i]! - 1) + outPad[i]! + (kernel[i]! - 1) * dil[i]! + 1;
    if (explicit) os.push(explicit[explicit.length - spatial + i]!);
    else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') os.push(x[2 + i]! * strides[i]!);
    else if (autoPad === 'VALID') os.push(full);
    else os.push(full - pads[i]! - pads[i + spatial]!);
  }
  return { out: [[x[0]!, w[1]! * group, ...os]] };
};

const globalPool: ShapeHandler = ({ ins: [x] }) => (x ? { out: [[...x.slice(0, 2), ...x.slice(2).map(() => 1)]] } : undefined);

// ---------------------------------------------------------------------------------------------
// Layout.

const flatten: ShapeHandler = ({ ins: [x], attr }) => {
  if (!x) return undefined;
  const ax = norm(attr('axis')?.i ?? 1, x.length);
  return { out: [[prod(x.slice(0, ax)), prod(x.slice(ax))]] };
};

const reshape: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => {
  const target = valueOf(node.inputs[1]);
  if (!x || !target) return undefined;
  const allowZero = attr('allowzero')?.i === 1;
  const o = target.map((d, i) => (d === 0 && !allowZero ? x[i]! : d));
  const known = prod(o.filter((d) => d !== -1));
  const neg = o.indexOf(-1);
  if (neg >= 0) o[neg] = known === 0 ? 0 : prod(x) / known;
  return { out: [o], value: valueOf(node.inputs[0]) };
};

const transpose: ShapeHandler = ({ ins: [x], attr }) => {
  if (!x) return undefined;
  const perm = attr('perm')?.ints ?? x.map((_, i) => x.length - 1 - i);
  return { out: [perm.map((p) => x[p]!)] };
};

const squeeze: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => {
  if (!x) return undefined;
  const axes = (attr('axes')?.ints ?? valueOf(node.inputs[1]))?.map((a) => norm(a, x.length));
  return { out: [x.filter((d, i) => (axes ? !axes.includes(i) : d !== 1))], value: valueOf(node.inputs[0]) };
};

const unsqueeze: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => {
  const raw = attr('axes')?.ints ?? valueOf(node.inputs[1]);
  if (!x || !raw) return undefined;
  const rank = x.length + raw.length;
  const axes = raw.map((a) => norm(a, rank));
  const o: Shape = [];
  let j = 0;
  for (let i = 0; i < rank; i++) o.push(axes.includes(i) ? 1 : x[j++]!);
  return { out: [o], value: valueOf(node.inputs[0]) };
};

const concat: ShapeHandler = ({ node, ins, attr, valueOf }) => {
  const x = ins[0];
  if (ins.some((s) => !s) || !x) return undefined;
  const ax = norm(attr('axis')?.i ?? 0, x.length);
  const o = [...x];
  o[ax] = ins.reduce((s, y) => s + y![ax]!, 0);
  const vs = node.inputs.map((i) => valueOf(i));
  return { out: [o], value: x.length === 1 && vs.every((v) => v) ? vs.flatMap((v) => v!) : undefined };
};

const slice: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => {
  if (!x) return undefined;
  const starts = attr('starts')?.ints ?? valueOf(node.inputs[1]);
  const ends = attr('ends')?.ints ?? valueOf(node.inputs[2]);
  if (!starts || !ends) return undefined;
  const axes = (attr('axes')?.ints ?? valueOf(node.inputs[3]) ?? starts.map((_, i) => i)).map((a) => norm(a, x.length));
  const steps = valueOf(node.inputs[4]) ?? ones(starts);
  const o = [...x];
  const ranges: [number, number, number][] = x.map((d) => [0, d, 1]);
  axes.forEach((ax, i) => {
    const d = x[ax]!;
    const step = steps[i]!;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + d : v, lo), hi);
    const s = step > 0 ? clamp(starts[i]!, 0, d) : clamp(starts[i]!, -1, d - 1);
    const e = step > 0 ? clamp(ends[i]!, 0, d) : clamp(ends[i]!, -1, d - 1);
    o[ax] = Math.max(0, Math.ceil((e - s) / step));
    ranges[ax] = [s, e, step];
  });
  const v = valueOf(node.inputs[0]);
  if (!v || x.length !== 1) return { out: [o] };
  const [s, , step] = ranges[0]!;
  return { out: [o], value: Array.from({ length: o[0]! }, (_, k) => v[s + k * step]!) };
};

const gather: ShapeHandler = ({ node, ins: [x, idx], attr, valueOf }) => {
  if (!x || !idx) return undefined;
  const ax = norm(attr('axis')?.i ?? 0, x.length);
  const data = valueOf(node.inputs[0]);
  const iv = valueOf(node.inputs[1]);
  const value = data && iv && x.length === 1 ? iv.map((i) => data[i < 0 ? i + x[0]! : i]!) : undefined;
  return { out: [[...x.slice(0, ax), ...idx, ...x.slice(ax + 1)]], value };
};

const split: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => {
  if (!x) return undefined;
  const ax = norm(attr('axis')?.i ?? 0, x.length);
  const parts = node.outputs.length;
  const even = (): number[] => {
    const size = Math.ceil(x[ax]! / (attr('num_outputs')?.i ?? parts));
    return Array.from({ length: parts }, (_, i) => Math.min(size, x[ax]! - i * size));
  };
  const lens = attr('split')?.ints ?? valueOf(node.inputs[1]) ?? even();
  return { out: lens.map((len) => x.map((d, i) => (i === ax ? len : d))) };
};

const pad: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => {
  const pads = attr('pads')?.ints ?? valueOf(node.inputs[1]);
  if (!x || !pads) return undefined;
  const axes = valueOf(node.inputs[3])?.map((a) => norm(a, x.length)) ?? x.map((_, i) => i);
  const o = [...x];
  axes.forEach((ax, i) => (o[ax] = o[ax]! + pads[i]! + pads[i + axes.length]!));
  return { out: [o] };
};

const expand: ShapeHandler = ({ node, ins: [x], valueOf }) => {
  const s = valueOf(node.inputs[1]);
  return x && s ? { out: [broadcast([x, s])] } : undefined;
};

const tile: ShapeHandler = ({ node, ins: [x], valueOf }) => {
  const r = valueOf(node.inputs[1]);
  return x && r ? { out: [x.map((d, i) => d * r[i]!)] } : undefined;
};

const reduce: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => {
  if (!x) return undefined;
  const keep = (attr('keepdims')?.i ?? 1) === 1;
  const arg = node.op === 'ArgMax' || node.op === 'ArgMin';
  const axesRaw = arg ? [attr('axis')?.i ?? 0] : (attr('axes')?.ints ?? valueOf(node.inputs[1]));
  if (!axesRaw && node.inputs[1]) return undefined; // axes from a value not folded
  const noop = attr('noop_with_empty_axes')?.i === 1;
  const axes = axesRaw?.length ? axesRaw.map((a) => norm(a, x.length)) : noop ? [] : x.map((_, i) => i);
  return { out: [keep ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i))] };
};

// ---------------------------------------------------------------------------------------------
// Shape arithmetic and constants.

const shape: ShapeHandler = ({ ins: [x], attr }) => {
  if (!x) return undefined;
  const r = x.length;
  const start = Math.min(Math.max(norm(attr('start')?.i ?? 0, r), 0), r);
  const end = Math.min(Math.max(norm(attr('end')?.i ?? r, r), 0), r);
  const value = x.slice(start, Math.max(start, end));
  return { out: [[value.length]], value, int: true };
};

const size: ShapeHandler = ({ ins: [x] }) => (x ? { out: [[]], value: [prod(x)], int: true } : undefined);

const constant: ShapeHandler = ({ attr }) => {
  const t = attr('value')?.t;
  if (t) return { out: [t.dims], value: t.values ?? undefined, int: INT_TYPES.has(t.elemType) };
  const list = (a: AttrInfo | undefined, xs: number[] | undefined, int: boolean): Inferred | undefined =>
    a && xs ? { out: [[xs.length]], value: xs, int } : undefined;
  const scalar = (x: number | undefined, int: boolean): Inferred | undefined => (x !== undefined ? { out: [[]], value: [x], int } : undefined);
  return (
    (attr('value_int') ? scalar(attr('value_int')!.i, true) : undefined) ??
    list(attr('value_ints'), attr('value_ints')?.ints, true) ??
    (attr('value_float') ? scalar(attr('value_float')!.f, false) : undefined) ??
    list(attr('value_floats'), attr('value_floats')?.floats, false)
  );
};

const constantOfShape: ShapeHandler = ({ node, attr, valueOf }) => {
  const s = valueOf(node.inputs[0]);
  if (!s) return undefined;
  const t = attr('value')?.t;
  const fill = t?.values?.[0] ?? 0;
  const value = prod(s) <= SMALL ? (s.length === 0 ? [fill] : Array.from({ length: prod(s) }, () => fill)) : undefined;
  return { out: [s], value, int: t ? INT_TYPES.has(t.elemType) : false };
};

const range: ShapeHandler = ({ node, valueOf }) => {
  const [s, l, d] = [valueOf(node.inputs[0])?.[0], valueOf(node.inputs[1])?.[0], valueOf(node.inputs[2])?.[0]];
  if (s === undefined || l === undefined || d === undefined || d === 0) return undefined;
  const len = Math.max(Math.ceil((l - s) / d), 0);
  return { out: [[len]], value: len <= SMALL ? Array.from({ length: len }, (_, k) => s + k * d) : undefined };
};

// ---------------------------------------------------------------------------------------------
// Element-wise.

const sameShape: ShapeHandler = ({ ins: [x] }) => ({ out: [x] });
const identity: ShapeHandler = ({ node, ins: [x], valueOf }) => ({ out: [x], value: valueOf(node.inputs[0]) });
const cast: ShapeHandler = ({ node, ins: [x], attr, valueOf }) => ({ out: [x], value: valueOf(node.inputs[0]), int: INT_TYPES.has(attr('to')?.i ?? 0) });

const present = (n: NodeInfo): string[] => n.inputs.filter((i) => i !== '');

const broadcasting = (int?: boolean): ShapeHandler => ({ node, shapeOf, valueOf, isInt }) => {
  const names = present(node);
  const ss = names.map((i) => shapeOf(i));
  const known = ss.every((s) => s);
  const [a, b] = names.map((i) => valueOf(i));
  const value = names.length === 2 && a && b && ss[0] && ss[1] ? foldBinary(node.op, { shape: ss[0], v: a }, { shape: ss[1], v: b }, isInt) : undefined;
  return { out: known ? [broadcast(ss as Shape[])] : [], value, ...(int !== undefined ? { int } : {}) };
};

const where: ShapeHandler = (ctx) => {
  const names = present(ctx.node);
  const ss = names.map((i) => ctx.shapeOf(i));
  if (!ss.every((s) => s)) return broadcasting()(ctx);
  const o = broadcast(ss as Shape[]);
  const [c, x, y] = names.map((i) => ctx.valueOf(i));
  const pick = (v: number[], k: number): number => (v.length === 1 ? v[0]! : v[k]!);
  const value =
    c && x && y && o && prod(o) <= SMALL && [c, x, y].every((v) => v.length === prod(o) || v.length === 1)
      ? Array.from({ length: prod(o) }, (_, k) => (pick(c, k) ? pick(x, k) : pick(y, k)))
      : undefined;
  return { out: [o], value, int: ctx.isIntValue(names[1]) };
};

const SAME_SHAPE = [
  'Relu', 'Tanh', 'Sigmoid', 'Erf', 'Neg', 'Sqrt', 'Exp', 'Log', 'Abs', 'Softmax', 'LogSoftmax',
  'LayerNormalization', 'SimplifiedLayerNormalization', 'SkipLayerNormalization', 'SkipSimplifiedLayerNormalization',
  'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Dropout', 'Not', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Clip', 'LeakyRelu',
  'HardSigmoid', 'HardSwish', 'Softplus', 'Sin', 'Cos', 'BatchNormalization', 'InstanceNormalization', 'GroupNormalization',
  'Elu', 'Selu', 'Celu', 'Mish', 'LRN', 'MeanVarianceNormalization', 'Shrink', 'ThresholdedRelu', 'Acos', 'Asin', 'Atan', 'Tan',
  'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Softsign', 'Sign', 'IsNaN', 'IsInf', 'Hardmax', 'LpNormalization', 'Trilu',
  'RotaryEmbedding', 'CumSum',
] as const;
const ARITHMETIC = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mod', 'PRelu', 'BitShift', 'Sum', 'Mean', 'BiasAdd'] as const;
const LOGICAL = ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'] as const;
const REDUCE = [
  'ArgMax', 'ArgMin', 'ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2', 'ReduceL1', 'ReduceSumSquare', 'ReduceLogSumExp',
] as const;

const table = (ops: readonly string[], h: ShapeHandler): Record<string, ShapeHandler> => Object.fromEntries(ops.map((op) => [op, h]));

/** opType → shape handler. An operator missing here leaves its outputs unknown. */
export const SHAPE_OPS: Readonly<Record<string, ShapeHandler>> = {
  ...table(SAME_SHAPE, sameShape),
  ...table(ARITHMETIC, broadcasting()),
  ...table(LOGICAL, broadcasting(true)),
  ...table(REDUCE, reduce),
  ...table(['Conv', 'MaxPool', 'AveragePool', 'LpPool'], window),
  ...table(['GlobalAveragePool', 'GlobalMaxPool'], globalPool),
  Identity: identity,
  Cast: cast,
  CastLike: sameShape,
  Where: where,
  MatMul: matMul,
  Gemm: gemm,
  ConvTranspose: convTranspose,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Slice: slice,
  Gather: gather,
  Split: split,
  Pad: pad,
  Expand: expand,
  Tile: tile,
  Shape: shape,
  Size: size,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
};
