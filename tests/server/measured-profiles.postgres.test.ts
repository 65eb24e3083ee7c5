/** The measured-profiles suite against a real PostgreSQL server (see postgres-harness.ts). */
import { openDb } from '../../server/db.ts';
import { measuredProfilesSuite } from './measured-profiles-suite.ts';
import { describePostgres } from './postgres-harness.ts';

// Starts from an empty schema: the suite counts the listed profiles from zero.
describePostgres('measured profiles', (url) => measuredProfilesSuite('postgres', () => ({ databaseUrl: url }), () => openDb({ kind: 'postgres', url }, { log: () => undefined })), { emptySchema: true });
