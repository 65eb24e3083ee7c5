/**
 * How every PostgreSQL suite starts: against the server named by DATABASE_URL (`.ci/postgres.sh`
 * starts a throwaway one and sets it). In CI (`CI` set, as `.ci/run` does) a missing DATABASE_URL
 * is a failure: a PostgreSQL that could not start must not turn into a green run. Elsewhere the
 * suite is skipped, and its title says why.
 */
import { beforeAll, describe, test } from 'vitest';
import pg from 'pg';

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
export function describePostgres(what: string, body: (url: string) => void, opts: { emptySchema?: boolean } = {}): void {
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
