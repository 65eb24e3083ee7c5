/**
 * Where downloaded model files are kept between visits: Cache Storage in the browser (keyed by
 * URL, so a hub file and the same file from the class server are two entries), or any other
 * implementation of `ModelCache` (tests use the in-memory one; Node has no Cache Storage).
 * The page lists what is kept, with sizes, and can forget it all: the finished files and the
 * bytes of interrupted downloads (in memory so a retry in the same tab resumes, and in the
 * browser, see `PartialStore` below, so a reload resumes too).
 */

export interface CachedFile {
  url: string;
  bytes: number;
  /** The bytes of an interrupted download of `url`, kept so the next load resumes (not a usable file). */
  partial?: true;
}

export interface ModelCache {
  get(url: URL): Promise<Uint8Array | null>;
  /** ModelQuotaError when the storage is full. */
  put(url: URL, bytes: Uint8Array): Promise<void>;
  list(): Promise<CachedFile[]>;
  /** Forget every downloaded model file, and the bytes of interrupted downloads. */
  clear(): Promise<void>;
  /** Where interrupted downloads are persisted so a reload resumes; absent: in memory only (Node). */
  partials?: PartialStore;
}

/**
 * The bytes received before a cancel or a broken connection, with what identifies the version
 * of the file they came from, so a resume never stitches two versions together.
 */
export interface PartialDownload {
  chunks: Uint8Array[];
  /** The response's ETag, else its Last-Modified (sent back as If-Range); null when neither. */
  validator: string | null;
  /** The whole file's size as the first response gave it; null when unknown. */
  total: number | null;
  /**
   * How many of these bytes, from byte 0, are in the cache's `PartialStore` (0 when absent). With
   * `chunks` empty and `persisted` > 0, every byte is in the store and none is held here (a
   * cancelled 500 MB download need not stay in memory): the retry reads them back from the store.
   */
  persisted?: number;
}

/** Interrupted downloads by URL, module-wide unless a caller brings its own map. */
export const DOWNLOAD_PARTIALS = new Map<string, PartialDownload>();

/** The browser (or the disk) has no room left for the file. */
export class ModelQuotaError extends Error {
  override name = 'ModelQuotaError';
  constructor(readonly url: string, readonly bytes: number) {
    super(`No room left to keep ${url} (${bytes} bytes): free some space, or forget downloaded models.`);
  }
}

/**
 * Whether `v` can go back as If-Range: RFC 9110 allows only a strong validator there, so a weak
 * ETag (`W/"…"`) never matches, and a host answers the whole file to every resume.
 */
export const isStrongValidator = (v: string | null): v is string => v !== null && v !== '' && !v.startsWith('W/');

export const isQuotaError = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'name' in e && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED');

export function memoryModelCache(opts: { quotaBytes?: number; partials?: Map<string, PartialDownload> } = {}): ModelCache {
  const files = new Map<string, Uint8Array>();
  const used = (): number => [...files.values()].reduce((a, b) => a + b.length, 0);
  return {
    async get(url) {
      return files.get(url.href) ?? null;
    },
    async put(url, bytes) {
      if (opts.quotaBytes !== undefined && used() + bytes.length > opts.quotaBytes) throw new ModelQuotaError(url.href, bytes.length);
      files.set(url.href, bytes);
    },
    async list() {
      return [...files].map(([url, b]) => ({ url, bytes: b.length }));
    },
    async clear() {
      files.clear();
      (opts.partials ?? DOWNLOAD_PARTIALS).clear();
    },
  };
}

export const MODEL_CACHE_NAME = 'frugal-ai-lab-models-v1';

