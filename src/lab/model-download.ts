/**
 * Downloading a real model's files with what a person needs to live with 500 MB: the size before
 * anything is fetched (HEAD, or the cache), progress with rate and time left, cancel, resume
 * with an HTTP Range request where the host allows it (the bytes received before a cancel or a
 * broken connection are kept in memory), and a cache so the second visit downloads nothing.
 * Errors are named: DownloadHttpError (404 …), DownloadNetworkError (offline, CORS refusal),
 * DownloadCancelledError, DownloadReadError (connection lost; resumable), ModelFileError (not ONNX),
 * ModelQuotaError (from the cache).
 */
import { concatBytes } from '../shared/bytes.ts';
import { DownloadHttpError, DownloadNetworkError, DownloadReadError } from './download.ts';
import type { ModelCache } from './model-cache.ts';
import { modelFileUrls, type ModelRef } from './model-files.ts';

export { DownloadHttpError, DownloadNetworkError, DownloadReadError } from './download.ts';

/** The person cancelled; what arrived is kept, so the next attempt resumes. */
export class DownloadCancelledError extends Error {
  override name = 'DownloadCancelledError';
  constructor(readonly url: string, readonly received: number) {
    super(`The download of ${url} was cancelled after ${received} bytes.`);
  }
}

/**
 * A model file is not what it should be: an ONNX file that is not ONNX (an HTML error page, a
 * truncated file, …), a JSON file that does not parse, a file missing from a loaded model.
 */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(readonly kind: 'not-onnx' | 'not-json' | 'missing', readonly url: string, readonly detail: string) {
    super(`${url} ${kind === 'not-onnx' ? 'is not an ONNX model' : kind === 'not-json' ? 'is not JSON' : 'is missing'} (${detail}).`);
  }
}

export interface FileProgress {
  path: string;
  received: number;
  /** null when the server does not say. */
  total: number | null;
}

export interface ModelProgress {
  /** The file being downloaded now. */
  file: FileProgress;
  /** Over every file of the model: cached files count as received. */
  received: number;
  total: number | null;
  /** Bytes per second since this download started (resumed bytes excluded); null before 200 ms. */
  rate: number | null;
  /** Seconds left at that rate; null when the total or the rate is unknown. */
  etaS: number | null;
}

export interface FileSize {
  path: string;
  url: string;
  bytes: number | null;
  cached: boolean;
}

export interface ModelSize {
  files: FileSize[];
  /** Sum of all files; null when a size is unknown. */
  total: number | null;
  /** What remains to download (files not cached); null when a size is unknown. */
  toDownload: number | null;
}

export interface LoadOptions {
  /** The hub when absent; else `<base><id>/<path>` (see model-files.ts). */
  base?: string;
  origin?: string;
  cache?: ModelCache;
  signal?: AbortSignal;
  onProgress?: (p: ModelProgress) => void;
  fetchImpl?: typeof fetch;
  /** Bytes kept from interrupted downloads, by URL (module-wide by default). */
  partials?: Map<string, Uint8Array[]>;
  now?: () => number;
}

export interface LoadedModel {
  ref: ModelRef;
  /** Repository-relative path → bytes. */
  files: Map<string, Uint8Array>;
  /** Paths that came from the cache. */
  fromCache: string[];
  /** Bytes fetched over the network in this load. */
  downloadedBytes: number;
}

const PARTIALS = new Map<string, Uint8Array[]>();

