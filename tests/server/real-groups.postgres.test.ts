/** The real-model groups and one-rebuild suite against a real PostgreSQL server (see postgres-harness.ts). */
import { openDb } from '../../server/db.ts';
import { realGroupsSuite } from './real-groups-suite.ts';
import { describePostgres } from './postgres-harness.ts';

// Starts from an empty schema: the suite counts groups and results from zero.
describePostgres('real-model groups', (url) => realGroupsSuite('postgres', () => openDb({ kind: 'postgres', url }, { log: () => undefined })), { emptySchema: true });
