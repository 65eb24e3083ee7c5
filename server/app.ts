/**
 * The results server: the open-dataset API plus the built SPA, on Hono + Node (see
 * docs/ARCHITECTURE.md and server/README.md).
 *
 * Privacy: the peer address is used only, in memory, as an HMAC input for rate limiting; logs
 * carry method, route pattern, status and duration, never an address, a user agent or a body.
 */
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Context } from 'hono';
import { serve } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { verifyEnergy } from '../src/shared/recompute.ts';
import { anonymize, parseResult } from '../src/shared/schema.ts';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, MAX_BODY_BYTES } from '../src/shared/dataset.ts';
import type { ApiError } from '../src/shared/dataset.ts';
import { csvHeader, csvLines, jsonlLine } from '../src/shared/export.ts';
import { openDb } from './db.ts';
import type { Db } from './db.ts';
import type { Queryable } from './queryable.ts';
import { measuredProfilesReader } from './measured-profiles.ts';
import { DATASET_CACHE_CONTROL } from './http-cache.ts';
import { exportResponse, listResponse, resultResponse, snapshotFileResponse, snapshotListResponse, statsResponse } from './dataset-reads.ts';
import { scheduleSnapshots } from './snapshot.ts';
import { corsPolicy } from './cors.ts';
import { openApiDocument } from './openapi.ts';
import { ResultStore } from './store.ts';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limit.ts';
import type { RateLimitConfig } from './rate-limit.ts';
import { staticHandlers } from './static.ts';
import { BodyReadError, declaredLength, readBody, settleBody } from './body.ts';
import { detectSensors, powerRoutes, type PowerOptions } from './power/routes.ts';
import { modelsRoutes } from './models.ts';
import { classRoutes } from './classes.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  staticDir?: string;
  log?: boolean;
  /** Write rate limit per client; `false` disables it (load benchmark only). */
  rateLimit?: RateLimitConfig | false;
  /** Power sensors (server/power/): detected at start unless `false`; options point tests at fakes. */
  power?: PowerOptions | false;
  /** Where daily snapshots are published and written once a day; none when absent. */
  snapshotDir?: string;
  /** A local model folder served under /models/ (MODELS_DIR; see server/models.ts). */
  modelsDir?: string;
  /**
   * Serve HTTPS with this certificate and key (PEM; TLS_CERT and TLS_KEY name the files). Browsers
   * give WebGPU only to secure contexts, so a class whose devices open the teacher's machine by its
   * network address needs it (loopback counts as secure, a LAN address over plain http does not).
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The app's Content Security Policy: same-origin everything, WASM compilation, blob: workers.
 * connect-src also allows any https: origin because #/model loads an ONNX model from a URL the
 * user types (fetch from the worker); plain http: and other schemes stay blocked.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  workerSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'", 'https:'],
  imgSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
} satisfies NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy'];

type Logger = (event: Record<string, unknown>) => void;

type Env = { Bindings: HttpBindings };

function jsonError(c: Context<Env>, status: 400 | 403 | 404 | 413 | 415 | 422 | 429 | 500 | 503, error: string, issues?: string[]) {
  const body: ApiError = issues ? { error, issues } : { error };
  return c.json(body, status);
}

export function createApp(store: ResultStore, opts: { staticDir: string; rateLimit: RateLimitConfig | false; log: Logger; dbKind: Db['kind']; db: Queryable & Pick<Db, 'transaction'>; snapshotDir: string | null; power?: Hono<{ Bindings: HttpBindings }>; modelsDir?: string }) {
  const app = new Hono<Env>();
  const limiter = opts.rateLimit ? new RateLimiter(opts.rateLimit) : null;

  // Structured access log; `routePath` is the pattern (/api/results/:id), not the concrete URL.
  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    opts.log({ msg: 'request', method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round((performance.now() - start) * 10) / 10 });
  });

  // Whatever the answer, the request body must be read to its end (bounded) before the socket
  // can carry another request; if it cannot be, the answer says so (see body.ts).
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return;
    if ((await settleBody(c.env.incoming)) === 'abandoned') c.res.headers.set('Connection', 'close');
  });

  // Security headers on every response. COOP/COEP give the app cross-origin isolation
  // (onnxruntime-web threads). No HSTS: TLS is the reverse proxy's business, not ours.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      crossOriginOpenerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: 'require-corp',
      // Set below: it depends on the route, which secureHeaders cannot express.
      crossOriginResourcePolicy: false,
      xContentTypeOptions: 'nosniff',
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      strictTransportSecurity: false,
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    }),
  );

  // Any origin may read the dataset, none may write to it (cors.ts); every public read says its schema version.
  app.use('*', corsPolicy());

  const writeLimit = async (c: Context<Env>, next: () => Promise<void>) => {
    if (limiter) {
      const peer = getConnInfo(c).remote.address ?? 'unknown';
      const d = limiter.take(peer);
      if (!d.allowed) {
        c.header('Retry-After', String(d.retryAfterS));
        return jsonError(c, 429, `too many uploads from this client; retry in ${d.retryAfterS} s`);
      }
    }
    await next();
    return undefined;
  };

  app.get('/healthz', async (c) => {
    try {
      await store.count();
      return c.json({ ok: true, db: opts.dbKind });
    } catch (e) {
      opts.log({ msg: 'healthz: database unreachable', level: 'error', error: e instanceof Error ? e.name : 'unknown', detail: e instanceof Error ? e.message : String(e) });
      return c.json({ ok: false, db: opts.dbKind }, 503);
    }
  });

  app.post('/api/results', writeLimit, async (c) => {
    const tooLarge = () => jsonError(c, 413, `payload too large: the limit is ${MAX_BODY_BYTES} bytes`);
    const declared = declaredLength(c.env.incoming);
    if (declared !== null && declared > MAX_BODY_BYTES) return tooLarge();
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) return jsonError(c, 415, 'content-type must be application/json');
    const body = await readBody(c.env.incoming, MAX_BODY_BYTES);
    if (body.kind === 'too-large') return tooLarge();
    let input: unknown;
    try {
      // TextDecoder, like Request.text(): invalid UTF-8 becomes U+FFFD and a BOM is dropped.
      input = JSON.parse(new TextDecoder().decode(body.bytes));
    } catch {
      return jsonError(c, 400, 'body is not valid JSON');
    }
    const idempotencyKey = c.req.header(IDEMPOTENCY_KEY_HEADER) ?? null;
    if (idempotencyKey !== null && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
      return jsonError(c, 400, `${IDEMPOTENCY_KEY_HEADER} must be 22 to 128 characters among A-Z a-z 0-9 _ -`);
    }
    const parsed = parseResult(input);
    if (!parsed.ok) return jsonError(c, 422, 'invalid or implausible result document', parsed.issues);
    // Anonymize on the server too: a client that skipped it must not get identifying fields in.
    const doc = anonymize(parsed.value);
    // The open dataset holds no energy figure that its own inputs do not reproduce.
    const energyIssues = verifyEnergy(doc);
    if (energyIssues.length > 0) return jsonError(c, 422, 'energy figures do not match their recomputation from the document', energyIssues);
    // 201 new row; 200 same content (with a fresh token only when the idempotency key matches).
    const outcome = await store.insert(doc, { idempotencyKey });
    return outcome.duplicate ? c.json(outcome, 200) : c.json(outcome, 201);
  });

  // The filtered, keyset-paginated listing (dataset-reads.ts: the exports' filter parser).
  app.get('/api/results', (c) => listResponse(c.req, opts.db));

  app.get('/api/results/:id', async (c) => resultResponse(c.req, await store.get(c.req.param('id') ?? '')));

  app.delete('/api/results/:id', writeLimit, async (c) => {
    const auth = c.req.header('authorization') ?? '';
    // Header only, never `?token=`: a URL lands in access logs, proxy logs and browser history.
    const token = auth.match(/^Bearer\s+([A-Za-z0-9_-]{1,128})$/)?.[1] ?? '';
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(token)) return jsonError(c, 403, 'a deletion token is required (Authorization: Bearer <token>)');
    const outcome = await store.remove(c.req.param('id') ?? '', token);
    switch (outcome) {
      case 'deleted':
        return c.body(null, 204);
      case 'not-found':
        return jsonError(c, 404, 'no result with this id (already withdrawn?)');
      case 'forbidden':
        return jsonError(c, 403, 'wrong deletion token');
      default: {
        const never: never = outcome;
        throw new Error(`unexpected outcome ${String(never)}`);
      }
    }
  });

  // Conditional, cacheable reads (ETag, Cache-Control, compressed exports): see dataset-reads.ts.
  app.get('/api/stats', (c) => statsResponse(c.req, store.stats()));
  app.get('/api/export.csv', (c) => exportResponse(c.req, opts.db, { name: 'csv', contentType: 'text/csv; charset=utf-8', head: csvHeader(), line: csvLines }));
  // The texts of the energy section are rendered from the catalogs: English, or French with ?lang=fr.
  app.get('/api/export.jsonl', (c) => {
    const lang = c.req.query('lang') === 'fr' ? 'fr' : 'en';
    return exportResponse(c.req, opts.db, { name: 'jsonl', contentType: 'application/x-ndjson; charset=utf-8', head: '', line: (e) => jsonlLine(e, lang) });
  });
  // Sensor power profiles per adapter (measured-profiles.ts): an indexed read, kept per dataset version.
  const measuredProfiles = measuredProfilesReader(opts.db);
  app.get('/api/profiles/measured', async (c) => {
    c.header('Cache-Control', DATASET_CACHE_CONTROL);
    return c.json(await measuredProfiles());
  });
  app.get('/api/snapshots', () => snapshotListResponse(opts.snapshotDir));
  app.get('/api/snapshots/:name', (c) => snapshotFileResponse(c.req, opts.snapshotDir, c.req.param('name')));
  // The public read API described for other programs (openapi.ts).
  app.get('/api/openapi.json', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(openApiDocument());
  });

  // Measured watts: the sensors of the machine the server runs on (server/power/).
  if (opts.power) app.route('/api/power', opts.power);

  // Class writes draw on the same per-client budget as uploads.
  app.route('/api/classes', classRoutes({ db: opts.db, limiter }));
  app.all('/api/*', (c) => jsonError(c, 404, 'unknown API endpoint'));
  if (opts.modelsDir) app.route('/models', modelsRoutes(opts.modelsDir));

  const staticFiles = staticHandlers(opts.staticDir);
  app.get(
    '*',
    async (c, next) => {
      if (!existsSync(resolve(opts.staticDir, 'index.html'))) return c.text('The app is not built yet: run npm run build', 503);
      await next();
      return undefined;
    },
    staticFiles.files,
    // Hash routes mean any other extension-less path is the SPA itself.
    async (c, next) => {
      if (/\.[a-z0-9]+$/i.test(c.req.path)) {
        await next();
        return undefined;
      }
      return staticFiles.index(c, next);
    },
    (c) => c.text('not found', 404),
  );

  app.onError((err, c) => {
    // A client that hangs up mid-body is not a server fault: no 500, no error-level log.
    if (err instanceof BodyReadError) {
      opts.log({ msg: 'request body incomplete', level: 'info', route: c.req.routePath, detail: err.message });
      return jsonError(c, 400, 'the request body ended early');
    }
    opts.log({ msg: 'error', level: 'error', route: c.req.routePath, error: err.name, detail: err.message });
    return jsonError(c, 500, 'internal error');
  });

  return app;
}

/**
 * HEAD answered as the GET it stands for, headers kept and body dropped. Hono's own HEAD
 * handling rebuilds the response from the GET one through the Node adapter's Response, which
 * loses every header (ETag, CORS, the schema version) on the way.
 */
