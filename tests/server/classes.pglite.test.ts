import { afterAll } from 'vitest';
import { classesSuite } from './classes-suite.ts';
import { tempDir } from './helpers.ts';

const dirs: { remove(): void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));
classesSuite('pglite', {
  config() {
    const d = tempDir('fal-classes-');
    dirs.push(d);
    return { kind: 'pglite', dataDir: d.path };
  },
});
