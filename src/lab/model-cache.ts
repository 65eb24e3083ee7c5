/**
 * Where downloaded model files are kept between visits: Cache Storage in the browser (keyed by
 * URL, so a hub file and the same file from the class server are two entries), or any other
 * implementation of `ModelCache` (tests use the in-memory one; Node has no Cache Storage).
 * The page lists what is kept, with sizes, and can forget it all: the finished files and the
 * bytes of interrupted downloads (kept in memory so a retry resumes).
 */

export interface CachedFile {
  url: string;
  bytes: number;
}

export interface ModelCache {
  get(url: URL): Promise<Uint8Array | null>;
  /** ModelQuotaError when the storage is full. */
  put(url: URL, bytes: Uint8Array): Promise<void>;
  list(): Promise<CachedFile[]>;
  /** Forget every downloaded model file, and the bytes of interrupted downloads. */
  clear(): Promise<void>;
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
): ModelCache {
  const open = (): Promise<Cache> => storage.open(name);
  return {
    async get(url) {
      const res = await (await open()).match(url.href);
      return res ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    async put(url, bytes) {
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) };
      try {
        await (await open()).put(url.href, new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
      } catch (e) {
        if (isQuotaError(e)) throw new ModelQuotaError(url.href, bytes.length);
        throw e;
      }
    },
    async list() {
      const cache = await open();
      const out: CachedFile[] = [];
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        const declared = Number(res?.headers.get('content-length'));
        out.push({ url: req.url, bytes: Number.isFinite(declared) && declared > 0 ? declared : ((await res?.arrayBuffer())?.byteLength ?? 0) });
      }
      return out;
    },
    async clear() {
      partials.clear();
      await storage.delete(name);
    },
  };
}
