/**
 * A fake model host for the download tests: an injected fetch that honours Range and If-Range
 * like a real one (206, 416, a 200 when If-Range does not match; a weak ETag never matches, a
 * Last-Modified date does), with knobs to misbehave; and a fake Cache Storage.
 */
interface HostFile {
  bytes: Uint8Array;
  /** null: no ETag header. */
  etag: string | null;
  lastModified?: string;
}

export interface Host {
  fetchImpl: typeof fetch;
  requests: Headers[];
  files: Map<string, HostFile>;
  /** The next GET body stops after this many bytes (Content-Length still says the whole). */
  cutNext: number | null;
  /** Answer every Range with bytes from 0 (a broken proxy). */
  wrongRange: boolean;
  /** The next 206 sends only this many bytes, and says so (Content-Range and Content-Length agree). */
  windowNext: number | null;
  /** The next 206's Content-Length says this, whatever its Content-Range says. */
  lengthNext: number | null;
}

export function host(files: Map<string, HostFile>): Host {
  const h: Host = {
    files, requests: [], cutNext: null, wrongRange: false, windowNext: null, lengthNext: null,
    fetchImpl: async (input, init) => {
      const url = input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;
      const f = h.files.get(url);
      if (!f) return new Response('no', { status: 404 });
      const headers = new Headers(init?.headers);
      const common: Record<string, string> = { 'accept-ranges': 'bytes' };
      if (f.etag !== null) common['etag'] = f.etag;
      if (f.lastModified !== undefined) common['last-modified'] = f.lastModified;
      if (init?.method === 'HEAD') return new Response(null, { headers: { ...common, 'content-length': String(f.bytes.length) } });
      h.requests.push(headers);
      const m = /^bytes=(\d+)-$/.exec(headers.get('range') ?? '');
      const ifRange = headers.get('if-range');
      const strongEtag = f.etag !== null && !f.etag.startsWith('W/') ? f.etag : undefined;
      let start = m && (ifRange === null || ifRange === strongEtag || ifRange === f.lastModified) ? Number(m[1]) : null;
      if (start !== null && start >= f.bytes.length) {
        return new Response(null, { status: 416, headers: { ...common, 'content-range': `bytes */${f.bytes.length}` } });
      }
      if (start !== null && h.wrongRange) start = 0;
      const from = start ?? 0;
      let last = f.bytes.length - 1;
      if (start !== null && h.windowNext !== null) {
        last = Math.min(last, from + h.windowNext - 1);
        h.windowNext = null;
      }
      let body = f.bytes.slice(from, last + 1);
      let length = body.length;
      if (start !== null && h.lengthNext !== null) {
        length = h.lengthNext;
        h.lengthNext = null;
      }
      if (h.cutNext !== null) {
        body = body.slice(0, h.cutNext);
        h.cutNext = null;
      }
      const rangeHeaders: Record<string, string> = start === null ? {} : { 'content-range': `bytes ${from}-${last}/${f.bytes.length}` };
      return new Response(body, { status: start === null ? 200 : 206, headers: { ...common, ...rangeHeaders, 'content-length': String(length) } });
    },
  };
  return h;
}

interface Entry {
  bytes: Uint8Array;
  headers: Headers;
}

/** Cache Storage in memory, one quota over every cache: entries are kept as bytes so every match gives a fresh body. */
export function fakeCaches(quotaBytes = Infinity) {
  const stores = new Map<string, Map<string, Entry>>();
  const used = (): number => [...stores.values()].flatMap((m) => [...m.values()]).reduce((a, e) => a + e.bytes.length, 0);
  const keyOf = (req: RequestInfo | URL): string => (typeof req === 'string' ? req : req instanceof URL ? req.href : req.url);
  const cache = (entries: Map<string, Entry>) =>
    ({
      async match(req: RequestInfo | URL) {
        const e = entries.get(keyOf(req));
        return e ? new Response(e.bytes.slice(), { headers: e.headers }) : undefined;
      },
      async put(req: RequestInfo | URL, res: Response) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (used() + bytes.length > quotaBytes) throw new DOMException('quota', 'QuotaExceededError');
        entries.set(keyOf(req), { bytes, headers: res.headers });
      },
      async delete(req: RequestInfo | URL) {
        return entries.delete(keyOf(req));
      },
      async keys() {
        return [...entries.keys()].map((u) => new Request(u));
      },
    }) as unknown as Cache;
  const storage = {
    async open(name: string) {
      if (!stores.has(name)) stores.set(name, new Map());
      return cache(stores.get(name)!);
    },
    async delete(name: string) {
      return stores.delete(name);
    },
  } as unknown as CacheStorage;
  return { storage, stores, used };
}
