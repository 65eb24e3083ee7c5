/**
 * Upgrading a database that already holds rows at version 6, on each storage backend: the database is brought back to what a version-6 server
 * left (migration 5's aggregate tables, one row per group and no shards, filled from the rows; the
 * results written with the columns of that version), then migrated. Migration 7's aggregates must
 * equal `dataset:rebuild`'s, /api/stats must equal what a current server that received the same
 * uploads answers (a PGlite control fed through the store), and a rebuild afterwards changes nothing.
 * Then the same from version 8, whose real-model groups pooled English and French results: migration
 * 9 splits them by task set.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate, type Db } from '../../server/db.ts';
import { aggregatesFromRows, rebuildAggregates, storedAggregates } from '../../server/aggregates.ts';
import { contentHash, derivedColumns, sha256 } from '../../server/result-row.ts';
import { ResultStore } from '../../server/store.ts';
import { MIGRATIONS } from '../../server/migrations.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleRealResult } from '../../src/shared/sample-real-result.ts';
import { tempDir, uniqueResult } from './helpers.ts';
import { eachBackend, openQuiet, type SuiteBackend } from './postgres-harness.ts';

/** Migration 5's tables as version 6 had them: one row per group, no shards, no result count or seq sum. */
const V5_AGGREGATES_SQL = `
  CREATE TABLE aggregate_groups (
    vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '',
    count BIGINT NOT NULL,
    PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype)
  );
  CREATE TABLE aggregate_bins (
    vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '',
    metric TEXT NOT NULL, sign SMALLINT NOT NULL, bin INTEGER NOT NULL, count BIGINT NOT NULL,
    PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype, metric, sign, bin)
  );
`;

const VENDORS = ['nvidia', 'amd', 'intel', 'apple', 'qualcomm'] as const;
const ARCHITECTURES = ['ada', 'rdna-3', 'xe', 'metal-3'] as const;

/**
 * Synthetic rows: synthetic-race results over many adapters (some without energy), and
 * real-models results whose classifier answered differently, so groups, bins, exact medians and
 * pooled accuracy all have something to hold. Raw inserts bypass validation (as the rows of an
 * older server already are), so the adapter can be varied freely.
 */
function syntheticDocs(): ResultDocument[] {
  const docs: ResultDocument[] = [];
  for (let n = 0; n < 48; n++) {
    const d = structuredClone(uniqueResult(7000 + n));
    d.environment.adapter.vendor = VENDORS[n % VENDORS.length]!;
    d.environment.adapter.architecture = ARCHITECTURES[n % ARCHITECTURES.length]!;
    d.workloads[0]!.timing.medianMs = 1 + (n % 9) * 0.37;
    if (n % 11 === 3) delete d.energy;
    else {
      d.energy!.ratio.p50 = 2 + (n % 13) * 0.7;
      d.energy!.perQuery.general.joules.p50 = 0.01 * (1 + n);
      d.energy!.perQuery.specialized.joules.p50 = 1e-4 * (1 + (n % 31));
    }
    docs.push(d);
  }
  for (let n = 0; n < 9; n++) {
    const d = structuredClone(sampleRealResult({ app: { version: `0.1.0-up${n}` } }));
    d.environment.adapter.vendor = n % 2 === 0 ? 'apple' : 'nvidia';
    const spec = d.workloads.find((w) => w.kind === 'real-model' && w.role === 'specialized')!;
    spec.real!.accuracy = { ...spec.real!.accuracy, correct: 25 + n };
    spec.timing.medianMs = 11 + n * 0.1;
    docs.push(d);
  }
  return docs;
}

/** Insert as a version-6 server did: the row only (its aggregates are filled below, by group). */
async function insertRow(db: Db, doc: ResultDocument, i: number): Promise<void> {
  const c = derivedColumns(doc);
  await db.query(
    `INSERT INTO results (id, content_hash, token_hash, received_day, preset, suite_version, vendor, architecture,
                          general_j_p50, specialized_j_p50, ratio_p50, doc)
     VALUES ($1, $2, $3, '2026-11-20', $4, $5, $6, $7, $8, $9, $10, $11)`,
    [`upgrade${String(i).padStart(9, '0')}`, contentHash(doc), sha256(`t${i}`), c.preset, c.suite_version, c.vendor, c.architecture,
      c.general_j_p50, c.specialized_j_p50, c.ratio_p50, JSON.stringify(doc)],
  );
}

/**
 * Back to version 6: the current aggregate tables and every later migration's objects dropped,
 * migration 5's tables recreated and filled with per-group counts (the old shape; migration 7
 * must not read them), and the migrations above 6 forgotten.
 */
