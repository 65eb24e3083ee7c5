/**
 * The aggregates suite against a real PostgreSQL server (DATABASE_URL; `.ci/postgres.sh` starts
 * one). Like api.postgres.test.ts: a failure in CI when it is missing, skipped elsewhere.
 */
import { beforeAll, describe, test } from 'vitest';
import pg from 'pg';
import { openDb } from '../../server/db.ts';
import { aggregatesSuite } from './aggregates-suite.ts';

class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

const url = process.env.DATABASE_URL;
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

if (!url && ci) {
  describe('PostgreSQL backend (aggregates)', () => {
    test('is available in CI', () => {
      throw new PostgresUnavailableError('DATABASE_URL is not set, so the PostgreSQL aggregates suite cannot run; in CI this fails rather than skips');
    });
  });
} else {
  describe.skipIf(!url)(url ? 'PostgreSQL backend (aggregates)' : 'PostgreSQL backend (aggregates): skipped because DATABASE_URL is not set (source .ci/postgres.sh)', () => {
    // Start from an empty schema: the suite asserts exact aggregates.
    beforeAll(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('DROP TABLE IF EXISTS results, schema_migrations, aggregate_groups, aggregate_bins');
      await client.end();
    });
    aggregatesSuite('postgres', () => openDb({ kind: 'postgres', url: url! }, { log: () => undefined }));
  });
}
