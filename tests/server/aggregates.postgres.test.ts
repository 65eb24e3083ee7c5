/** The aggregates suite against a real PostgreSQL server (see postgres-harness.ts). */
import { openDb } from '../../server/db.ts';
import { aggregatesSuite } from './aggregates-suite.ts';
import { describePostgres } from './postgres-harness.ts';

// Starts from an empty schema: the suite asserts exact aggregates.
describePostgres('aggregates', (url) => aggregatesSuite('postgres', () => openDb({ kind: 'postgres', url }, { log: () => undefined })), { emptySchema: true });
