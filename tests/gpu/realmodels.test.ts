/**
 * The real-model sessions on onnxruntime-web's WebGPU EP in real Chromium, on the generated
 * fixtures: the generator keeps its KV cache on the GPU between steps (gpu-buffer outputs fed
 * back as past_key_values), and both sessions give the WASM EP's answers (the CPU reference).
 */
import { describe, expect, test } from 'vitest';
import { loadOrt } from '../../src/engine/onnx/ort.ts';
import { ClassifierSession } from '../../src/engine/realmodels/classifier.ts';
import { classifierFixture, decoderFixture, type RepoFiles } from '../../src/engine/realmodels/fixtures.ts';
import { GeneratorSession, lastRowFromGpu } from '../../src/engine/realmodels/generator.ts';
import { f32ToF16Bits } from '../../src/shared/half.ts';
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

  test.each([['float32', 5], ['float16', 5], ['float16', 6]] as const)('the last row of %s logits (vocab %i) read back alone from the GPU buffer', async (type, vocab) => {
    const ort = await loadOrt();
    // onnxruntime-web's device lives while a WebGPU session does (the tests above released theirs).
    const f = classifierFixture();
    const keep = await ClassifierSession.create(ort, { model: f.get('onnx/model.onnx')!, tokenizerJson: jsonOf(f, 'tokenizer.json'), tokenizerConfig: jsonOf(f, 'tokenizer_config.json'), config: jsonOf(f, 'config.json') }, 'webgpu');
    const device = await ort.env.webgpu.device;
    const rows = 3;
    const values = Array.from({ length: rows * vocab }, (_, i) => (i % 7) - 2.5 + i / 8);
    // Padded to 4-byte bounds as writeBuffer needs (15 halves are 30 bytes).
    const data = type === 'float32' ? new Float32Array(values) : Uint16Array.from({ length: values.length + (values.length % 2) }, (_, i) => f32ToF16Bits(values[i] ?? 0));
    const buffer = device.createBuffer({ size: Math.ceil(data.byteLength / 16) * 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, data);
    const t = ort.Tensor.fromGpuBuffer(buffer, { dataType: type, dims: [1, rows, vocab] });
    for (const row of [0, 1, 2]) {
      const got = await lastRowFromGpu(device, t, row, vocab);
      expect(Array.from(got)).toEqual(values.slice(row * vocab, (row + 1) * vocab));
    }
    buffer.destroy();
    await keep.release();
  });
});
