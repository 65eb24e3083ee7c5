/**
 * Serving the built SPA from `dist/` with Hono's `serveStatic` (no path escapes: it refuses dot
 * segments, backslashes and encoded separators; HEAD and Range requests), plus what we add on
 * top of it in `onFound`:
 *   - caching: hashed files under `assets/` for a year, everything else revalidated (`no-cache`),
 *     so a new build is picked up at once while its assets are fetched once;
 *   - MIME types Hono's table lacks: `.wgsl` kernels as text. onnxruntime-web needs
 *     application/wasm (streaming compilation) and text/javascript for its .mjs loader, which
 *     Hono's table already gives.
 */
import { extname, relative, sep } from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

const MIME_OVERRIDES: Record<string, string> = {
  '.wgsl': 'text/plain; charset=utf-8',
};

export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
export const REVALIDATE_CACHE = 'no-cache';

export interface StaticHandlers {
  /** The file at the request path, or next(). */
  files: MiddlewareHandler;
  /** `index.html`, whatever the path (the SPA's hash routes), or next(). */
  index: MiddlewareHandler;
}

export function staticHandlers(root: string): StaticHandlers {
  const onFound = (path: string, c: Context) => {
    const immutable = relative(root, path).startsWith(`assets${sep}`);
    c.header('Cache-Control', immutable ? IMMUTABLE_CACHE : REVALIDATE_CACHE);
    const mime = MIME_OVERRIDES[extname(path).toLowerCase()];
    if (mime) c.header('Content-Type', mime);
  };
  // serveStatic complains on the console when its root does not exist yet (a server started
  // before the first build, the API tests): create the handlers on first use instead.
  let made: StaticHandlers | null = null;
  const make = (): StaticHandlers => (made ??= {
    files: serveStatic({ root, onFound }),
    index: serveStatic({ root, path: 'index.html', onFound }),
  });
  return {
    files: (c, next) => make().files(c, next),
    index: (c, next) => make().index(c, next),
  };
}
