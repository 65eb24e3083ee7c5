/**
 * Pure data shaping for the History comparison and the Dataset view (unit-tested; the views
 * only render what these return). Missing values are null, never 0.
 */
import type { HistoryRecord } from './migrations.ts';
import type { GroupStats } from '../shared/dataset.ts';
import { energyWorkload } from '../shared/energy-workload.ts';
import type { ResultDocument } from '../shared/result.ts';
import { isRealDocument, realPair, realPairLabel } from './real.ts';

export interface RunColumn {
  localId: string;
  /** "2026-11-23 · google/swiftshader · ci" */
  label: string;
}

export interface Comparison {
  runs: RunColumn[];
  /** Union of workload ids, in first-seen order. */
  workloads: string[];
  /** medianMs[w][r]: median of workload w in run r, null when run r did not measure it. */
  medianMs: (number | null)[][];
  /**
   * Energy per query of each run (joules) and the general ÷ specialized gap: estimates, not
   * measurements (power is modelled), so each keeps its p5–p95 range beside the p50. Null
   * without an energy section.
   */
  specializedJ: (Estimate | null)[];
  generalJ: (Estimate | null)[];
  ratio: (Estimate | null)[];
}

/** An estimated quantity: its median and the p5–p95 range of the energy model's uncertainty. */
export interface Estimate {
  p5: number;
  p50: number;
  p95: number;
}

const estimate = (r: Estimate | undefined): Estimate | null => (r ? { p5: r.p5, p50: r.p50, p95: r.p95 } : null);

/**
 * "p50 (p5–p95)" with the caller's number format (locale-aware `fmt` in the views), "—" when
 * not estimated: a single figure would read as a measurement.
 */
export function formatEstimate(e: Estimate | null, format: (n: number) => string, suffix = ''): string {
  if (e === null) return '—';
  return `${format(e.p50)}${suffix} (${format(e.p5)}–${format(e.p95)}${suffix})`;
}

export function runLabel(r: HistoryRecord): string {
  const a = r.doc.environment.adapter;
  return `${r.doc.date ?? r.savedAt} · ${a.vendor || '?'}/${a.architecture || '?'} · ${r.doc.suite.preset}`;
}

export function compareRuns(records: readonly HistoryRecord[]): Comparison {
  const workloads: string[] = [];
  for (const r of records) for (const w of r.doc.workloads) if (!workloads.includes(w.id)) workloads.push(w.id);
  return {
    runs: records.map((r) => ({ localId: r.localId, label: runLabel(r) })),
    workloads,
    medianMs: workloads.map((id) => records.map((r) => r.doc.workloads.find((w) => w.id === id)?.timing.medianMs ?? null)),
    specializedJ: records.map((r) => estimate(r.doc.energy?.perQuery.specialized.joules)),
    generalJ: records.map((r) => estimate(r.doc.energy?.perQuery.general.joules)),
    ratio: records.map((r) => estimate(r.doc.energy?.ratio)),
  };
}

/**
 * Why a set of runs must not be compared side by side (null when it may). A real-models result
 * and a synthetic-race one measure different things (real weights answering a task vs synthetic
 * weights), two real-models results on different models share no workload id (`ROLE:MODEL:EP`),
 * and two on the same models but different task sets (English and French sentences) line up row
 * by row while measuring different work: each table would be rows of dashes, or rows that read
 * as a like-for-like comparison.
 * Two runs of the same models in different variants (fp32 vs quantized) do line up, and compare.
 */
export type CompareRefusal =
  | { kind: 'mixed'; real: number; synthetic: number }
  /** `pairs`: each distinct pair once, as realPairLabel writes it, in the runs' order. */
  | { kind: 'different-models'; pairs: string[] }
  /**
   * The same models on different task sets (an English run and a French one, or another version
   * of the items): accuracy and energy per correct answer answer different questions.
   * `tasks`: each distinct task set once, as realTaskLabel writes it, in the runs' order.
   */
  | { kind: 'different-tasks'; tasks: string[] };

/** "sentiment-en v1": the task set a real-models document's energy rests on ("?" when it names none). */
export function realTaskLabel(doc: Pick<ResultDocument, 'workloads'>): string {
  const task = (energyWorkload(doc, 'specialized') ?? energyWorkload(doc, 'general'))?.real?.taskSet;
  return task ? `${task.id} v${task.version}` : '?';
}

export function compareRefusal(records: readonly HistoryRecord[]): CompareRefusal | null {
  const real = records.filter((r) => isRealDocument(r.doc));
  if (real.length > 0 && real.length < records.length) return { kind: 'mixed', real: real.length, synthetic: records.length - real.length };
  const pairs = real.map((r) => realPair(r.doc)).filter((p) => p !== null);
  const models = new Set(pairs.map((p) => `${p.specialized?.model ?? '?'}|${p.general?.model ?? '?'}`));
  if (models.size > 1) return { kind: 'different-models', pairs: [...new Set(pairs.map(realPairLabel))] };
  const tasks = [...new Set(real.map((r) => realTaskLabel(r.doc)))];
  return tasks.length > 1 ? { kind: 'different-tasks', tasks } : null;
}

/** Ratio of each run's median to the first run's (the baseline), per workload. */
export function relativeToFirst(c: Comparison): (number | null)[][] {
  return c.medianMs.map((row) => {
    const base = row[0];
    return row.map((v) => (v === null || base === null || base === undefined || base === 0 ? null : v / base));
  });
}

export function groupLabel(g: Pick<GroupStats, 'vendor' | 'architecture' | 'preset'>): string {
  return `${g.vendor || '?'}/${g.architecture || '?'} · ${g.preset}`;
}

/**
 * Dataset chart series: x = group index, y = median energy per query (J) for each model.
 * uPlot needs numbers or null; groups without energy stay null (a gap, not a zero bar).
 */
export function datasetSeries(groups: readonly GroupStats[]): { x: number[]; specialized: (number | null)[]; general: (number | null)[]; labels: string[] } {
  return {
    x: groups.map((_, i) => i),
    specialized: groups.map((g) => g.medianSpecializedJ),
    general: groups.map((g) => g.medianGeneralJ),
    labels: groups.map(groupLabel),
  };
}
