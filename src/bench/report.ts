/**
 * The benchmark's report and its ratios: pure functions of the measured rows, so the summary and
 * the targets can be tested without a GPU and recomputed from a saved `bench.json`.
 *
 * Every cross-engine ratio is "theirs ÷ ours" on the same shape, dtype and feeding (> 1: ours is
 * faster); every roofline ratio is "achieved ÷ measured ceiling" on the same device in the same
 * run. Summaries are geometric means (ratios multiply; an arithmetic mean would let one outlier
 * shape dominate). A ratio that could not be measured is `null` with the reason, never 0.
 */
import type { TimingSource } from '../shared/result.ts';
import type { GemmSplitK, GemvReduction, TuningRecord } from '../shared/tuning.ts';

export const BENCH_VERSION = 3;

/** The cheapest real dispatch: a 16-byte copy in one workgroup, timed in long batches. */
export interface DispatchOverhead {
  /** Per dispatch inside one pass, from GPU timestamps (null without them). */
  gpuMsPerDispatch: number | null;
  /** Per dispatch from the wall clock (empty-submit latency subtracted): what a query pays on the CPU side too. */
  wallMsPerDispatch: number;
  /** submit → onSubmittedWorkDone of an empty command buffer: the floor of any round trip. */
  emptySubmitMs: number;
}

export interface Ceilings {
  peakGflops: number;
  bandwidthGbps: number;
  dispatch: DispatchOverhead;
}

/** Ours and onnxruntime-web on one kernel shape, both fed and timed the same way. */
export interface KernelRow {
  kind: 'gemm' | 'gemv';
  shape: { m: number; k: number; n: number };
  flops: number;
  bytes: number;
  /** Ours, GPU timestamps (or wall clock when the adapter has none): the ceiling comparison. */
  oursKernelMs: number;
  oursTiming: TimingSource;
  /** Median wall clock per call, inputs resident on the GPU, output read back: the cross-engine comparison. */
  oursWallMs: number;
  ortWallMs: number | null;
  ortError: string | null;
  /** GFLOP/s (gemm) or GB/s (gemv) from oursKernelMs. */
  achieved: number;
  /** achieved ÷ fma-peak (gemm) or ÷ copy bandwidth (gemv). */
  fractionOfCeiling: number;
}

/**
 * Creating a model's pipelines (weight synthesis and query graph) with
 * createComputePipelineAsync, all at once, before the model is built: startup cost, apart from
 * inference. `late` counts pipelines the build still had to create synchronously (0 when the
 * discovery saw everything the build asked for).
 */
export type PipelineCompile = { ms: number; pipelines: number; late: number } | { ms: null; reason: string };

/** A whole model, ours vs onnxruntime-web on the same ONNX graph and weights. */
export interface ModelRow {
  kind: 'model';
  model: string;
  /** encoder forward, or decoder prefill (the oracle graph has no KV cache: decode is compared to the roofline instead). */
  phase: 'encode' | 'prefill';
  tokens: number;
  dispatches: number;
  oursWallMs: number;
  ortWallMs: number | null;
  ortError: string | null;
  /** dispatches × wall cost of one dispatch ÷ oursWallMs. */
  dispatchOverheadShare: number;
  /** Pipeline creation, timed before the build (see PipelineCompile). */
  compile: PipelineCompile;
  /**
   * First query's wall time minus a steady query's, with the pipelines already compiled: first-use
   * allocation and whatever the driver still defers to first use.
   */
  firstQueryOverheadMs: number;
}

/** Greedy decode with the KV cache, against what memory bandwidth allows. */
export interface DecodeRow {
  kind: 'decode';
  model: string;
  steps: number;
  /** Bytes the decode step's dispatches declare (weights, KV cache, activations), per token. */
  bytesPerToken: number;
  msPerToken: number;
  tokensPerSecond: number;
  /** copy bandwidth ÷ bytesPerToken. */
  rooflineTokensPerSecond: number;
  dispatchesPerToken: number;
}

