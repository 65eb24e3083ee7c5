/** The version-6 upgrade suite against a real PostgreSQL server (see postgres-harness.ts). */
import { openDb } from '../../server/db.ts';
import { migrationUpgradeSuite } from './migration-upgrade-suite.ts';
import { describePostgres } from './postgres-harness.ts';

// Starts from an empty schema: the suite counts rows from zero and compares seqs with its control.
describePostgres('version-6 upgrade', (url) => migrationUpgradeSuite('postgres', () => openDb({ kind: 'postgres', url }, { log: () => undefined })), { emptySchema: true });
