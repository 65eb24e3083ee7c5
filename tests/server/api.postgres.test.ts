/** The API suite against a real PostgreSQL server (see postgres-harness.ts). */
import { apiSuite } from './api-suite.ts';
import { describePostgres } from './postgres-harness.ts';

// Starts from an empty schema: the suite asserts exact counts.
describePostgres('API', (url) => apiSuite('postgres', () => ({ databaseUrl: url })), { emptySchema: true });