/**
 * One skinny product (src/bench/splitk.ts) unsplit (`splitK` 1) or split into slices of K: the
 * rows of a shape side by side say which split the autotuner should keep for it.
 */
export interface SplitKRow {
  kind: 'splitk';
  shape: { m: number; k: number; n: number };
  /** Requested split; `slices` were launched (fewer when K is short). */
  splitK: GemmSplitK;
  slices: number;
  /** 1 (gemm) or 2 (partial products, then the reduce pass). */
  dispatches: number;
  flops: number;
  /** Both passes, the scratch written and read once. */
  bytes: number;
  oursKernelMs: number;
  oursTiming: TimingSource;
  /** GFLOP/s from oursKernelMs. */
  achieved: number;
  /** Unsplit time ÷ this time on the same shape (> 1: the split is faster). */
  speedupVsUnsplit: number;
}


/** One GEMV shape with one K reduction (workgroup memory or subgroup operations), GPU-timed; no onnxruntime-web counterpart. */
export interface GemvReductionRow {
  kind: 'gemv-reduction';
  reduction: GemvReduction;
  shape: { m: 1; k: number; n: number };
  bytes: number;
  kernelMs: number;
  timing: TimingSource;
  /** GB/s from kernelMs. */
  achieved: number;
  /** achieved ÷ copy bandwidth. */
  fractionOfCeiling: number;
}

export type BenchRow = KernelRow | ModelRow | DecodeRow | SplitKRow | GemvReductionRow;

export type RatioName =
  | 'gemmVsOrt'
  | 'gemvVsOrt'
  | 'modelVsOrt'
  | 'gemmVsFmaPeak'
  | 'gemvVsCopy'
  | 'decodeVsRoofline'
  | 'dispatchOverheadShare';

export type Ratio = { value: number; n: number; target: number | null; met: boolean | null } | { value: null; reason: string; target: number | null; met: null };

/** What issue-level targets ask for, as "at least" except dispatchOverheadShare (reported, no target). */
export const TARGETS: Readonly<Record<RatioName, number | null>> = Object.freeze({
  gemmVsOrt: 1.5,
  gemvVsOrt: 2,
  modelVsOrt: 1.3,
  gemmVsFmaPeak: 0.6,
  gemvVsCopy: 0.85,
  decodeVsRoofline: 0.7,
  dispatchOverheadShare: null,
});

export const RATIO_NAMES = Object.keys(TARGETS) as RatioName[];

export function geometricMean(values: readonly number[]): number | null {
  const ok = values.filter((v) => Number.isFinite(v) && v > 0);
  if (ok.length === 0) return null;
  return Math.exp(ok.reduce((s, v) => s + Math.log(v), 0) / ok.length);
}

function ratio(name: RatioName, values: readonly number[], reasonIfNone: string): Ratio {
  const target = TARGETS[name];
  const value = geometricMean(values);
  if (value === null) return { value: null, reason: reasonIfNone, target, met: null };
  return { value, n: values.length, target, met: target === null ? null : value >= target };
}

const ortReason = (rows: readonly { ortError: string | null }[], what: string): string => {
  if (rows.length === 0) return `no ${what} in this preset`;
  const err = rows.find((r) => r.ortError)?.ortError;
  return err ? `onnxruntime-web failed: ${err}` : `onnxruntime-web was not measured for any ${what}`;
};

