/**
 * One download helper for the page: streams a URL into memory with progress and cancellation,
 * and says clearly why it failed (the network or a CORS refusal, which fetch cannot tell apart,
 * versus an HTTP status).
 */
import { concatBytes } from '../shared/bytes.ts';

/** A response's body chunk by chunk (all at once where the body is not a stream). */
export async function* bodyChunks(res: Response): AsyncGenerator<Uint8Array> {
  const reader = res.body?.getReader();
  if (!reader) {
    yield new Uint8Array(await res.arrayBuffer());
    return;
  }
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

export interface DownloadProgress {
  received: number;
  /** From Content-Length; null when the server does not say (or compresses on the fly). */
  total: number | null;
}

/** fetch itself failed: network down, DNS, or the server does not allow this origin (CORS). */
export class DownloadNetworkError extends Error {
  override name = 'DownloadNetworkError';
  constructor(readonly host: string, readonly detail: string) {
    super(`The download from ${host} failed (${detail}): the network is down or the server does not allow other sites to read the file (CORS).`);
  }
}

/** The server answered, with an error status. */
export class DownloadHttpError extends Error {
  override name = 'DownloadHttpError';
  constructor(readonly status: number, readonly statusText: string) {
    super(`The server answered ${status} ${statusText}.`);
  }
}

/** The body stopped arriving part way (connection reset, …). */
export class DownloadReadError extends Error {
  override name = 'DownloadReadError';
}

/**
 * The bytes at `url`. `onProgress` is called after each chunk; aborting `signal` rejects with
 * the signal's reason (an AbortError DOMException by default), never with one of the errors above.
 */
export async function download(
  url: URL,
  opts: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void; fetchImpl?: typeof fetch } = {},
): Promise<Uint8Array> {
  const { signal, onProgress } = opts;
  const doFetch = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { mode: 'cors', ...(signal ? { signal } : {}) });
  } catch (e) {
    signal?.throwIfAborted();
    // fetch gives no detail on purpose: a CORS refusal and a network error look the same.
    throw new DownloadNetworkError(url.host, e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) throw new DownloadHttpError(res.status, res.statusText);
  const total = Number(res.headers.get('content-length')) || null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of bodyChunks(res)) {
      chunks.push(chunk);
      received += chunk.length;
      onProgress?.({ received, total });
    }
  } catch (e) {
    signal?.throwIfAborted();
    throw new DownloadReadError(e instanceof Error ? e.message : String(e));
  }
  return concatBytes(chunks, received);
}
