/** The classes suite against a real PostgreSQL server (see postgres-harness.ts). */
import { classesSuite } from './classes-suite.ts';
import { describePostgres } from './postgres-harness.ts';

describePostgres('classes', (url) => classesSuite('postgres', { config: () => ({ kind: 'postgres', url }) }));
