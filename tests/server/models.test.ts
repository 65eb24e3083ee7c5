/**
 * The class server's model folder (server/models.ts, MODELS_DIR) and the page's model loader
 * (src/lab/model-download.ts) together, over real HTTP from localhost, on the generated fixture
 * models: sizes before download, progress, Range and resume, the cache hit on the second load,
 * and every failure named (404, offline, not ONNX, truncated, cancel, full quota). Nothing is
 * downloaded from the internet.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as ort from 'onnxruntime-web';
import { startServer, type RunningServer } from '../../server/app.ts';
import { modelFilePath, parseRange } from '../../server/models.ts';
import { fixtureTree } from '../../src/engine/realmodels/fixtures.ts';
import { ClassifierSession } from '../../src/engine/realmodels/classifier.ts';
import { memoryModelCache, ModelQuotaError, type PartialDownload } from '../../src/lab/model-cache.ts';
import {
  DownloadCancelledError, DownloadHttpError, DownloadNetworkError, DownloadReadError, jsonFile, loadModelFiles, ModelFileError, modelSize,
  type ModelProgress,
} from '../../src/lab/model-download.ts';
import { DEFAULT_CLASSIFIER_ID, DEFAULT_GENERATOR_ID, modelFiles, type ModelRef } from '../../src/lab/model-files.ts';
import { tempDir } from './helpers.ts';

ort.env.wasm.numThreads = 1;

const tmp = tempDir('models-');
const modelsDir = join(tmp.path, 'models');
const tree = fixtureTree({ classifier: DEFAULT_CLASSIFIER_ID, generator: DEFAULT_GENERATOR_ID });
let server: RunningServer;
let base: string;

const classifier: ModelRef = { task: 'classifier', id: DEFAULT_CLASSIFIER_ID, dtype: 'fp32' };
const generator: ModelRef = { task: 'generator', id: DEFAULT_GENERATOR_ID, dtype: 'q4f16' };
const onnxBytes = tree.get(`${DEFAULT_GENERATOR_ID}/onnx/model_q4f16.onnx`)!;

function write(path: string, data: Uint8Array | string): void {
  const file = join(modelsDir, ...path.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

beforeAll(async () => {
  for (const [path, data] of tree) write(path, data);
  // A repository whose ONNX file is an HTML page, and one whose ONNX file is cut in half.
  for (const [path, data] of tree) if (path.startsWith(`${DEFAULT_CLASSIFIER_ID}/`)) write(path.replace(DEFAULT_CLASSIFIER_ID, 'test/html-model'), data);
  write('test/html-model/onnx/model.onnx', '<!doctype html><title>Sign in</title>');
  for (const [path, data] of tree) if (path.startsWith(`${DEFAULT_CLASSIFIER_ID}/`)) write(path.replace(DEFAULT_CLASSIFIER_ID, 'test/cut-model'), data);
  const whole = tree.get(`${DEFAULT_CLASSIFIER_ID}/onnx/model.onnx`)!;
  write('test/cut-model/onnx/model.onnx', whole.subarray(0, whole.length >> 1));
  server = await startServer({ port: 0, dataDir: join(tmp.path, 'db'), staticDir: join(tmp.path, 'dist'), log: false, power: false, rateLimit: false, modelsDir });
  base = `${server.url}/models/`;
});

afterAll(async () => {
  await server?.close();
  tmp.remove();
});

describe('the /models/ folder', () => {
  test('GET and HEAD give the exact Content-Length; a Range gives 206 with Content-Range', async () => {
    const url = `${base}${DEFAULT_GENERATOR_ID}/onnx/model_q4f16.onnx`;
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(onnxBytes.length);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    const all = new Uint8Array(await (await fetch(url)).arrayBuffer());
    expect(all).toEqual(onnxBytes);
    const part = await fetch(url, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${onnxBytes.length}`);
    expect(part.headers.get('content-length')).toBe('100');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(onnxBytes.subarray(100, 200));
    const past = await fetch(url, { headers: { Range: `bytes=${onnxBytes.length}-` } });
    expect(past.status).toBe(416);
    // A strong ETag (a weak one never satisfies If-Range), and If-Range with it resumes.
    const etag = head.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const same = await fetch(url, { headers: { Range: 'bytes=100-', 'If-Range': etag } });
    expect(same.status).toBe(206);
    await same.arrayBuffer();
    // If-Range with another version's ETag: the whole file, never a stitched one.
    const changed = await fetch(url, { headers: { Range: 'bytes=100-', 'If-Range': 'W/"other"' } });
    expect(changed.status).toBe(200);
    expect(Number(changed.headers.get('content-length'))).toBe(onnxBytes.length);
    await changed.arrayBuffer();
  });

  test('a missing file is 404; paths that climb out or hide are refused', async () => {
    expect((await fetch(`${base}nobody/nothing/config.json`)).status).toBe(404);
    expect((await fetch(`${base}..%2f..%2fpackage.json`)).status).toBe(404);
    expect(modelFilePath('/srv/models', '/../etc/passwd')).toBeNull();
    expect(modelFilePath('/srv/models', '/a/.git/config')).toBeNull();
    expect(modelFilePath('/srv/models', '/a%5c..%5cb')).toBeNull();
    expect(modelFilePath('/srv/models', '/a/b/onnx/model.onnx')).toBe('/srv/models/a/b/onnx/model.onnx');
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=5-', 100)).toEqual({ start: 5, end: 99 });
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('bytes=200-', 100)).toBe('unsatisfiable');
  });
});

describe('loading a model from the class server', () => {
  test('size before download, progress to the total, then a cache hit with no network at all', async () => {
    const cache = memoryModelCache();
    const size = await modelSize(generator, { base, cache });
    const expected = modelFiles(generator).reduce((a, p) => a + tree.get(`${DEFAULT_GENERATOR_ID}/${p}`)!.length, 0);
    expect(size).toMatchObject({ total: expected, toDownload: expected });
    expect(size.files.map((f) => f.path)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'onnx/model_q4f16.onnx']);

    const seen: ModelProgress[] = [];
    let t = 0;
    const first = await loadModelFiles(generator, { base, cache, onProgress: (p) => seen.push(p), now: () => (t += 100) });
    expect(first.fromCache).toEqual([]);
    expect(first.downloadedBytes).toBe(expected);
    expect(first.files.get('onnx/model_q4f16.onnx')).toEqual(onnxBytes);
    expect(seen.at(-1)).toMatchObject({ received: expected, total: expected, etaS: 0 });
    expect(seen.every((p, i) => i === 0 || p.received >= seen[i - 1]!.received)).toBe(true);
    expect(seen.some((p) => p.rate !== null && p.rate > 0)).toBe(true);

    const offline: typeof fetch = async () => Promise.reject(new TypeError('offline'));
    const second = await loadModelFiles(generator, { base, cache, fetchImpl: offline });
    expect(second.fromCache).toHaveLength(5);
    expect(second.downloadedBytes).toBe(0);
    expect(second.files.get('onnx/model_q4f16.onnx')).toEqual(onnxBytes);
    expect((await modelSize(generator, { base, cache, fetchImpl: offline })).toDownload).toBe(0);
    expect((await cache.list()).reduce((a, f) => a + f.bytes, 0)).toBe(expected);
    await cache.clear();
    expect(await cache.list()).toEqual([]);
  });

  test('the files loaded over HTTP run in the classifier session', { timeout: 60_000 }, async () => {
    const m = await loadModelFiles(classifier, { base });
    const s = await ClassifierSession.create(ort, {
      model: m.files.get('onnx/model.onnx')!, tokenizerJson: jsonFile(m, 'tokenizer.json'), tokenizerConfig: jsonFile(m, 'tokenizer_config.json'), config: jsonFile(m, 'config.json'),
    }, 'wasm');
    expect(['NEGATIVE', 'POSITIVE']).toContain((await s.classify('a great film')).label);
    await s.release();
  });

  test('404 is a DownloadHttpError; a refused connection (offline, CORS) a DownloadNetworkError', async () => {
    const missing: ModelRef = { task: 'classifier', id: 'nobody/nothing', dtype: 'fp32' };
    await expect(loadModelFiles(missing, { base })).rejects.toMatchObject({ name: 'DownloadHttpError', status: 404 });
    await expect(modelSize(missing, { base })).rejects.toBeInstanceOf(DownloadHttpError);
    await expect(loadModelFiles(classifier, { base: 'http://127.0.0.1:9/models/' })).rejects.toBeInstanceOf(DownloadNetworkError);
  });

  test('an HTML page or a truncated file where the ONNX model should be: ModelFileError, nothing cached', async () => {
    const cache = memoryModelCache();
    const html = await loadModelFiles({ ...classifier, id: 'test/html-model' }, { base, cache }).catch((e: unknown) => e);
    expect(html).toBeInstanceOf(ModelFileError);
    expect(html).toMatchObject({ kind: 'not-onnx' });
    const cut = await loadModelFiles({ ...classifier, id: 'test/cut-model' }, { base, cache }).catch((e: unknown) => e);
    expect(cut).toMatchObject({ name: 'ModelFileError', kind: 'not-onnx', detail: expect.stringMatching(/truncated/) as unknown });
    expect((await cache.list()).some((f) => f.url.endsWith('.onnx'))).toBe(false);
  });

  test('a full quota (ModelQuotaError from the cache) still loads the model, and says which files were not kept', async () => {
    const cache = memoryModelCache({ quotaBytes: 20_000 });
    await expect(cache.put(new URL('https://h/a/b/x.onnx'), new Uint8Array(20_001))).rejects.toBeInstanceOf(ModelQuotaError);
    const m = await loadModelFiles(generator, { base, cache });
    expect(m.files.get('onnx/model_q4f16.onnx')).toEqual(onnxBytes);
    expect(m.notCached).toContain('onnx/model_q4f16.onnx');
  });

  /** fetch whose ONNX bodies deliver `cut` bytes, then fail (or wait for the abort). */
  function flaky(cut: number, mode: 'reset' | 'hang', requests: Headers[]): typeof fetch {
    let broken = false;
    return async (input, init) => {
      const res = await fetch(input, init);
      const url = input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;
      if (!url.endsWith('.onnx') || init?.method === 'HEAD') return res;
      requests.push(new Headers(init?.headers));
      if (broken) return res;
      broken = true;
      const bytes = new Uint8Array(await res.arrayBuffer());
      const signal = init?.signal;
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (!sent) {
            sent = true;
            c.enqueue(bytes.slice(0, cut));
          } else if (mode === 'reset') c.error(new TypeError('connection reset'));
          else if (signal?.aborted) c.error(signal.reason);
          else signal?.addEventListener('abort', () => c.error(signal.reason));
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
  }

  test('a lost connection resumes with a Range request from the byte it stopped at', async () => {
    const partials = new Map<string, PartialDownload>();
    const requests: Headers[] = [];
    const fetchImpl = flaky(5000, 'reset', requests);
    const err = await loadModelFiles(generator, { base, partials, fetchImpl }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadReadError);
    const resumed = await loadModelFiles(generator, { base, partials, fetchImpl });
    expect(requests.map((h) => h.get('range'))).toEqual([null, 'bytes=5000-']);
    expect(resumed.files.get('onnx/model_q4f16.onnx')).toEqual(onnxBytes);
    expect(partials.size).toBe(0);
  });

  test('cancel in the middle: DownloadCancelledError with the bytes received, and the next load resumes', async () => {
    const partials = new Map<string, PartialDownload>();
    const requests: Headers[] = [];
    const fetchImpl = flaky(3000, 'hang', requests);
    const ctrl = new AbortController();
    const onProgress = (p: ModelProgress) => {
      if (p.file.path.endsWith('.onnx') && p.file.received === 3000) ctrl.abort();
    };
    const err = await loadModelFiles(generator, { base, partials, fetchImpl, signal: ctrl.signal, onProgress }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadCancelledError);
    expect(err).toMatchObject({ received: 3000 });
    const again = await loadModelFiles(generator, { base, partials, fetchImpl });
    expect(requests.at(-1)?.get('range')).toBe('bytes=3000-');
    expect(again.files.get('onnx/model_q4f16.onnx')).toEqual(onnxBytes);
  });
});
