/**
 * Static shape inference over a parsed graph, given concrete input shapes. Small int64 "shape
 * arithmetic" subgraphs (Shape → Gather/Slice → Concat → Reshape) are constant-folded, so the
 * products downstream get concrete operand shapes. Each operator is one handler in
 * shape-ops.ts; values not inferred stay unknown, and the graph's own value_info (symbolic dims
 * bound from the inputs) fills gaps.
 */
import { INT_TYPES, type NodeInfo, type ParsedModel } from './parse.ts';
import { SHAPE_OPS, type InferContext, type Inferred, type Shape } from './shape-ops.ts';

export type { Shape };

/** Shapes and small values of every value name, filled node by node in graph order. */
export class ShapeEnv {
  private readonly shapes = new Map<string, Shape>();
  private readonly values = new Map<string, number[]>();
  private readonly intish = new Map<string, boolean>();
  /** Symbolic dims bound from the chosen input shapes, for the value_info fallback. */
  private readonly symbols = new Map<string, number>();
  /**
   * Nodes whose handler threw ("Op: message"): their outputs stay unknown, the count goes on, and
   * the workload lists them so a handler bug cannot pass for an uncountable graph unseen.
   */
  readonly failures: string[] = [];

  constructor(private readonly m: ParsedModel, inputShapes: Readonly<Record<string, number[]>>) {
    for (const [name, t] of m.initializers) {
      this.shapes.set(name, t.dims);
      if (t.values) this.values.set(name, t.values);
      this.intish.set(name, INT_TYPES.has(t.elemType));
    }
    for (const inp of m.inputs) {
      const s = inputShapes[inp.name];
      if (!s) continue;
      this.shapes.set(inp.name, s);
      this.intish.set(inp.name, INT_TYPES.has(inp.elemType));
      inp.dims?.forEach((d, i) => {
        if (typeof d === 'string' && s[i] !== undefined) this.symbols.set(d, s[i]);
      });
    }
  }

  private declared(name: string): Shape | undefined {
    const vi = this.m.valueInfo.get(name) ?? this.m.outputs.find((o) => o.name === name);
    if (!vi?.dims) return undefined;
    const out: Shape = [];
    for (const d of vi.dims) {
      const v = typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? this.symbols.get(d) : undefined;
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }

  shapeOf = (name: string | undefined): Shape | undefined => (name ? (this.shapes.get(name) ?? this.declared(name)) : undefined);
  valueOf = (name: string | undefined): number[] | undefined => (name ? this.values.get(name) : undefined);
  isIntValue = (name: string | undefined): boolean => this.intish.get(name ?? '') ?? false;

  /** Infers the outputs of one node; an operator without a handler leaves them unknown. */
  infer(n: NodeInfo): void {
    const isInt = this.isIntValue(n.inputs[0]);
    const ctx: InferContext = {
      node: n,
      attr: (k) => n.attrs.get(k),
      ins: n.inputs.map((i) => (i === '' ? undefined : this.shapeOf(i))),
      shapeOf: this.shapeOf,
      valueOf: this.valueOf,
      isInt,
      isIntValue: this.isIntValue,
    };
    let r: Inferred | undefined;
    try {
      r = Object.hasOwn(SHAPE_OPS, n.op) ? SHAPE_OPS[n.op]!(ctx) : undefined;
    } catch (e) {
      // A malformed node (an axis out of range, say): its outputs stay unknown.
      this.failures.push(`${n.op}: ${e instanceof Error ? e.message : String(e)}`);
      r = undefined;
    }
    n.outputs.forEach((o, i) => {
      const s = r?.out[i];
      if (s && s.every((d) => Number.isInteger(d) && d >= 0)) this.shapes.set(o, s);
      if (i === 0 && r?.int !== undefined) this.intish.set(o, r.int);
      if (!this.intish.has(o)) this.intish.set(o, isInt);
    });
    if (r?.value && n.outputs[0]) this.values.set(n.outputs[0], r.value);
  }
}
