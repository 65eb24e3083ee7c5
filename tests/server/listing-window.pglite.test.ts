import { afterAll } from 'vitest';
import { listingWindowSuite } from './listing-window-suite.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir('fal-window-');
afterAll(() => dir.remove());
listingWindowSuite('pglite', () => ({ kind: 'pglite', dataDir: dir.path }));
