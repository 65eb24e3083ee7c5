/**
 * Local history records evolve with the app; older records must keep loading. These pure
 * functions bring any stored record forward to the current shape, and are unit-tested with
 * literal old records (IndexedDB itself only stores what they return).
 *
 * Record versions:
 *  1. `{ id, doc, uploaded?: { id, token } }` (first prototype: no save date, no version field).
 *  2. `{ v: 2, localId, savedAt, doc, upload: { remoteId, token, day } | null, label }`.
 */
import type { ResultDocument } from '../shared/result.ts';

export const RECORD_VERSION = 2 as const;

export interface UploadReceipt {
  remoteId: string;
  /** The withdrawal token: only the user holds it (the server keeps its hash). */
  token: string;
  /** Day of upload (YYYY-MM-DD); nothing finer is kept. */
  day: string;
}

export interface HistoryRecord {
  v: typeof RECORD_VERSION;
  localId: string;
  /** Day the run was saved (YYYY-MM-DD). */
  savedAt: string;
  doc: ResultDocument;
  upload: UploadReceipt | null;
  label: string | null;
  /**
   * Idempotency key of an upload sent but not yet confirmed (optional, so v2 records written
   * before it still read as is). Kept across reloads so a retry after a lost answer reuses it
   * and gets a withdrawal token back; dropped once the receipt is kept.
   */
  pendingUploadKey?: string;
}

export class HistoryMigrationError extends Error {
  override name = 'HistoryMigrationError';
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
/** A stored version for an error message: numbers as they are, anything else as JSON. */
const describe = (x: unknown): string => (typeof x === 'number' ? String(x) : (JSON.stringify(x) ?? String(x)));

/**
 * Result documents written before schema v1 was frozen (draft "version 0") used `preset` at
 * the top level and `timing.samples`. Upgrade them; leave v1 alone; refuse future versions
 * rather than misread them.
 */
export function migrateDocument(raw: unknown): ResultDocument {
  if (!isObj(raw)) throw new HistoryMigrationError('stored result is not an object');
  const version = raw.schemaVersion ?? 0;
  if (version === 1) return raw as unknown as ResultDocument;
  if (version === 0) {
    const { preset, suiteVersion, ...rest } = raw as Obj & { preset?: unknown; suiteVersion?: unknown };
    const workloads = Array.isArray(rest.workloads) ? rest.workloads : [];
    return {
      ...(rest as object),
      schemaVersion: 1,
      suite: isObj(rest.suite) ? rest.suite : { preset: typeof preset === 'string' ? preset : 'custom', version: typeof suiteVersion === 'string' ? suiteVersion : '0' },
      app: isObj(rest.app) ? rest.app : { version: '0' },
      workloads: workloads.map((w: unknown) => {
        if (!isObj(w) || !isObj(w.timing)) return w;
        const { samples, ...timing } = w.timing as Obj & { samples?: unknown };
        return { ...w, timing: { samplesMs: Array.isArray(samples) ? samples : [], ...timing } };
      }),
    } as unknown as ResultDocument;
  }
  throw new HistoryMigrationError(`stored result has schema version ${describe(version)}, newer than this app understands`);
}

/** Bring a stored record of any known version to the current version. */
export function migrateRecord(raw: unknown): HistoryRecord {
  if (!isObj(raw)) throw new HistoryMigrationError('stored record is not an object');
  const v = raw.v ?? 1;
  switch (v) {
    case 1: {
      const uploaded = isObj(raw.uploaded) ? raw.uploaded : null;
      const doc = migrateDocument(raw.doc);
      return {
        v: RECORD_VERSION,
        localId: String(raw.id),
        savedAt: doc.date ?? '1970-01-01',
        doc,
        upload: uploaded && typeof uploaded.id === 'string' && typeof uploaded.token === 'string'
          ? { remoteId: uploaded.id, token: uploaded.token, day: doc.date ?? '1970-01-01' }
          : null,
        label: null,
      };
    }
    case 2:
      return { ...(raw as unknown as HistoryRecord), doc: migrateDocument(raw.doc) };
    default:
      throw new HistoryMigrationError(`stored record version ${describe(v)} is newer than this app`);
  }
}
