/**
 * The resumable download's edge cases, through the fake host: a 206 that sends less than the rest
 * of the file, a file without a validator, a 206 whose size differs from the first reply's, the
 * listed sizes of leftovers, a forget during a download, what a cancel keeps in memory, a weak
 * ETag, and a persisted partial that is already the whole file.
 */
import { describe, expect, test } from 'vitest';
import { cacheStorageModelCache, PARTIALS_CACHE_NAME, type PartialDownload } from '../../src/lab/model-cache.ts';
import { DownloadReadError, downloadFile, modelSize, parseContentRange } from '../../src/lab/model-download.ts';
import { DEFAULT_MODELS, modelFileUrls } from '../../src/lab/model-files.ts';
import { fakeCaches, host } from './fake-model-host.ts';

const url = new URL('https://models.example/a/b/onnx/model.onnx');
const v1 = Uint8Array.from({ length: 100 }, (_, i) => i);
const v1Same = Uint8Array.from({ length: 100 }, (_, i) => 255 - i);
const page = (storage: CacheStorage) => ({ cache: cacheStorageModelCache(storage, 'models', new Map<string, PartialDownload>()), partials: new Map<string, PartialDownload>() });
const heldBytes = (p: PartialDownload | undefined): number => p?.chunks.reduce((a, c) => a + c.length, 0) ?? -1;
const pieces = (stores: Map<string, Map<string, unknown>>): number => stores.get(PARTIALS_CACHE_NAME)?.size ?? 0;

describe('a 206 that sends fewer bytes than the rest of the file', () => {
  test('Content-Range is read whole: start, end and total', () => {
    expect(parseContentRange('bytes 40-59/100')).toEqual({ start: 40, end: 59, total: 100 });
    expect(parseContentRange('bytes 40-59/*')).toEqual({ start: 40, end: 59, total: null });
    expect(parseContentRange('bytes 59-40/100')).toBeNull();
    expect(parseContentRange('bytes 40-100/100')).toBeNull();
    expect(parseContentRange('bytes */100')).toBeNull();
  });

  test('bytes 40-59/100: never a 60-byte file; the 20 bytes are kept and the next attempt asks for bytes=60-', async () => {
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    const partials = new Map<string, PartialDownload>();
    h.cutNext = 40;
    await expect(downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    h.windowNext = 20;
    const err = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadReadError);
    expect((err as Error).message).toMatch(/up to 60 of 100; downloading again resumes/);
    expect(heldBytes(partials.get(url.href))).toBe(60);
    const bytes = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {});
    expect(h.requests.map((r) => r.get('range'))).toEqual([null, 'bytes=40-', 'bytes=60-']);
    expect([...bytes]).toEqual([...v1]);
  });

  test('a 206 whose Content-Length (20) differs from its Content-Range (60 bytes) is refused: the file comes again from zero', async () => {
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    const partials = new Map<string, PartialDownload>([[url.href, { chunks: [v1.slice(0, 40)], validator: '"v1"', total: 100 }]]);
    h.lengthNext = 20;
    const bytes = await downloadFile(url, { partials, fetchImpl: h.fetchImpl }, () => {});
    expect(h.requests.map((r) => r.get('range'))).toEqual(['bytes=40-', null]);
    expect([...bytes]).toEqual([...v1]);
  });
});

