/**
 * Rewrites every stored result through the shared schema (the closed vocabulary): a row whose
 * document passes keeps the parsed output (texts a person reads stripped, unknown flags
 * dropped); one that fails is fixed field by field where a field has a neutral value, its energy
 * section removed when that section alone fails, and the row deleted when it still fails (it
 * cannot be published). Runs inside the migration's transaction.
 */
import * as v from 'valibot';
import { canonicalJson, parseResult } from '../src/shared/schema.ts';
import { energySection } from '../src/shared/schema-parts.ts';
import {
  APP_VERSION_PATTERN, BROWSER_FAMILIES, CONFIG_BOOLEAN_KEYS, CONFIG_KEYS, CONFIG_STRINGS, KERNEL_NAMES, OS_FAMILIES,
} from '../src/shared/vocabulary.ts';
import type { ResultDocument } from '../src/shared/result.ts';
import type { MigrationLog, Queryable } from './queryable.ts';
import { contentHash, derivedColumns, type DerivedColumns } from './result-row.ts';

/** What a fix touched, counted per kind in the migration's log line. */
export type FixKind = 'texts' | 'unknown-fields' | 'app-version' | 'browser' | 'os' | 'kernels' | 'config' | 'energy';

export type CleanOutcome =
  | { kind: 'unchanged'; doc: ResultDocument }
  | { kind: 'cleaned'; doc: ResultDocument; fixes: FixKind[] }
  | { kind: 'invalid'; issues: string[] };

/** Placeholder of an app version that was not a version (an e-mail, HTML): the row stays, the text goes. */
export const INVALID_APP_VERSION = '0.0.0-invalid';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const has = (list: readonly string[], x: unknown): boolean => typeof x === 'string' && list.includes(x);

function configValueOk(key: string, value: unknown): boolean {
  if (!has(CONFIG_KEYS, key)) return false;
  const words = CONFIG_STRINGS[key];
  if (words) return has(words, value);
  if (has(CONFIG_BOOLEAN_KEYS, key)) return typeof value === 'boolean';
  return value === null || (typeof value === 'number' && Number.isFinite(value));
}

/** Field-by-field repairs of a document the schema refused; records what was touched. */
function repair(doc: Obj, fixes: Set<FixKind>): void {
  const app = doc['app'];
  if (isObj(app) && !(typeof app['version'] === 'string' && APP_VERSION_PATTERN.test(app['version']))) {
    app['version'] = INVALID_APP_VERSION;
    fixes.add('app-version');
  }
  const env = doc['environment'];
  if (isObj(env)) {
    const browser = env['browser'];
    if (isObj(browser) && !has(BROWSER_FAMILIES, browser['name'])) {
      browser['name'] = 'other';
      fixes.add('browser');
    }
    const os = env['os'];
    if (isObj(os) && !has(OS_FAMILIES, os['family'])) {
      os['family'] = 'other';
      fixes.add('os');
    }
  }
  const workloads = doc['workloads'];
  if (Array.isArray(workloads)) {
    for (const w of workloads) {
      if (!isObj(w)) continue;
      const kernels = w['kernels'];
      if (Array.isArray(kernels)) {
        const kept = kernels.filter((k) => isObj(k) && has(KERNEL_NAMES, k['name']));
        if (kept.length !== kernels.length) {
          w['kernels'] = kept;
          fixes.add('kernels');
        }
      }
      const config = w['config'];
      if (isObj(config)) {
        for (const [key, value] of Object.entries(config)) {
          if (configValueOk(key, value)) continue;
          delete config[key];
          fixes.add('config');
        }
      }
    }
  }
  if (doc['energy'] !== undefined && !v.safeParse(energySection, doc['energy']).success) {
    delete doc['energy'];
    fixes.add('energy');
  }
}

/** Keys of the texts older versions stored; the schema strips them (counted apart from other unknown fields). */
function withoutTexts(doc: unknown): unknown {
  if (!isObj(doc) || !isObj(doc['energy'])) return doc;
  const e = { ...doc['energy'] };
  if (isObj(e['profile'])) {
    const { label: _label, reason: _reason, labelFr: _labelFr, sources: _sources, ...profile } = e['profile'];
    e['profile'] = profile;
  }
  if (isObj(e['grid'])) {
    const { source: _source, sourceKey: _key, sourceParams: _params, ...grid } = e['grid'];
    e['grid'] = grid;
  }
  if (isObj(e['embodied'])) {
    const { source: _source, ...embodied } = e['embodied'];
    e['embodied'] = embodied;
  }
  return { ...doc, energy: e };
}

