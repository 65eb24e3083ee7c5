/**
 * Downloading a real model's files with what a person needs to live with 500 MB: the size before
 * anything is fetched (HEAD, or the cache), progress with rate and time left, cancel, resume
 * with an HTTP Range request where the host allows it (the bytes received are kept with the file's
 * ETag, sent back as If-Range so two versions are never stitched together: in memory for a retry on
 * this page, and persisted in the browser as they arrive, a piece every few MB, so a reload or a
 * crash resumes too; Node keeps them in memory only), and a cache so the second visit downloads
 * nothing; when the storage is full the files still load, and the progress says which were not kept.
 * Errors are named: DownloadHttpError (404 …), DownloadNetworkError (offline, CORS refusal),
 * DownloadCancelledError, DownloadReadError (connection lost; resumable), ModelFileError (not ONNX),
 * ModelQuotaError (from the cache; the loader reports it as `notCached` instead of failing).
 */
import { concatBytes } from '../shared/bytes.ts';
import { checkRequestAgreed, foreignRequestOrigin, type RequestGuard } from './base-agreement.ts';
import { bodyChunks, DownloadHttpError, DownloadNetworkError, DownloadReadError } from './download.ts';
import {
  DOWNLOAD_PARTIALS, isQuotaError, isStrongValidator, ModelQuotaError, type ModelCache, type PartialDownload, type PartialVersion, type StoredPartial,
} from './model-cache.ts';
import { fileUrl, modelFiles, modelFileUrls, type ModelRef } from './model-files.ts';

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
  /** Files downloaded but not kept because the storage is full: the next visit downloads them again. */
  notCached: string[];
  /**
   * Files whose download goes on while the storage is too full to keep its bytes as they arrive:
   * a reload now would download them again from where their kept bytes stop. Absent when none.
   */
  notPersisted?: string[];
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
  /** What remains to download (files not cached, less the bytes kept from an interrupted download); null when a size is unknown. */
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
  /**
   * When present, every request (HEAD, download, resume) to an origin other than the page's
   * (`origin`), the hub's or `guard.agreedOrigin` is refused with BaseNotAgreedError before it is
   * sent (base-agreement.ts). The page's client and the worker always pass one; Node tools
   * fetching from a host they were given on the command line do not.
   */
  guard?: RequestGuard;
  /** Bytes kept from interrupted downloads, by URL (module-wide by default, see model-cache.ts). */
  partials?: Map<string, PartialDownload>;
  /** Bytes persisted at a time in `cache.partials` (PIECE_BYTES by default). */
  pieceBytes?: number;
  now?: () => number;
  /** Each download response's headers (e.g. the hub's `x-repo-commit`), by URL. */
  onResponse?: (url: string, headers: Headers) => void;
}

export interface LoadedModel {
  ref: ModelRef;
  /** Repository-relative path → bytes. */
  files: Map<string, Uint8Array>;
  /** Paths that came from the cache. */
  fromCache: string[];
  /** Bytes fetched over the network in this load. */
  downloadedBytes: number;
  /** Paths downloaded but not kept because the storage is full (their bytes are in `files`). */
  notCached: string[];
}

/**
 * A guarded request to an agreed foreign origin may not be redirected: the agreement is to that
 * origin, and following a 302 would send the request (and the visitor's address) to a third host
 * nobody agreed to, so the redirect fails the request instead. The page's origin and the hub keep
 * following (the hub's files sit behind a redirect to its CDN). Node tools (no guard) follow.
 */
function redirectFor(url: URL, opts: Pick<LoadOptions, 'origin' | 'guard'>): Pick<RequestInit, 'redirect'> {
  return opts.guard && foreignRequestOrigin(url, opts.origin) !== null ? { redirect: 'error' } : {};
}

