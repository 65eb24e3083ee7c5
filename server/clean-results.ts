/**
 * Rewrites every stored result through the shared schema (the closed vocabulary): a row whose
 * document passes keeps the parsed output (texts a person reads stripped, unknown flags
 * dropped); one that fails is fixed field by field where a field has a neutral or derivable value
 * (the suite version from its preset, an unknown architecture), a workload that cannot be
 * published is dropped (and the energy section with it when the section was computed from it),
 * its energy section removed when that section alone fails, and the row deleted only when it
 * still fails (it cannot be published). Rows that become the same document are merged into the
 * earliest: the others are deleted, but their ids and deletion tokens stay with the kept row so
 * that each uploader can still withdraw. Runs inside the migration's transaction.
 */
import * as v from 'valibot';
import { canonicalJson, parseResult } from '../src/shared/schema.ts';
import { energySection, LIMITS } from '../src/shared/schema-parts.ts';
import { PRESET_NAMES } from '../src/shared/presets.ts';
import {
  APP_VERSION_PATTERN, ARCHITECTURE_PATTERN, BROWSER_FAMILIES, CONFIG_BOOLEAN_KEYS, CONFIG_KEYS, CONFIG_STRINGS, KERNEL_NAMES,
  MICRO_WORKLOAD_IDS, MODEL_WORKLOAD_IDS, OS_FAMILIES, REAL_WORKLOAD_IDS, SUITE_VERSIONS,
} from '../src/shared/vocabulary.ts';
import type { ResultDocument } from '../src/shared/result.ts';
import type { MigrationLog, Queryable } from './queryable.ts';
import { contentHash, derivedColumns, type DerivedColumns } from './result-row.ts';

/** What a fix touched, counted per kind in the migration's log line. */
export type FixKind =
  | 'texts' | 'unknown-fields' | 'app-version' | 'suite-version' | 'browser' | 'os' | 'architecture' | 'workloads' | 'kernels' | 'config' | 'energy';

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

const WORKLOAD_IDS: readonly string[] = [...MICRO_WORKLOAD_IDS, ...MODEL_WORKLOAD_IDS, ...REAL_WORKLOAD_IDS];

/**
 * A workload the dataset can hold: a known id, a kind that matches it (and a role that matches a
 * model id), and a FLOP count (an imported ONNX model may have none; it is never published; a
 * real model's may be null, with its reason, and the schema checks it against its estimate).
 */
function publishableWorkload(w: unknown): w is Obj {
  if (!isObj(w)) return false;
  const { id, kind, role, flops } = w;
  if (typeof id !== 'string' || !WORKLOAD_IDS.includes(id)) return false;
  if (kind === 'real-model') return REAL_WORKLOAD_IDS.includes(id) && typeof role === 'string' && id.startsWith(`${role}:`) && (flops === null || (typeof flops === 'number' && Number.isFinite(flops)));
  if (kind === 'model') {
    if (!MODEL_WORKLOAD_IDS.includes(id) || typeof role !== 'string' || !id.startsWith(`${role}:`)) return false;
  } else if (kind !== 'micro' || MODEL_WORKLOAD_IDS.includes(id) || REAL_WORKLOAD_IDS.includes(id) || role !== undefined) return false;
  return typeof flops === 'number' && Number.isFinite(flops) && flops >= 0 && flops <= LIMITS.maxCount;
}

/** Every `workloadId` the energy section was computed from. */
function energyWorkloadIds(x: unknown, into: string[] = []): string[] {
  if (Array.isArray(x)) for (const y of x) energyWorkloadIds(y, into);
  else if (isObj(x)) {
    for (const [k, y] of Object.entries(x)) {
      if (k === 'workloadId') into.push(String(y));
      else energyWorkloadIds(y, into);
    }
  }
  return into;
}

/** The only version of a preset (each has one in SUITE_VERSIONS), or null. */
function presetVersion(preset: unknown): string | null {
  if (!has(PRESET_NAMES, preset)) return null;
  const version = `${String(preset)}-1`;
  return has(SUITE_VERSIONS, version) ? version : null;
}

