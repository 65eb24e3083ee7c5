/**
 * Pure JSON / CSV / JSONL serializers of result documents, shared by the History view (local
 * export) and the results server (open-dataset export), so both produce the same columns.
 *
 * The texts a person reads about an energy figure (profile label and reason, grid and embodied
 * source lines) are rendered from the catalogs (catalog-text.ts) in the reader's language, never
 * read from the document: the results server does not store them, and a row written by an older
 * version may still hold whatever its client sent.
 */
import { embodiedSourceText, gridSourceText, profileLabel, profileReason, type TextLang } from './catalog-text.ts';
import { energyWorkload } from './energy-workload.ts';
import type { EnergySection, ResultDocument, Workload } from './result.ts';

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
  // Real-model workloads (empty on other rows): which model ran, how well it answered, and the
  // energy per correct answer on the row the energy rests on (the WebGPU run); last, the task set
  // it answered (accuracy compares only within one), appended so earlier columns keep their place.
  'real_model', 'real_dtype', 'execution_provider', 'accuracy', 'accuracy_n', 'accuracy_low', 'accuracy_high',
  'parse_failures', 'agreement', 'agreement_n', 'per_correct_j_p5', 'per_correct_j_p50', 'per_correct_j_p95',
  'ratio_per_correct_p50', 'task_set', 'task_version', 'model_sha256',
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

/** The real-model columns of one row (all empty for a micro or synthetic workload). */
function realCells(doc: ResultDocument, w: Workload): Cell[] {
  const r = w.real;
  if (!r || !w.role) return Array<Cell>(17).fill(null);
  const e = doc.energy;
  // Per-correct joules belong to the workload the energy was computed from, not to a WASM reference run.
  const pc = e && energyWorkload(doc, w.role)?.id === w.id ? e.perQuery[w.role].perCorrect : undefined;
  const j = pc?.available ? pc.joules : null;
  const ratio = e?.ratioPerCorrect?.available ? e.ratioPerCorrect.ratio.p50 : null;
  const a = r.agreement;
  return [
    r.model, r.dtype, r.executionProvider, r.accuracy.correct / r.accuracy.n, r.accuracy.n, r.accuracy.low, r.accuracy.high,
    r.parseFailures, a.measured ? a.agree / a.n : null, a.measured ? a.n : null, j?.p5 ?? null, j?.p50 ?? null, j?.p95 ?? null, ratio,
    // The version too: the dataset's groups keep versions of a task set apart (other sentences).
    r.taskSet.id, r.taskSet.version,
    // A custom model's file is what tells it apart (the dataset's groups key it so); catalog models need no hash.
    r.model === 'custom' ? r.sha256 : null,
  ];
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
    e?.ratio.p95 ?? null, ...realCells(doc, w),
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

/** A copy of `obj` without `keys`. */
function omit<T extends object>(obj: T, keys: readonly string[]): T {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k))) as T;
}

/** Texts of the app's own rendering that a local document may still carry (never exported as is). */
const PROFILE_TEXTS = ['label', 'labelFr', 'reason', 'sources'];
const GRID_TEXTS = ['source', 'sourceKey', 'sourceParams'];

function energyWithTexts(doc: ResultDocument, e: EnergySection, lang: TextLang): EnergySection {
  const adapter = doc.environment.adapter;
  return {
    ...e,
    profile: { ...omit(e.profile, PROFILE_TEXTS), label: profileLabel(e.profile, lang), reason: profileReason(e.profile, adapter, lang) },
    grid: { ...omit(e.grid, GRID_TEXTS), source: gridSourceText(e.grid, lang) },
    ...(e.embodied ? { embodied: { ...omit(e.embodied, ['source']), source: embodiedSourceText(e.embodied.classes, lang) } } : {}),
  };
}

/**
 * The document as exported: the energy section's texts rendered from the catalogs in `lang`,
 * whatever the document held in their place.
 */
export function withCatalogTexts(doc: ResultDocument, lang: TextLang = 'en'): ResultDocument {
  return doc.energy ? { ...doc, energy: energyWithTexts(doc, doc.energy, lang) } : doc;
}

/** One JSON object per line: `{ id, ...document }`, texts rendered in `lang`. */
export function jsonlLine(entry: ExportEntry, lang: TextLang = 'en'): string {
  return `${JSON.stringify({ id: entry.id, ...withCatalogTexts(entry.doc, lang) })}\n`;
}

export function toJsonl(entries: readonly ExportEntry[], lang: TextLang = 'en'): string {
  return entries.map((e) => jsonlLine(e, lang)).join('');
}

/** A pretty JSON array of documents with their ids, the History view's "Export JSON". */
export function toJson(entries: readonly ExportEntry[], lang: TextLang = 'en'): string {
  return `${JSON.stringify(entries.map((e) => ({ id: e.id, ...withCatalogTexts(e.doc, lang) })), null, 2)}\n`;
}
