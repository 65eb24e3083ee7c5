/**
 * The real-model race on onnxruntime-web's WebGPU EP in real Chromium, on the generated fixtures,
 * with the WASM run as the reference: the correctness check of the GPU path (agreement on the
 * first items) measured as the page will measure it.
 */
import { describe, expect, test } from 'vitest';
import { loadOrt } from '../../src/engine/onnx/ort.ts';
import { ClassifierSession } from '../../src/engine/realmodels/classifier.ts';
import { classifierFixture, decoderFixture, type RepoFiles } from '../../src/engine/realmodels/fixtures.ts';
import { GeneratorSession } from '../../src/engine/realmodels/generator.ts';
import { raceRecordFields, runRealRace, scoredAnswers } from '../../src/engine/realmodels/race.ts';
import type { TaskSet } from '../../src/shared/realmodels/task-set.ts';
import setJson from '../../data/tasks/sentiment-en.json';

const jsonOf = (files: RepoFiles, path: string): object => JSON.parse(new TextDecoder().decode(files.get(path))) as object;
const ITEMS = (setJson as TaskSet).items.slice(0, 4);

// SwiftShader compiles a pipeline for each new sequence length: a minute on a busy machine.
describe('real-model race, WebGPU against the WASM reference', { timeout: 240_000 }, () => {
  test('every answer agrees with WASM on the fixtures; the record says measured', async () => {
    const ort = await loadOrt();
    const c = classifierFixture();
    const d = decoderFixture();
    const cFiles = { model: c.get('onnx/model.onnx')!, tokenizerJson: jsonOf(c, 'tokenizer.json'), tokenizerConfig: jsonOf(c, 'tokenizer_config.json'), config: jsonOf(c, 'config.json') };
    const gFiles = {
      model: d.get('onnx/model.onnx')!, tokenizerJson: jsonOf(d, 'tokenizer.json'), tokenizerConfig: jsonOf(d, 'tokenizer_config.json'),
      config: jsonOf(d, 'config.json'), generationConfig: jsonOf(d, 'generation_config.json'),
    };
    const opts = { language: 'en', warmup: 0, maxNewTokens: 3 } as const;
    const cpu = { classifier: await ClassifierSession.create(ort, cFiles, 'wasm'), generator: await GeneratorSession.create(ort, gFiles, 'wasm') };
    const gpu = { classifier: await ClassifierSession.create(ort, cFiles, 'webgpu'), generator: await GeneratorSession.create(ort, gFiles, 'webgpu') };
    try {
      const ref = await runRealRace(cpu, ITEMS, opts);
      const run = await runRealRace(gpu, ITEMS, { ...opts, reference: { specialized: scoredAnswers(ref.specialized), general: scoredAnswers(ref.general) } });
      for (const role of ['specialized', 'general'] as const) {
        expect(run[role].agreement).toEqual({ measured: true, agree: ITEMS.length, n: ITEMS.length, rate: 1, disagreements: [] });
        expect(raceRecordFields(run[role])).toMatchObject({ executionProvider: 'webgpu', agreement: { measured: true, agree: ITEMS.length, n: ITEMS.length } });
        expect(run[role].tokens).toEqual(ref[role].tokens);
        expect(run[role].timing.source).toBe('wall-clock');
      }
      expect(run.general.items.map((it) => it.raw)).toEqual(ref.general.items.map((it) => it.raw));
    } finally {
      for (const s of [cpu.classifier, cpu.generator, gpu.classifier, gpu.generator]) await s.release();
    }
  });
});
