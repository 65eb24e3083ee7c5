import { afterAll } from 'vitest';
import { realModelsSuite } from './real-models-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-real-');
afterAll(() => dir.remove());
realModelsSuite('pglite', () => ({ dataDir: dir.path }));