async function doFetch(url: URL, init: RequestInit, opts: LoadOptions): Promise<Response> {
  try {
    return await (opts.fetchImpl ?? fetch)(url, { mode: 'cors', ...init, ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (e) {
    if (opts.signal?.aborted) throw new DownloadCancelledError(url.href, 0);
    // fetch gives no detail on purpose: a CORS refusal and being offline look the same.
    throw new DownloadNetworkError(url.host, e instanceof Error ? e.message : String(e));
  }
}

/** Size from HEAD: the hub's `x-linked-size` (the LFS file behind a redirect), else Content-Length. */
export async function headSize(url: URL, opts: Pick<LoadOptions, 'fetchImpl' | 'signal'> = {}): Promise<number | null> {
  const res = await doFetch(url, { method: 'HEAD' }, opts);
  if (!res.ok) throw new DownloadHttpError(res.status, res.statusText);
  const n = Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length'));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** What the model weighs and what remains to download, before downloading anything. */
export async function modelSize(ref: ModelRef, opts: LoadOptions = {}): Promise<ModelSize> {
  const cachedSizes = new Map((await opts.cache?.list())?.map((f) => [f.url, f.bytes]) ?? []);
  const files: FileSize[] = [];
  for (const { path, url } of modelFileUrls(ref, opts.base, opts.origin)) {
    const cached = cachedSizes.get(url.href);
    files.push({ path, url: url.href, bytes: cached ?? (await headSize(url, opts)), cached: cached !== undefined });
  }
  const sum = (list: FileSize[]): number | null => (list.some((f) => f.bytes === null) ? null : list.reduce((a, f) => a + (f.bytes ?? 0), 0));
  return { files, total: sum(files), toDownload: sum(files.filter((f) => !f.cached)) };
}


/**
 * One file, resumed from `partials` with a Range request when bytes were kept (a 206 appends; a
 * 200 means the host ignores ranges: start again). `onChunk(received, total)` after each chunk.
 */
export async function downloadFile(
  url: URL,
  opts: LoadOptions,
  onChunk: (received: number, total: number | null, resumed: number) => void,
): Promise<Uint8Array> {
  const partials = opts.partials ?? PARTIALS;
  let chunks = partials.get(url.href) ?? [];
  let received = chunks.reduce((a, c) => a + c.length, 0);
  const res = await doFetch(url, received > 0 ? { headers: { Range: `bytes=${received}-` } } : {}, opts);
  if (res.status === 416 && received > 0) {
    // Nothing after what we have (the file was complete) or the file changed: start over.
    partials.delete(url.href);
    return downloadFile(url, opts, onChunk);
  }
  if (!res.ok) throw new DownloadHttpError(res.status, res.statusText);
  if (res.status !== 206) {
    chunks = [];
    received = 0;
  }
  const resumed = received;
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? received + length : null;
  const reader = res.body?.getReader();
  try {
    if (!reader) {
      const all = new Uint8Array(await res.arrayBuffer());
      chunks.push(all);
      received += all.length;
      onChunk(received, total, resumed);
    } else {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        onChunk(received, total, resumed);
      }
    }
  } catch (e) {
    partials.set(url.href, chunks);
    if (opts.signal?.aborted) throw new DownloadCancelledError(url.href, received);
    throw new DownloadReadError(`${url.href}: the connection was lost after ${received} bytes (${e instanceof Error ? e.message : String(e)}); downloading again resumes.`);
  }
  partials.delete(url.href);
  if (total !== null && received !== total) {
    throw new DownloadReadError(`${url.href}: ${received} bytes arrived, ${total} were announced.`);
  }
  return concatBytes(chunks, received);
}

/**
 * A cheap look at the top-level fields of an ONNX ModelProto without parsing the graph (the
 * worker parses it fully): ir_version comes first, every field is well formed and inside the
 * file, and a graph is present. Catches HTML error pages, JSON, and truncated files.
 */
export function onnxProblem(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return 'empty file';
  if (bytes[0] !== 0x08) return 'it does not start with an ir_version field';
  let p = 0;
  let graph = false;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; shift < 63; shift += 7) {
      if (p >= bytes.length) throw new RangeError('truncated');
      const b = bytes[p++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
    }
    throw new RangeError('bad varint');
  };
  try {
    while (p < bytes.length) {
      const key = varint();
      const wire = key % 8;
      if (key < 8) return 'field number 0';
      if (wire === 0) varint();
      else if (wire === 1) p += 8;
      else if (wire === 5) p += 4;
      else if (wire === 2) {
        const len = varint();
        if (Math.floor(key / 8) === 7) graph = true;
        p += len;
      } else return `wire type ${wire}`;
      if (p > bytes.length) return 'truncated (a field runs past the end of the file)';
    }
  } catch (e) {
    return e instanceof RangeError ? `truncated (${e.message})` : String(e);
  }
  return graph ? null : 'no graph';
}

/**
 * Every file of `ref`: from the cache when there, else downloaded (then cached). JSON files must
 * parse and the ONNX file must look like ONNX before anything is cached, so a bad file is never
 * kept. Progress covers the whole model.
 */
export async function loadModelFiles(ref: ModelRef, opts: LoadOptions = {}): Promise<LoadedModel> {
  const now = opts.now ?? (() => performance.now());
  const urls = modelFileUrls(ref, opts.base, opts.origin);
  const files = new Map<string, Uint8Array>();
  const fromCache: string[] = [];
  const pending: { path: string; url: URL }[] = [];
  for (const f of urls) {
    const hit = await opts.cache?.get(f.url);
    if (hit) {
      files.set(f.path, hit);
      fromCache.push(f.path);
    } else pending.push(f);
  }
  let done = [...files.values()].reduce((a, b) => a + b.length, 0);
  let downloadedBytes = 0;
  // Sizes for overall progress: only worth asking when something is to be downloaded.
  let total: number | null = null;
  if (pending.length > 0 && opts.onProgress) {
    total = (await modelSize(ref, opts).catch(() => null))?.total ?? null;
  }
  const started = now();
  for (const { path, url } of pending) {
    opts.signal?.throwIfAborted();
    let fileFetched = 0;
    const bytes = await downloadFile(url, opts, (received, fileTotal, resumed) => {
      fileFetched = received - resumed;
      const fetched = downloadedBytes + fileFetched;
      const elapsed = (now() - started) / 1000;
      const rate = elapsed >= 0.2 ? fetched / elapsed : null;
      const overall = done + received;
      const etaS = rate && total !== null ? Math.max(0, (total - overall) / rate) : null;
      opts.onProgress?.({ file: { path, received, total: fileTotal }, received: overall, total, rate, etaS });
    });
    checkFile(path, url, bytes);
    await opts.cache?.put(url, bytes);
    files.set(path, bytes);
    done += bytes.length;
    downloadedBytes += fileFetched;
  }
  if (pending.length === 0) opts.onProgress?.({ file: { path: urls.at(-1)?.path ?? '', received: done, total: done }, received: done, total: done, rate: null, etaS: 0 });
  return { ref, files, fromCache, downloadedBytes };
}

function checkFile(path: string, url: URL, bytes: Uint8Array): void {
  if (path.endsWith('.onnx')) {
    const problem = onnxProblem(bytes);
    if (problem) throw new ModelFileError('not-onnx', url.href, problem);
  } else if (path.endsWith('.json')) {
    try {
      JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new ModelFileError('not-json', url.href, 'it does not parse');
    }
  }
}

/** The parsed JSON files of a loaded model, for the worker's sessions. */
export function jsonFile(model: LoadedModel, path: string): object {
  const bytes = model.files.get(path);
  if (!bytes) throw new ModelFileError('missing', path, `not among the files of ${model.ref.id}`);
  return JSON.parse(new TextDecoder().decode(bytes)) as object;
}
