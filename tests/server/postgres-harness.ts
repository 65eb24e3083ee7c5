/**
 * How every backend suite starts: `eachBackend` runs a suite on PGlite (a throwaway folder) and
 * on PostgreSQL. PostgreSQL runs against the server named by DATABASE_URL (`.ci/postgres.sh`
 * starts a throwaway one and sets it). In CI (`CI` set, as `.ci/run` does) a missing DATABASE_URL
 * is a failure: a PostgreSQL that could not start must not turn into a green run. Elsewhere the
 * suite is skipped, and its title says why.
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import pg from 'pg';
import { openDb, type Db, type DbConfig } from '../../server/db.ts';
import type { ServerOptions } from '../../server/app.ts';
import { tempDir } from './helpers.ts';

class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

const HOW_TO = 'source .ci/postgres.sh to start a throwaway PostgreSQL';

/** Every table the migrations create: a suite that asserts exact rows starts without any of them. */
const ALL_TABLES = 'results, schema_migrations, aggregate_groups, aggregate_bins, class_entries, classes';

const isCi = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
};

/**
 * `body(url)` runs inside a describe block titled "PostgreSQL backend (what)". With `emptySchema`
 * every table is dropped first, so migrations run from scratch and counts start at zero.
 */
function describePostgres(what: string, body: (url: string) => void, opts: { emptySchema?: boolean } = {}): void {
  const url = process.env.DATABASE_URL;
  const title = `PostgreSQL backend (${what})`;
  if (!url && isCi()) {
    describe(title, () => {
      test('is available in CI', () => {
        throw new PostgresUnavailableError(
          `DATABASE_URL is not set, so the PostgreSQL ${what} suite cannot run; in CI this fails rather than skips (${HOW_TO}; see the .ci/postgres.sh output above for why it did not start)`,
        );
      });
    });
    return;
  }
  describe.skipIf(!url)(url ? title : `${title}: skipped because DATABASE_URL is not set (${HOW_TO})`, () => {
    if (opts.emptySchema) {
      beforeAll(async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP TABLE IF EXISTS ${ALL_TABLES}`);
        await client.end();
      });
    }
    body(url!);
  });
}

/** The database a backend suite runs on. */
export interface SuiteBackend {
  readonly kind: DbConfig['kind'];
  /** The suite's database: the same one at every call. */
  config(): DbConfig;
  /**
   * A database no earlier call holds open: PGlite admits one process per folder, so a new folder
   * each call; PostgreSQL takes many connections, so the same server.
   */
  fresh(): DbConfig;
}

/** The server options that point a results server at a backend's database. */
export function serverStorage(config: DbConfig): Pick<ServerOptions, 'dataDir' | 'databaseUrl'> {
  switch (config.kind) {
    case 'pglite':
      return { dataDir: config.dataDir };
    case 'postgres':
      return { databaseUrl: config.url };
  }
}

/** Opens a backend's database without its log lines. */
export function openQuiet(config: DbConfig): Promise<Db> {
  return openDb(config, { log: () => undefined });
}

/**
 * Runs `suite` on PGlite in a throwaway folder, then on PostgreSQL (see describePostgres; with
 * `emptySchema` it starts from no tables, as PGlite's new folder does).
 */
export function eachBackend(what: string, suite: (backend: SuiteBackend) => void, opts: { emptySchema?: boolean } = {}): void {
  describe(`PGlite backend (${what})`, () => {
    const prefix = `fal-${what.replace(/\W+/g, '-')}-`;
    const dirs = [tempDir(prefix)];
    afterAll(() => dirs.forEach((d) => d.remove()));
    const folder = (path: string): DbConfig => ({ kind: 'pglite', dataDir: path });
    suite({
      kind: 'pglite',
      config: () => folder(dirs[0]!.path),
      fresh: () => {
        const d = tempDir(prefix);
        dirs.push(d);
        return folder(d.path);
      },
    });
  });
  describePostgres(what, (url) => {
    const config = (): DbConfig => ({ kind: 'postgres', url });
    suite({ kind: 'postgres', config, fresh: config });
  }, opts);
}
