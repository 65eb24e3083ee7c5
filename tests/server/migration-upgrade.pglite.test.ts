import { afterAll } from 'vitest';
import { openDb } from '../../server/db.ts';
import { migrationUpgradeSuite } from './migration-upgrade-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-upgrade-');
afterAll(() => dir.remove());
migrationUpgradeSuite('pglite', () => openDb({ kind: 'pglite', dataDir: dir.path }, { log: () => undefined }));
