/**
 * The same API suite against a real PostgreSQL server. `.ci/postgres.sh` starts one and sets
 * DATABASE_URL. In CI (`CI` set, as `.ci/run` does) a missing DATABASE_URL is a failure: a
 * PostgreSQL that could not start must not turn into a green run. Elsewhere the suite is
 * skipped, and its title says why.
 */
import { beforeAll, describe, test } from 'vitest';
import pg from 'pg';
import { apiSuite } from './api-suite.ts';

class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

const url = process.env.DATABASE_URL;
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const howTo = 'source .ci/postgres.sh to start a throwaway PostgreSQL';

if (!url && ci) {
  describe('PostgreSQL backend', () => {
    test('is available in CI', () => {
      throw new PostgresUnavailableError(`DATABASE_URL is not set, so the PostgreSQL suite cannot run; in CI this fails rather than skips (${howTo}; see the .ci/postgres.sh output above for why it did not start)`);
    });
  });
} else {
  const title = url ? 'PostgreSQL backend' : `PostgreSQL backend: skipped because DATABASE_URL is not set (${howTo})`;
  describe.skipIf(!url)(title, () => {
    // Start from an empty schema: the suite asserts exact counts.
    beforeAll(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('DROP TABLE IF EXISTS results, schema_migrations');
      await client.end();
    });
    apiSuite('postgres', () => ({ databaseUrl: url! }));
  });
}
