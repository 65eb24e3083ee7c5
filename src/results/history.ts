/**
 * Local history of runs in IndexedDB (works offline; nothing leaves the device unless the user
 * uploads). Records are migrated on read (see migrations.ts) and rewritten at the current
 * version during IndexedDB upgrades. Where IndexedDB is unavailable (private modes, node), an
 * in-memory store keeps the session working.
 */
import { signal } from '@preact/signals';
import type { ResultDocument } from '../shared/result.ts';
import { utcDay } from '../shared/day.ts';
import { migrateRecord, RECORD_VERSION } from './migrations.ts';
import type { HistoryRecord } from './migrations.ts';

export type { HistoryRecord, UploadReceipt } from './migrations.ts';

export class HistoryUnavailableError extends Error {
  override name = 'HistoryUnavailableError';
}
export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
}

export interface HistoryBackend {
  put(record: HistoryRecord): Promise<void>;
  get(localId: string): Promise<unknown>;
  all(): Promise<unknown[]>;
  delete(localId: string): Promise<void>;
  /** Records a storage upgrade could not carry over (kept so the history view can say so). */
  readonly dropped?: readonly SkippedRecord[];
}

/** A stored record that could not be read: which one (when it says) and why. */
export interface SkippedRecord {
  localId: string | null;
  reason: string;
}

function skipped(raw: unknown, err: unknown): SkippedRecord {
  const o = typeof raw === 'object' && raw !== null ? (raw as { localId?: unknown; id?: unknown }) : {};
  const id = typeof o.localId === 'string' ? o.localId : typeof o.id === 'string' ? o.id : null;
  return { localId: id, reason: err instanceof Error ? err.message : String(err) };
}

/** Bumped on every change, so views can re-read (`historyRevision.value` in a component). */
export const historyRevision = signal(0);

export class MemoryHistory implements HistoryBackend {
  private readonly rows = new Map<string, unknown>();
  constructor(initial: unknown[] = []) {
    for (const r of initial) {
      const id = (r as { localId?: string; id?: string }).localId ?? (r as { id?: string }).id;
      if (id) this.rows.set(id, structuredClone(r));
    }
  }
  async put(record: HistoryRecord) { this.rows.set(record.localId, structuredClone(record)); }
  async get(localId: string) { return structuredClone(this.rows.get(localId)); }
  async all() { return [...this.rows.values()].map((r) => structuredClone(r)); }
  async delete(localId: string) { this.rows.delete(localId); }
}

const DB_NAME = 'frugal-ai-lab';
/** IndexedDB structure version: 1 = store "runs" keyed by `id`; 2 = keyed by `localId`. */
const DB_VERSION = 2;
const STORE = 'runs';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new HistoryUnavailableError('IndexedDB request failed'));
  });
}

export class IndexedDbHistory implements HistoryBackend {
  private db: Promise<IDBDatabase> | null = null;
  readonly dropped: SkippedRecord[] = [];
  constructor(private readonly factory: IDBFactory) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const r = this.factory.open(DB_NAME, DB_VERSION);
      r.onupgradeneeded = (event) => {
        const db = r.result;
        const tx = r.transaction;
        if (!tx) return;
        if (event.oldVersion < 1) {
          db.createObjectStore(STORE, { keyPath: 'localId' });
          return;
        }
        if (event.oldVersion < 2) {
          // v1 keyed records by `id`: copy every record, migrated, into a store keyed by `localId`.
          const old = tx.objectStore(STORE);
          const all = old.getAll();
          all.onsuccess = () => {
            db.deleteObjectStore(STORE);
            const next = db.createObjectStore(STORE, { keyPath: 'localId' });
            for (const raw of all.result) {
              // An unreadable record is dropped rather than blocking the whole history, and
              // remembered so that the history view can say how many were lost and why.
              try {
                next.put(migrateRecord(raw));
              } catch (e) {
                this.dropped.push(skipped(raw, e));
              }
            }
          };
        }
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(new HistoryUnavailableError(`cannot open local history: ${r.error?.message ?? 'unknown error'}`));
      r.onblocked = () => reject(new HistoryUnavailableError('local history is open in an older tab; close it and reload'));
    });
    return this.db;
  }

  private async store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }
  async put(record: HistoryRecord) { await req((await this.store('readwrite')).put(record)); }
  // Rows are unknown until migrateRecord has checked them (IndexedDB types them `any`).
  async get(localId: string) { return req<unknown>((await this.store('readonly')).get(localId)); }
  async all() { return req<unknown[]>((await this.store('readonly')).getAll()); }
  async delete(localId: string) { await req((await this.store('readwrite')).delete(localId)); }
}

