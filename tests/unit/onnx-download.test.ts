/** The page's one download helper (src/lab/download.ts): progress, abort, and which error is which. */
import { describe, expect, test } from 'vitest';
import { download, DownloadHttpError, DownloadNetworkError } from '../../src/lab/download.ts';

const at = new URL('https://models.example/m.onnx');

describe('download', () => {
  test('streams the body, reports {received, total}, joins the chunks', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(Uint8Array.from([1, 2, 3]));
        c.enqueue(Uint8Array.from([4, 5]));
        c.close();
      },
    });
    const seen: { received: number; total: number | null }[] = [];
    const bytes = await download(at, { onProgress: (p) => seen.push(p), fetchImpl: async () => new Response(body, { headers: { 'content-length': '5' } }) });
    expect([...bytes]).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual([{ received: 3, total: 5 }, { received: 5, total: 5 }]);
  });

  test('an HTTP error status is a DownloadHttpError with the status', async () => {
    const err = await download(at, { fetchImpl: async () => new Response('no', { status: 404, statusText: 'Not Found' }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadHttpError);
    expect(err).toMatchObject({ name: 'DownloadHttpError', status: 404, statusText: 'Not Found' });
  });

  test('fetch failing (network or CORS) is a DownloadNetworkError naming the host', async () => {
    const err = await download(at, { fetchImpl: async () => Promise.reject(new TypeError('Failed to fetch')) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadNetworkError);
    expect(err).toMatchObject({ host: 'models.example', detail: 'Failed to fetch' });
  });

  test('aborting rejects with the abort reason, not a network error', async () => {
    const ctrl = new AbortController();
    const fetchImpl = (_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new TypeError('aborted'))));
    const pending = download(at, { signal: ctrl.signal, fetchImpl });
    ctrl.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(DownloadNetworkError);
    expect((err as Error).name).toBe('AbortError');
  });
});
