/**
 * One small SQL interface over two backends: embedded PGlite (a directory on disk, the default,
 * nothing to install) and PostgreSQL through `pg` when DATABASE_URL is set. Both speak the same
 * SQL with `$n` parameters, so the store and the migrations are written once.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MIGRATIONS, needsAggregateRebuild, recreateAggregates } from './migrations.ts';
import type { MigrationLog, Queryable, Row } from './queryable.ts';

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DbConfig = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

async function openPglite(dataDir: string): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  // relaxedDurability stays false (the default): every query waits for the file system sync,
  // so an acknowledged write is on disk before we answer 201.
  const lite = await PGlite.create({ dataDir, relaxedDurability: false });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(lite),
    transaction: (fn) => lite.transaction((tx) => fn(wrap(tx))),
    close: () => lite.close(),
  };
}

async function openPostgres(url: string): Promise<Db> {
  // Keep the pool small: the server is I/O-light and PostgreSQL connections are expensive.
  const pool = new pg.Pool({ connectionString: url, max: 8, idleTimeoutMillis: 10_000 });
  pool.on('error', () => {
    /* an idle client died (server restart): the pool replaces it on next use */
  });
  const client = await pool.connect().catch((err: unknown) => {
    throw new DatabaseOpenError(`cannot connect to PostgreSQL: ${err instanceof Error ? err.message : String(err)}`);
  });
  client.release();
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows };
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const out = await fn(wrap(c));
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Where migrations report what they did: one JSON line on stdout unless the caller says otherwise. */
const stdoutLog: MigrationLog = (event) => process.stdout.write(`${JSON.stringify({ t: new Date().toISOString().slice(0, 10), level: 'info', ...event })}\n`);

/** Open the backend and bring its schema to the latest migration. */
export async function openDb(config: DbConfig, opts: { log?: MigrationLog } = {}): Promise<Db> {
  const db = config.kind === 'pglite' ? await openPglite(config.dataDir) : await openPostgres(config.url);
  try {
    await migrate(db, opts.log);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/**
 * Apply pending migrations in one transaction: SQL ones, and code ones that rewrite rows (their
 * counts go to `log`). The advisory lock serializes servers starting together against the same
 * PostgreSQL database (harmless on PGlite, which has one client). The aggregate tables are rebuilt
 * once, after the last pending migration, if any of them asks for it (`rebuildsAggregates`): each
 * rebuild reads every row, and all of them would end in the same tables.
 */
export async function migrate(db: Db, log: MigrationLog = stdoutLog): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(5155001)');
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const applied: number[] = [];
    let rebuild = false;
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      switch (m.kind) {
        case 'sql':
          await tx.exec(m.sql);
          break;
        case 'code':
          await m.run(tx, log);
          break;
        case 'aggregates':
          break;
        default: {
          const never: never = m;
          throw new Error(`unknown migration ${JSON.stringify(never)}`);
        }
      }
      rebuild ||= needsAggregateRebuild(m);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    if (rebuild) await recreateAggregates(tx);
    return applied;
  });
}
