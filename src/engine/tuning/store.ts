/**
 * Where an autotune's choice is kept, per adapter: IndexedDB in the browser's worker, memory in
 * the Node runner (one process, one run after another). Storage is a convenience, never a
 * condition: a store that fails (quota, private browsing, a blocked database) answers "not
 * cached" and swallows writes, and the run tunes again.
 */
import * as v from 'valibot';
import { storedTuningSchema } from '../../shared/tuning-schema.ts';
import type { KernelTuning, TuningTrial } from '../../shared/tuning.ts';
import { fnv1a, sourcesHash } from './sources.ts';
import { fusionKey, gemvShapeKey, type TuningShapes } from './shapes.ts';
import { gemmShapeKey } from '../../shared/tuning.ts';

export interface StoredTuning {
  tuning: KernelTuning;
  trials: TuningTrial[];
}

export interface TuningStore {
  get(key: string): Promise<StoredTuning | null>;
  put(key: string, value: StoredTuning): Promise<void>;
}

/** What identifies the adapter a tuning was timed on (GPUAdapterInfo's fields and the device's features). */
export interface TuningAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: readonly string[];
}

/**
 * The tuner's own rules (candidates, margins, how trials are timed) change what a cached choice
 * means: bump this when they change, so every adapter tunes again. 3: products are timed with the
 * prologue and epilogue they run with in the model, no longer bare. 4: the encoder's LayerNorm prologue and normalized residual.
 */
export const TUNER_VERSION = 4;

/**
 * The cache key: the adapter (vendor, architecture, device, description, enabled features), the
 * kernel sources (a new kernel version re-tunes) and the shapes timed with their fusions (a run of
 * another preset has other shapes, so its own entry).
 */

export function tuningKey(adapter: TuningAdapter, shapes: TuningShapes, sources: string = sourcesHash()): string {
  const shapeList = [
    ...shapes.gemm.map((s) => `g${gemmShapeKey(s.m, s.n, s.k)}${s.f16 ? 'h' : ''}${fusionKey(s)}`),
    ...shapes.gemv.map((s) => `v${gemvShapeKey(s)}${s.layout}${s.f16 ? 'h' : ''}${fusionKey(s)}`),
  ].sort();
  const who = [adapter.vendor, adapter.architecture, adapter.device, adapter.description, [...adapter.features].sort().join(',')].join('|');
  return `tuning|v${TUNER_VERSION}|${who}|k${sources}|s${fnv1a(shapeList.join(';'))}`;
}

/** A stored value read back is checked like a document's tuning: anything else is a miss. */
function readStored(raw: unknown): StoredTuning | null {
  const parsed = v.safeParse(storedTuningSchema, raw);
  return parsed.success ? parsed.output : null;
}

export class MemoryTuningStore implements TuningStore {
  private readonly rows = new Map<string, unknown>();
  async get(key: string): Promise<StoredTuning | null> {
    return readStored(structuredClone(this.rows.get(key)));
  }
  async put(key: string, value: StoredTuning): Promise<void> {
    this.rows.set(key, structuredClone(value));
  }
}

/** Wraps a store so that no failure of it reaches the run: a read that fails is a miss, a write that fails is dropped. */
export class SafeTuningStore implements TuningStore {
  /** The last failure, for a log line; the run itself never sees it. */
  lastError: unknown = null;
  constructor(private readonly inner: TuningStore) {}
  async get(key: string): Promise<StoredTuning | null> {
    try {
      return readStored(await this.inner.get(key));
    } catch (e) {
      this.lastError = e;
      return null;
    }
  }
  async put(key: string, value: StoredTuning): Promise<void> {
    try {
      await this.inner.put(key, value);
    } catch (e) {
      this.lastError = e;
    }
  }
}

class TuningStorageError extends Error {
  override name = 'TuningStorageError';
}

const DB_NAME = 'frugal-ai-lab-tuning';
const DB_VERSION = 1;
const STORE = 'tuning';
/** An open that neither succeeds nor fails (a blocked upgrade, some private modes) is given up after this. */
const OPEN_TIMEOUT_MS = 2000;

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new TuningStorageError(r.error?.message ?? 'IndexedDB request failed'));
  });
}

/** Tunings in IndexedDB (a database of its own, apart from the run history). Wrap it in SafeTuningStore. */
export class IndexedDbTuningStore implements TuningStore {
  private db: Promise<IDBDatabase> | null = null;
  constructor(private readonly factory: IDBFactory) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TuningStorageError('IndexedDB did not open in time')), OPEN_TIMEOUT_MS);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        f();
      };
      const r = this.factory.open(DB_NAME, DB_VERSION);
      r.onupgradeneeded = () => {
        if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
      };
      r.onsuccess = () => done(() => resolve(r.result));
      r.onerror = () => done(() => reject(new TuningStorageError(r.error?.message ?? 'cannot open the tuning cache')));
      r.onblocked = () => done(() => reject(new TuningStorageError('the tuning cache is held by an older tab')));
    });
    // A failed open is not kept: the next run tries again.
    this.db.catch(() => {
      this.db = null;
    });
    return this.db;
  }

  async get(key: string): Promise<StoredTuning | null> {
    const db = await this.open();
    return readStored(await req<unknown>(db.transaction(STORE, 'readonly').objectStore(STORE).get(key)));
  }

  async put(key: string, value: StoredTuning): Promise<void> {
    const db = await this.open();
    await req(db.transaction(STORE, 'readwrite').objectStore(STORE).put(value, key));
  }
}

let fallback: TuningStore | null = null;

/** The store a run uses when none is given: IndexedDB where it exists (the worker), else memory kept for the process (the Node runner). */
export function defaultTuningStore(): TuningStore {
  fallback ??= new SafeTuningStore(typeof indexedDB !== 'undefined' ? new IndexedDbTuningStore(indexedDB) : new MemoryTuningStore());
  return fallback;
}
