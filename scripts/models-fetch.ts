/**
 * `npm run models:fetch -- --out DIR`: on a machine with internet access, download the real
 * models of the race from the Hugging Face hub into DIR/<model id>/<path>, the layout that
 * `MODELS_DIR=DIR npm start` serves under /models/ (so a class downloads once, from the
 * teacher's machine). By default the classifier in fp32 and quantized, the chat model in q4f16;
 * `--classifier fp32,quantized --generator q4f16,fp16` chooses variants. Files already complete
 * are skipped; an interrupted file resumes from its `.part` with a Range request (see
 * models-fetch-part.ts for when the `.part` is dropped instead). Never run in
 * tests (the file list and URLs are unit-tested instead).
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import {
  DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID, FETCH_DEFAULT_MODELS, fetchList, isModelDtype, type ModelRef, type ModelTask,
} from '../src/lab/model-files.ts';
import { partRange, partStep } from './models-fetch-part.ts';

const { values } = parseArgs({ options: { out: { type: 'string' }, classifier: { type: 'string' }, generator: { type: 'string' } } });
if (!values.out) {
  process.stderr.write('usage: npm run models:fetch -- --out DIR [--classifier fp32,quantized] [--generator q4f16,fp16]\n');
  process.exit(2);
}

function refs(task: ModelTask, id: string, list: string | undefined): ModelRef[] {
  if (list === undefined) return FETCH_DEFAULT_MODELS.filter((r) => r.task === task);
  return list.split(',').map((d) => {
    if (!isModelDtype(d)) {
      process.stderr.write(`unknown variant "${d}" (fp32, fp16, quantized, q4, q4f16)\n`);
      process.exit(2);
    }
    return { task, id, dtype: d };
  });
}

const out = resolve(values.out);
const files = fetchList([...refs('classifier', DEFAULT_CLASSIFIER_ID, values.classifier), ...refs('generator', DEFAULT_GENERATOR_ID, values.generator)]);
const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

for (const { id, path, url } of files) {
  const file = join(out, ...id.split('/'), ...path.split('/'));
  const head = await fetch(url, { method: 'HEAD', redirect: 'follow' });
  if (!head.ok) throw new Error(`${url.href}: ${head.status} ${head.statusText}`);
  const size = Number(head.headers.get('x-linked-size') ?? head.headers.get('content-length')) || null;
  if (existsSync(file) && (size === null || statSync(file).size === size)) {
    process.stdout.write(`have ${id}/${path}\n`);
    continue;
  }
  await mkdir(dirname(file), { recursive: true });
  const part = `${file}.part`;
  let have = existsSync(part) ? statSync(part).size : 0;
  // A .part that already reaches the remote size would get a 416 on every run: drop it.
  if (have > 0 && partRange(have, size) === null) {
    await rm(part, { force: true });
    have = 0;
  }
  for (;;) {
    const range = partRange(have, size);
    const res = await fetch(url, range ? { headers: { Range: range } } : {});
    const step = partStep(res.status, have, res.headers.get('content-range'));
    switch (step.kind) {
      case 'restart':
        await res.body?.cancel();
        await rm(part, { force: true });
        process.stdout.write(`     ${id}/${path}: ${step.why}; starting again\n`);
        have = 0;
        continue;
      case 'fail':
        throw new Error(`${url.href}: ${step.why} ${res.statusText}`);
      case 'append':
      case 'write': {
        if (!res.body) throw new Error(`${url.href}: ${res.status} with no body`);
        const append = step.kind === 'append';
        process.stdout.write(`get  ${id}/${path}${size ? ` (${mb(size)})` : ''}${append ? `, resuming at ${mb(have)}` : ''}\n`);
        await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(part, { flags: append ? 'a' : 'w' }));
        break;
      }
    }
    break;
  }
  if (size !== null && statSync(part).size !== size) throw new Error(`${id}/${path}: ${statSync(part).size} bytes, ${size} announced; run again to resume`);
  await rename(part, file);
}
process.stdout.write(`done: ${files.length} files under ${out}; serve them with MODELS_DIR=${out} npm start\n`);
