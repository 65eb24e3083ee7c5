/** The dataset reads suite against a real PostgreSQL server (see postgres-harness.ts). */
import { datasetReadsSuite } from './dataset-reads-suite.ts';
import { describePostgres } from './postgres-harness.ts';

describePostgres('dataset reads', (url) => datasetReadsSuite('postgres', () => ({ databaseUrl: url })), { emptySchema: true });
