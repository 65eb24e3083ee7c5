/** The listing scan window suite against a real PostgreSQL server (see postgres-harness.ts). */
import { listingWindowSuite } from './listing-window-suite.ts';
import { describePostgres } from './postgres-harness.ts';

describePostgres('listing scan window', (url) => listingWindowSuite('postgres', () => ({ kind: 'postgres', url })), { emptySchema: true });