describe('a file with neither ETag nor Last-Modified', () => {
  test('nothing is persisted (a reload could not tell another version of 100 bytes), but this page still resumes', async () => {
    const { storage, stores } = fakeCaches();
    const h = host(new Map([[url.href, { bytes: v1, etag: null }]]));
    h.cutNext = 40;
    const first = page(storage);
    await expect(downloadFile(url, { ...first, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    expect(pieces(stores)).toBe(0);
    expect(await first.cache.list()).toEqual([]);
    expect(heldBytes(first.partials.get(url.href))).toBe(40);

    // A reload: another version of the same size on the host; nothing kept, so it comes whole.
    h.files.set(url.href, { bytes: v1Same, etag: null });
    const bytes = await downloadFile(url, { ...page(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {});
    expect(h.requests[1]?.get('range')).toBeNull();
    expect([...bytes]).toEqual([...v1Same]);
  });

  test('pieces without a validator (left by an earlier version of the loader) are neither read back nor counted', async () => {
    const { storage } = fakeCaches();
    const store = page(storage).cache.partials!;
    await store.append(url.href, 0, v1.slice(0, 30), { validator: null, total: 100 });
    expect(await store.load(url.href)).toBeNull();
    expect(await store.list()).toEqual([]);
  });
});

describe('a 206 is kept under the version of the bytes it continues', () => {
  test('first reply without a size, then a 206 saying /100: every piece reads back as one partial of 70 bytes', async () => {
    const { storage } = fakeCaches();
    await page(storage).cache.partials!.append(url.href, 0, v1.slice(0, 30), { validator: '"v1"', total: null });
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    h.cutNext = 40;
    await expect(downloadFile(url, { ...page(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    expect(h.requests[0]?.get('range')).toBe('bytes=30-');
    const stored = await page(storage).cache.partials!.load(url.href);
    expect(stored).toMatchObject({ received: 70, validator: '"v1"', total: null });
    const bytes = await downloadFile(url, { ...page(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=70-');
    expect([...bytes]).toEqual([...v1]);
  });
});

describe('listed sizes count only what a resume would use', () => {
  test('a prefix of 10 bytes, then another version and an orphan: 10; an orphan alone: nothing; a finished file with leftovers: once', async () => {
    const { storage } = fakeCaches();
    const { cache } = page(storage);
    const store = cache.partials!;
    await store.append(url.href, 0, v1.slice(0, 10), { validator: '"v1"', total: 100 });
    await store.append(url.href, 10, v1.slice(10, 30), { validator: '"v2"', total: 100 });
    await store.append(url.href, 30, v1.slice(30, 40), { validator: '"v1"', total: 100 });
    const orphan = 'https://models.example/a/b/orphan.onnx';
    await store.append(orphan, 50, v1.slice(50, 60), { validator: '"v1"', total: 100 });
    const done = new URL('https://models.example/a/b/config.json');
    await cache.put(done, v1.slice(0, 25));
    await store.append(done.href, 0, v1.slice(0, 12), { validator: '"c"', total: 25 });
    expect(await store.list()).toEqual([{ url: url.href, bytes: 10, partial: true }, { url: done.href, bytes: 12, partial: true }]);
    expect(await cache.list()).toEqual([{ url: done.href, bytes: 25 }, { url: url.href, bytes: 10, partial: true }]);
  });

  test('modelSize leaves out an orphan piece: everything is still to download', async () => {
    const { storage } = fakeCaches();
    const ref = DEFAULT_MODELS[1]!;
    const base = 'https://models.example/';
    const files = modelFileUrls(ref, base);
    const h = host(new Map(files.map(({ url: u }) => [u.href, { bytes: v1, etag: '"x"' }])));
    const { cache } = page(storage);
    await cache.partials!.append(files[0]!.url.href, 40, v1.slice(40, 60), { validator: '"x"', total: 100 });
    await cache.partials!.append(files[1]!.url.href, 0, v1.slice(0, 30), { validator: '"x"', total: 100 });
    const size = await modelSize(ref, { base, cache, fetchImpl: h.fetchImpl });
    expect(size.total).toBe(100 * files.length);
    expect(size.toDownload).toBe(100 * files.length - 30);
  });
});

describe('forget while a download runs', () => {
  test('the pieces cleared at byte 30: no piece is written again, and nothing is kept in memory', async () => {
    const { storage, stores } = fakeCaches();
    const { cache, partials } = page(storage);
    let sent = 0;
    let clearing: Promise<void> | null = null;
    const fetchImpl: typeof fetch = async () => {
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (clearing) await clearing;
          // 10 bytes at a time, and the connection drops after 70.
          if (sent < 70) {
            c.enqueue(v1.slice(sent, sent + 10));
            sent += 10;
          } else c.close();
        },
      });
      return new Response(body, { headers: { etag: '"v1"', 'content-length': '100' } });
    };
    const onChunk = (received: number): void => {
      if (received === 30) clearing = cache.clear();
    };
    await expect(downloadFile(url, { cache, partials, fetchImpl, pieceBytes: 16 }, onChunk)).rejects.toBeInstanceOf(DownloadReadError);
    expect(pieces(stores)).toBe(0);
    expect(partials.has(url.href)).toBe(false);
    expect(await page(storage).cache.list()).toEqual([]);
  });
});

describe('what a cancel keeps in memory', () => {
  test('everything persisted: memory keeps the version and the length, no bytes; the retry reads them back and resumes at 40', async () => {
    const { storage } = fakeCaches();
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    h.cutNext = 40;
    const p = page(storage);
    await expect(downloadFile(url, { ...p, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    expect(p.partials.get(url.href)).toEqual({ chunks: [], validator: '"v1"', total: 100, persisted: 40 });
    const bytes = await downloadFile(url, { ...p, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=40-');
    expect([...bytes]).toEqual([...v1]);
    expect(p.partials.size).toBe(0);
  });
});

describe('validators and a partial already whole', () => {
  const date = 'Tue, 01 Dec 2026 10:00:00 GMT';

  test('a weak ETag is not sent as If-Range; Last-Modified is, and a reload resumes at 40', async () => {
    const { storage } = fakeCaches();
    const h = host(new Map([[url.href, { bytes: v1, etag: 'W/"v1"', lastModified: date }]]));
    h.cutNext = 40;
    await expect(downloadFile(url, { ...page(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    const bytes = await downloadFile(url, { ...page(storage), fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=40-');
    expect(h.requests[1]?.get('if-range')).toBe(date);
    expect([...bytes]).toEqual([...v1]);
  });

  test('a weak ETag alone is no validator: nothing persisted, a same-page retry sends Range without If-Range', async () => {
    const { storage, stores } = fakeCaches();
    const h = host(new Map([[url.href, { bytes: v1, etag: 'W/"v1"' }]]));
    h.cutNext = 40;
    const p = page(storage);
    await expect(downloadFile(url, { ...p, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    expect(pieces(stores)).toBe(0);
    const bytes = await downloadFile(url, { ...p, fetchImpl: h.fetchImpl, pieceBytes: 16 }, () => {});
    expect(h.requests[1]?.get('range')).toBe('bytes=40-');
    expect(h.requests[1]?.get('if-range')).toBeNull();
    expect([...bytes]).toEqual([...v1]);
  });

  test('a persisted partial of all 100 bytes is the file: no request (a Range would be a 416), and nothing partial is left', async () => {
    const { storage, stores } = fakeCaches();
    await page(storage).cache.partials!.append(url.href, 0, v1, { validator: '"v1"', total: 100 });
    const h = host(new Map([[url.href, { bytes: v1, etag: '"v1"' }]]));
    const seen: [number, number | null][] = [];
    const bytes = await downloadFile(url, { ...page(storage), fetchImpl: h.fetchImpl }, (r, t) => seen.push([r, t]));
    expect(h.requests).toHaveLength(0);
    expect(seen).toEqual([[100, 100]]);
    expect([...bytes]).toEqual([...v1]);
    expect(pieces(stores)).toBe(0);
  });
});
