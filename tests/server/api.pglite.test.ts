import { afterAll } from 'vitest';
import { apiSuite } from './api-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-api-');
afterAll(() => dir.remove());
apiSuite('pglite', () => ({ dataDir: dir.path }));
