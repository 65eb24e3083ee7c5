import { afterAll } from 'vitest';
import { datasetReadsSuite } from './dataset-reads-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-reads-');
afterAll(() => dir.remove());
datasetReadsSuite('pglite', () => ({ dataDir: dir.path }));
