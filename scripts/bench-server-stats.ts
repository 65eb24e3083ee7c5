/**
 * `npm run bench:server -- --stats-profile --rows N --groups G [--pg]`: where /api/stats spends
 * its time at many groups, in-process (no HTTP): seeds N synthetic rows over G adapters, then
 * times the stats computation cold (every group's bins and exact medians read, as each call did
 * before groups were kept between calls) and right after a write with the groups kept (only the
 * written group read again), each a few times, and prints the medians and their ratio.
 */
import { openDb } from '../server/db.ts';
import { GroupInputsCache, readAggregateStats } from '../server/aggregate-stats.ts';
import { ResultStore } from '../server/store.ts';
import { documentVariants, seed, syntheticDoc } from './bench-server-scale.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export async function statsProfile(o: { rows: number; groups: number; samples: number }, backend: { dataDir: string; databaseUrl: string | null }) {
  const db = await openDb(backend.databaseUrl ? { kind: 'postgres', url: backend.databaseUrl } : { kind: 'pglite', dataDir: backend.dataDir }, { log: () => undefined });
  try {
    const variants = documentVariants();
    let t = performance.now();
    await seed(db, variants, 0, o.rows, o.groups);
    const seedMs = performance.now() - t;
    const read = (cache: GroupInputsCache) => db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return readAggregateStats(tx, cache);
    });
    const cold: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      t = performance.now();
      await read(new GroupInputsCache());
      cold.push(performance.now() - t);
    }
    // A store's stats right after each of its writes (the cache of its published groups warm).
    const store = new ResultStore(db, { statsTtlMs: 0 });
    await store.stats();
    const afterWrite: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      await store.insert(syntheticDoc(variants, o.rows + i, 'w', o.groups));
      t = performance.now();
      await store.stats();
      afterWrite.push(performance.now() - t);
    }
    const report = {
      backend: db.kind, rows: o.rows, groups: o.groups, seedS: Math.round(seedMs / 100) / 10,
      coldMs: cold.map(Math.round), afterWriteMs: afterWrite.map(Math.round),
      coldMedianMs: Math.round(median(cold)), afterWriteMedianMs: Math.round(median(afterWrite)),
      ratio: Math.round((median(cold) / median(afterWrite)) * 10) / 10,
    };
    process.stdout.write(`stats at ${o.rows} rows, ${o.groups} groups (${db.kind}): every group read ${report.coldMedianMs} ms, after a write with groups kept ${report.afterWriteMedianMs} ms (median of ${o.samples}; ${report.ratio}x)\n`);
    return report;
  } finally {
    await db.close();
  }
}
