/** The real-model suite against a real PostgreSQL server (see postgres-harness.ts). */
import { realModelsSuite } from './real-models-suite.ts';
import { describePostgres } from './postgres-harness.ts';

// Starts from an empty schema: the valid document must be new (201), not a duplicate of an earlier run.
describePostgres('real models', (url) => realModelsSuite('postgres', () => ({ databaseUrl: url })), { emptySchema: true });
