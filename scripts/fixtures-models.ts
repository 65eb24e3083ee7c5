/**
 * `npm run fixtures:models -- --out DIR`: writes the two tiny random fixture models (a
 * DistilBERT-SST2-shaped classifier, a Qwen2-shaped decoder with a KV cache, their tokenizers,
 * chat template and configs) under DIR/<model id>/, laid out like the hub repositories of the
 * default pair, so that `MODELS_DIR=DIR npm start` and the lab serve them like the real ones.
 * Nothing is downloaded; the answers are meaningless, the signatures are the real ones.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fixtureTree } from '../src/engine/realmodels/fixtures.ts';
import { DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID } from '../src/lab/model-files.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  process.stderr.write('usage: npm run fixtures:models -- --out DIR\n');
  process.exit(2);
}
const out = resolve(values.out);
let bytes = 0;
const tree = fixtureTree({ classifier: DEFAULT_CLASSIFIER_ID, generator: DEFAULT_GENERATOR_ID });
for (const [path, data] of tree) {
  const file = join(out, ...path.split('/'));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, data);
  bytes += data.length;
}
process.stdout.write(`wrote ${tree.size} files (${bytes} bytes) under ${out}\n`);
