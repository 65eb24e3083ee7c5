/**
 * The results table of docs/validation.md, from lab result documents that carry both an estimate
 * (`energy`) and a sensor's measurement of the same run (`measured`):
 *
 *   npm run validation:table -- [--device "NVIDIA H200, driver 570.86"] r-quick.json r-paper.json …
 *
 * `--device` labels the documents after it (a document records the adapter's vendor and
 * architecture only, never its name or driver). Prints two Markdown tables: one row per model
 * (estimated J/query p5–p95, measured J/query, inside the range or not, how it was measured) and
 * one row per run for the gap ratio (general ÷ specialized).
 *
 * Comparing like with like. The published estimate is what the query costs at the wall:
 * (ΔP_gpu·k·t_busy + ΔP_host·t_wall) / η. A GPU-board or CPU-package sensor sees neither the
 * host's share nor the power supply's loss, so the estimate the measurement is checked against is
 * the same Monte Carlo (same seed, same draws) at the sensor's scope: η = 1, and the host's
 * share only for a whole-system sensor. Both estimates are printed; "inside" uses the scoped one.
 * The measured figure is the marginal one (mean power under load − idle power) × the wall time per
 * query (src/shared/measured.ts), the counterpart of the estimate's marginal joules.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runEnergyDraws, type DrawInputs } from '../src/shared/energy-draws.ts';
import type { Coverage, MeasuredSection } from '../src/shared/power.ts';
import { energyInputsOf } from '../src/shared/recompute.ts';
import type { Range3, ResultDocument, Role } from '../src/shared/result.ts';
import { parseResult } from '../src/shared/schema.ts';

/** A file that is not a result document this version reads. */
export class ValidationInputError extends Error {
  override name = 'ValidationInputError';
}

/** Whether the measured figure falls in the estimate's p5–p95, or why the question has no answer. */
export type Verdict =
  | { kind: 'inside' }
  | { kind: 'outside'; side: 'below' | 'above' }
  /** No measured figure (the reason id of the document's measured block). */
  | { kind: 'not-measured'; why: string }
  /** No estimate to check (no energy section, or one that cannot be recomputed). */
  | { kind: 'no-estimate'; why: string }
  /** The estimate was computed from a sensor profile: it repeats a measurement, it checks no catalog. */
  | { kind: 'sensor-profile' };

export interface ModelRow {
  device: string;
  preset: string;
  role: Role;
  /** The model workload's id (ROLE:MODEL). */
  model: string;
  /** The published marginal estimate (at the wall), J/query. */
  published: Range3 | null;
  /** The same draws at the sensor's scope, J/query: what the measurement is checked against. */
  scoped: Range3 | null;
  /** Measured marginal J/query (above idle). */
  measured: number | null;
  /** Measured J/query with the idle baseline. */
  measuredAttributional: number | null;
  verdict: Verdict;
  how: string;
}

export interface GapRow {
  device: string;
  preset: string;
  published: Range3 | null;
  scoped: Range3 | null;
  measured: number | null;
  verdict: Verdict;
}

const ROLES: readonly Role[] = ['specialized', 'general'];
const NO_HOST = { low: 0, typ: 0, high: 0 };

/** The document's label when none is given: the adapter as the document records it, and what ran it. */
export function deviceOf(doc: ResultDocument): string {
  const a = doc.environment.adapter;
  return `${a.vendor || '?'} ${a.architecture || '?'}${a.isFallbackAdapter ? ' (fallback)' : ''}`;
}

function runtimeOf(doc: ResultDocument): string {
  const r = doc.environment.runtime;
  if (!r) return doc.environment.browser.name === 'node' ? 'node' : `${doc.environment.browser.name} (browser)`;
  return r.kind === 'node' ? `node, Dawn ${r.backend ?? 'backend unknown'}` : `${doc.environment.browser.name} (browser)`;
}

/**
 * The estimate's draws at a sensor's scope: no power-supply loss (every sensor here reads DC
 * inside the machine), and the host's share only when the sensor sees the whole system. A profile
 * that already includes the host keeps it (its ΔP cannot be split).
 */
export function scopedInputs(draws: DrawInputs, coverage: Coverage): DrawInputs {
  return { ...draws, eta: { low: 1, high: 1 }, hostW: coverage === 'whole-system' ? draws.hostW : NO_HOST };
}

function verdictOf(range: Range3, measured: number): Verdict {
  if (measured < range.p5) return { kind: 'outside', side: 'below' };
  if (measured > range.p95) return { kind: 'outside', side: 'above' };
  return { kind: 'inside' };
}

function howOf(doc: ResultDocument, m: Extract<MeasuredSection, { available: true }>, role: Role): string {
  const r = m.perQuery[role];
  const load = r ? `, ${r.meanW.toFixed(1)} W under load over ${r.windowSeconds.toFixed(1)} s (${r.samples} readings)` : '';
  return `${m.sensor.kind} (${m.sensor.coverage}, every ${m.sensor.periodMs} ms): idle ${m.idleW.toFixed(1)} W${load}; ${runtimeOf(doc)}`;
}