type FetchCallback = Parameters<typeof serve>[0]['fetch'];

function withHead(app: Hono<Env>): FetchCallback {
  // The adapter's own signature (HTTP/1 or HTTP/2 bindings); Hono's fetch accepts either.
  const appFetch = app.fetch as (req: Request, env: Parameters<FetchCallback>[1]) => Promise<Response>;
  return async (req, env) => {
    if (req.method !== 'HEAD') return appFetch(req, env);
    const res = await appFetch(new Request(req.url, { method: 'GET', headers: req.headers }), env);
    // Headers and status first: the adapter's Response rebuilds them from its init once the body is touched.
    const head = { status: res.status, headers: new Headers(res.headers) };
    await res.body?.cancel();
    return new Response(null, head);
  };
}

/** Start the server; `port: 0` picks an ephemeral port (tests). */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const log: Logger = opts.log === false
    ? () => undefined
    : (event) => process.stdout.write(`${JSON.stringify({ t: new Date().toISOString().slice(0, 10), level: 'info', ...event })}\n`);
  const db = await openDb(opts.databaseUrl ? { kind: 'postgres', url: opts.databaseUrl } : { kind: 'pglite', dataDir: resolve(opts.dataDir ?? './data/db') }, { log });
  const store = new ResultStore(db);
  const power = opts.power === false ? null : powerRoutes(detectSensors(opts.power ?? {}));
  const app = createApp(store, {
    staticDir: resolve(opts.staticDir ?? 'dist'),
    rateLimit: opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit,
    log,
    dbKind: db.kind,
    ...(power ? { power: power.app } : {}),
    db,
    snapshotDir: opts.snapshotDir ? resolve(opts.snapshotDir) : null,
    ...(opts.modelsDir ? { modelsDir: resolve(opts.modelsDir) } : {}),
  });
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolveServer, reject) => {
    // autoCleanupIncoming off: unread request bodies are settled by our middleware (body.ts),
    // whose bounds and Connection header agree, instead of the adapter's 500 ms drain.
    const base = { fetch: withHead(app), port: opts.port ?? 8787, hostname: host, autoCleanupIncoming: false };
    // An HTTPS server is an http.Server for everything used here (close, closeAllConnections, address).
    const tls = opts.tls ? { createServer: createHttpsServer, serverOptions: { cert: opts.tls.cert, key: opts.tls.key } } : {};
    const s = serve({ ...base, ...tls }, () => resolveServer(s as Server));
    (s as Server).once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log({ msg: 'listening', url, db: db.kind });
  const snapshots = opts.snapshotDir ? scheduleSnapshots(db, resolve(opts.snapshotDir), log) : null;
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    close() {
      // Graceful: stop accepting, let in-flight requests finish (5 s at most), then close the
      // database so PGlite flushes and PostgreSQL connections end cleanly.
      closing ??= (async () => {
        await new Promise<void>((done) => {
          const force = setTimeout(() => server.closeAllConnections(), 5_000);
          server.close(() => {
            clearTimeout(force);
            done();
          });
          server.closeIdleConnections();
        });
        power?.close();
        await snapshots?.stop();
        await db.close();
        log({ msg: 'closed' });
      })();
      return closing;
    },
  };
}