let backend: HistoryBackend | null = null;

/** The history backend in use; tests inject a MemoryHistory. */
export function useHistoryBackend(b: HistoryBackend | null): void {
  backend = b;
}

function current(): HistoryBackend {
  backend ??= typeof indexedDB !== 'undefined' ? new IndexedDbHistory(indexedDB) : new MemoryHistory();
  return backend;
}

/**
 * Local ids sort by creation time (a base-36 millisecond prefix, padded) so the history can be
 * listed newest first; they never leave the device.
 */
function newLocalId(now: Date): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `${now.getTime().toString(36).padStart(9, '0')}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function changed(): void {
  historyRevision.value++;
}

export async function saveRun(doc: ResultDocument, now: Date = new Date()): Promise<string> {
  const record: HistoryRecord = { v: RECORD_VERSION, localId: newLocalId(now), savedAt: utcDay(now), doc, upload: null, label: null };
  await current().put(record);
  changed();
  return record.localId;
}

export interface HistoryListing {
  /** Every readable run, newest first. */
  runs: HistoryRecord[];
  /** Records that could not be read (a newer app version, damage), or lost in an upgrade. */
  skipped: SkippedRecord[];
}

/**
 * The whole local history: readable runs newest first (save day, then creation order within
 * the day), and what could not be read. One unreadable record never fails the list, and is
 * never hidden either: the caller shows `skipped`.
 */
export async function readHistory(): Promise<HistoryListing> {
  const b = current();
  const runs: HistoryRecord[] = [];
  const skippedRecords: SkippedRecord[] = [...(b.dropped ?? [])];
  for (const raw of await b.all()) {
    try {
      runs.push(migrateRecord(raw));
    } catch (e) {
      skippedRecords.push(skipped(raw, e));
    }
  }
  const key = (r: HistoryRecord) => `${r.savedAt} ${r.localId}`;
  runs.sort((a, b2) => (key(a) === key(b2) ? 0 : key(a) < key(b2) ? 1 : -1));
  return { runs, skipped: skippedRecords };
}

/** The readable runs only, newest first (`readHistory` also says what was skipped). */
export async function listRuns(): Promise<HistoryRecord[]> {
  return (await readHistory()).runs;
}

export async function getRun(localId: string): Promise<HistoryRecord | null> {
  const raw = await current().get(localId);
  return raw === undefined ? null : migrateRecord(raw);
}

export async function deleteRun(localId: string): Promise<void> {
  await current().delete(localId);
  changed();
}

export async function markUploaded(localId: string, receipt: { remoteId: string; token: string }, now: Date = new Date()): Promise<HistoryRecord> {
  const rec = await getRun(localId);
  if (!rec) throw new RunNotFoundError(`no local run ${localId}`);
  // The upload is confirmed: its idempotency key has done its job.
  const { pendingUploadKey: _done, ...rest } = rec;
  const next: HistoryRecord = { ...rest, upload: { remoteId: receipt.remoteId, token: receipt.token, day: utcDay(now) } };
  await current().put(next);
  changed();
  return next;
}

/**
 * The idempotency key for uploading this run: the one kept from an earlier, unconfirmed attempt
 * (even across a reload), else `fresh()`, stored before it is first sent.
 */
export async function pendingUploadKey(localId: string, fresh: () => string): Promise<string> {
  const rec = await getRun(localId);
  if (!rec) throw new RunNotFoundError(`no local run ${localId}`);
  if (rec.pendingUploadKey) return rec.pendingUploadKey;
  const key = fresh();
  await current().put({ ...rec, pendingUploadKey: key });
  return key;
}

export type KeepReceiptOutcome = { kept: true } | { kept: false; reason: string };

/**
 * Keep an upload's receipt with its run. Never throws: when it cannot be kept (no local run,
 * storage full or unavailable) the caller must tell the user to copy the token now, because
 * the server keeps only its hash.
 */
export async function keepReceipt(localId: string | null, receipt: { remoteId: string; token: string }, now: Date = new Date()): Promise<KeepReceiptOutcome> {
  if (!localId) return { kept: false, reason: 'this run is not in the local history' };
  try {
    await markUploaded(localId, receipt, now);
    return { kept: true };
  } catch (err) {
    return { kept: false, reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/** After a withdrawal, forget the receipt (the remote copy is gone). */
export async function clearUpload(localId: string): Promise<void> {
  const rec = await getRun(localId);
  if (!rec) throw new RunNotFoundError(`no local run ${localId}`);
  await current().put({ ...rec, upload: null });
  changed();
}
