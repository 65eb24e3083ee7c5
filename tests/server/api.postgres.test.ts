/**
 * The same API suite against a real PostgreSQL server. `.ci/postgres.sh` starts one and sets
 * DATABASE_URL in CI; without it the suite is skipped, and its title says why.
 */
import { beforeAll, describe } from 'vitest';
import pg from 'pg';
import { apiSuite } from './api-suite.ts';

const url = process.env.DATABASE_URL;
const title = url
  ? 'PostgreSQL backend'
  : 'PostgreSQL backend: skipped because DATABASE_URL is not set (source .ci/postgres.sh to start a throwaway PostgreSQL)';

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