async function doFetch(url: URL, init: RequestInit, opts: LoadOptions, received = 0): Promise<Response> {
  // Every network request of this module goes through here: the one place the agreement is checked.
  if (opts.guard) checkRequestAgreed(url, opts.origin, opts.guard);
  try {
    return await (opts.fetchImpl ?? fetch)(url, { mode: 'cors', ...init, ...redirectFor(url, opts), ...(opts.signal ? { signal: opts.signal } : {}) });
  } catch (e) {
    if (opts.signal?.aborted) throw new DownloadCancelledError(url.href, received);
    // fetch gives no detail on purpose: a CORS refusal and being offline look the same.
    throw new DownloadNetworkError(url.host, e instanceof Error ? e.message : String(e));
  }
}

/** Refuses a model on a host not agreed to as a whole, before its cache is read or anything is asked (doFetch checks each request again). */
function checkAgreed(urls: readonly { url: URL }[], opts: LoadOptions): void {
  if (opts.guard) for (const { url } of urls) checkRequestAgreed(url, opts.origin, opts.guard);
}

/** Size from HEAD: the hub's `x-linked-size` (the LFS file behind a redirect), else Content-Length. */
export async function headSize(url: URL, opts: Pick<LoadOptions, 'fetchImpl' | 'signal' | 'origin' | 'guard'> = {}): Promise<number | null> {
  const res = await doFetch(url, { method: 'HEAD' }, opts);
  if (!res.ok) throw new DownloadHttpError(res.status, res.statusText);
  const n = Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length'));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** What the model weighs and what remains to download, before downloading anything. */
export async function modelSize(ref: ModelRef, opts: LoadOptions = {}): Promise<ModelSize> {
  const listed = (await opts.cache?.list()) ?? [];
  const cachedSizes = new Map(listed.filter((f) => !f.partial).map((f) => [f.url, f.bytes]));
  // Bytes an interrupted download kept (a resume fetches only the rest, if the file did not change since).
  const partialSizes = new Map(listed.filter((f) => f.partial).map((f) => [f.url, f.bytes]));
  const files: FileSize[] = [];
  const urls = modelFileUrls(ref, opts.base, opts.origin);
  checkAgreed(urls, opts);
  for (const { path, url } of urls) {
    if (opts.signal?.aborted) throw new DownloadCancelledError(url.href, 0);
    const cached = cachedSizes.get(url.href);
    files.push({ path, url: url.href, bytes: cached ?? (await headSize(url, opts)), cached: cached !== undefined });
  }
  const sum = (list: FileSize[]): number | null => (list.some((f) => f.bytes === null) ? null : list.reduce((a, f) => a + (f.bytes ?? 0), 0));
  const left = (f: FileSize): FileSize => (f.bytes === null ? f : { ...f, bytes: Math.max(0, f.bytes - (partialSizes.get(f.url) ?? 0)) });
  return { files, total: sum(files), toDownload: sum(files.filter((f) => !f.cached).map(left)) };
}

/**
 * Whether `base` holds every model of `refs`: one HEAD each of the first file the loader reads
 * (config.json), answered as JSON. How the page finds that its own server serves a model folder
 * (`MODELS_DIR` at `/models/`); a static host answering every path with its index page (HTML), a
 * 404 or a network error all say no. Never throws.
 */
export async function modelsServedAt(refs: readonly ModelRef[], base: string, opts: Pick<LoadOptions, 'origin' | 'fetchImpl' | 'signal' | 'guard'> = {}): Promise<boolean> {
  const one = async (ref: ModelRef): Promise<boolean> => {
    try {
      const url = fileUrl(ref, modelFiles(ref)[0]!, base, opts.origin);
      // A host not agreed to is not asked (doFetch throws), so it holds nothing as far as the page knows.
      const res = await doFetch(url, { method: 'HEAD' }, opts);
      return res.ok && (res.headers.get('content-type') ?? '').includes('json');
    } catch {
      return false;
    }
  };
  return refs.length > 0 && (await Promise.all(refs.map(one))).every(Boolean);
}

/** `bytes N-M/T` → N, M and T (null for `*`); null when absent, malformed, or M before N or past T. */
export function parseContentRange(header: string | null): { start: number; end: number; total: number | null } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!m) return null;
  const range = { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
  return range.end < range.start || (range.total !== null && range.end >= range.total) ? null : range;
}

