/**
 * Pure JSON / CSV / JSONL serializers of result documents, shared by the History view (local
 * export) and the results server (open-dataset export), so both produce the same columns.
 */
import type { ResultDocument } from './result.ts';

/** One exported result: the document plus the id it has in the place it comes from. */
export interface ExportEntry {
  id: string;
  doc: ResultDocument;
}

/** Long format: one row per (result, workload), run-level columns repeated. */
export const CSV_COLUMNS = [
  'result_id', 'date', 'preset', 'suite_version', 'app_version', 'browser', 'browser_major', 'os',
  'vendor', 'architecture', 'fallback_adapter', 'timing_source', 'workload_id', 'kind', 'role',
  'flops', 'bytes', 'median_ms', 'p10_ms', 'p90_ms', 'cv', 'samples', 'gflops', 'gbps',
  'energy_profile', 'grid_country', 'grid_g_per_kwh', 'general_j_p50', 'specialized_j_p50',
  'ratio_p5', 'ratio_p50', 'ratio_p95',
] as const;

type Cell = string | number | boolean | null | undefined;

/**
 * RFC 4180 quoting, plus a guard against spreadsheet formula injection: a text cell starting
 * with = + - @ is prefixed with a quote so opening the dataset never runs a formula.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRows(entry: ExportEntry): Cell[][] {
  const { id, doc } = entry;
  const env = doc.environment;
  const e = doc.energy;
  return doc.workloads.map((w) => [
    id, doc.date ?? null, doc.suite.preset, doc.suite.version, doc.app.version, env.browser.name,
    env.browser.major, env.os.family, env.adapter.vendor, env.adapter.architecture,
    env.adapter.isFallbackAdapter, env.timing, w.id, w.kind, w.role ?? null, w.flops, w.bytes,
    w.timing.medianMs, w.timing.p10Ms, w.timing.p90Ms, w.timing.cv, w.timing.samplesMs.length,
    w.gflops ?? null, w.gbps ?? null, e?.profile.id ?? null, e?.grid.country ?? null,
    e?.grid.gPerKWh ?? null, e?.perQuery.general.joules.p50 ?? null,
    e?.perQuery.specialized.joules.p50 ?? null, e?.ratio.p5 ?? null, e?.ratio.p50 ?? null,
    e?.ratio.p95 ?? null,
  ]);
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** Rows of one entry as CSV text (each line ends with CRLF), for streaming exports. */
export function csvLines(entry: ExportEntry): string {
  return csvRows(entry).map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

export function toCsv(entries: readonly ExportEntry[]): string {
  return csvHeader() + entries.map(csvLines).join('');
}

/** One JSON object per line: `{ id, ...document }`. */
export function jsonlLine(entry: ExportEntry): string {
  return `${JSON.stringify({ id: entry.id, ...entry.doc })}\n`;
}

export function toJsonl(entries: readonly ExportEntry[]): string {
  return entries.map(jsonlLine).join('');
}

/** A pretty JSON array of documents with their ids, the History view's "Export JSON". */
export function toJson(entries: readonly ExportEntry[]): string {
  return `${JSON.stringify(entries.map((e) => ({ id: e.id, ...e.doc })), null, 2)}\n`;
}
