/**
 * The classes suite against a real PostgreSQL server (DATABASE_URL; `.ci/postgres.sh` starts one).
 * Like api.postgres.test.ts: a failure in CI when it is missing, skipped elsewhere.
 */
import { describe, test } from 'vitest';
import { classesSuite } from './classes-suite.ts';

class PostgresUnavailableError extends Error {
  override name = 'PostgresUnavailableError';
}

const url = process.env.DATABASE_URL;
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';

if (!url && ci) {
  describe('PostgreSQL backend (classes)', () => {
    test('is available in CI', () => {
      throw new PostgresUnavailableError('DATABASE_URL is not set, so the PostgreSQL classes suite cannot run; in CI this fails rather than skips');
    });
  });
} else {
  describe.skipIf(!url)(url ? 'PostgreSQL backend (classes)' : 'PostgreSQL backend (classes): skipped because DATABASE_URL is not set (source .ci/postgres.sh)', () => {
    classesSuite('postgres', { config: () => ({ kind: 'postgres', url: url! }) });
  });
}
