/**
 * Versioned migrations, applied in order, never edited once released (add a new one; the one
 * exception: 5, 7, 8 and 9 had their own rebuilds moved to the runner below, same final tables): SQL
 * statements, or code that rewrites rows, both inside the transaction of db.ts `migrate()`.
 * Privacy by construction: there is no column for an IP address, a user agent or a timestamp;
 * `received_day` is a DATE. The deletion token and the idempotency key are stored only as SHA-256.
 */
import { AGGREGATES_SQL, rebuildAggregates } from './aggregates.ts';
import { cleanStoredResults, MERGED_UPLOADS_SQL } from './clean-results.ts';
import { MEASURED_PROFILES_INDEX_SQL } from './measured-profiles.ts';
import type { MigrationLog, Queryable } from './queryable.ts';

/**
 * `rebuildsAggregates`: the migration changes what the aggregate tables hold or their shape
 * (server/aggregates.ts). It does not rebuild them itself: the runner (db.ts `migrate`) drops them,
 * creates them in the current shape and rebuilds them from the rows ONCE, after the last pending
 * migration, in the same transaction. Each rebuild is a full scan of `results`; a database several
 * versions behind (7, 8, 9 and 10 pending) pays one, and gets the same tables as one rebuild per
 * migration would have left (the last one wins; each writes only what the rows imply).
 * `kind: 'aggregates'` is a migration that only does that.
 * Two rules follow: until that final rebuild the aggregate tables may still have an older shape, so
 * no migration may read or write them; and a code migration that changes rows must set
 * `rebuildsAggregates`, or the aggregates keep counting the rows as they were.
 */
export type Migration =
  | { kind: 'sql'; version: number; name: string; sql: string; rebuildsAggregates?: true }
  | { kind: 'code'; version: number; name: string; run(tx: Queryable, log: MigrationLog): Promise<void>; rebuildsAggregates?: true }
  | { kind: 'aggregates'; version: number; name: string };

export const needsAggregateRebuild = (m: Migration): boolean => m.kind === 'aggregates' || m.rebuildsAggregates === true;

