/**
 * Serving the built SPA from `dist/`: explicit MIME types (onnxruntime-web needs
 * application/wasm for streaming compilation and text/javascript for its .mjs loader), no path
 * escapes out of the directory, and hashed assets cached for a year.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.onnx': 'application/octet-stream',
};

export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A file response, or null when the path is not a file inside `root`. */
export function staticResponse(root: string, urlPath: string): Response | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, `.${rel.endsWith('/') ? `${rel}index.html` : rel}`);
  if (file !== base && !file.startsWith(base + sep)) return null;
  if (!existsSync(file)) return null;
  const st = statSync(file);
  if (!st.isFile()) return null;
  const immutable = file.includes(`${sep}assets${sep}`);
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      'content-type': mimeType(file),
      'content-length': String(st.size),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
  });
}
