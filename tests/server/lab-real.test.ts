/**
 * The acceptance run of the real-models race, headless: `npm run fixtures:models -- --out TMP`,
 * then `npm run lab -- --models real --models-dir TMP --preset ci` with a handful of items, through
 * the built app in Chromium (SwiftShader), the folder served as /models/. The document has both
 * real-model workloads (their `real` blocks valid, accuracy with its Wilson interval), the WASM
 * reference, the synthetic replicas, the energy estimate; the summary prints per-correct energy,
 * both gap ratios and real/synthetic time. Nothing is downloaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findChromium } from '../../scripts/chromium.ts';
import { parseRealModelRecord } from '../../src/shared/realmodels-result.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { ROOT, runScript, tempDir } from './helpers.ts';

const CHROMIUM = (() => {
  try {
    return findChromium();
  } catch {
    return null;
  }
})();

const tmp = tempDir('lab-real-');
afterAll(() => tmp.remove());

describe.skipIf(!CHROMIUM || !existsSync(join(ROOT, 'dist/index.html')))('lab --models real --models-dir (fixtures) --preset ci', () => {
  const out = join(tmp.path, 'r.json');
  let doc: ResultDocument;
  let stdout = '';
  beforeAll(async () => {
    const models = join(tmp.path, 'models');
    const fx = await runScript('scripts/fixtures-models.ts', ['--out', models]);
    expect(fx.code, fx.stderr).toBe(0);
    // The fixtures' chat model never ends its reply: a short budget keeps SwiftShader's run short.
    // fp32: SwiftShader has no shader-f16 for the default q4f16.
    const res = await runScript('scripts/lab.ts', ['--models', 'real', '--models-dir', models, '--preset', 'ci', '--items', '4', '--max-new-tokens', '2', '--generator-dtype', 'fp32', '--out', out]);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    stdout = res.stdout;
    doc = JSON.parse(readFileSync(out, 'utf8')) as ResultDocument;
  }, 600_000);

  test('both real-model workloads on WebGPU, their real blocks valid, accuracy with its Wilson interval', () => {
    for (const id of ['specialized:distilbert-sst2:webgpu', 'general:qwen2.5-0.5b-instruct:webgpu']) {
      const w = doc.workloads.find((x) => x.id === id);
      expect(w, id).toMatchObject({ kind: 'real-model', timing: { source: 'wall-clock' } });
      expect(parseRealModelRecord(w!.real)).toMatchObject({ ok: true });
      const a = w!.real!.accuracy;
      expect(a.n).toBe(4);
      const expected = wilson(a.correct, a.n);
      expect([a.low, a.high]).toEqual([expected.low, expected.high]);
      expect(w!.real!.agreement).toMatchObject({ measured: true, n: 4 });
      expect(w!.real!.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(doc.workloads.filter((w) => w.real?.executionProvider === 'wasm').map((w) => w.real!.agreement)).toEqual([
      { measured: false, reason: 'is-reference' }, { measured: false, reason: 'is-reference' },
    ]);
  });

  test('the synthetic replicas at the real run\'s shapes, the energy estimate, and the summary', () => {
    expect(doc.workloads.filter((w) => w.kind === 'model').map((w) => w.id).sort()).toEqual(['general:qwen2.5-0.5b-instruct', 'specialized:distilbert-sst2']);
    const real = doc.workloads.find((w) => w.id === 'general:qwen2.5-0.5b-instruct:webgpu')!.real!;
    expect(doc.workloads.find((w) => w.id === 'general:qwen2.5-0.5b-instruct')!.config).toMatchObject({ promptTokens: real.tokens.inputMedian, outputTokens: real.tokens.outputMedian });
    expect(doc.energy?.perQuery.general.joules.p50).toBeGreaterThan(0);
    expect(stdout).toMatch(/accuracy \d+\/4 = [\d.]+ % \(95 % Wilson [\d.]+–[\d.]+ %\)/);
    expect(stdout).toMatch(/\/correct answer|per correct answer: none \(no-correct-answers\)/);
    expect(stdout).toMatch(/gap ratio \(general ÷ specialized\) per query .+; per correct answer/);
    expect(stdout).toMatch(/real\/synthetic [\d.]+×/);
  });
});
