/**
 * IndexedDbHistory against a small in-memory IDBFactory fake (node has no IndexedDB): the
 * structure upgrade from version 1 (store keyed by `id`, v1 records) to version 2 (keyed by
 * `localId`, v2 records), and the ordinary operations. The fake models only what the code
 * uses: versioned open with onupgradeneeded, object stores with a keyPath, put/get/getAll/delete,
 * all answered asynchronously like the real thing.
 */
import { describe, expect, test } from 'vitest';
import { IndexedDbHistory } from '../../src/results/history.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

type Rows = Map<string, unknown>;
interface FakeDbState { version: number; stores: Map<string, { keyPath: string; rows: Rows }> }

function later(fn: () => void) {
  setTimeout(fn, 0);
}

class FakeRequest<T> {
  result!: T;
  error: Error | null = null;
  transaction: unknown = null;
  onsuccess: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onupgradeneeded: ((e: { oldVersion: number }) => void) | null = null;
  onblocked: (() => void) | null = null;
  succeed(value: T) {
    later(() => {
      this.result = value;
      this.onsuccess?.({});
    });
  }
}

function storeApi(state: FakeDbState, name: string) {
  const s = state.stores.get(name);
  if (!s) throw new Error(`NotFoundError: no store ${name}`);
  const copy = <T>(x: T): T => structuredClone(x);
  return {
    put(value: Record<string, unknown>) {
      const r = new FakeRequest<unknown>();
      s.rows.set(String(value[s.keyPath]), copy(value));
      r.succeed(value[s.keyPath]);
      return r;
    },
    get(key: string) {
      const r = new FakeRequest<unknown>();
      r.succeed(copy(s.rows.get(key)));
      return r;
    },
    getAll() {
      const r = new FakeRequest<unknown[]>();
      // Real IndexedDB returns records in key order.
      r.succeed([...s.rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => copy(v)));
      return r;
    },
    delete(key: string) {
      const r = new FakeRequest<undefined>();
      s.rows.delete(key);
      r.succeed(undefined);
      return r;
    },
  };
}

function fakeFactory(dbs: Map<string, FakeDbState>) {
  return {
    open(name: string, version: number) {
      const req = new FakeRequest<unknown>();
      later(() => {
        const state = dbs.get(name) ?? { version: 0, stores: new Map() };
        dbs.set(name, state);
        const db = {
          createObjectStore(store: string, opts: { keyPath: string }) {
            state.stores.set(store, { keyPath: opts.keyPath, rows: new Map() });
            return storeApi(state, store);
          },
          deleteObjectStore(store: string) {
            state.stores.delete(store);
          },
          transaction(store: string) {
            return { objectStore: () => storeApi(state, store) };
          },
          close() {},
        };
        req.result = db;
        const old = state.version;
        if (old < version) {
          req.transaction = { objectStore: (s: string) => storeApi(state, s) };
          req.onupgradeneeded?.({ oldVersion: old });
          state.version = version;
        }
        // Let upgrade callbacks (getAll inside the upgrade) finish before success, as the real
        // versionchange transaction completes before onsuccess.
        setTimeout(() => req.onsuccess?.({}), 5);
      });
      return req;
    },
  } as unknown as IDBFactory;
}

describe('IndexedDbHistory', () => {
  test('a fresh database: put, get, getAll, delete', async () => {
    const h = new IndexedDbHistory(fakeFactory(new Map()));
    const rec = { v: 2 as const, localId: 'a', savedAt: '2026-11-23', doc: sampleResult(), upload: null, label: null };
    await h.put(rec);
    expect(await h.get('a')).toEqual(rec);
    expect(await h.all()).toEqual([rec]);
    await h.delete('a');
    expect(await h.all()).toEqual([]);
  });

  test('upgrading a version-1 database re-keys v1 records as v2 and drops unreadable ones', async () => {
    const dbs = new Map<string, FakeDbState>();
    const v1rows: Rows = new Map<string, unknown>([
      ['old-1', { id: 'old-1', doc: sampleResult(), uploaded: { id: 'REMOTE0123456789', token: 'tok' } }],
      ['old-2', { id: 'old-2', doc: { schemaVersion: 7 } }],
    ]);
    dbs.set('frugal-ai-lab', { version: 1, stores: new Map([['runs', { keyPath: 'id', rows: v1rows }]]) });
    const h = new IndexedDbHistory(fakeFactory(dbs));
    const all = await h.all();
    expect(all).toEqual([
      { v: 2, localId: 'old-1', savedAt: '2026-11-23', doc: sampleResult(), upload: { remoteId: 'REMOTE0123456789', token: 'tok', day: '2026-11-23' }, label: null },
    ]);
    expect(dbs.get('frugal-ai-lab')?.version).toBe(2);
    expect(dbs.get('frugal-ai-lab')?.stores.get('runs')?.keyPath).toBe('localId');
    // The dropped record is remembered, so the history view can say it was lost and why.
    expect(h.dropped).toEqual([{ localId: 'old-2', reason: expect.stringMatching(/schema version 7/) as unknown }]);
  });
});
