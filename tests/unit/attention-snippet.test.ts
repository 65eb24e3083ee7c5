/**
 * attention and attention-rope share their online softmax, weighted sum of V and output store
 * (kernels/attention/online-softmax.wgsl, appended at pipeline creation): each kernel keeps only
 * its own score loop and its V reader, and neither declares what the snippet declares.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { withOnlineSoftmax } from '../../src/engine/ops/attention.ts';

const ROOT = join(import.meta.dirname, '../../kernels');
const read = (f: string): string => readFileSync(join(ROOT, f), 'utf8');
const SNIPPET = read('attention/online-softmax.wgsl');
/** Module-scope names the snippet declares. */
const declared = [...SNIPPET.matchAll(/^(?:const|var(?:<\w+>)?|fn)\s+(\w+)/gm)].map((m) => m[1]!);

describe('the online-softmax snippet', () => {
  test('declares the shared state and functions, no binding and no entry point', () => {
    expect(declared).toEqual(expect.arrayContaining(['WG', 'PER_THREAD', 'NEG', 'qs', 'ps', 'red', 'runMax', 'runSum', 'acc', 'softmaxChunk', 'softmaxStore']));
    expect(SNIPPET).not.toMatch(/@binding|@compute/);
  });

  test.each(['attention/attention.wgsl', 'attention-rope/attention-rope.wgsl'])('%s uses it and declares none of its names', (file) => {
    const code = read(file);
    expect(code).toMatch(/\bfn loadV\(row: u32, col: u32\) -> f32/);
    expect(code).toMatch(/softmaxChunk\(/);
    expect(code).toMatch(/softmaxStore\(/);
    for (const name of declared) expect(code, `${file} declares ${name}`).not.toMatch(new RegExp(`^(?:const|var(?:<\\w+>)?|fn)\\s+${name}\\b`, 'm'));
    expect(withOnlineSoftmax(code).endsWith(SNIPPET)).toBe(true);
  });
});
