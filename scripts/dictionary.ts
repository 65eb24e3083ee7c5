/**
 * Writes docs/DATA_DICTIONARY.md from src/shared/data-dictionary.ts (the fields, their allowed
 * values read from the closed vocabulary, and their meaning). A unit test fails when the file
 * differs from what this script would write.
 *
 * Run: npm run dictionary
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dictionaryMarkdown } from '../src/shared/data-dictionary.ts';

const target = fileURLToPath(new URL('../docs/DATA_DICTIONARY.md', import.meta.url));
writeFileSync(target, dictionaryMarkdown());
process.stdout.write(`wrote ${target}\n`);