export function computeRatios(rows: readonly BenchRow[]): Record<RatioName, Ratio> {
  const gemm = rows.filter((r): r is KernelRow => r.kind === 'gemm');
  const gemv = rows.filter((r): r is KernelRow => r.kind === 'gemv');
  const models = rows.filter((r): r is ModelRow => r.kind === 'model');
  const decode = rows.filter((r): r is DecodeRow => r.kind === 'decode');
  const vsOrt = (rs: readonly (KernelRow | ModelRow)[]) => rs.flatMap((r) => (r.ortWallMs === null ? [] : [r.ortWallMs / r.oursWallMs]));
  return {
    gemmVsOrt: ratio('gemmVsOrt', vsOrt(gemm), ortReason(gemm, 'GEMM shape')),
    gemvVsOrt: ratio('gemvVsOrt', vsOrt(gemv), ortReason(gemv, 'GEMV shape')),
    modelVsOrt: ratio('modelVsOrt', vsOrt(models), ortReason(models, 'model')),
    gemmVsFmaPeak: ratio('gemmVsFmaPeak', gemm.map((r) => r.fractionOfCeiling), 'no GEMM shape in this preset'),
    gemvVsCopy: ratio('gemvVsCopy', gemv.map((r) => r.fractionOfCeiling), 'no GEMV shape in this preset'),
    decodeVsRoofline: ratio(
      'decodeVsRoofline',
      decode.map((r) => r.tokensPerSecond / r.rooflineTokensPerSecond),
      'no decoder with at least one decode step in this preset',
    ),
    dispatchOverheadShare: ratio('dispatchOverheadShare', models.map((r) => r.dispatchOverheadShare), 'no model in this preset'),
  };
}

export interface BenchReport {
  benchVersion: typeof BENCH_VERSION;
  preset: string;
  date: string;
  adapter: { vendor: string; architecture: string };
  /** True on a software adapter (SwiftShader): its figures say nothing of GPU performance. */
  softwareAdapter: boolean;
  timing: TimingSource;
  ceilings: Ceilings;
  rows: BenchRow[];
  /** Shapes or models not measured, each with why (too large for a binding, an engine failed). */
  skipped: { what: string; reason: string }[];
  ratios: Record<RatioName, Ratio>;
  /** The app's kernel autotune on this preset's shapes, with its trials (absent from reports before tuning). */
  tuning?: TuningRecord;
  method: string;
}

function num(v: number | null, digits = 3): string {
  if (v === null) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : v.toPrecision(digits);
}

function compileText(c: PipelineCompile): string {
  if (c.ms === null) return `pipelines not timed (${c.reason})`;
  return `${c.pipelines} pipelines compiled in ${num(c.ms)} ms${c.late > 0 ? ` (+${c.late} late)` : ''}`;
}

/** A trial's median, or why it has none (records before the reason was kept say just "untimed"). */
const trialMs = (t: TuningRecord['trials'][number]): string => (t.medianMs === null ? `untimed${t.untimed ? ` (${t.untimed})` : ''}` : `${t.medianMs.toPrecision(3)} ms`);

/** The tuning's lines of the printed table: the choice, then one line per trial. */
export function formatTuning(r: TuningRecord): string[] {
  const split = Object.entries(r.tuning.gemmSplitK).map(([shape, k]) => `${shape}→${k}`);
  const how = r.source === 'default' ? `defaults (${r.reason ?? 'failed'})` : `${r.source}${r.tuneMs === null ? '' : ` in ${r.tuneMs.toFixed(0)} ms`}`;
  const lines = [`tuning ${how}: split-K ${split.length ? split.join(', ') : 'none'}, GEMV ${r.tuning.gemvReduction}`];
  for (const t of r.trials) lines.push(`  trial ${t.op.padEnd(4)} ${t.shape.padEnd(16)} ${t.candidate.padEnd(20)} ${trialMs(t)}${t.prologue ? ` with ${t.prologue}` : ''}`);
  return lines;
}