async function downgradeToVersion6(db: Db): Promise<void> {
  await db.exec('DROP TABLE IF EXISTS aggregate_bins; DROP TABLE IF EXISTS aggregate_groups; DROP INDEX IF EXISTS results_sensor_profile_idx;');
  await db.exec(V5_AGGREGATES_SQL);
  await db.query('DELETE FROM schema_migrations WHERE version > 6');
}

async function fillVersion5Aggregates(db: Db): Promise<void> {
  await db.exec(`INSERT INTO aggregate_groups (vendor, architecture, preset, suite_version, count)
                 SELECT vendor, architecture, preset, suite_version, count(*) FROM results GROUP BY 1, 2, 3, 4`);
  // A stale bin the old shape held: the rebuild must not carry anything over from these tables.
  await db.exec(`INSERT INTO aggregate_bins (vendor, architecture, preset, suite_version, metric, sign, bin, count)
                 VALUES ('nvidia', 'ada', 'ci', 'ci-1', 'ratio', 1, 42, 7)`);
}

/**
 * Real-models results of one model on one adapter, on the English and the French task set
 * (both models of a result answer the same set), each classifier with its own count correct.
 */
function taskDocs(): { doc: ResultDocument; task: 'sentiment-en' | 'sentiment-fr'; correct: number }[] {
  return [0, 1, 2, 3, 4, 5].map((n) => {
    const language = n < 4 ? 'en' : 'fr';
    const correct = language === 'en' ? 30 + n : 20 + n;
    const d = structuredClone(sampleRealResult({ app: { version: `0.1.0-tk${n}` } }));
    d.environment.adapter.vendor = 'intel';
    for (const w of d.workloads) if (w.real) w.real.taskSet = { id: `sentiment-${language}`, version: 1, language };
    const spec = d.workloads.find((w) => w.kind === 'real-model' && w.role === 'specialized')!;
    spec.real!.accuracy = { ...spec.real!.accuracy, correct };
    spec.timing.medianMs = 11 + n * 0.2;
    return { doc: d, task: `sentiment-${language}`, correct };
  });
}

/**
 * Back to version 8: the aggregate tables in their version-8 shape (no task in the group key),
 * holding what a version-8 server maintained, a real model's English and French results in one
 * group, and migration 9 forgotten.
 */
async function downgradeToVersion8(db: Db): Promise<void> {
  const key = 'vendor, architecture, preset, suite_version, model, dtype, shard';
  await db.exec(`
    CREATE TABLE groups_v8 AS
      SELECT ${key}, sum(count)::bigint AS count, sum(results)::bigint AS results, sum(seq_sum)::bigint AS seq_sum,
             sum(member_seq_sum)::bigint AS member_seq_sum, sum(correct)::bigint AS correct, sum(answered)::bigint AS answered
        FROM aggregate_groups GROUP BY ${key};
    CREATE TABLE bins_v8 AS
      SELECT ${key}, metric, sign, bin, sum(count)::bigint AS count FROM aggregate_bins GROUP BY ${key}, metric, sign, bin;
    DROP TABLE aggregate_bins; DROP TABLE aggregate_groups;
    ALTER TABLE groups_v8 RENAME TO aggregate_groups;
    ALTER TABLE bins_v8 RENAME TO aggregate_bins;
    ALTER TABLE aggregate_groups ADD PRIMARY KEY (${key});
    ALTER TABLE aggregate_bins ADD PRIMARY KEY (${key}, metric, sign, bin);
  `);
  await db.query('DELETE FROM schema_migrations WHERE version > 8');
}

