/**
 * Who may read the API from another site: the open dataset is readable from any origin (GET and
 * HEAD, and the preflight a browser sends before a conditional GET), never writable from one.
 * Writes get no CORS headers and their preflight is refused, so a browser on another site can
 * neither upload nor withdraw. The power sensors are this machine's business and the classes one
 * lesson's: same-origin only (server/power/routes.ts also checks the peer).
 */
import type { MiddlewareHandler } from 'hono';
import { SCHEMA_VERSION_HEADER } from '../src/shared/dataset.ts';
import type { ApiError } from '../src/shared/dataset.ts';
import { SCHEMA_VERSION } from '../src/shared/result.ts';

const READ_METHODS = ['GET', 'HEAD'] as const;
/** Request headers a cross-origin read may send beyond the safelisted ones (revalidation). */
const READ_REQUEST_HEADERS = 'If-None-Match';
/** What a script elsewhere may read of an answer: revalidation, download name, schema version. */
const EXPOSED_HEADERS = `ETag, Content-Disposition, ${SCHEMA_VERSION_HEADER}`;
const PREFLIGHT_MAX_AGE_S = '86400';

const PRIVATE_PREFIXES = ['/api/power', '/api/classes'] as const;

/**
 * The dataset's read API, as opposed to the SPA's files, health, the power sensors (this
 * machine's) and the classes (one lesson's pooled figures, for the teacher's own page).
 */
export const isPublicApiPath = (path: string): boolean =>
  path.startsWith('/api/') && !PRIVATE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

const isReadMethod = (m: string): boolean => (READ_METHODS as readonly string[]).includes(m.toUpperCase());

export function corsPolicy(): MiddlewareHandler {
  return async (c, next) => {
    const publicApi = isPublicApiPath(c.req.path);
    if (c.req.method === 'OPTIONS' && publicApi) {
      const asked = c.req.header('access-control-request-method') ?? '';
      if (!isReadMethod(asked)) {
        // A refused preflight: no Access-Control-Allow-* header, so the browser never sends the write.
        const body: ApiError = { error: 'cross-origin requests may only read (GET, HEAD)' };
        return c.json(body, 403);
      }
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Access-Control-Allow-Methods', READ_METHODS.join(', '));
      c.header('Access-Control-Allow-Headers', READ_REQUEST_HEADERS);
      c.header('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      return c.body(null, 204);
    }
    await next();
    const publicRead = publicApi && isReadMethod(c.req.method);
    c.res.headers.set('Cross-Origin-Resource-Policy', publicRead ? 'cross-origin' : 'same-origin');
    if (publicRead) {
      c.res.headers.set('Access-Control-Allow-Origin', '*');
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      c.res.headers.set(SCHEMA_VERSION_HEADER, String(SCHEMA_VERSION));
    }
    return undefined;
  };
}
