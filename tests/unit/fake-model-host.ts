/**
 * A fake model host for the download tests: an injected fetch that honours Range and If-Range
 * like a real one (206, 416, a 200 when If-Range does not match), with knobs to misbehave.
 */
interface HostFile {
  bytes: Uint8Array;
  etag: string;
}

export interface Host {
  fetchImpl: typeof fetch;
  requests: Headers[];
  files: Map<string, HostFile>;
  /** The next GET body stops after this many bytes (Content-Length still says the whole). */
  cutNext: number | null;
  /** Answer every Range with bytes from 0 (a broken proxy). */
  wrongRange: boolean;
}

export function host(files: Map<string, HostFile>): Host {
  const h: Host = {
    files, requests: [], cutNext: null, wrongRange: false,
    fetchImpl: async (input, init) => {
      const url = input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;
      const f = h.files.get(url);
      if (!f) return new Response('no', { status: 404 });
      const headers = new Headers(init?.headers);
      const common = { etag: f.etag, 'accept-ranges': 'bytes' };
      if (init?.method === 'HEAD') return new Response(null, { headers: { ...common, 'content-length': String(f.bytes.length) } });
      h.requests.push(headers);
      const m = /^bytes=(\d+)-$/.exec(headers.get('range') ?? '');
      const ifRange = headers.get('if-range');
      let start = m && (ifRange === null || ifRange === f.etag) ? Number(m[1]) : null;
      if (start !== null && start >= f.bytes.length) {
        return new Response(null, { status: 416, headers: { ...common, 'content-range': `bytes */${f.bytes.length}` } });
      }
      if (start !== null && h.wrongRange) start = 0;
      const from = start ?? 0;
      let body = f.bytes.slice(from);
      const length = body.length;
      if (h.cutNext !== null) {
        body = body.slice(0, h.cutNext);
        h.cutNext = null;
      }
      const rangeHeaders: Record<string, string> = start === null ? {} : { 'content-range': `bytes ${from}-${f.bytes.length - 1}/${f.bytes.length}` };
      return new Response(body, { status: start === null ? 200 : 206, headers: { ...common, ...rangeHeaders, 'content-length': String(length) } });
    },
  };
  return h;
}