function migrationUpgradeSuite(backend: SuiteBackend) {
  const name = backend.kind;
  describe(`migrations 7 to 9 over rows stored at versions 6 and 8 (${name})`, () => {
    let db: Db;
    const control = tempDir('fal-upgrade-control-');
    let controlDb: Db;
    const docs = syntheticDocs();
    beforeAll(async () => {
      db = await openQuiet(backend.config());
      controlDb = await openQuiet({ kind: 'pglite', dataDir: control.path });
    });
    afterAll(async () => {
      await db?.close();
      await controlDb?.close();
      control.remove();
    });

    test('aggregates equal dataset:rebuild, /api/stats equals a current server fed the same uploads', async () => {
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM results')).rows[0]!.n).toBe(0);
      await downgradeToVersion6(db);
      for (const [i, d] of docs.entries()) await insertRow(db, d, i);
      await fillVersion5Aggregates(db);
      expect((await db.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_migrations')).rows[0]!.v).toBe(6);

      const later = MIGRATIONS.filter((m) => m.version > 6).map((m) => m.version);
      expect(later[0]).toBe(7);
      expect(await migrate(db, () => undefined)).toEqual(later);

      // Migration 7's tables hold exactly what the rows imply, which is what dataset:rebuild writes.
      const migrated = (await storedAggregates(db)).lines();
      expect(migrated.length).toBeGreaterThan(docs.length);
      expect(migrated).toEqual((await aggregatesFromRows(db)).lines());
      const statsAfterMigration = await new ResultStore(db, { statsTtlMs: 0 }).stats();
      expect(statsAfterMigration.total).toBe(docs.length);
      const report = await db.transaction((tx) => rebuildAggregates(tx));
      expect(report.differing).toBe(0);
      expect((await storedAggregates(db)).lines()).toEqual(migrated);
      expect(await new ResultStore(db, { statsTtlMs: 0 }).stats()).toEqual(statsAfterMigration);

      // The same uploads, in the same order, into a current server: the same aggregates (shards
      // follow seq, equal in both) and the same /api/stats.
      const store = new ResultStore(controlDb, { statsTtlMs: 0 });
      for (const d of docs) expect((await store.insert(d)).duplicate).toBe(false);
      expect((await storedAggregates(controlDb)).lines()).toEqual(migrated);
      const statsControl = await store.stats();
      expect(statsAfterMigration).toEqual(statsControl);
      // Real-model groups came through: pooled answers of the classifier on Apple adapters.
      const apple = statsAfterMigration.groups.find((g) => g.vendor === 'apple' && g.model === 'distilbert-sst2');
      expect(apple?.count).toBe(5);
      expect(apple?.real?.accuracy?.correct).toBe([0, 2, 4, 6, 8].reduce((s, n) => s + 25 + n, 0));
    });

    test('after the upgrade, writes keep the aggregates equal to a rebuild', async () => {
      const store = new ResultStore(db, { statsTtlMs: 0 });
      const before = await store.stats();
      const up = await store.insert(uniqueResult(7999));
      if (up.duplicate || !('token' in up)) throw new Error('expected a new row');
      expect((await store.stats()).total).toBe(before.total + 1);
      expect((await storedAggregates(db)).lines()).toEqual((await aggregatesFromRows(db)).lines());
      expect(await store.remove(up.id, up.token)).toBe('deleted');
      expect(await store.stats()).toEqual(before);
    });

    test('migration 9 over a version-8 database: English and French groups split, equal to dataset:rebuild and to a current server', async () => {
      const more = taskDocs();
      for (const [i, t] of more.entries()) await insertRow(db, t.doc, 1000 + i);
      // What a version-8 server held for these rows: the tables the rows imply, with the task sets pooled.
      await db.transaction((tx) => rebuildAggregates(tx));
      await downgradeToVersion8(db);
      expect((await db.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_migrations')).rows[0]!.v).toBe(8);
      const pooled = await db.query<{ n: number }>(`SELECT sum(count)::int AS n FROM aggregate_groups WHERE vendor = 'intel' AND model = 'distilbert-sst2'`);
      expect(pooled.rows[0]!.n).toBe(more.length);

      expect(await migrate(db, () => undefined)).toEqual([9, 10]);
      const migrated = (await storedAggregates(db)).lines();
      expect(migrated).toEqual((await aggregatesFromRows(db)).lines());
      expect((await db.transaction((tx) => rebuildAggregates(tx))).differing).toBe(0);
      expect((await storedAggregates(db)).lines()).toEqual(migrated);
      const stats = await new ResultStore(db, { statsTtlMs: 0 }).stats();

      // One group per task set, each with its own results and answers.
      for (const task of ['sentiment-en', 'sentiment-fr'] as const) {
        const mine = more.filter((t) => t.task === task);
        const g = stats.groups.find((x) => x.vendor === 'intel' && x.model === 'distilbert-sst2' && x.task === task);
        expect(g?.count).toBe(mine.length);
        expect(g?.real?.accuracy?.correct).toBe(mine.reduce((s, t) => s + t.correct, 0));
        expect([g?.real?.accuracy?.n, g?.real?.accuracy?.results, g?.real?.accuracy?.effectiveN]).toEqual([40 * mine.length, mine.length, 40]);
      }

      // A current server fed the same uploads answers the same /api/stats.
      const control = new ResultStore(controlDb, { statsTtlMs: 0 });
      for (const t of more) expect((await control.insert(t.doc)).duplicate).toBe(false);
      expect(stats).toEqual(await control.stats());
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite counts rows from zero and compares seqs with its control.
eachBackend('version-6 upgrade', migrationUpgradeSuite, { emptySchema: true });