/** Cache Storage (page or worker). Reading a 500 MB entry back costs one copy into memory. */
export function cacheStorageModelCache(
  storage: CacheStorage = caches,
  name = MODEL_CACHE_NAME,
  partials: Map<string, PartialDownload> = DOWNLOAD_PARTIALS,
  partialsName = PARTIALS_CACHE_NAME,
): ModelCache {
  const open = (): Promise<Cache> => storage.open(name);
  const store = cacheStoragePartials(storage, partialsName);
  return {
    partials: store,
    async get(url) {
      const res = await (await open()).match(url.href);
      return res ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    async put(url, bytes) {
      await putBytes(await open(), url.href, bytes, url.href);
    },
    async list() {
      const cache = await open();
      const out: CachedFile[] = [];
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        const declared = Number(res?.headers.get('content-length'));
        out.push({ url: req.url, bytes: Number.isFinite(declared) && declared > 0 ? declared : ((await res?.arrayBuffer())?.byteLength ?? 0) });
      }
      // Interrupted downloads take room too, as far as a resume would use them; a URL already
      // finished is listed once (its leftover pieces, if a delete failed, are not a second file).
      const finished = new Set(out.map((f) => f.url));
      return [...out, ...(await store.list()).filter((f) => !finished.has(f.url))];
    },
    async clear() {
      partials.clear();
      await storage.delete(name);
      await store.clear();
    },
  };
}

/*
 * The bytes of interrupted downloads, persisted as they arrive so that a reload (or a crash)
 * resumes instead of starting 500 MB again. Kept in Cache Storage under their own cache name,
 * beside the finished files, and not in OPFS: Cache Storage is reachable from the page as well as
 * the worker (the page lists the sizes and "forget downloaded models" clears them there), it has
 * no exclusive lock (OPFS's synchronous handles, the only fast way to append, lock a file to one
 * worker, so two tabs would collide), it is the storage the finished files already use (one quota,
 * one failure mode), and it exists in every browser with WebGPU.
 *
 * A Cache Storage entry cannot be appended to, so a partial is a series of pieces, each its own
 * entry holding the bytes from `at` on, with the URL, the file's validator and size in its key and
 * headers: every piece describes itself, so a crash between two writes leaves a consistent
 * partial (the pieces written so far), and reading one back takes the pieces that follow each
 * other from byte 0 for a single version of the file. Only pieces with a strong validator are
 * read back (model-download.ts persists no others): with neither ETag nor Last-Modified, two
 * versions of the same size would look alike across a reload.
 */

/** What identifies the version of the file a partial came from (see model-download.ts). */
export interface PartialVersion {
  /** The response's ETag, else its Last-Modified; null when neither. */
  validator: string | null;
  /** The whole file's size; null when unknown. */
  total: number | null;
}

/** A partial read back: its pieces in order from byte 0, all of one version. */
export interface StoredPartial extends PartialVersion {
  chunks: Uint8Array[];
  received: number;
}

export interface PartialStore {
  /** The persisted bytes of `url` from byte 0, or null when none (or unreadable). */
  load(url: string): Promise<StoredPartial | null>;
  /** Keeps `bytes` as the piece of `url` that starts at byte `at`; ModelQuotaError when the storage is full. */
  append(url: string, at: number, bytes: Uint8Array, version: PartialVersion): Promise<void>;
  /** Whether a piece of `url` starts at byte `at` (a download checks that nobody cleared its pieces). */
  has(url: string, at: number): Promise<boolean>;
  /** Drops every piece of `url` (finished, or another version of the file arrived). */
  delete(url: string): Promise<void>;
  /**
   * One entry per URL with the bytes a resume would use (what `load` would read back), `partial:
   * true`, from the pieces' headers only; pieces that would not be read back are not counted.
   */
  list(): Promise<CachedFile[]>;
  clear(): Promise<void>;
}

export const PARTIALS_CACHE_NAME = 'frugal-ai-lab-partials-v1';

/** Keys of pieces: never fetched, only a name in the cache (Cache Storage wants http(s) URLs). */
const PIECE_BASE = 'https://partial-downloads.invalid/piece';
const pieceKey = (url: string, at: number): string => `${PIECE_BASE}?${new URLSearchParams({ url, at: String(at) }).toString()}`;

function parsePieceKey(key: string): { url: string; at: number } | null {
  if (!key.startsWith(`${PIECE_BASE}?`)) return null;
  const params = new URL(key).searchParams;
  const url = params.get('url');
  const at = Number(params.get('at'));
  return url !== null && Number.isSafeInteger(at) && at >= 0 ? { url, at } : null;
}

const totalOf = (header: string | null): number | null => {
  const n = Number(header);
  return header !== null && Number.isFinite(n) && n > 0 ? n : null;
};

