import { afterAll } from 'vitest';
import { openDb } from '../../server/db.ts';
import { aggregatesSuite } from './aggregates-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-aggregates-');
afterAll(() => dir.remove());
aggregatesSuite('pglite', () => openDb({ kind: 'pglite', dataDir: dir.path }, { log: () => undefined }));