/**
 * What identifies a version of the file, sent back as If-Range: a strong ETag, else
 * Last-Modified; null when neither (a weak ETag never matches an If-Range, see isStrongValidator).
 */
function validatorOf(headers: Headers): string | null {
  const etag = headers.get('etag');
  return isStrongValidator(etag) ? etag : headers.get('last-modified');
}

/** Bytes of a download persisted at a time (see `PartialStore`): a crash loses at most this much. */
export const PIECE_BYTES = 4 * 1024 * 1024;

/** The bytes of `chunks` from `offset` on, as one array. */
function bytesFrom(chunks: readonly Uint8Array[], offset: number, length: number): Uint8Array {
  const tail: Uint8Array[] = [];
  let at = 0;
  for (const c of chunks) {
    if (at + c.length > offset) tail.push(at >= offset ? c : c.subarray(offset - at));
    at += c.length;
  }
  return concatBytes(tail, length - offset);
}

/** What a persisted partial read back is, as a kept partial. */
const asPartial = (p: StoredPartial): PartialDownload => ({ chunks: p.chunks, validator: p.validator, total: p.total, persisted: p.received });

const contentLength = (res: Response): number | null => {
  const header = res.headers.get('content-length');
  const n = Number(header);
  return header !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
};

/** What a response brings: the file's size (null when unknown), where its body ends, and the version its bytes are kept under. */
interface Reply {
  total: number | null;
  end: number | null;
  version: PartialVersion;
}

/**
 * A 206 that continues the kept bytes: it starts where they stop, its Content-Range agrees with
 * its Content-Length, and nothing says it is another version (size or validator). Its pieces are
 * kept under the kept version exactly, so every piece of the file reads back as one partial.
 * Null when it must not be appended.
 */
function continuation(res: Response, received: number, kept: PartialDownload): Reply | null {
  const range = parseContentRange(res.headers.get('content-range'));
  if (range === null || range.start !== received) return null;
  const length = contentLength(res);
  if (length !== null && length !== range.end - range.start + 1) return null;
  if (kept.total !== null && range.total !== null && range.total !== kept.total) return null;
  const validator = validatorOf(res.headers);
  if (kept.validator !== null && validator !== null && validator !== kept.validator) return null;
  const end = range.end + 1;
  const total = range.total ?? kept.total ?? end;
  if (end > total) return null;
  return { total, end, version: { validator: kept.validator, total: kept.total } };
}

/**
 * One file, resumed with a Range request (and If-Range with the kept validator) when bytes were
 * kept: in `partials` (this page's memory), else in the cache's `PartialStore` (a previous page).
 * A 206 appends only when it continues exactly where the kept bytes stop, from the same version of
 * the file; anything else (a 200, a 416, a 206 from elsewhere) drops them and starts again from
 * zero. A 206 that stops before the end of the file (a host may send a window) keeps its bytes and
 * is a DownloadReadError, resumable like a lost connection. The bytes are persisted every
 * `pieceBytes` as they arrive, and the rest when the download stops early, but only with a
 * validator: without one, a reload could not tell two versions of the same size apart, so such a
 * download resumes in this page's memory only. A full storage stops persisting (the download goes
 * on) and calls `onNotPersisted` once; pieces cleared meanwhile ("forget downloaded models") stop
 * it too, and nothing is kept. `onChunk(received, total)` after each chunk.
 */
