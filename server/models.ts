/**
 * A local model folder (`MODELS_DIR`) served under `/models/`, laid out like the hub
 * (`<owner>/<name>/onnx/model_q4f16.onnx`, as `npm run models:fetch` writes it), so that a whole
 * class downloads the real models once, from the teacher's machine, and not from the internet.
 *
 * GET and HEAD with an exact Content-Length, single byte ranges (206, or 416 when unsatisfiable)
 * so that an interrupted download resumes, and a strong ETag from size and modification time (in
 * ms) so a resume never stitches two versions of a file together (If-Range, which a weak ETag
 * never satisfies). Paths never leave the folder: dot segments, backslashes, encoded separators
 * and hidden files are refused.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
};

/** Model files do not change under a given path while a class downloads them; an hour is safe. */
const MODELS_CACHE = 'public, max-age=3600';

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range of a file of `size` bytes; null for none or several. */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** The file under `root` for a request path below the mount, or null when it would escape or hide. */
export function modelFilePath(root: string, rel: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (rel.includes('%2f') || rel.includes('%2F') || rel.includes('%5c') || rel.includes('%5C') || decoded.includes('\\') || decoded.includes('\0')) return null;
  const parts = decoded.split('/').filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '..' || p.startsWith('.'))) return null;
  const full = resolve(root, ...parts);
  return full.startsWith(resolve(root) + sep) ? full : null;
}

export function modelsRoutes(dir: string): Hono {
  const root = resolve(dir);
  const app = new Hono();
  app.on(['GET', 'HEAD'], '/*', async (c) => {
    const rel = c.req.path.replace(/^\/models/, '');
    const path = modelFilePath(root, rel);
    const info = path ? await stat(path).catch(() => null) : null;
    if (!path || !info?.isFile()) return c.text('no such model file', 404);
    const size = info.size;
    const etag = `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      'Cache-Control': MODELS_CACHE,
      ETag: etag,
    };
    const ifRange = c.req.header('if-range');
    let range = parseRange(c.req.header('range'), size);
    if (ifRange !== undefined && ifRange !== etag) range = null;
    if (range === 'unsatisfiable') {
      return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } });
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = size === 0 ? 0 : end - start + 1;
    headers['Content-Length'] = String(length);
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    const status = range ? 206 : 200;
    if (c.req.method === 'HEAD' || length === 0) return new Response(null, { status, headers });
    const body = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>;
    return new Response(body, { status, headers });
  });
  return app;
}
