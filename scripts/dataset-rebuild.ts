/**
 * `npm run dataset:rebuild`: rebuild the maintained aggregates (per-group counts and quantile-sketch
 * bins, server/aggregates.ts) from the rows, and say whether the stored ones differed. They never
 * should: every insert and withdrawal updates them in its own transaction. Reads DATABASE_URL
 * (PostgreSQL; writers wait while it runs, it holds a SHARE lock on the results) or DATA_DIR
 * (PGlite, ./data/db; PGlite admits one process, so stop the server first).
 */
import { resolve } from 'node:path';
import { openDb } from '../server/db.ts';
import { rebuildAggregates } from '../server/aggregates.ts';

const db = await openDb(process.env.DATABASE_URL ? { kind: 'postgres', url: process.env.DATABASE_URL } : { kind: 'pglite', dataDir: resolve(process.env.DATA_DIR || './data/db') });
try {
  const started = performance.now();
  const r = await db.transaction((tx) => rebuildAggregates(tx));
  process.stdout.write(
    `rebuilt ${r.groups} groups, ${r.bins} bins in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `${r.differing === 0 ? 'the stored aggregates were already exact' : `${r.differing} stored lines differed and were replaced`}\n`,
  );
} finally {
  await db.close();
}