/** Drop the aggregate tables, create them in the current shape and fill them from the rows (the runner calls it once). */
export async function recreateAggregates(tx: Queryable): Promise<void> {
  await tx.exec('DROP TABLE IF EXISTS aggregate_bins; DROP TABLE IF EXISTS aggregate_groups;');
  await tx.exec(AGGREGATES_SQL);
  await rebuildAggregates(tx);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    kind: 'sql',
    version: 1,
    name: 'results',
    sql: `
      CREATE TABLE results (
        seq BIGSERIAL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL,
        received_day DATE NOT NULL,
        preset TEXT NOT NULL,
        suite_version TEXT NOT NULL,
        vendor TEXT NOT NULL,
        architecture TEXT NOT NULL,
        general_j_p50 DOUBLE PRECISION,
        specialized_j_p50 DOUBLE PRECISION,
        ratio_p50 DOUBLE PRECISION,
        doc JSONB NOT NULL
      );
      CREATE INDEX results_group_idx ON results (vendor, architecture, preset, suite_version);
    `,
  },
  {
    kind: 'sql',
    version: 2,
    name: 'idempotency key',
    // SHA-256 of the client's Idempotency-Key (never the key itself): a retry whose 201 answer
    // was lost proves it is the original uploader and gets a fresh token. NULL for rows uploaded
    // without a key, and for every row before this migration: those can never be replayed.
    sql: `ALTER TABLE results ADD COLUMN idempotency_key_hash TEXT;`,
  },
  {
    kind: 'code',
    version: 3,
    name: 'closed vocabulary',
    // Rows stored before the closed vocabulary may hold free text a client wrote (an e-mail in
    // app.version, HTML in a profile label): each is rewritten through the shared schema, fixed
    // field by field where it can be, deleted where it cannot be published.
    run: (tx, log) => cleanStoredResults(tx, log),
  },
  {
    kind: 'sql',
    version: 4,
    name: 'merged uploads',
    // Uploads that migration 3 found identical once cleaned are one row; the others' ids and
    // deletion tokens (SHA-256) are kept on it, so each uploader can still withdraw. NULL for a
    // row that merged nothing. Migration 3 adds the columns itself (it merges, and runs first), so
    // this one only reaches databases that were already past it.
    sql: MERGED_UPLOADS_SQL,
  },
  {
    kind: 'aggregates',
    version: 5,
    name: 'aggregates',
    // Counts and quantile-sketch bins per group, maintained by every insert and withdrawal so that
    // /api/stats never scans the rows (server/aggregates.ts); built from the rows already stored
    // (by the runner, once: see `rebuildsAggregates`). The tables are dropped first: a database
    // whose results table was dropped and recreated (the PostgreSQL test suites do so) may still
    // hold old aggregate tables. It logs nothing: it changes no result, and `npm run
    // dataset:rebuild` reports the same work.
  },
  {
    kind: 'sql',
    version: 6,
    name: 'classes',
    // A class pools its pupils' figures on the projector for a lesson (server/classes.ts). The
    // teacher's token and each device's key are stored as SHA-256; an entry holds a vendor, an
    // architecture and three numbers: no text, no address, no time. `expires_ms` (epoch ms) is the
    // class's, not a pupil's: entries are deleted once it passes, and the class row a day later.
    sql: `
      CREATE TABLE IF NOT EXISTS classes (
        code TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL,
        preset TEXT NOT NULL,
        expires_ms BIGINT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS classes_expiry_idx ON classes (expires_ms);
      CREATE TABLE IF NOT EXISTS class_entries (
        seq BIGSERIAL PRIMARY KEY,
        class_code TEXT NOT NULL REFERENCES classes (code) ON DELETE CASCADE,
        device_hash TEXT NOT NULL,
        vendor TEXT NOT NULL,
        architecture TEXT NOT NULL,
        general_j DOUBLE PRECISION NOT NULL,
        specialized_j DOUBLE PRECISION NOT NULL,
        ratio DOUBLE PRECISION NOT NULL,
        UNIQUE (class_code, device_hash)
      );
    `,
  },
  {
    kind: 'aggregates',
    version: 7,
    name: 'aggregate shards and versions',
    // The aggregates' new shape (server/aggregates.ts): each group's counts split over shard rows
    // so that uploads into one group do not queue on one row lock, a per-group result count and
    // seq sum (the dataset version without a scan), and answers scored for real-model groups.
    // The tables hold only what the rows imply: recreated and rebuilt from the rows by the runner.
  },
  {
    kind: 'sql',
    version: 8,
    name: 'measured profiles index, group members',
    // GET /api/profiles/measured groups the results estimated with a sensor profile: a partial
    // index on exactly its filter and grouping expressions (server/measured-profiles.ts), so the
    // listing reads those rows only, never the whole table. An index on expressions adds no
    // column and rewrites no row, so it costs one pass to build.
    // Each group's member seq sum (server/aggregates.ts), which lets /api/stats keep a group's
    // figures until its members change: filled by the runner's rebuild, which recreates the tables
    // in the current shape rather than altering them (it writes every current column).
    sql: MEASURED_PROFILES_INDEX_SQL,
    rebuildsAggregates: true,
  },
  {
    kind: 'aggregates',
    version: 9,
    name: 'aggregates per task set',
    // A real model's group is keyed by the task set it answered too (server/aggregates.ts `task`):
    // its accuracy and energy per correct answer differ by language, so English and French results
    // must not pool. The group key changes, so the runner recreates the tables and rebuilds them
    // from the rows, which splits the real-model groups that earlier versions pooled across task sets.
  },
  {
    kind: 'aggregates',
    version: 10,
    name: 'aggregates per task set version, role and custom model file',
    // Three more real-model group columns (server/aggregates.ts): the task set's version (a new
    // version asks other sentences), the role (one result adds one run's answers to a group, so a
    // group's effective n stays the answers of one result), and a custom model's file SHA-256 (every
    // custom model is stored as `custom`: without its file, unrelated custom models pooled into one
    // accuracy). Recreated and rebuilt from the rows by the runner.
  },
];
