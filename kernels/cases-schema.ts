/**
 * The schema of every kernels/NAME/NAME.cases.json. A case is either explicit (inputs and
 * hand-computed outputs) or seeded (a shape and a seed; inputs from `seededValues`, expectations
 * from NAME.ref.ts). Unknown fields are errors (a typo would silently turn an explicit input into
 * a seeded one), and a file with no case is an error: a test loop over zero cases passes.
 */
import * as v from 'valibot';

const int = v.pipe(v.number(), v.integer());
const count = v.pipe(int, v.minValue(1));
const index = v.pipe(int, v.minValue(0));
const u32 = v.pipe(int, v.minValue(0), v.maxValue(0xffff_ffff));
const values = v.array(v.pipe(v.number(), v.finite()));
const seed = v.optional(u32);

const gemm = v.strictObject({
  name: v.string(), m: count, n: count, k: count, seed,
  a: v.optional(values), b: v.optional(values), expected: v.optional(values),
  bias: v.optional(v.union([values, v.literal('seeded')])), relu: v.optional(v.boolean()),
});
const gemmSplitK = v.strictObject({
  name: v.string(), m: count, n: count, k: count, splits: v.picklist([2, 4, 8]), seed,
  a: v.optional(values), b: v.optional(values), expected: v.optional(values),
  bias: v.optional(v.union([values, v.literal('seeded')])), activation: v.optional(v.picklist(['none', 'relu', 'gelu'])),
  residual: v.optional(v.union([values, v.literal('seeded')])),
});
const gemv = v.strictObject({
  name: v.string(), n: count, k: count, layout: v.picklist(['kn', 'nk']), seed,
  x: v.optional(values), w: v.optional(values), expected: v.optional(values),
  bias: v.optional(v.union([values, v.literal('seeded')])), activation: v.optional(v.picklist(['none', 'relu', 'tanh'])),
  xRows: v.optional(count), xRow: v.optional(index), yOffset: v.optional(index),
});
const layernorm = v.strictObject({
  name: v.string(), rows: count, dim: count, eps: v.number(), seed, shift: v.optional(v.number()),
  x: v.optional(values), gamma: v.optional(values), beta: v.optional(values), expected: v.optional(values),
});
const rmsnorm = v.strictObject({
  name: v.string(), rows: count, dim: count, eps: v.number(), seed, xRows: v.optional(count), rowOffset: v.optional(index),
  x: v.optional(values), gamma: v.optional(values), expected: v.optional(values),
});
const attention = v.strictObject({
  name: v.string(), queries: count, heads: count, kvHeads: count, headDim: count, qPos0: index, kvLen: count, causal: v.boolean(), seed,
  q: v.optional(values), k: v.optional(values), v: v.optional(values), expected: v.optional(values),
});
const attentionRope = v.strictObject({
  name: v.string(), queries: count, heads: count, kvHeads: count, headDim: count, qPos0: index, theta: v.number(), seed,
  q: v.optional(values), kNew: v.optional(values), kCache: v.optional(values), v: v.optional(values),
  expected: v.optional(values), expectedK: v.optional(values),
});
const gelu = v.strictObject({ name: v.string(), count: v.optional(count), seed, scale: v.optional(v.number()), x: v.optional(values), expected: v.optional(values) });
const swiglu = v.strictObject({
  name: v.string(), count: v.optional(count), seed, scale: v.optional(v.number()), gate: v.optional(values), up: v.optional(values), expected: v.optional(values),
});
const residual = v.strictObject({ name: v.string(), count: v.optional(count), seed, x: v.optional(values), y: v.optional(values), expected: v.optional(values) });
const rope = v.strictObject({
  name: v.string(), tokens: count, heads: count, kvHeads: count, headDim: count, pos0: index, theta: v.number(), seed,
  q: v.optional(values), k: v.optional(values), expectedQ: v.optional(values), expectedK: v.optional(values),
});
const embedding = v.strictObject({
  name: v.string(), dim: count, vocab: count, ids: v.array(index), seed, table: v.optional(values), positions: v.optional(values),
  expected: v.optional(values), chunkRows: v.optional(count), idOffset: v.optional(index), tokens: v.optional(count),
  posOffset: v.optional(index), positionsRows: v.optional(count),
});
const argmax = v.strictObject({
  name: v.string(), x: v.optional(values), expected: v.optional(index), count: v.optional(count), seed, outIndex: v.optional(index),
});
const weightSynth = v.strictObject({
  name: v.string(), seed: u32, tensorId: u32, rows: count, cols: count, init: v.picklist(['synth', 'ones', 'zeros']), scale: v.number(),
  rowStart: v.optional(index), rowCount: v.optional(count), colStart: v.optional(index), colCount: v.optional(count),
  /** Bit patterns (u32) of the first elements of the block, from an independent implementation. */
  expectedBits: v.optional(v.array(u32)),
});

const CASE_SCHEMAS = {
  gemm, 'gemm-splitk': gemmSplitK, gemv, layernorm, rmsnorm, attention, 'attention-rope': attentionRope, gelu, swiglu, residual, rope, embedding, argmax, 'weight-synth': weightSynth,
} as const;

export type CaseKernel = keyof typeof CASE_SCHEMAS;
export const CASE_KERNELS = Object.keys(CASE_SCHEMAS) as CaseKernel[];
export type KernelCase<K extends CaseKernel> = v.InferOutput<(typeof CASE_SCHEMAS)[K]>;

function fileSchema<K extends CaseKernel>(kernel: K) {
  return v.strictObject({
    kernel: v.literal(kernel),
    note: v.optional(v.string()),
    cases: v.pipe(v.array(CASE_SCHEMAS[kernel]), v.minLength(1, `${kernel}.cases.json has no case`)),
  });
}

export class CaseFileError extends Error {
  override name = 'CaseFileError';
}

/** The validated cases of one file; throws CaseFileError naming the file and every problem. */
export function parseCases<K extends CaseKernel>(kernel: K, json: unknown): KernelCase<K>[] {
  const r = v.safeParse(fileSchema(kernel), json);
  if (!r.success) {
    const issues = r.issues.map((i) => `${v.getDotPath(i) ?? '(file)'}: ${i.message}`).join('; ');
    throw new CaseFileError(`${kernel}.cases.json: ${issues}`);
  }
  const names = r.output.cases.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new CaseFileError(`${kernel}.cases.json: two cases are named "${dup}"`);
  return r.output.cases;
}
