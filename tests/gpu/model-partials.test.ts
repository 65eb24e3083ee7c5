/**
 * Interrupted downloads persisted in real Chromium's Cache Storage (no GPU needed; this project is
 * the one that runs in the browser): a download cut at 40 bytes, then a new ModelCache with fresh
 * in-memory partials (what a reload gets: the worker's memory is gone, the storage is not) resumes
 * from byte 40 with Range and If-Range and produces the exact file; the listed size counts the
 * partial while it exists; "forget" deletes it. The host is a fetch stub, the storage is real.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { cacheStorageModelCache, type PartialDownload } from '../../src/lab/model-cache.ts';
import { DownloadReadError, downloadFile } from '../../src/lab/model-download.ts';

const NAME = 'test-model-partials-files';
const PARTIALS = 'test-model-partials-pieces';
const url = new URL('https://models.example/a/b/onnx/model.onnx');
const file = Uint8Array.from({ length: 100 }, (_, i) => (i * 7) % 256);

/** A host with one file, ETag "e1", honouring Range + If-Range; `cut` bytes is where the next body stops. */
function stub(cut: number | null) {
  const ranges: (string | null)[] = [];
  const ifRanges: (string | null)[] = [];
  let cutNext = cut;
  const fetchImpl: typeof fetch = async (_u, init) => {
    const h = new Headers(init?.headers);
    ranges.push(h.get('range'));
    ifRanges.push(h.get('if-range'));
    const m = /^bytes=(\d+)-$/.exec(h.get('range') ?? '');
    const from = m && h.get('if-range') === '"e1"' ? Number(m[1]) : 0;
    const body = file.slice(from, cutNext === null ? undefined : from + cutNext);
    cutNext = null;
    const headers: Record<string, string> = { etag: '"e1"', 'content-length': String(file.length - from) };
    if (from > 0) headers['content-range'] = `bytes ${from}-${file.length - 1}/${file.length}`;
    return new Response(body, { status: from > 0 ? 206 : 200, headers });
  };
  return { fetchImpl, ranges, ifRanges };
}

const page = () => ({ cache: cacheStorageModelCache(caches, NAME, new Map<string, PartialDownload>(), PARTIALS), partials: new Map<string, PartialDownload>() });

afterAll(async () => {
  await caches.delete(NAME);
  await caches.delete(PARTIALS);
});

describe('a reload resumes from Cache Storage', () => {
  test('cut at 40 bytes, then a new page resumes with bytes=40- and If-Range, and gets the exact file', async () => {
    const first = stub(40);
    await expect(downloadFile(url, { ...page(), fetchImpl: first.fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);

    const listed = await page().cache.list();
    expect(listed).toEqual([{ url: url.href, bytes: 40, partial: true }]);

    const second = stub(null);
    const bytes = await downloadFile(url, { ...page(), fetchImpl: second.fetchImpl, pieceBytes: 16 }, () => {});
    expect(second.ranges).toEqual(['bytes=40-']);
    expect(second.ifRanges).toEqual(['"e1"']);
    expect([...bytes]).toEqual([...file]);
    expect(await page().cache.list()).toEqual([]);
  });

  test('forget deletes the persisted partial', async () => {
    await expect(downloadFile(url, { ...page(), fetchImpl: stub(64).fetchImpl, pieceBytes: 16 }, () => {})).rejects.toBeInstanceOf(DownloadReadError);
    const { cache } = page();
    expect((await cache.list()).map((f) => f.bytes)).toEqual([64]);
    await cache.clear();
    expect(await caches.has(PARTIALS)).toBe(false);
    expect(await page().cache.partials!.load(url.href)).toBeNull();
  });
});
