import { afterAll } from 'vitest';
import { publicApiSuite } from './public-api-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-public-');
afterAll(() => dir.remove());
publicApiSuite('pglite', () => ({ dataDir: dir.path }));