/** The table's rows for one document (pure). */
export function validationRows(doc: ResultDocument, device: string = deviceOf(doc)): { models: ModelRow[]; gap: GapRow } {
  const m = doc.measured;
  const preset = doc.suite.preset;
  let published: { perRole: Record<Role, Range3>; ratio: Range3 } | null = null;
  let scoped: { perRole: Record<Role, Range3>; ratio: Range3 } | null = null;
  let noEstimate: string | null = null;
  if (!doc.energy) noEstimate = 'the document has no estimate';
  else {
    published = { perRole: { general: doc.energy.perQuery.general.joules, specialized: doc.energy.perQuery.specialized.joules }, ratio: doc.energy.ratio };
    if (m?.available) {
      try {
        const f = runEnergyDraws(scopedInputs(energyInputsOf(doc).draws, m.sensor.coverage));
        scoped = { perRole: { general: f.general.joules, specialized: f.specialized.joules }, ratio: f.ratio };
      } catch (e) {
        noEstimate = `the estimate cannot be recomputed: ${(e as Error).message}`;
      }
    }
  }
  const fromSensor = doc.energy?.profile.source === 'sensor';
  const verdict = (range: Range3 | undefined, measured: number | null): Verdict => {
    if (!m?.available) return { kind: 'not-measured', why: m ? m.reason : 'not measured (no --measure-power, or no local server)' };
    if (measured === null) return { kind: 'not-measured', why: 'no positive measured figure (the load drew no more than idle)' };
    if (noEstimate !== null || !range) return { kind: 'no-estimate', why: noEstimate ?? 'no estimate' };
    if (fromSensor) return { kind: 'sensor-profile' };
    return verdictOf(range, measured);
  };
  const models: ModelRow[] = [];
  for (const role of ROLES) {
    const w = doc.workloads.find((x) => x.kind === 'model' && x.role === role);
    if (!w) continue;
    const r = m?.available ? m.perQuery[role] : undefined;
    models.push({
      device, preset, role, model: w.id,
      published: published?.perRole[role] ?? null,
      scoped: scoped?.perRole[role] ?? null,
      measured: r?.joules ?? null,
      measuredAttributional: r?.attributionalJoules ?? null,
      verdict: verdict(scoped?.perRole[role], r && r.joules > 0 ? r.joules : null),
      how: m?.available ? howOf(doc, m, role) : `not measured: ${m ? m.reason : 'no measured block'}; ${runtimeOf(doc)}`,
    });
  }
  const measuredRatio = m?.available ? m.ratio : null;
  return {
    models,
    gap: { device, preset, published: published?.ratio ?? null, scoped: scoped?.ratio ?? null, measured: measuredRatio, verdict: verdict(scoped?.ratio, measuredRatio) },
  };
}

const num = (x: number): string => x.toPrecision(3);
const range = (r: Range3 | null): string => (r ? `${num(r.p5)}–${num(r.p95)} (p50 ${num(r.p50)})` : '—');

export function verdictText(v: Verdict): string {
  switch (v.kind) {
    case 'inside': return 'yes';
    case 'outside': return `no (${v.side} the range)`;
    case 'not-measured': return `— (${v.why})`;
    case 'no-estimate': return `— (${v.why})`;
    case 'sensor-profile': return '— (estimate from a measured profile: not a check of the catalog)';
  }
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const row = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;

export const MODEL_HEADER = ['device', 'preset', 'model', 'estimated J/query p5–p95 at the sensor\'s scope', 'published estimate J/query p5–p95', 'measured J/query (above idle)', 'measured inside the range', 'measured how'];
export const GAP_HEADER = ['device', 'preset', 'estimated gap p5–p95 at the sensor\'s scope', 'published gap p5–p95', 'measured gap', 'measured inside the range'];

/** Both tables in Markdown. */
export function validationMarkdown(entries: readonly { doc: ResultDocument; device?: string }[]): string {
  const all = entries.map((e) => validationRows(e.doc, e.device));
  const sep = (n: number) => row(Array<string>(n).fill('---'));
  const lines = [
    row(MODEL_HEADER), sep(MODEL_HEADER.length),
    ...all.flatMap((x) => x.models.map((r) => row([r.device, r.preset, r.model, range(r.scoped), range(r.published), r.measured === null ? '—' : num(r.measured), verdictText(r.verdict), r.how]))),
    '',
    row(GAP_HEADER), sep(GAP_HEADER.length),
    ...all.map(({ gap: g }) => row([g.device, g.preset, range(g.scoped), range(g.published), g.measured === null ? '—' : `${num(g.measured)}×`, verdictText(g.verdict)])),
  ];
  return `${lines.join('\n')}\n`;
}

/** A result document from a file, validated like an upload. */
export function readDocument(path: string): ResultDocument {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ValidationInputError(`${path}: not a JSON file (${(e as Error).message})`);
  }
  const p = parseResult(json);
  if (!p.ok) throw new ValidationInputError(`${path}: not a result document this version reads:\n  ${p.issues.join('\n  ')}`);
  return p.value;
}

/** `[--device LABEL] FILE …`: each label applies to the files after it. */
export function parseTableArgs(argv: readonly string[]): { path: string; device?: string }[] {
  const { tokens } = parseArgs({ args: [...argv], options: { device: { type: 'string' } }, allowPositionals: true, tokens: true });
  const out: { path: string; device?: string }[] = [];
  let device: string | undefined;
  for (const t of tokens) {
    if (t.kind === 'option' && t.name === 'device') device = t.value;
    else if (t.kind === 'positional') out.push({ path: t.value, ...(device !== undefined ? { device } : {}) });
  }
  if (out.length === 0) throw new ValidationInputError('usage: npm run validation:table -- [--device "LABEL"] result.json …');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const files = parseTableArgs(process.argv.slice(2));
    process.stdout.write(validationMarkdown(files.map((f) => ({ doc: readDocument(f.path), ...(f.device !== undefined ? { device: f.device } : {}) }))));
  } catch (e) {
    process.stderr.write(`validation:table: ${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
