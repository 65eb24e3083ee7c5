/**
 * Interrupted downloads persisted in Cache Storage so a reload resumes: a new ModelCache over the
 * same storage (what a reload gets) resumes from the persisted bytes with Range and If-Range and
 * produces the exact file; another version of the file restarts from zero; the bytes are persisted
 * as they arrive; "forget" drops them and the listed size counts them; a full storage does not
 * stop the download. A fake Cache Storage (with one quota over every cache) and a fake host.
 */
import { describe, expect, test } from 'vitest';
import { decoderFixture } from '../../src/engine/realmodels/fixtures.ts';
import { cacheStorageModelCache, PARTIALS_CACHE_NAME, type PartialDownload } from '../../src/lab/model-cache.ts';
import { DownloadCancelledError, DownloadReadError, downloadFile, loadModelFiles, modelSize, type ModelProgress } from '../../src/lab/model-download.ts';
import { DEFAULT_MODELS, modelFileUrls } from '../../src/lab/model-files.ts';
import { fakeCaches, host } from './fake-model-host.ts';

/** A page load: a fresh ModelCache and fresh in-memory partials over the same browser storage. */
const reload = (storage: CacheStorage) => ({ cache: cacheStorageModelCache(storage, 'models', new Map<string, PartialDownload>()), partials: new Map<string, PartialDownload>() });

const url = new URL('https://models.example/a/b/onnx/model.onnx');
const v1 = Uint8Array.from({ length: 100 }, (_, i) => i);
const v2 = Uint8Array.from({ length: 120 }, (_, i) => 200 - i);

