import { afterAll } from 'vitest';
import { openDb } from '../../server/db.ts';
import { realGroupsSuite } from './real-groups-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-real-groups-');
afterAll(() => dir.remove());
realGroupsSuite('pglite', () => openDb({ kind: 'pglite', dataDir: dir.path }, { log: () => undefined }));
