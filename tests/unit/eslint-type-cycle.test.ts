// The local ESLint rule that reports import cycles closed by `import type` edges: run on a tiny
// throwaway project so the test sees exactly what `npm run lint` would report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { noTypeImportCycle } from '../../scripts/eslint/no-type-import-cycle.js';

let dir = '';

const files: Record<string, string> = {
  // graph.ts ↔ encoder.ts through type imports only: the circle the rule exists for.
  'graph.ts': "import type { Step } from './encoder.ts';\nexport interface Graph { steps: Step[] }\n",
  'encoder.ts': "import type { Graph } from './graph.ts';\nexport interface Step { of: Graph | null }\n",
  // run-time circle: import-x/no-cycle's job, so this rule stays quiet.
  'left.ts': "import { right } from './right.ts';\nexport const left = (): number => right() + 1;\n",
  'right.ts': "import { left } from './left.ts';\nexport const right = (): number => (Math.random() > 2 ? left() : 0);\n",
  // a one-way type import: no cycle at all.
  'leaf.ts': 'export interface Leaf { n: number }\n',
  'user.ts': "import type { Leaf } from './leaf.ts';\nexport const size = (l: Leaf): number => l.n;\n",
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'type-cycle-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'bundler', allowImportingTsExtensions: true, noEmit: true },
      include: ['*.ts'],
    }),
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Messages per file, with paths cut to the file name (the rule prints them from the process cwd). */
async function lint(): Promise<Map<string, string[]>> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: dir } },
        plugins: { local: { rules: { 'no-type-import-cycle': noTypeImportCycle } } },
        rules: { 'local/no-type-import-cycle': 'error' },
      },
    ],
  });
  const out = new Map<string, string[]>();
  for (const r of await eslint.lintFiles(['*.ts'])) out.set(r.filePath.slice(dir.length + 1), r.messages.map((m) => m.message.replace(/[^\s:]*\/([\w-]+\.ts)/g, '$1')));
  return out;
}

describe('local/no-type-import-cycle', () => {
  test('reports both ends of a cycle made of type imports, naming the path; nothing else', async () => {
    const found = await lint();
    expect(found.get('graph.ts')).toEqual(['Import cycle through type-only imports: graph.ts → encoder.ts → graph.ts. Move the shared type to a module both can import.']);
    expect(found.get('encoder.ts')).toEqual(['Import cycle through type-only imports: encoder.ts → graph.ts → encoder.ts. Move the shared type to a module both can import.']);
    for (const quiet of ['left.ts', 'right.ts', 'leaf.ts', 'user.ts']) expect(found.get(quiet), quiet).toEqual([]);
  }, 60_000);
});
