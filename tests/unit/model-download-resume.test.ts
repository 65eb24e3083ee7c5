/**
 * The loader's resume, cancel and cache-full paths against a fake host (an injected fetch that
 * honours Range and If-Range like a real one, with knobs to misbehave), and the decisions of
 * `models:fetch` about its `.part` files. No network.
 */
import { describe, expect, test } from 'vitest';
import { decoderFixture } from '../../src/engine/realmodels/fixtures.ts';
import { cacheStorageModelCache, DOWNLOAD_PARTIALS, memoryModelCache, type PartialDownload } from '../../src/lab/model-cache.ts';
import {
  DownloadCancelledError, DownloadReadError, downloadFile, loadModelFiles, modelSize, type ModelProgress,
} from '../../src/lab/model-download.ts';
import { DEFAULT_MODELS, modelFileUrls } from '../../src/lab/model-files.ts';
import { partRange, partStep } from '../../scripts/models-fetch-part.ts';
import { host, type Host } from './fake-model-host.ts';

const url = new URL('https://models.example/a/b/onnx/model.onnx');
const v1 = Uint8Array.from({ length: 100 }, (_, i) => i);
const v2 = Uint8Array.from({ length: 120 }, (_, i) => 200 - i);

describe('downloadFile: resume never stitches two versions', () => {
  test('the kept ETag goes back as If-Range; a file changed since the cancel comes whole (200), never old head + new tail', async () => {
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    const partials = new Map<string, PartialDownload>();
    h.cutNext = 40;
    await expect(downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    expect(partials.get(url.href)).toMatchObject({ validator: '"v1"', total: 100 });
    h.files.set(url.href, { bytes: v2, etag: '"v2"' });
    const bytes = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=40-');
    expect(h.requests[1]?.get('if-range')).toBe('"v1"');
    expect([...bytes]).toEqual([...v2]);
    expect(partials.size).toBe(0);
  });

  test('a 206 that does not start where the kept bytes stop is discarded: start again from zero', async () => {
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    h.wrongRange = true;
    const partials = new Map<string, PartialDownload>([[url.href, { chunks: [v1.slice(0, 30)], validator: '"v1"', total: 100 }]]);
    const bytes = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {});
    expect(h.requests.map((r) => r.get('range'))).toEqual(['bytes=30-', null]);
    expect([...bytes]).toEqual([...v1]);
  });

  test('without a validator, a 206 for a file of another size is discarded too', async () => {
    const h = host(new Map([[url.href, { bytes: v2, etag: '"v2"' }]]));
    const partials = new Map<string, PartialDownload>([[url.href, { chunks: [v1.slice(0, 30)], validator: null, total: 100 }]]);
    const bytes = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {});
    expect(h.requests.map((r) => r.get('range'))).toEqual(['bytes=30-', null]);
    expect([...bytes]).toEqual([...v2]);
  });

  test('a response that ends early keeps what arrived, and the next attempt resumes from there', async () => {
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    const partials = new Map<string, PartialDownload>();
    h.cutNext = 64;
    const err = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadReadError);
    expect((err as Error).message).toMatch(/64 of 100 bytes.*resumes/);
    expect(partials.get(url.href)?.chunks.reduce((a, c) => a + c.length, 0)).toBe(64);
    const bytes = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=64-');
    expect([...bytes]).toEqual([...v1]);
  });
});

const ref = DEFAULT_MODELS[1]!;
const base = 'https://models.example/';
function modelHost(): Host {
  const fixture = decoderFixture();
  return host(new Map(modelFileUrls(ref, base).map(({ path, url: u }) => [u.href, { bytes: fixture.get(path)!, etag: `"${path}"` }])));
}