export async function downloadFile(
  url: URL,
  opts: LoadOptions,
  onChunk: (received: number, total: number | null, resumed: number) => void,
  onNotPersisted?: () => void,
): Promise<Uint8Array> {
  const partials = opts.partials ?? DOWNLOAD_PARTIALS;
  const store = opts.cache?.partials;
  const forget = async (): Promise<void> => {
    partials.delete(url.href);
    // A piece that cannot be deleted is ignored by the next load once other bytes follow it; never fatal.
    await store?.delete(url.href).catch(() => undefined);
  };
  let inMemory = partials.get(url.href);
  if (inMemory && inMemory.chunks.length === 0 && (inMemory.persisted ?? 0) > 0) {
    // Only the version was held in memory: the bytes are in the store, read back below.
    partials.delete(url.href);
    inMemory = undefined;
  }
  const stored = inMemory || !store ? null : await store.load(url.href);
  const kept = inMemory ?? (stored ? asPartial(stored) : undefined);
  let chunks = kept?.chunks ?? [];
  let received = chunks.reduce((a, c) => a + c.length, 0);
  let persisted = Math.min(kept?.persisted ?? 0, received);
  if (kept && received > 0 && received === kept.total) {
    // Every byte arrived before (the page closed before the file was cached): a Range would get a 416.
    await forget();
    onChunk(received, received, received);
    return concatBytes(chunks, received);
  }
  const headers: Record<string, string> = {};
  if (received > 0) {
    headers['Range'] = `bytes=${received}-`;
    // Without If-Range a host whose file changed since would send the new file's tail.
    if (kept?.validator) headers['If-Range'] = kept.validator;
  }
  const res = await doFetch(url, received > 0 ? { headers } : {}, opts, received);
  if (res.ok) opts.onResponse?.(url.href, res.headers);
  const restart = async (): Promise<Uint8Array> => {
    await forget();
    return downloadFile(url, opts, onChunk, onNotPersisted);
  };
  if (res.status === 416 && received > 0) {
    // Nothing after what we have (the file was complete) or the file changed: start over.
    return restart();
  }
  if (!res.ok) throw new DownloadHttpError(res.status, res.statusText);
  let reply: Reply;
  if (res.status === 206) {
    const next = kept && received > 0 ? continuation(res, received, kept) : null;
    if (!next) {
      // Bytes from another offset or another version of the file: never stitch them on.
      await res.body?.cancel().catch(() => undefined);
      if (received > 0) return restart();
      throw new DownloadHttpError(res.status, 'partial content that was not asked for');
    }
    reply = next;
  } else {
    // A 200: the whole file, maybe another version; what was kept (here or persisted, including
    // pieces that did not follow on from byte 0) is of no use, and must not mix with the new pieces.
    await forget();
    chunks = [];
    received = 0;
    persisted = 0;
    const length = contentLength(res);
    const total = length !== null && length > 0 ? length : null;
    reply = { total, end: total, version: { validator: validatorOf(res.headers), total } };
  }
  const { total, end, version } = reply;
  const resumed = received;
  const pieceBytes = opts.pieceBytes ?? PIECE_BYTES;
  let persisting = store !== undefined && version.validator !== null;
  let forgotten = false;
  const persist = async (): Promise<void> => {
    if (!store || !persisting || received <= persisted) return;
    try {
      if (persisted > 0 && !(await store.has(url.href, 0))) {
        // The pieces were cleared meanwhile: one written now would start past byte 0 and never be read back.
        persisting = false;
        forgotten = true;
        return;
      }
      await store.append(url.href, persisted, bytesFrom(chunks, persisted, received), version);
      persisted = received;
    } catch (e) {
      // Full (or broken) storage: keep downloading; only a reload would lose what arrives from now on.
      persisting = false;
      if (e instanceof ModelQuotaError || isQuotaError(e)) onNotPersisted?.();
    }
  };
  const keep = async (): Promise<void> => {
    if (received === 0) return;
    await persist();
    if (forgotten) return;
    // All of it in the store: memory keeps only the version, and a retry reads the bytes back.
    partials.set(url.href, { chunks: store && persisted === received ? [] : chunks, ...version, persisted });
  };
  try {
    for await (const chunk of bodyChunks(res)) {
      chunks.push(chunk);
      received += chunk.length;
      onChunk(received, total, resumed);
      if (received - persisted >= pieceBytes) await persist();
    }
  } catch (e) {
    await keep();
    if (opts.signal?.aborted) throw new DownloadCancelledError(url.href, received);
    throw new DownloadReadError(`${url.href}: the connection was lost after ${received} bytes (${e instanceof Error ? e.message : String(e)}); downloading again resumes.`);
  }
  if (end !== null && received < end) {
    // The body ended early without an error: what arrived is good, keep it for the resume.
    await keep();
    if (opts.signal?.aborted) throw new DownloadCancelledError(url.href, received);
    throw new DownloadReadError(`${url.href}: the response ended after ${received} of ${end} bytes; downloading again resumes.`);
  }
  if (end !== null && received > end) {
    await forget();
    throw new DownloadReadError(`${url.href}: ${received} bytes arrived, ${end} were announced.`);
  }
  if (total !== null && received < total) {
    // A 206 that ends before the file does: never a short file; keep the bytes and resume from there.
    await keep();
    throw new DownloadReadError(`${url.href}: the host sent bytes up to ${received} of ${total}; downloading again resumes.`);
  }
  await forget();
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
  checkAgreed(urls, opts);
  const files = new Map<string, Uint8Array>();
  const fromCache: string[] = [];
  const notCached: string[] = [];
  const notPersisted: string[] = [];
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
  const partials = opts.partials ?? DOWNLOAD_PARTIALS;
  for (const { path, url } of pending) {
    // Cancelled between files (or while the sizes were asked, whose errors are swallowed above).
    if (opts.signal?.aborted) {
      const kept = partials.get(url.href);
      throw new DownloadCancelledError(url.href, Math.max(kept?.chunks.reduce((a, c) => a + c.length, 0) ?? 0, kept?.persisted ?? 0));
    }
    let fileFetched = 0;
    let last: ModelProgress | null = null;
    const tell = (p: ModelProgress): void => {
      last = p;
      opts.onProgress?.(notPersisted.length > 0 ? { ...p, notPersisted: [...notPersisted] } : p);
    };
    const bytes = await downloadFile(url, opts, (received, fileTotal, resumed) => {
      fileFetched = received - resumed;
      const fetched = downloadedBytes + fileFetched;
      const elapsed = (now() - started) / 1000;
      const rate = elapsed >= 0.2 ? fetched / elapsed : null;
      const overall = done + received;
      const etaS = rate && total !== null ? Math.max(0, (total - overall) / rate) : null;
      tell({ file: { path, received, total: fileTotal }, received: overall, total, rate, etaS, notCached: [...notCached] });
    }, () => {
      // Said once per file, at once (not at the next chunk), and carried by every later progress.
      notPersisted.push(path);
      tell(last ?? { file: { path, received: 0, total: null }, received: done, total, rate: null, etaS: null, notCached: [...notCached] });
    });
    checkFile(path, url, bytes);
    try {
      await opts.cache?.put(url, bytes);
    } catch (e) {
      if (!(e instanceof ModelQuotaError || isQuotaError(e))) throw e;
      // The storage is full: the bytes are good, so this load uses them rather than losing them
      // (and failing the same way on every retry); only the next visit downloads this file again.
      notCached.push(path);
      tell({ file: { path, received: bytes.length, total: bytes.length }, received: done + bytes.length, total, rate: null, etaS: null, notCached: [...notCached] });
    }
    files.set(path, bytes);
    done += bytes.length;
    downloadedBytes += fileFetched;
  }
  if (pending.length === 0) opts.onProgress?.({ file: { path: urls.at(-1)?.path ?? '', received: done, total: done }, received: done, total: done, rate: null, etaS: 0, notCached: [] });
  return { ref, files, fromCache, downloadedBytes, notCached };
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