/** The printed table of `npm run bench`: one line per row, then the ratios against their targets. */
export function formatReport(r: BenchReport): string {
  const lines: string[] = [];
  lines.push(`preset ${r.preset} · ${r.adapter.vendor}/${r.adapter.architecture} · timing ${r.timing}${r.softwareAdapter ? ' · SOFTWARE ADAPTER: not GPU performance' : ''}`);
  lines.push(
    `ceilings: ${num(r.ceilings.peakGflops)} GFLOP/s fma, ${num(r.ceilings.bandwidthGbps)} GB/s copy, ` +
      `dispatch ${num(r.ceilings.dispatch.wallMsPerDispatch * 1000)} µs wall / ${num(r.ceilings.dispatch.gpuMsPerDispatch === null ? null : r.ceilings.dispatch.gpuMsPerDispatch * 1000)} µs GPU, ` +
      `empty submit ${num(r.ceilings.dispatch.emptySubmitMs * 1000)} µs`,
  );
  for (const row of r.rows) {
    switch (row.kind) {
      case 'gemm':
      case 'gemv': {
        const unit = row.kind === 'gemm' ? 'GFLOP/s' : 'GB/s';
        const { m, k, n } = row.shape;
        lines.push(
          `${row.kind.padEnd(6)} ${`${m}×${k}×${n}`.padEnd(18)} ${num(row.achieved).padStart(8)} ${unit} (${num(row.fractionOfCeiling * 100)} % of ceiling) · ` +
            `ours ${num(row.oursWallMs)} ms vs ort ${row.ortWallMs === null ? (row.ortError ?? '—') : `${num(row.ortWallMs)} ms`}`,
        );
        break;
      }
      case 'model':
        lines.push(
          `model  ${`${row.model} ${row.phase}`.padEnd(18)} ${row.dispatches} dispatches (${num(row.dispatchOverheadShare * 100)} % overhead), ${compileText(row.compile)}, first query +${num(row.firstQueryOverheadMs)} ms · ` +
            `ours ${num(row.oursWallMs)} ms vs ort ${row.ortWallMs === null ? (row.ortError ?? '—') : `${num(row.ortWallMs)} ms`}`,
        );
        break;
      case 'splitk': {
        const { m, k, n } = row.shape;
        lines.push(
          `splitk ${`${m}×${k}×${n}`.padEnd(18)} S=${row.splitK}${row.slices !== row.splitK ? ` (${row.slices} launched)` : ''} ${num(row.achieved).padStart(8)} GFLOP/s · ` +
            `${num(row.oursKernelMs)} ms, ×${num(row.speedupVsUnsplit)} vs unsplit${r.softwareAdapter ? ' (software adapter)' : ''}`,
        );
        break;
      }
      case 'gemv-reduction': {
        const { m, k, n } = row.shape;
        lines.push(`gemv   ${`${m}×${k}×${n}`.padEnd(18)} ${num(row.achieved).padStart(8)} GB/s (${num(row.fractionOfCeiling * 100)} % of ceiling) · K reduction ${row.reduction}, ${num(row.kernelMs)} ms (${row.timing})`);
        break;
      }
      case 'decode':
        lines.push(
          `decode ${row.model.padEnd(18)} ${num(row.tokensPerSecond)} tok/s of ${num(row.rooflineTokensPerSecond)} roofline ` +
            `(${num(row.bytesPerToken / 1e6)} MB/token, ${row.dispatchesPerToken} dispatches/token)`,
        );
        break;
      default: {
        const never: never = row;
        throw new Error(String(never));
      }
    }
  }
  if (r.tuning) lines.push(...formatTuning(r.tuning));
  for (const s of r.skipped) lines.push(`skipped ${s.what}: ${s.reason}`);
  lines.push('ratios (geometric means; target → met?):');
  for (const name of RATIO_NAMES) {
    const q = r.ratios[name];
    const target = q.target === null ? 'no target' : `target ≥ ${q.target}`;
    lines.push(`  ${name.padEnd(22)} ${q.value === null ? `null (${q.reason})` : `${num(q.value)} (n=${q.n})`} · ${target}${q.met === null ? '' : q.met ? ' · met' : ' · NOT met'}`);
  }
  return lines.join('\n');
}

/** Coefficient of variation of one row's median across repeated runs (the ≤ 3 % target). */
export function medianCv(medians: readonly number[]): number | null {
  if (medians.length < 2) return null;
  const mean = medians.reduce((s, v) => s + v, 0) / medians.length;
  if (!(mean > 0)) return null;
  const variance = medians.reduce((s, v) => s + (v - mean) ** 2, 0) / (medians.length - 1);
  return Math.sqrt(variance) / mean;
}
