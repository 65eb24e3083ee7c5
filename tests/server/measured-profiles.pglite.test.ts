import { afterAll } from 'vitest';
import { openDb } from '../../server/db.ts';
import { measuredProfilesSuite } from './measured-profiles-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-measured-');
afterAll(() => dir.remove());
measuredProfilesSuite('pglite', () => ({ dataDir: dir.path }), () => openDb({ kind: 'pglite', dataDir: dir.path }, { log: () => undefined }));