describe('a reload resumes an interrupted download', () => {
  test('cut at 64 bytes; a new ModelCache asks for bytes=64- with If-Range and gets the exact file; nothing partial is left', async () => {
    const { storage, stores } = fakeCaches();
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    h.cutNext = 64;
    const first = reload(storage);
    await expect(downloadFile(url, { ...first, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    expect(await first.cache.list()).toEqual([{ url: url.href, bytes: 64, partial: true }]);

    const second = reload(storage);
    const seen: [number, number][] = [];
    const bytes = await downloadFile(url, { ...second, fetchImpl: h.fetchImpl, pieceBytes: 16 }, (received, _t, resumed) => seen.push([received, resumed]));
    expect(h.requests[1]?.get('range')).toBe('bytes=64-');
    expect(h.requests[1]?.get('if-range')).toBe('"v1"');
    expect(seen.at(-1)).toEqual([100, 64]);
    expect([...bytes]).toEqual([...v1]);
    expect(stores.get(PARTIALS_CACHE_NAME)?.size ?? 0).toBe(0);
    expect(await second.cache.list()).toEqual([]);
  });

  test('the bytes are persisted as they arrive, a piece at a time: a crash loses less than a piece', async () => {
    const { storage } = fakeCaches();
    const ctrl = new AbortController();
    let sent = 0;
    const fetchImpl: typeof fetch = async (_u, init) => {
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          // 10 bytes at a time, then the connection hangs after 70 (a tab killed mid-download never says goodbye).
          if (sent < 70) {
            c.enqueue(v1.slice(sent, sent + 10));
            sent += 10;
          } else return new Promise<void>((_, fail) => init?.signal?.addEventListener('abort', () => fail(new DOMException('aborted', 'AbortError'))));
          return undefined;
        },
      });
      return new Response(body, { headers: { etag: '"v1"', 'content-length': '100' } });
    };
    const first = reload(storage);
    const pending = downloadFile(url, { ...first, fetchImpl, pieceBytes: 16, signal: ctrl.signal }, () => {});
    while (sent < 70) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 5));
    // Read from another page while the download hangs: pieces of ≥ 16 bytes, in order, from byte 0.
    const other = reload(storage).cache.partials!;
    const stored = await other.load(url.href);
    expect(stored?.received).toBeGreaterThan(70 - 16);
    expect(stored?.received).toBeLessThanOrEqual(70);
    expect([...concat(stored!.chunks)]).toEqual([...v1.slice(0, stored!.received)]);
    expect(stored).toMatchObject({ validator: '"v1"', total: 100 });
    ctrl.abort();
    await expect(pending).rejects.toBeInstanceOf(DownloadCancelledError);
  });

  test('the file changed since (another ETag): the host sends it whole (200), the old bytes are dropped, never stitched', async () => {
    const { storage, stores } = fakeCaches();
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    h.cutNext = 40;
    await expect(downloadFile(url, { ...reload(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    h.files.set(url.href, { bytes: v2, etag: '"v2"' });
    const bytes = await downloadFile(url, { ...reload(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=40-');
    expect(h.requests[1]?.get('if-range')).toBe('"v1"');
    expect([...bytes]).toEqual([...v2]);
    expect(stores.get(PARTIALS_CACHE_NAME)?.size ?? 0).toBe(0);
  });

  test('a host that ignores Range (200 to a Range request) restarts from zero and drops the persisted bytes', async () => {
    const { storage, stores } = fakeCaches();
    await reload(storage).cache.partials!.append(url.href, 0, v1.slice(0, 30), { validator: '"v1"', total: 100 });
    const ranges: (string | null)[] = [];
    const fetchImpl: typeof fetch = async (_u, init) => {
      ranges.push(new Headers(init?.headers).get('range'));
      return new Response(v1, { headers: { 'content-length': '100' } });
    };
    const bytes = await downloadFile(url, { ...reload(storage), fetchImpl }, () => {});
    expect(ranges).toEqual(['bytes=30-']);
    expect([...bytes]).toEqual([...v1]);
    expect(stores.get(PARTIALS_CACHE_NAME)?.size ?? 0).toBe(0);
  });

  test('a download that starts from zero first drops stray pieces (ones that did not follow on from byte 0)', async () => {
    const { storage, stores } = fakeCaches();
    await reload(storage).cache.partials!.append(url.href, 70, v2.slice(70, 90), { validator: '"v2"', total: 120 });
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    h.cutNext = 40;
    await expect(downloadFile(url, { ...reload(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    expect(h.requests[0]?.get('range')).toBeNull();
    expect(stores.get(PARTIALS_CACHE_NAME)?.size).toBe(1);
    expect(await reload(storage).cache.list()).toEqual([{ url: url.href, bytes: 40, partial: true }]);
  });

  test('pieces of two versions, or with a gap, are never read back as one partial', async () => {
    const { storage } = fakeCaches();
    const store = reload(storage).cache.partials!;
    await store.append(url.href, 0, v1.slice(0, 10), { validator: '"v1"', total: 100 });
    await store.append(url.href, 10, v2.slice(10, 20), { validator: '"v2"', total: 120 });
    await store.append(url.href, 30, v1.slice(30, 40), { validator: '"v1"', total: 100 });
    const p = await store.load(url.href);
    expect(p?.received).toBe(10);
    expect([...concat(p!.chunks)]).toEqual([...v1.slice(0, 10)]);
  });
});

const ref = DEFAULT_MODELS[1]!;
const base = 'https://models.example/';
const onnxPath = 'onnx/model_q4f16.onnx';
function modelHost() {
  const fixture = decoderFixture();
  return host(new Map(modelFileUrls(ref, base).map(({ path, url: u }) => [u.href, { bytes: fixture.get(path)!, etag: `"${path}"` }])));
}

describe('forget, sizes and a full storage', () => {
  test('the listed size counts the partials, the size to download leaves them out, and forget drops them', async () => {
    const { storage, stores } = fakeCaches();
    const h = modelHost();
    const onnxUrl = `${base}${ref.id}/${onnxPath}`;
    const whole = h.files.get(onnxUrl)!.bytes.length;
    await reload(storage).cache.partials!.append(onnxUrl, 0, h.files.get(onnxUrl)!.bytes.slice(0, 1000), { validator: `"${onnxPath}"`, total: whole });
    const { cache } = reload(storage);
    expect(await cache.list()).toEqual([{ url: onnxUrl, bytes: 1000, partial: true }]);
    const size = await modelSize(ref, { base, cache, fetchImpl: h.fetchImpl });
    expect(size.files.every((f) => !f.cached)).toBe(true);
    expect(size.toDownload).toBe((size.total ?? NaN) - 1000);
    await cache.clear();
    expect(stores.has(PARTIALS_CACHE_NAME)).toBe(false);
    expect(await cache.list()).toEqual([]);
    expect(await reload(storage).cache.partials!.load(onnxUrl)).toBeNull();
  });

  test('a full storage while persisting: the download completes, says so once, and the file is reported not cached', async () => {
    // Room for the small files, not for the ONNX file's bytes.
    const { storage } = fakeCaches(20_000);
    const h = modelHost();
    const seen: ModelProgress[] = [];
    const { cache, partials } = reload(storage);
    const m = await loadModelFiles(ref, { base, cache, partials, fetchImpl: h.fetchImpl, pieceBytes: 1024, onProgress: (p) => seen.push(p) });
    const onnxUrl = `${base}${ref.id}/${onnxPath}`;
    expect([...m.files.get(onnxPath)!]).toEqual([...h.files.get(onnxUrl)!.bytes]);
    expect(m.notCached).toContain(onnxPath);
    const firstSaid = seen.findIndex((p) => p.notPersisted !== undefined);
    expect(firstSaid).toBeGreaterThanOrEqual(0);
    expect(seen.slice(firstSaid).every((p) => p.notPersisted?.length === 1 && p.notPersisted[0] === onnxPath)).toBe(true);
    expect(seen.slice(0, firstSaid).every((p) => p.notPersisted === undefined)).toBe(true);
  });

  test('a full storage, said once even when the download stops early and is kept in memory for a same-page retry', async () => {
    const { storage } = fakeCaches(0);
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    h.cutNext = 50;
    const page = reload(storage);
    let said = 0;
    await expect(downloadFile(url, { ...page, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {}, () => said++)).rejects.toBeInstanceOf(DownloadReadError);
    expect(said).toBe(1);
    expect(page.partials.get(url.href)).toMatchObject({ persisted: 0, validator: '"v1"' });
    const bytes = await downloadFile(url, { ...page, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=50-');
    expect([...bytes]).toEqual([...v1]);
  });
});

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
