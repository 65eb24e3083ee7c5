/**
 * The same API suite against a real PostgreSQL server. `.ci/postgres.sh` starts one and sets
 * DATABASE_URL in CI; without it this file skips, saying so.
 */
import { beforeAll, describe, test } from 'vitest';
import pg from 'pg';
import { apiSuite } from './api-suite.ts';

const url = process.env.DATABASE_URL;

if (url) {
  // Start from an empty schema: the suite asserts exact counts.
  beforeAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('DROP TABLE IF EXISTS results, schema_migrations');
    await client.end();
  });
  apiSuite('postgres', () => ({ databaseUrl: url }));
} else {
  describe('results API (postgres)', () => {
    // Stated reason, visible in the report: no server to test against on this machine.
    test.skip('skipped: DATABASE_URL is not set (source .ci/postgres.sh to start a throwaway PostgreSQL)', () => {});
  });
}
