/**
 * The real-model sessions on onnxruntime-web's WebGPU EP in real Chromium, on the generated
 * fixtures: the generator keeps its KV cache on the GPU between steps (gpu-buffer outputs fed
 * back as past_key_values), and both sessions give the WASM EP's answers (the CPU reference).
 */
import { describe, expect, test } from 'vitest';
import { loadOrt } from '../../src/engine/onnx/ort.ts';
import { ClassifierSession } from '../../src/engine/realmodels/classifier.ts';
import { classifierFixture, decoderFixture, type RepoFiles } from '../../src/engine/realmodels/fixtures.ts';
import { GeneratorSession } from '../../src/engine/realmodels/generator.ts';
import { HalfPrecisionUnavailableError } from '../../src/engine/realmodels/checks.ts';

const jsonOf = (files: RepoFiles, path: string): object => JSON.parse(new TextDecoder().decode(files.get(path))) as object;
const MESSAGES = [{ role: 'user' as const, content: 'Is this review positive or negative? "A great film."' }];

describe('real-model sessions, WebGPU vs WASM', () => {
  test('classifier: same label, logits within 1e-3', async () => {
    const ort = await loadOrt();
    const f = classifierFixture();
    const files = { model: f.get('onnx/model.onnx')!, tokenizerJson: jsonOf(f, 'tokenizer.json'), tokenizerConfig: jsonOf(f, 'tokenizer_config.json'), config: jsonOf(f, 'config.json') };
    const gpu = await ClassifierSession.create(ort, files, 'webgpu');
    const cpu = await ClassifierSession.create(ort, files, 'wasm');
    for (const text of ['a great film', 'this movie is not good !']) {
      const [a, b] = [await gpu.classify(text), await cpu.classify(text)];
      expect(a.labelId).toBe(b.labelId);
      a.logits.forEach((v, i) => expect(Math.abs(v - b.logits[i]!)).toBeLessThan(1e-3));
    }
    await gpu.release();
    await cpu.release();
  });

  test.each(['onnx/model.onnx', 'onnx/model_q4f16.onnx'])('generator %s: KV cache on the GPU, the same tokens as WASM and as no cache', async (model) => {
    const ort = await loadOrt();
    const f = decoderFixture();
    const files = {
      model: f.get(model)!, tokenizerJson: jsonOf(f, 'tokenizer.json'), tokenizerConfig: jsonOf(f, 'tokenizer_config.json'),
      config: jsonOf(f, 'config.json'), generationConfig: jsonOf(f, 'generation_config.json'),
    };
    const adapter = await navigator.gpu.requestAdapter();
    const adapterFeatures = new Set<string>(adapter?.features ?? []);
    if (model.includes('f16') && !adapterFeatures.has('shader-f16')) {
      // SwiftShader has no shader-f16: the half-precision export is refused by name, before a run.
      await expect(GeneratorSession.create(ort, files, 'webgpu', { adapterFeatures })).rejects.toBeInstanceOf(HalfPrecisionUnavailableError);
      return;
    }
    const gpu = await GeneratorSession.create(ort, files, 'webgpu', { adapterFeatures });
    const cpu = await GeneratorSession.create(ort, files, 'wasm');
    const a = await gpu.generate(MESSAGES, { maxNewTokens: 6, eosTokenIds: [] });
    const b = await cpu.generate(MESSAGES, { maxNewTokens: 6, eosTokenIds: [] });
    const c = await gpu.generate(MESSAGES, { maxNewTokens: 6, eosTokenIds: [], useCache: false });
    expect(a.outputIds).toEqual(b.outputIds);
    expect(a.outputIds).toEqual(c.outputIds);
    expect(a.stepMs).toHaveLength(5);
    await gpu.release();
    await cpu.release();
  });
});
