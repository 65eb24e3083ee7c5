/**
 * The real-model loader's pure parts (src/lab/model-files.ts, model-download.ts, model-cache.ts):
 * file lists and URLs (hub and class server), the quick ONNX check, a host that ignores Range,
 * and the Cache Storage cache with its quota error. The HTTP path end to end is in
 * tests/server/models.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { classifierFixture, decoderFixture } from '../../src/engine/realmodels/fixtures.ts';
import { cacheStorageModelCache, ModelQuotaError } from '../../src/lab/model-cache.ts';
import { downloadFile, onnxProblem } from '../../src/lab/model-download.ts';
import { fakeCaches as fakeCacheStorage } from './fake-model-host.ts';
import {
  checkModelId, DEFAULT_MODELS, MODEL_DTYPES, FETCH_DEFAULT_MODELS, fetchList, fileUrl, modelFiles, modelFileUrls, ModelRefError, onnxPath,
} from '../../src/lab/model-files.ts';

describe('model files and URLs', () => {
  test('variants follow the transformers.js names', () => {
    expect(onnxPath('fp32')).toBe('onnx/model.onnx');
    expect(onnxPath('quantized')).toBe('onnx/model_quantized.onnx');
    expect(onnxPath('fp16')).toBe('onnx/model_fp16.onnx');
    expect(onnxPath('q4f16')).toBe('onnx/model_q4f16.onnx');
    expect(onnxPath('q4')).toBe('onnx/model_q4.onnx');
    expect(modelFiles({ task: 'generator', dtype: 'q4f16' })).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model_q4f16.onnx']);
    expect(modelFiles({ task: 'classifier', dtype: 'fp32' })).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']);
  });

  test('hub resolve URLs by default; <base><id>/<path> under a custom base, relative bases against the origin', () => {
    const ref = DEFAULT_MODELS[1]!;
    expect(fileUrl(ref, 'onnx/model_q4f16.onnx').href).toBe('https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/onnx/model_q4f16.onnx');
    expect(fileUrl({ ...ref, revision: 'v1.0' }, 'config.json', 'https://huggingface.co/').href).toBe('https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/v1.0/config.json');
    expect(fileUrl(ref, 'config.json', '/models', 'http://teacher.local:8787/#/demo').href).toBe('http://teacher.local:8787/models/onnx-community/Qwen2.5-0.5B-Instruct/config.json');
    expect(fileUrl(ref, 'config.json', 'https://mirror.example/hf/').href).toBe('https://mirror.example/hf/onnx-community/Qwen2.5-0.5B-Instruct/config.json');
    expect(modelFileUrls(DEFAULT_MODELS[0]!).map((f) => f.url.pathname.split('/').at(-1))).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.onnx']);
  });

  test('model ids cannot climb out of a folder', () => {
    expect(checkModelId('Xenova/distilbert-base-uncased-finetuned-sst-2-english')).toBeTruthy();
    for (const bad of ['../etc', 'a/../b', 'a/b/c', 'a', '/a/b', 'a/b?x', 'a/..']) expect(() => checkModelId(bad), bad).toThrow(ModelRefError);
  });

  test('models:fetch fetches every file of the default variants once', () => {
    const list = fetchList(FETCH_DEFAULT_MODELS);
    const keys = list.map((f) => `${f.id}/${f.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('Xenova/distilbert-base-uncased-finetuned-sst-2-english/onnx/model_quantized.onnx');
    expect(keys).toContain('Xenova/distilbert-base-uncased-finetuned-sst-2-english/onnx/model.onnx');
    expect(keys).toContain('onnx-community/Qwen2.5-0.5B-Instruct/onnx/model_q4f16.onnx');
    expect(keys.filter((k) => k.endsWith('config.json'))).toHaveLength(5); // config + tokenizer_config ×2, generation_config
    expect(list.every((f) => f.url.href.startsWith('https://huggingface.co/') && f.url.href.includes('/resolve/main/'))).toBe(true);
  });

  test('the fixtures hold every file the loader asks for, under the same names', () => {
    const decoder = decoderFixture();
    for (const dtype of MODEL_DTYPES) for (const p of modelFiles({ task: 'generator', dtype })) expect(decoder.has(p), p).toBe(true);
    const classifier = classifierFixture();
    for (const dtype of ['fp32', 'quantized'] as const) for (const p of modelFiles({ task: 'classifier', dtype })) expect(classifier.has(p), p).toBe(true);
  });
});

describe('the quick ONNX check', () => {
  const onnx = decoderFixture().get('onnx/model.onnx')!;
  test('accepts an ONNX model; names HTML, JSON, empty and truncated files', () => {
    expect(onnxProblem(onnx)).toBeNull();
    expect(onnxProblem(new TextEncoder().encode('<!doctype html>'))).toMatch(/ir_version/);
    expect(onnxProblem(new TextEncoder().encode('{"error":"Entry not found"}'))).toMatch(/ir_version/);
    expect(onnxProblem(new Uint8Array(0))).toBe('empty file');
    expect(onnxProblem(onnx.subarray(0, onnx.length - 10))).toMatch(/truncated/);
  });
});

describe('downloadFile', () => {
  test('a host that ignores Range (200) starts again from zero', async () => {
    const url = new URL('https://models.example/a/b/onnx/model.onnx');
    const partials = new Map([[url.href, { chunks: [Uint8Array.from([9, 9, 9])], validator: null, total: null }]]);
    const sent: (string | null)[] = [];
    const fetchImpl: typeof fetch = async (_u, init) => {
      sent.push(new Headers(init?.headers).get('range'));
      return new Response(Uint8Array.from([1, 2, 3, 4]), { headers: { 'content-length': '4' } });
    };
    const seen: number[] = [];
    const bytes = await downloadFile(url, { partials, fetchImpl }, (received) => seen.push(received));
    expect(sent).toEqual(['bytes=3-']);
    expect([...bytes]).toEqual([1, 2, 3, 4]);
    expect(seen.at(-1)).toBe(4);
    expect(partials.size).toBe(0);
  });
});


describe('Cache Storage cache', () => {
  test('keeps, lists with sizes, forgets; a full quota is a ModelQuotaError', async () => {
    const c = cacheStorageModelCache(fakeCacheStorage(10).storage);
    const a = new URL('https://h/a/b/config.json');
    expect(await c.get(a)).toBeNull();
    await c.put(a, Uint8Array.from([1, 2, 3]));
    expect([...((await c.get(a)) ?? [])]).toEqual([1, 2, 3]);
    expect(await c.list()).toEqual([{ url: a.href, bytes: 3 }]);
    await expect(c.put(new URL('https://h/a/b/onnx/model.onnx'), new Uint8Array(8))).rejects.toBeInstanceOf(ModelQuotaError);
    await c.clear();
    expect(await c.list()).toEqual([]);
  });
});