const versionOf = (h: Headers): PartialVersion => ({ validator: h.get('x-validator'), total: totalOf(h.get('x-total')) });
const sameVersion = (a: PartialVersion, b: PartialVersion): boolean => a.validator === b.validator && a.total === b.total;

/** Stores bytes under `key` as an octet-stream response; a full storage is ModelQuotaError for `quotaUrl`. */
async function putBytes(cache: Cache, key: string, bytes: Uint8Array, quotaUrl: string, headers: Record<string, string> = {}): Promise<void> {
  try {
    await cache.put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length), ...headers } }));
  } catch (e) {
    if (isQuotaError(e)) throw new ModelQuotaError(quotaUrl, bytes.length);
    throw e;
  }
}

/**
 * The pieces of one file (sorted by offset) that a resume would use: those that follow each other
 * from byte 0, the first with a strong validator (else none at all), the rest of its version, none
 * empty. `read` gives a piece's size and what to keep of it. Null when nothing is usable. One walk
 * for `load` (which reads the bytes) and `list` (which trusts the declared lengths).
 */
async function usablePieces<T>(cache: Cache, pieces: readonly { key: Request; at: number }[], read: (res: Response) => Promise<{ bytes: number; value: T }>): Promise<{ values: T[]; received: number; version: PartialVersion } | null> {
  const values: T[] = [];
  let received = 0;
  let version: PartialVersion | null = null;
  for (const piece of pieces) {
    if (piece.at !== received) continue;
    const res = await cache.match(piece.key);
    if (!res) continue;
    const v = versionOf(res.headers);
    if (!version && !isStrongValidator(v.validator)) return null;
    if (version && !sameVersion(v, version)) continue;
    const r = await read(res);
    if (r.bytes <= 0) continue;
    version ??= v;
    values.push(r.value);
    received += r.bytes;
  }
  return version && received > 0 ? { values, received, version } : null;
}

export function cacheStoragePartials(storage: CacheStorage = caches, name = PARTIALS_CACHE_NAME): PartialStore {
  const open = (): Promise<Cache> => storage.open(name);
  const piecesOf = async (cache: Cache, url: string | null): Promise<{ key: Request; url: string; at: number }[]> => {
    const out: { key: Request; url: string; at: number }[] = [];
    for (const key of await cache.keys()) {
      const p = parsePieceKey(key.url);
      if (p && (url === null || p.url === url)) out.push({ key, ...p });
    }
    return out.sort((a, b) => a.at - b.at);
  };
  return {
    async load(url) {
      try {
        const cache = await open();
        const walked = await usablePieces(cache, await piecesOf(cache, url), async (res) => {
          const bytes = new Uint8Array(await res.arrayBuffer());
          return { bytes: bytes.length, value: bytes };
        });
        return walked && { chunks: walked.values, received: walked.received, ...walked.version };
      } catch {
        // Storage that cannot be read is no partial: the download starts from zero, as before.
        return null;
      }
    },
    async append(url, at, bytes, version) {
      const headers: Record<string, string> = {};
      if (version.validator !== null) headers['x-validator'] = version.validator;
      if (version.total !== null) headers['x-total'] = String(version.total);
      await putBytes(await open(), pieceKey(url, at), bytes, url, headers);
    },
    async has(url, at) {
      return (await (await open()).match(pieceKey(url, at))) !== undefined;
    },
    async delete(url) {
      const cache = await open();
      for (const piece of await piecesOf(cache, url)) await cache.delete(piece.key);
    },
    async list() {
      const cache = await open();
      // What `load` would read back, walked the same way, but from the headers (no 500 MB read to list sizes).
      const byUrl = new Map<string, { key: Request; at: number }[]>();
      for (const piece of await piecesOf(cache, null)) byUrl.set(piece.url, [...(byUrl.get(piece.url) ?? []), piece]);
      const out: CachedFile[] = [];
      for (const [url, pieces] of byUrl) {
        const walked = await usablePieces(cache, pieces, async (res) => {
          const declared = Number(res.headers.get('content-length'));
          return { bytes: Number.isSafeInteger(declared) ? declared : 0, value: null };
        });
        if (walked) out.push({ url, bytes: walked.received, partial: true });
      }
      return out;
    },
    async clear() {
      await storage.delete(name);
    },
  };
}
