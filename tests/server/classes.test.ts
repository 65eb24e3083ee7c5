/**
 * Classes over real HTTP on a real database, on each storage backend:
 * a teacher creates a class, pupils' devices add their figures, the projector reads the pooled
 * distribution with entity tags; expiry (on an injected clock) and closing refuse entries with 410
 * and delete them; bad input is refused without echoing the client's text; writes are rate limited.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { serve, type HttpBindings } from '@hono/node-server';
import { classRoutes, type ClassDb } from '../../server/classes.ts';
import type { Db } from '../../server/db.ts';
import { RateLimiter, type RateLimitConfig } from '../../server/rate-limit.ts';
import type { Queryable } from '../../server/queryable.ts';
import { postJson, uniqueResult, useServer } from './helpers.ts';
import { eachBackend, openQuiet, serverStorage, type SuiteBackend } from './postgres-harness.ts';
import { CLASS_CODE_PATTERN, CLASS_LIFETIME_MS, type ClassCreated, type ClassEntry, type ClassView } from '../../src/shared/classroom.ts';

interface Harness {
  base: string;
  close(): Promise<void>;
}

async function harness(db: ClassDb, now: () => number, rateLimit: RateLimitConfig | false, maxEntries?: number): Promise<Harness> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.route('/api/classes', classRoutes({ db, limiter: rateLimit ? new RateLimiter(rateLimit, now) : null, now, ...(maxEntries === undefined ? {} : { maxEntries }) }));
  const server = await new Promise<Server>((done) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s as Server));
  });
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

const device = (n: number) => `device-${String(n).padStart(15, '0')}`;
const entry = (n: number, over: Partial<ClassEntry> = {}): ClassEntry => ({
  device: device(n), preset: 'ci', vendor: 'nvidia', architecture: 'ada', generalJ: 0.5 * n, specializedJ: 0.01 * n, ratio: 50 + n, ...over,
});

async function send(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: (text ? JSON.parse(text) : {}) as Record<string, unknown>, headers: res.headers };
}

/** Each database this suite opens is a fresh one: PGlite needs a folder per process that holds it. */
function classesSuite(backend: SuiteBackend) {
  const name = backend.kind;
  describe(`classes (${name})`, () => {
    let db: Db;
    let h: Harness;
    let clock = Date.parse('2026-11-30T08:00:00Z');
    const now = () => clock;

    beforeAll(async () => {
      db = await openQuiet(backend.fresh());
      h = await harness(db, now, false);
    });
    afterAll(async () => {
      await h?.close();
      await db?.close();
    });

    const create = async (preset = 'ci') => {
      const r = await send(h.base, 'POST', '/api/classes', { preset });
      expect(r.status).toBe(201);
      return r.json as unknown as ClassCreated;
    };
    const entriesLeft = async (code: string) =>
      Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM class_entries WHERE class_code = $1', [code])).rows[0]?.n);

    test('create: a short code, a token, the preset and an expiry three hours later', async () => {
      const c = await create('quick');
      expect(c.code).toMatch(CLASS_CODE_PATTERN);
      expect(c.token.length).toBeGreaterThanOrEqual(32);
      expect(c.preset).toBe('quick');
      expect(Date.parse(c.expiresAt)).toBe(clock + CLASS_LIFETIME_MS);
      // Only the token's hash is stored.
      const row = await db.query<{ token_hash: string }>('SELECT token_hash FROM classes WHERE code = $1', [c.code]);
      expect(row.rows[0]?.token_hash).not.toBe(c.token);
      expect(row.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    test('submit and read: the pooled distribution, one dot per device, entity tags', async () => {
      const c = await create();
      const path = `/api/classes/${c.code}`;
      expect((await send(h.base, 'POST', `${path}/entries`, entry(1))).status).toBe(201);
      expect((await send(h.base, 'POST', `${path}/entries`, entry(2, { vendor: 'apple', architecture: 'metal-3' }))).status).toBe(201);
      const first = await send(h.base, 'GET', path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('no-cache');
      expect(first.headers.get('access-control-allow-origin')).toBeNull();
      const view = first.json as unknown as ClassView;
      expect(view.code).toBe(c.code);
      expect(view.distribution.count).toBe(2);
      expect(view.distribution.ratio?.values).toEqual([51, 52]);
      expect(view.distribution.ratio?.median).toBeCloseTo(51.5, 12);
      expect(view.distribution.generalJ?.values).toEqual([0.5, 1]);
      expect(view.distribution.vendors).toEqual([{ vendor: 'apple', count: 1 }, { vendor: 'nvidia', count: 1 }]);
      const tag = first.headers.get('etag')!;
      expect((await send(h.base, 'GET', path, undefined, { 'if-none-match': tag })).status).toBe(304);

      // The same device again replaces its entry (200): still two devices, the tag unchanged only if the figures are.
      const again = await send(h.base, 'POST', `${path}/entries`, entry(1, { ratio: 70 }));
      expect(again.status).toBe(200);
      expect(again.json.replaced).toBe(true);
      const second = await send(h.base, 'GET', path, undefined, { 'if-none-match': tag });
      expect(second.status).toBe(200);
      expect((second.json as unknown as ClassView).distribution.count).toBe(2);
      expect((second.json as unknown as ClassView).distribution.ratio?.values).toEqual([52, 70]);
    });

    test('bad input is refused by field, without echoing what the client sent', async () => {
      const c = await create();
      const path = `/api/classes/${c.code}/entries`;
      const hostile = '<img src=x onerror=alert(1)>';
      for (const body of [
        entry(3, { vendor: hostile as ClassEntry['vendor'] }),
        entry(3, { architecture: hostile }),
        entry(3, { ratio: -1 }),
        { ...entry(3), generalJ: hostile },
        entry(3, { device: hostile }),
        { [hostile]: 1 },
      ]) {
        const r = await send(h.base, 'POST', path, body);
        expect(r.status).toBe(422);
        expect(r.text).not.toContain('<img');
        expect((r.json.issues as string[]).length).toBeGreaterThan(0);
      }
      const vendor = await send(h.base, 'POST', path, entry(3, { vendor: hostile as ClassEntry['vendor'] }));
      expect(vendor.json.issues).toEqual(['vendor: must be a known adapter vendor']);
      // Another preset than the class's would mix two races in one distribution.
      const preset = await send(h.base, 'POST', path, entry(3, { preset: 'quick' }));
      expect(preset.status).toBe(422);
      expect(preset.json.issues).toEqual(["preset: must be this class's preset (ci)"]);
      // Unknown fields are dropped, never stored: a note a pupil typed cannot reach the projector.
      expect((await send(h.base, 'POST', path, { ...entry(4), note: 'my name is Alice' })).status).toBe(201);
      expect((await send(h.base, 'GET', `/api/classes/${c.code}`)).text).not.toContain('Alice');
      expect((await send(h.base, 'POST', path, '{not json')).status).toBe(400);
      expect((await send(h.base, 'POST', path, 'x', { 'content-type': 'text/plain' })).status).toBe(415);
      expect((await send(h.base, 'POST', path, { ...entry(5), pad: 'x'.repeat(8000) })).status).toBe(413);
      const badCreate = await send(h.base, 'POST', '/api/classes', { preset: hostile });
      expect(badCreate.status).toBe(422);
      expect(badCreate.text).not.toContain('<img');
      // A code that is not one, or no class's: 404, the code not repeated.
      const odd = await send(h.base, 'GET', `/api/classes/${encodeURIComponent('<b>x</b>')}`);
      expect(odd.status).toBe(404);
      expect(odd.text).not.toContain('<b>');
      expect((await send(h.base, 'POST', '/api/classes/ZZZZZZ/entries', entry(6))).status).toBe(404);
    });

    test('expiry: after three hours entries are refused with 410 and deleted; a day later the code is unknown', async () => {
      const c = await create();
      const path = `/api/classes/${c.code}`;
      expect((await send(h.base, 'POST', `${path}/entries`, entry(7))).status).toBe(201);
      clock += CLASS_LIFETIME_MS - 1;
      expect((await send(h.base, 'GET', path)).status).toBe(200);
      clock += 1;
      expect(await entriesLeft(c.code)).toBe(1);
      const late = await send(h.base, 'POST', `${path}/entries`, entry(8));
      expect(late.status).toBe(410);
      expect(late.json.error).toMatch(/ended/);
      expect(await entriesLeft(c.code)).toBe(0);
      expect((await send(h.base, 'GET', path)).status).toBe(410);
      // The sweep each new class runs removes the class row a day after its expiry.
      clock += 24 * 3600_000;
      await create();
      expect((await send(h.base, 'GET', path)).status).toBe(404);
    });

    test('the sweep deletes the entries of expired classes nobody reads', async () => {
      const c = await create();
      expect((await send(h.base, 'POST', `/api/classes/${c.code}/entries`, entry(9))).status).toBe(201);
      clock += CLASS_LIFETIME_MS;
      await create();
      expect(await entriesLeft(c.code)).toBe(0);
    });

    test("closing early takes the class's token: then 410, entries deleted", async () => {
      const c = await create();
      const path = `/api/classes/${c.code}`;
      expect((await send(h.base, 'POST', `${path}/entries`, entry(10))).status).toBe(201);
      expect((await send(h.base, 'DELETE', path)).status).toBe(403);
      expect((await send(h.base, 'DELETE', path, undefined, { authorization: 'Bearer wrong-token' })).status).toBe(403);
      expect((await send(h.base, 'DELETE', '/api/classes/ZZZZZ2', undefined, { authorization: `Bearer ${c.token}` })).status).toBe(404);
      expect((await send(h.base, 'DELETE', path, undefined, { authorization: `Bearer ${c.token}` })).status).toBe(204);
      expect(await entriesLeft(c.code)).toBe(0);
      expect((await send(h.base, 'GET', path)).status).toBe(410);
      expect((await send(h.base, 'POST', `${path}/entries`, entry(11))).status).toBe(410);
    });

    test('a class is full at its cap: a new device is refused with 409 and not stored; one already in it may still replace its figures', async () => {
      const capped = await harness(db, now, false, 2);
      try {
        const r = await send(capped.base, 'POST', '/api/classes', { preset: 'ci' });
        const path = `/api/classes/${String(r.json.code)}/entries`;
        expect((await send(capped.base, 'POST', path, entry(1))).status).toBe(201);
        expect((await send(capped.base, 'POST', path, entry(2))).status).toBe(201);
        const full = await send(capped.base, 'POST', path, entry(3));
        expect(full.status).toBe(409);
        expect(full.json.error).toContain('full (2 devices)');
        expect((await send(capped.base, 'POST', path, entry(1, { ratio: 99 }))).status).toBe(200);
        expect(await entriesLeft(String(r.json.code))).toBe(2);
      } finally {
        await capped.close();
      }
    });

    test('the cap holds under concurrent joins: devices reaching the database at the same instant never overshoot it', async () => {
      const cap = 2;
      const joiners = 6;
      // Every statement that locks the class (FOR UPDATE) waits here until all the joins have
      // reached it, then they go together: the worst interleaving, not a lucky one. A backend that
      // runs one transaction at a time (PGlite) never gathers them all; a short wait lets it go on.
      let waiting: (() => void)[] = [];
      const barrier = async (sql: string) => {
        if (!/FOR UPDATE/.test(sql)) return;
        await new Promise<void>((go) => {
          waiting.push(go);
          if (waiting.length === joiners) {
            waiting.forEach((w) => w());
            waiting = [];
          } else setTimeout(go, 300);
        });
      };
      const gated = (q: Queryable): Queryable => ({
        async query(sql, params) {
          await barrier(sql);
          return q.query(sql, params);
        },
        exec: (sql) => q.exec(sql),
      });
      const racing: ClassDb = { ...gated(db), transaction: (fn) => db.transaction((tx) => fn(gated(tx))) };
      const capped = await harness(racing, now, false, cap);
      try {
        const r = await send(capped.base, 'POST', '/api/classes', { preset: 'ci' });
        const code = String(r.json.code);
        const statuses = await Promise.all(Array.from({ length: joiners }, (_, i) => send(capped.base, 'POST', `/api/classes/${code}/entries`, entry(i + 1)).then((x) => x.status)));
        expect(statuses.filter((s) => s === 201)).toHaveLength(cap);
        expect(statuses.filter((s) => s === 409)).toHaveLength(joiners - cap);
        expect(await entriesLeft(code)).toBe(cap);
      } finally {
        await capped.close();
      }
    });

    test('a close landing between the entry\'s read of the class and its write: 410, nothing stored', async () => {
      let closeNext: string | null = null;
      // The teacher's close runs right after the route has read the class as open.
      const racing: ClassDb = {
        async query(sql, params) {
          const r = await db.query(sql, params);
          if (closeNext !== null && sql.startsWith('SELECT code, token_hash, preset') && params?.[0] === closeNext) {
            const code = closeNext;
            closeNext = null;
            await db.query('UPDATE classes SET expires_ms = LEAST(expires_ms, $2) WHERE code = $1', [code, now()]);
            await db.query('DELETE FROM class_entries WHERE class_code = $1', [code]);
          }
          return r as never;
        },
        exec: (sql) => db.exec(sql),
        transaction: (fn) => db.transaction(fn),
      };
      const raced = await harness(racing, now, false);
      try {
        const c = await create();
        closeNext = c.code;
        expect((await send(raced.base, 'POST', `/api/classes/${c.code}/entries`, entry(5))).status).toBe(410);
        expect(closeNext).toBeNull();
        expect(await entriesLeft(c.code)).toBe(0);
      } finally {
        await raced.close();
      }
    });

    test('writes are rate limited per client (429 with Retry-After); reads are not', async () => {
      const limited = await harness(db, now, { burst: 3, perMinute: 1 });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await send(limited.base, 'POST', '/api/classes', { preset: 'ci' })).status);
        expect(statuses).toEqual([201, 201, 201, 429]);
        const refused = await send(limited.base, 'POST', '/api/classes', { preset: 'ci' });
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        const c = await create();
        expect((await send(limited.base, 'GET', `/api/classes/${c.code}`)).status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe(`classes in the server (${name})`, () => {
    // rateLimit undefined: the server's default write limit, as production runs it.
    const srv = useServer(() => ({ rateLimit: undefined, power: false, ...serverStorage(backend.fresh()) }));

    test('mounted at /api/classes, same-origin only', async () => {
      const c = await send(srv.base, 'POST', '/api/classes', { preset: 'quick' });
      expect(c.status).toBe(201);
      const read = await send(srv.base, 'GET', `/api/classes/${String(c.json.code)}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
      expect(read.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    });
  });

  describe(`classes share the app's write budget (${name})`, () => {
    const srv = useServer(() => ({ power: false, rateLimit: { burst: 2, perMinute: 1 }, ...serverStorage(backend.fresh()) }));

    test('a client that spent its budget on an upload and a class is refused on both (429)', async () => {
      expect((await postJson(srv.base, uniqueResult(7001))).status).toBe(201);
      expect((await send(srv.base, 'POST', '/api/classes', { preset: 'quick' })).status).toBe(201);
      const classRefused = await send(srv.base, 'POST', '/api/classes', { preset: 'quick' });
      expect(classRefused.status).toBe(429);
      expect(Number(classRefused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await postJson(srv.base, uniqueResult(7002))).status).toBe(429);
    });
  });
}

eachBackend('classes', classesSuite);
