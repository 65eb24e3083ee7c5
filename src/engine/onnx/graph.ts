/**
 * A small builder over proto.ts: unique value names, typed attribute helpers, constants as
 * initializers, and the few compound patterns the model graphs repeat.
 */
import { modelProto, OnnxType, valueInfo, type OnnxAttr, type OnnxDim, type OnnxNode, type OnnxTensor, type ProtoWriter } from './proto.ts';

export const int = (value: number): OnnxAttr => ({ kind: 'int', value });
export const ints = (value: number[]): OnnxAttr => ({ kind: 'ints', value });
export const float = (value: number): OnnxAttr => ({ kind: 'float', value });

/** Largest int64, the conventional "to the end" of Slice. */
export const INT64_MAX = 9223372036854775807n;

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: ProtoWriter[] = [];
  private readonly outputs: ProtoWriter[] = [];
  private readonly constants = new Map<string, string>();
  private counter = 0;

  constructor(private readonly name: string) {}

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  input(name: string, type: number, dims: OnnxDim[]): string {
    this.inputs.push(valueInfo(name, type as 1 | 6 | 7, dims));
    return name;
  }

  output(name: string, type: number, dims: OnnxDim[]): void {
    this.outputs.push(valueInfo(name, type as 1 | 6 | 7, dims));
  }

  initializer(name: string, dims: number[], data: OnnxTensor['data']): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** A 1-D int64 constant (deduplicated). */
  i64(values: (number | bigint)[]): string {
    const key = `i64:${values.join(',')}`;
    let n = this.constants.get(key);
    if (!n) {
      n = this.initializer(this.fresh('const_i64'), [values.length], BigInt64Array.from(values.map((v) => BigInt(v))));
      this.constants.set(key, n);
    }
    return n;
  }

  /** An f32 scalar constant (rank 0, deduplicated). */
  f32(value: number): string {
    const key = `f32:${value}`;
    let n = this.constants.get(key);
    if (!n) {
      n = this.initializer(this.fresh('const_f32'), [], new Float32Array([value]));
      this.constants.set(key, n);
    }
    return n;
  }

  /** Adds a node with one output (named `out` or fresh) and returns the output name. */
  op(op: string, inputs: string[], attrs: Record<string, OnnxAttr> = {}, out?: string): string {
    const output = out ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [output], name: `${op}_${this.counter++}`, attrs });
    return output;
  }

  // Compound patterns ---------------------------------------------------------------------------

  /** x·W (+ b). */
  linear(x: string, weight: string, bias?: string): string {
    const y = this.op('MatMul', [x, weight]);
    return bias ? this.op('Add', [y, bias]) : y;
  }

  /** Slice `x` on `axes` from `starts` to `ends` (int64 constants or value names). */
  slice(x: string, starts: string, ends: string, axes: string): string {
    return this.op('Slice', [x, starts, ends, axes]);
  }

  toBytes(): Uint8Array {
    return modelProto({ name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs });
  }

  /** Numbers for tests and reports. */
  stats(): { nodes: number; initializers: number; ops: Record<string, number> } {
    const ops: Record<string, number> = {};
    for (const n of this.nodes) ops[n.op] = (ops[n.op] ?? 0) + 1;
    return { nodes: this.nodes.length, initializers: this.initializers.length, ops };
  }
}

export { OnnxType };
