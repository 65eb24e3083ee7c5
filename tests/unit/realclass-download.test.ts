/**
 * The class side of the real-models downloads: finding the pair on the page's own server (one
 * HEAD of config.json per model, answered as JSON), the base URL check, and "forget downloaded
 * models" dropping the bytes kept for a resume in the worker as well as the cache.
 */
import { describe, expect, test, vi } from 'vitest';

vi.mock('../../src/lab/client.ts', async () => (await import('./ui/helpers.ts')).fakeClientModule());

const { modelsServedAt } = await import('../../src/lab/model-download.ts');
const { checkModelBase, DEFAULT_MODELS, LOCAL_MODELS_BASE, ModelRefError } = await import('../../src/lab/model-files.ts');
const { DOWNLOAD_PARTIALS, memoryModelCache } = await import('../../src/lab/model-cache.ts');
const { labRealModelsClient } = await import('../../src/lab/realmodels-client.ts');
const { createLabApi } = await import('../../workers/lab-api.ts');

const TEACHER = 'http://192.168.1.10:8787/#/demo?models=real';

function fakeFetch(answer: (url: string) => Response | Error) {
  const calls: { url: string; method: string | undefined }[] = [];
  const impl = (async (input: URL | RequestInfo, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    calls.push({ url, method: init?.method });
    const a = answer(url);
    if (a instanceof Error) throw a;
    return a;
  }) as typeof fetch;
  return { impl, calls };
}

describe('is the pair served by this machine?', () => {
  test('one HEAD of each model’s config.json under /models/ on the page’s origin, answered as JSON', async () => {
    const f = fakeFetch(() => new Response(null, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } }));
    expect(await modelsServedAt(DEFAULT_MODELS, LOCAL_MODELS_BASE, { origin: TEACHER, fetchImpl: f.impl })).toBe(true);
    expect(f.calls).toEqual([
      { url: 'http://192.168.1.10:8787/models/Xenova/distilbert-base-uncased-finetuned-sst-2-english/config.json', method: 'HEAD' },
      { url: 'http://192.168.1.10:8787/models/onnx-community/Qwen2.5-0.5B-Instruct/config.json', method: 'HEAD' },
    ]);
  });

  test('an index page for every path, a 404, a network error or one model missing all say no, without throwing', async () => {
    const html = fakeFetch(() => new Response(null, { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(await modelsServedAt(DEFAULT_MODELS, LOCAL_MODELS_BASE, { origin: TEACHER, fetchImpl: html.impl })).toBe(false);
    const missing = fakeFetch(() => new Response(null, { status: 404 }));
    expect(await modelsServedAt(DEFAULT_MODELS, LOCAL_MODELS_BASE, { origin: TEACHER, fetchImpl: missing.impl })).toBe(false);
    const offline = fakeFetch(() => new TypeError('Failed to fetch'));
    expect(await modelsServedAt(DEFAULT_MODELS, LOCAL_MODELS_BASE, { origin: TEACHER, fetchImpl: offline.impl })).toBe(false);
    const half = fakeFetch((url) => new Response(null, url.includes('Qwen') ? { status: 404 } : { status: 200, headers: { 'content-type': 'application/json' } }));
    expect(await modelsServedAt(DEFAULT_MODELS, LOCAL_MODELS_BASE, { origin: TEACHER, fetchImpl: half.impl })).toBe(false);
    expect(await modelsServedAt([], LOCAL_MODELS_BASE, { origin: TEACHER, fetchImpl: html.impl })).toBe(false);
  });

  test('a base is http or https, absolute or relative to the page', () => {
    expect(checkModelBase('/models/', TEACHER).href).toBe('http://192.168.1.10:8787/models/');
    expect(checkModelBase('https://models.example/m/', TEACHER).href).toBe('https://models.example/m/');
    expect(() => checkModelBase('ftp://teacher/models/', TEACHER)).toThrow(ModelRefError);
    expect(() => checkModelBase('javascript:alert(1)', TEACHER)).toThrow(ModelRefError);
    expect(() => checkModelBase('http://[bad', TEACHER)).toThrow(ModelRefError);
  });
});

describe('forget downloaded models', () => {
  const partial = { chunks: [new Uint8Array([1, 2, 3])], validator: 'W/"3-1"', total: 10 };

  test('the page’s forget drops the worker’s partial downloads as well as the cache', async () => {
    // Two maps: the worker's (where downloads run) and the page's, as two module instances would have.
    const workerPartials = new Map([['http://t/models/a/onnx/model.onnx', partial]]);
    const pagePartials = new Map([['http://t/models/a/config.json', partial]]);
    const cache = memoryModelCache({ partials: pagePartials });
    await cache.put(new URL('http://t/models/a/tokenizer.json'), new Uint8Array(4));
    const lab = { cancel: vi.fn(), answerSentence: vi.fn(), forgetPartialDownloads: vi.fn(async () => void workerPartials.clear()) };
    const client = labRealModelsClient({ lab: () => lab, cache: () => cache });
    await client.forget();
    expect(lab.forgetPartialDownloads).toHaveBeenCalledTimes(1);
    expect(workerPartials.size).toBe(0);
    expect(pagePartials.size).toBe(0);
    expect(await client.cached()).toEqual([]);
  });

  test('the worker’s API clears the partials its downloads keep (the module-wide map)', () => {
    DOWNLOAD_PARTIALS.set('http://t/models/a/onnx/model.onnx', partial);
    const api = createLabApi({
      probeCapabilities: () => Promise.reject(new Error('not used')),
      runPlan: () => Promise.reject(new Error('not used')),
      computeEnergy: () => Promise.reject(new Error('not used')),
      computeWorkloadEnergy: () => Promise.reject(new Error('not used')),
      inspectOnnx: () => Promise.reject(new Error('not used')),
      measureOnnx: () => Promise.reject(new Error('not used')),
      runGpuLoad: () => Promise.resolve(),
    });
    api.forgetPartialDownloads();
    expect(DOWNLOAD_PARTIALS.size).toBe(0);
  });
});