/** Field-by-field repairs of a document the schema refused; records what was touched. */
function repair(doc: Obj, fixes: Set<FixKind>): void {
  const app = doc['app'];
  if (isObj(app) && !(typeof app['version'] === 'string' && APP_VERSION_PATTERN.test(app['version']))) {
    app['version'] = INVALID_APP_VERSION;
    fixes.add('app-version');
  }
  const suite = doc['suite'];
  if (isObj(suite)) {
    const version = suite['version'];
    const derived = presetVersion(suite['preset']);
    const belongs = has(SUITE_VERSIONS, version) && String(version).startsWith(`${String(suite['preset'])}-`);
    if (!belongs && derived !== null) {
      suite['version'] = derived;
      fixes.add('suite-version');
    }
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
    const adapter = env['adapter'];
    if (isObj(adapter) && !(typeof adapter['architecture'] === 'string' && ARCHITECTURE_PATTERN.test(adapter['architecture']))) {
      // The empty architecture is the browser's own "unknown".
      adapter['architecture'] = '';
      fixes.add('architecture');
    }
  }
  const workloads = doc['workloads'];
  if (Array.isArray(workloads)) {
    const kept = workloads.filter(publishableWorkload);
    if (kept.length !== workloads.length) {
      doc['workloads'] = kept;
      fixes.add('workloads');
      // An energy section computed from a dropped workload no longer describes the document.
      const ids = new Set(kept.map((w) => w['id']));
      if (doc['energy'] !== undefined && energyWorkloadIds(doc['energy']).some((id) => !ids.has(id))) {
        delete doc['energy'];
        fixes.add('energy');
      }
    }
    for (const w of kept) {
      const kernels = w['kernels'];
      if (Array.isArray(kernels)) {
        const keptKernels = kernels.filter((k) => isObj(k) && has(KERNEL_NAMES, k['name']));
        if (keptKernels.length !== kernels.length) {
          w['kernels'] = keptKernels;
          fixes.add('kernels');
        }
      }
      const config = w['config'];
      // A real model's config is closed by its own schema (realmodels-result.ts): left for parseResult to judge.
      if (isObj(config) && w['kind'] !== 'real-model') {
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

/**
 * Where merged uploads keep their ids and deletion tokens (SHA-256, like token_hash). Added by
 * migration 4 for databases already past this one, and here first, since this migration merges.
 */
export const MERGED_UPLOADS_SQL = `
  ALTER TABLE results ADD COLUMN IF NOT EXISTS merged_ids TEXT[];
  ALTER TABLE results ADD COLUMN IF NOT EXISTS extra_token_hashes TEXT[];
  CREATE INDEX IF NOT EXISTS results_merged_ids_idx ON results USING GIN (merged_ids);
`;

/**
 * Deletes row `drop`, a copy of row `keep`, and hands its id and token (and those it had merged
 * itself) to `keep`: its uploader can still withdraw, with the id and token they were given.
 */
async function mergeInto(tx: Queryable, keep: number, drop: number): Promise<void> {
  await tx.query(
    `UPDATE results k
        SET merged_ids = COALESCE(k.merged_ids, '{}') || ARRAY[d.id] || COALESCE(d.merged_ids, '{}'),
            extra_token_hashes = COALESCE(k.extra_token_hashes, '{}') || ARRAY[d.token_hash] || COALESCE(d.extra_token_hashes, '{}')
       FROM results d
      WHERE k.seq = $1 AND d.seq = $2`,
    [keep, drop],
  );
  await tx.query('DELETE FROM results WHERE seq = $1', [drop]);
}

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
  await tx.exec(MERGED_UPLOADS_SQL);
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
            await mergeInto(tx, twinSeq, seq);
            counts.deletedDuplicate++;
            break;
          }
          if (twinSeq !== null) {
            await mergeInto(tx, seq, twinSeq);
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
    // Each duplicate's id and deletion token now withdraw the row it was merged into.
    tokensKept: counts.deletedDuplicate,
  });
}

async function updateRow(tx: Queryable, seq: number, hash: string, doc: ResultDocument, c: DerivedColumns): Promise<void> {
  await tx.query(
    `UPDATE results SET doc = $1, content_hash = $2, preset = $3, suite_version = $4, vendor = $5, architecture = $6,
            general_j_p50 = $7, specialized_j_p50 = $8, ratio_p50 = $9 WHERE seq = $10`,
    [JSON.stringify(doc), hash, c.preset, c.suite_version, c.vendor, c.architecture, c.general_j_p50, c.specialized_j_p50, c.ratio_p50, seq],
  );
}
