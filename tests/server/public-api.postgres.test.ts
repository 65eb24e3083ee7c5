/** The public read API suite against a real PostgreSQL server (see postgres-harness.ts). */
import { publicApiSuite } from './public-api-suite.ts';
import { describePostgres } from './postgres-harness.ts';

describePostgres('public read API', (url) => publicApiSuite('postgres', () => ({ databaseUrl: url })), { emptySchema: true });