/** The document a stored row should hold under the closed vocabulary, or why it cannot be kept. */
export function cleanDocument(stored: unknown): CleanOutcome {
  const before = canonicalJson(stored);
  const fixes = new Set<FixKind>();
  let parsed = parseResult(stored);
  if (!parsed.ok) {
    const copy: unknown = isObj(stored) ? structuredClone(stored) : null;
    if (!isObj(copy)) return { kind: 'invalid', issues: parsed.issues };
    repair(copy, fixes);
    parsed = parseResult(copy);
    if (!parsed.ok) return { kind: 'invalid', issues: parsed.issues };
  }
  const after = canonicalJson(parsed.value);
  if (after === before) return { kind: 'unchanged', doc: parsed.value };
  const untexted = canonicalJson(withoutTexts(stored));
  if (untexted !== before) fixes.add('texts');
  // Anything else the schema dropped without a repair: unknown flags, features, limits or keys.
  if (untexted !== after && ![...fixes].some((f) => f !== 'texts')) fixes.add('unknown-fields');
  return { kind: 'cleaned', doc: parsed.value, fixes: [...fixes] };
}

interface StoredRow { seq: string | number; content_hash: string; doc: unknown; [k: string]: unknown }

const BATCH = 200;

/** The migration: walks `results` in batches by seq, rewrites or deletes each row, logs one line of counts. */
export async function cleanStoredResults(tx: Queryable, log: MigrationLog): Promise<void> {
  const counts = {
    seen: 0,
    unchanged: 0,
    cleaned: 0,
    fixes: {} as Partial<Record<FixKind, number>>,
    energyRemoved: 0,
    deletedInvalid: 0,
    deletedDuplicate: 0,
  };
  let after = 0;
  // Later rows deleted as duplicates of an earlier one while their batch was already read.
  const deletedAhead = new Set<number>();
  for (;;) {
    const batch = await tx.query<StoredRow>('SELECT seq, content_hash, doc FROM results WHERE seq > $1 ORDER BY seq LIMIT $2', [after, BATCH]);
    if (batch.rows.length === 0) break;
    for (const row of batch.rows) {
      const seq = Number(row.seq);
      after = seq;
      counts.seen++;
      if (deletedAhead.has(seq)) continue;
      const outcome = cleanDocument(row.doc);
      switch (outcome.kind) {
        case 'unchanged':
          counts.unchanged++;
          break;
        case 'invalid':
          await tx.query('DELETE FROM results WHERE seq = $1', [seq]);
          counts.deletedInvalid++;
          break;
        case 'cleaned': {
          const hash = contentHash(outcome.doc);
          const twin = await tx.query<{ seq: string | number }>('SELECT seq FROM results WHERE content_hash = $1 AND seq <> $2', [hash, seq]);
          const twinSeq = twin.rows[0] ? Number(twin.rows[0].seq) : null;
          if (twinSeq !== null && twinSeq < seq) {
            // The same content is already published by an earlier row: this one is the duplicate.
            await tx.query('DELETE FROM results WHERE seq = $1', [seq]);
            counts.deletedDuplicate++;
            break;
          }
          if (twinSeq !== null) {
            await tx.query('DELETE FROM results WHERE seq = $1', [twinSeq]);
            deletedAhead.add(twinSeq);
            counts.deletedDuplicate++;
          }
          await updateRow(tx, seq, hash, outcome.doc, derivedColumns(outcome.doc));
          // Counted for the rows kept (a duplicate's fixes do not reach the dataset).
          counts.cleaned++;
          for (const f of outcome.fixes) counts.fixes[f] = (counts.fixes[f] ?? 0) + 1;
          if (outcome.fixes.includes('energy')) counts.energyRemoved++;
          break;
        }
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    }
  }
  log({
    msg: 'migration',
    version: 3,
    name: 'closed vocabulary',
    seen: counts.seen,
    unchanged: counts.unchanged,
    cleaned: counts.cleaned,
    fixes: counts.fixes,
    energyRemoved: counts.energyRemoved,
    deleted: counts.deletedInvalid + counts.deletedDuplicate,
    deletedInvalid: counts.deletedInvalid,
    deletedDuplicate: counts.deletedDuplicate,
  });
}

async function updateRow(tx: Queryable, seq: number, hash: string, doc: ResultDocument, c: DerivedColumns): Promise<void> {
  await tx.query(
    `UPDATE results SET doc = $1, content_hash = $2, preset = $3, suite_version = $4, vendor = $5, architecture = $6,
            general_j_p50 = $7, specialized_j_p50 = $8, ratio_p50 = $9 WHERE seq = $10`,
    [JSON.stringify(doc), hash, c.preset, c.suite_version, c.vendor, c.architecture, c.general_j_p50, c.specialized_j_p50, c.ratio_p50, seq],
  );
}