describe('loadModelFiles', () => {
  test('a full cache does not fail the load: the bytes are used, and the file is reported as not cached', async () => {
    const h = modelHost();
    const onnx = 'onnx/model_q4f16.onnx';
    const cache = memoryModelCache({ quotaBytes: 20_000, partials: new Map() });
    const seen: ModelProgress[] = [];
    const m = await loadModelFiles(ref, { base, cache, fetchImpl: h.fetchImpl, partials: new Map(), onProgress: (p) => seen.push(p) });
    expect(m.files.get(onnx)?.length).toBe(h.files.get(`${base}${ref.id}/${onnx}`)?.bytes.length);
    expect(m.notCached).toEqual([onnx]);
    expect(seen.at(-1)?.notCached).toEqual([onnx]);
    expect((await cache.list()).map((f) => f.url.split('/').at(-1))).not.toContain('model_q4f16.onnx');
  });

  test('a cancel between two files is a DownloadCancelledError, not the signal\'s AbortError', async () => {
    const h = modelHost();
    const ctrl = new AbortController();
    const onProgress = (p: ModelProgress): void => {
      if (p.file.path === 'config.json' && p.file.received === p.file.total) ctrl.abort();
    };
    const err = await loadModelFiles(ref, { base, fetchImpl: h.fetchImpl, partials: new Map(), signal: ctrl.signal, onProgress }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadCancelledError);
    expect(err).toMatchObject({ url: `${base}${ref.id}/tokenizer.json`, received: 0 });
  });

  test('a cancel while the sizes are asked is a DownloadCancelledError', async () => {
    const h = modelHost();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(modelSize(ref, { base, fetchImpl: h.fetchImpl, signal: ctrl.signal })).rejects.toBeInstanceOf(DownloadCancelledError);
    await expect(loadModelFiles(ref, { base, fetchImpl: h.fetchImpl, partials: new Map(), signal: ctrl.signal, onProgress: () => {} })).rejects.toBeInstanceOf(DownloadCancelledError);
  });
});

describe('forgetting downloaded models forgets interrupted downloads too', () => {
  const kept = (): PartialDownload => ({ chunks: [Uint8Array.from([1, 2])], validator: '"x"', total: 10 });
  test('memory and Cache Storage caches clear their partials; the default is the module-wide map', async () => {
    const partials = new Map([[url.href, kept()]]);
    await memoryModelCache({ partials }).clear();
    expect(partials.size).toBe(0);

    partials.set(url.href, kept());
    const storage = { async delete() { return true; } } as unknown as CacheStorage;
    await cacheStorageModelCache(storage, 'models', partials).clear();
    expect(partials.size).toBe(0);

    DOWNLOAD_PARTIALS.set(url.href, kept());
    await memoryModelCache().clear();
    expect(DOWNLOAD_PARTIALS.size).toBe(0);
  });
});

describe('models:fetch and its .part files', () => {
  test('a .part as long as the remote file (or longer) is not resumed: no Range, so no 416 forever', () => {
    expect(partRange(0, 100)).toBeNull();
    expect(partRange(40, 100)).toBe('bytes=40-');
    expect(partRange(40, null)).toBe('bytes=40-');
    expect(partRange(100, 100)).toBeNull();
    expect(partRange(150, 100)).toBeNull();
  });

  test('416 drops the .part and fetches again; a 206 appends only where the .part stops', () => {
    expect(partStep(416, 100, 'bytes */100')).toMatchObject({ kind: 'restart' });
    expect(partStep(206, 40, 'bytes 40-99/100')).toEqual({ kind: 'append' });
    expect(partStep(206, 40, 'bytes 0-99/100')).toMatchObject({ kind: 'restart' });
    expect(partStep(206, 40, null)).toMatchObject({ kind: 'restart' });
    expect(partStep(200, 40, null)).toEqual({ kind: 'write' });
    expect(partStep(200, 0, null)).toEqual({ kind: 'write' });
    expect(partStep(404, 40, null)).toMatchObject({ kind: 'fail' });
    expect(partStep(416, 0, null)).toMatchObject({ kind: 'fail' });
  });
});
