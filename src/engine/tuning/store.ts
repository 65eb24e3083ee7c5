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
import { browserFamily, type BrowserFamily } from '../../shared/user-agent.ts';
import type { AdapterSummary } from '../../shared/result.ts';

export interface StoredTuning {
  tuning: KernelTuning;
  trials: TuningTrial[];
}

export interface TuningStore {
  get(key: string): Promise<StoredTuning | null>;
  put(key: string, value: StoredTuning): Promise<void>;
}

/**
 * What identifies the WebGPU stack a tuning was timed on. A cached choice is only as good as the
 * kernels' speed (and correctness) on that stack, and a driver or browser update can change which
 * candidate wins, so everything knowable about it is in the key:
 * - GPUAdapterInfo's vendor, architecture, device and description. The description carries the
 *   driver and its version where the implementation exposes it: Dawn for Node reports e.g.
 *   `llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)` or `SwiftShader driver 5.0.0`; Chromium leaves it
 *   empty unless its WebGPU developer features are on, so a browser's driver update stays
 *   invisible there, and the browser's own update is what the key can see.
 * - The subgroup sizes (Chrome 134+, Dawn): the subgroup GEMV assumes them, and a driver may change them.
 * - The device's enabled features.
 * - The browser family and major version (the document's environment.browser; `node` and Node's
 *   major in the browser-free runner): each ships its own WebGPU implementation and shader compiler.
 */
export interface TuningAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** GPUAdapterInfo's subgroup sizes; absent or null where the adapter does not say. */
  subgroupMinSize?: number | null;
  subgroupMaxSize?: number | null;
  features: readonly string[];
  browser: BrowserFamily;
}

/**
 * The tuner's own rules (candidates, margins, how trials are timed) change what a cached choice
 * means: bump this when they change, so every adapter tunes again. 3: products are timed with the
 * prologue and epilogue they run with in the model, no longer bare. 4: the encoder's LayerNorm
 * prologue and normalized residual. 5: the shapes are the products the runner dispatches on this
 * device (unfused Q/K/V or gate/up where their weights do not fuse, an LM head's blocks), and the
 * key names the browser and the subgroup sizes.
 */
export const TUNER_VERSION = 5;

/** The adapter's part of the key, from its info and the engine's summary of it (subgroup sizes where known). */
export function tuningAdapterOf(info: GPUAdapterInfo, summary: Pick<AdapterSummary, 'subgroupMinSize' | 'subgroupMaxSize'>): Omit<TuningAdapter, 'features' | 'browser'> {
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, subgroupMinSize: summary.subgroupMinSize ?? null, subgroupMaxSize: summary.subgroupMaxSize ?? null };
}

/**
 * The cache key: the WebGPU stack (TuningAdapter), the kernel sources (a new kernel version
 * re-tunes) and the shapes timed with their fusions (a run of another preset has other shapes,
 * so its own entry).
 */
export function tuningKey(adapter: TuningAdapter, shapes: TuningShapes, sources: string = sourcesHash()): string {
  const shapeList = [
    ...shapes.gemm.map((s) => `g${gemmShapeKey(s.m, s.n, s.k)}${s.f16 ? 'h' : ''}${fusionKey(s)}`),
    ...shapes.gemv.map((s) => `v${gemvShapeKey(s)}${s.layout}${s.f16 ? 'h' : ''}${fusionKey(s)}`),
  ].sort();
  const subgroups = `${adapter.subgroupMinSize ?? '-'}-${adapter.subgroupMaxSize ?? '-'}`;
  const browser = `${adapter.browser.name}/${adapter.browser.major ?? '-'}`;
  const who = [adapter.vendor, adapter.architecture, adapter.device, adapter.description, subgroups, [...adapter.features].sort().join(','), browser].join('|');
  return `tuning|v${TUNER_VERSION}|${who}|k${sources}|s${fnv1a(shapeList.join(';'))}`;
}

/** The browser (or Node runner) this engine runs in, as the result document names it. */
export function runtimeBrowser(): BrowserFamily {
  const nav = (globalThis as { navigator?: { userAgent?: unknown } }).navigator;
  return browserFamily(typeof nav?.userAgent === 'string' ? nav.userAgent : '');
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

  /** Stores the tuning and, in the same transaction, drops the entries it makes unreachable (staleTuningKeys). */
  async put(key: string, value: StoredTuning): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const keys = store.getAllKeys();
    // Deletes and the put are issued from the success callback, while the transaction is active.
    keys.onsuccess = () => {
      for (const stale of staleTuningKeys(keys.result.filter((k): k is string => typeof k === 'string'), key)) store.delete(stale);
      store.put(value, key);
    };
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new TuningStorageError(tx.error?.message ?? 'IndexedDB write failed'));
      tx.onabort = () => reject(new TuningStorageError(tx.error?.message ?? 'IndexedDB write aborted'));
    });
  }
}

const KEY_PARTS = /^tuning\|v(\d+)\|.*\|k([^|]*)\|s[^|]*$/;

/**
 * The stored keys that storing `current` makes unreachable: those of another tuner version or of
 * other kernel sources, which no later run of this app can ask for (an app update re-tunes under
 * new keys). Keys of other browsers, adapters or presets stay: they may be asked for again. Keys
 * that are not tuning keys are left alone.
 */
export function staleTuningKeys(keys: readonly string[], current: string): string[] {
  const now = KEY_PARTS.exec(current);
  if (!now) return [];
  return keys.filter((k) => {
    const m = KEY_PARTS.exec(k);
    return k !== current && m !== null && (m[1] !== now[1] || m[2] !== now[2]);
  });
}

let fallback: TuningStore | null = null;

/** The store a run uses when none is given: IndexedDB where it exists (the worker), else memory kept for the process (the Node runner). */
export function defaultTuningStore(): TuningStore {
  fallback ??= new SafeTuningStore(typeof indexedDB !== 'undefined' ? new IndexedDbTuningStore(indexedDB) : new MemoryTuningStore());
  return fallback;
}
