/**
 * `npm run tasks:check [FILE…]`: checks the sentiment task sets (data/tasks/*.json by default) —
 * schema, exact positive/negative balance, duplicates (normalized text, and near duplicates by
 * word-set Jaccard), length spread, difficulty tags — and prints every problem. Exit 1 on any.
 * The rules are src/shared/realmodels/task-set.ts's, the same the unit tests apply.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIFFICULTIES, checkTaskSet } from '../src/shared/realmodels/task-set.ts';

const TASK_DIR = fileURLToPath(new URL('../data/tasks/', import.meta.url));

const args = process.argv.slice(2);
const files = args.length > 0 ? args : readdirSync(TASK_DIR).filter((f) => f.endsWith('.json')).sort().map((f) => join(TASK_DIR, f));

let failed = 0;
for (const file of files) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`✗ ${file}: not readable JSON (${e instanceof Error ? e.message : String(e)})`);
    failed++;
    continue;
  }
  const result = checkTaskSet(json);
  const s = result.stats;
  if (s) {
    const tags = DIFFICULTIES.map((d) => `${d} ${s.byDifficulty[d].positive}+${s.byDifficulty[d].negative}`).join(', ');
    console.log(`${result.ok ? '✓' : '✗'} ${file}: ${s.items} items (${s.positive} positive, ${s.negative} negative); words min ${s.words.min}, median ${s.words.median}, max ${s.words.max}; ${s.words.short} short, ${s.words.long} long; ${tags}`);
  }
  if (!result.ok) {
    failed++;
    if (!s) console.log(`✗ ${file}`);
    for (const p of result.problems) console.log(`    ${p}`);
  }
}
if (files.length === 0) {
  console.error('no task set found');
  process.exitCode = 1;
} else if (failed > 0) {
  console.error(`${failed} of ${files.length} task set(s) failed the checks`);
  process.exitCode = 1;
}
