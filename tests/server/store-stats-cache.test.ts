/**
 * /api/stats caching across server processes: each process has its own cache, invalidated by
 * its own writes only. Two ResultStores over one database stand for two processes sharing
 * PostgreSQL; a fake clock drives the TTL (no sleeping, no wall-clock thresholds).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDb } from '../../server/db.ts';
import type { Db } from '../../server/db.ts';
import { ResultStore, STATS_TTL_MS } from '../../server/store.ts';
import { tempDir, uniqueResult } from './helpers.ts';

const dir = tempDir('fal-stats-ttl-');
let db: Db;
beforeAll(async () => {
  db = await openDb({ kind: 'pglite', dataDir: dir.path });
});
afterAll(async () => {
  await db?.close();
  dir.remove();
});

test('a process sees another process\'s write once the stats TTL has passed', async () => {
  let now = 1_000_000;
  const clock = () => now;
  const reader = new ResultStore(db, { now: clock });
  const writer = new ResultStore(db, { now: clock });
  expect(STATS_TTL_MS).toBe(5_000);

  expect((await reader.stats()).total).toBe(0);
  await writer.insert(uniqueResult(1));
  // The writer's own cache is invalidated by its write; the reader's is not (yet).
  expect((await writer.stats()).total).toBe(1);
  expect((await reader.stats()).total).toBe(0);
  now += STATS_TTL_MS - 1;
  expect((await reader.stats()).total).toBe(0);
  now += 1;
  expect((await reader.stats()).total).toBe(1);

  // A write through the reader itself still invalidates at once, TTL or not.
  await reader.insert(uniqueResult(2));
  expect((await reader.stats()).total).toBe(2);
});

test('reads within the TTL share one computation', async () => {
  let now = 0;
  const store = new ResultStore(db, { now: () => now });
  const a = store.stats();
  const b = store.stats();
  expect(a).toBe(b);
  now += STATS_TTL_MS;
  expect(store.stats()).not.toBe(a);
});
