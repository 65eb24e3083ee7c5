/**
 * Server behaviour beyond the API contract: rate limiting, static files and MIME types,
 * migrations, and privacy of what is stored on disk.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { startServer } from '../../server/app.ts';
import { RateLimiter } from '../../server/rate-limit.ts';
import { openDb } from '../../server/db.ts';
import { MIGRATIONS } from '../../server/migrations.ts';
import { IMMUTABLE_CACHE, REVALIDATE_CACHE } from '../../server/static.ts';
import { postJson, tempDir, uniqueResult } from './helpers.ts';

const dirs: { remove(): void }[] = [];
function dir(prefix: string): string {
  const d = tempDir(prefix);
  dirs.push(d);
  return d.path;
}
afterAll(() => dirs.forEach((d) => d.remove()));

describe('rate limiting', () => {
  test('token bucket: burst, then refill at the sustained rate, per client', () => {
    let now = Date.UTC(2026, 10, 23, 12);
    const rl = new RateLimiter({ burst: 2, perMinute: 6 }, () => now);
    expect(rl.take('10.0.0.1')).toEqual({ allowed: true });
    expect(rl.take('10.0.0.1')).toEqual({ allowed: true });
    // Empty bucket; one token every 10 s at 6/min.
    expect(rl.take('10.0.0.1')).toEqual({ allowed: false, retryAfterS: 10 });
    expect(rl.take('10.0.0.2')).toEqual({ allowed: true });
    now += 10_000;
    expect(rl.take('10.0.0.1')).toEqual({ allowed: true });
    expect(rl.take('10.0.0.1').allowed).toBe(false);
  });

  test('the API answers 429 with Retry-After past the burst, and keeps serving reads', async () => {
    const s = await startServer({ port: 0, log: false, dataDir: dir('fal-rl-'), rateLimit: { burst: 3, perMinute: 1 } });
    try {
      const statuses: number[] = [];
      const started = Date.now();
      for (let i = 0; i < 4; i++) statuses.push((await postJson(s.url, uniqueResult(i))).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
      const limited = await postJson(s.url, uniqueResult(9));
      expect(limited.status).toBe(429);
      // One token a minute, refilled continuously since the burst emptied the bucket: the wait is
      // 60 s less the whole seconds elapsed since then (a loaded machine takes seconds to upload 3).
      const elapsedS = Math.ceil((Date.now() - started) / 1000);
      const retry = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retry)).toBe(true);
      expect(retry).toBeGreaterThanOrEqual(60 - elapsedS);
      expect(retry).toBeLessThanOrEqual(60);
      expect(String(limited.json.error)).toMatch(/too many uploads/);
      const stats = (await (await fetch(`${s.url}/api/stats`)).json()) as { total: number };
      expect(stats.total).toBe(3);
    } finally {
      await s.close();
    }
  });
});

function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static SPA', () => {
  test('serves files with the right MIME types, isolation headers, no path escape', async () => {
    // dist/ inside a folder that also holds a file the server must never hand out.
    const web = dir('fal-web-');
    const dist = join(web, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(web, 'secret.txt'), 'TOP-SECRET');
    writeFileSync(join(dist, 'kernel.wgsl'), '@compute @workgroup_size(64) fn main() {}');
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>lab</title>');
    writeFileSync(join(dist, 'assets', 'ort.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(dist, 'assets', 'ort.mjs'), 'export {};');
    const s = await startServer({ port: 0, log: false, dataDir: dir('fal-static-'), staticDir: dist });
    try {
      const root = await fetch(`${s.url}/`);
      expect(root.status).toBe(200);
      expect(root.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(root.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(root.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(root.headers.get('content-security-policy')).toBe(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self' https:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
      );
      // connect-src allows https: so #/model can fetch an ONNX model from another origin.
      expect(await root.text()).toContain('<title>lab</title>');
      const wasm = await fetch(`${s.url}/assets/ort.wasm`);
      expect(wasm.headers.get('content-type')).toBe('application/wasm');
      expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
      expect((await fetch(`${s.url}/assets/ort.mjs`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await fetch(`${s.url}/assets/missing.js`)).status).toBe(404);
      // fetch normalizes dot segments; whatever comes back must not be the host's file.
      expect(await (await fetch(`${s.url}/%2e%2e/%2e%2e/etc/passwd`)).text()).not.toContain('root:');
      // Raw paths (node:http does not normalize them): the server never leaves the directory.
      for (const raw of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets/..%5c..%5csecret.txt']) {
        const answer = await rawGet(s.url, raw);
        expect(answer.body, raw).not.toContain('root:');
        expect(answer.body, raw).not.toContain('TOP-SECRET');
      }
      // Caching: hashed assets for a year, the rest revalidated; the SPA fallback for hash routes.
      expect(root.headers.get('cache-control')).toBe(REVALIDATE_CACHE);
      expect(wasm.headers.get('cache-control')).toBe(IMMUTABLE_CACHE);
      expect(IMMUTABLE_CACHE).toBe('public, max-age=31536000, immutable');
      expect(REVALIDATE_CACHE).toBe('no-cache');
      const spa = await fetch(`${s.url}/some/route`);
      expect(spa.status).toBe(200);
      expect(spa.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(spa.headers.get('cache-control')).toBe(REVALIDATE_CACHE);
      expect(await spa.text()).toContain('<title>lab</title>');
      expect((await fetch(`${s.url}/kernel.wgsl`)).headers.get('content-type')).toBe('text/plain; charset=utf-8');
      // The other security headers, on files and on API answers alike.
      for (const res of [root, await fetch(`${s.url}/api/stats`)]) {
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('permissions-policy')).toMatch(/^camera=\(\), microphone=\(\), geolocation=\(\)/);
      }
      expect(root.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      const stats = await fetch(`${s.url}/api/stats`);
      expect(stats.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(stats.headers.get('access-control-allow-origin')).toBe('*');
      expect((await fetch(`${s.url}/api/nope`)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});

describe('storage', () => {
  test('migrations are applied once and recorded; reopening is a no-op', async () => {
    const path = dir('fal-mig-');
    const db1 = await openDb({ kind: 'pglite', dataDir: path });
    const v1 = await db1.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(v1.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await db1.close();
    const db2 = await openDb({ kind: 'pglite', dataDir: path });
    const v2 = await db2.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(v2.rows[0]?.n).toBe(MIGRATIONS.length);
    await db2.close();
  });

  test('no stored row holds an IP, a user agent, a token or a timestamp finer than a day', async () => {
    const path = dir('fal-priv-');
    const s = await startServer({ port: 0, log: false, dataDir: path });
    const key = 'IdempotencyKeyPrivacyProbe-0123456789';
    const up = await postJson(s.url, uniqueResult(42), { 'user-agent': 'Mozilla/5.0 (Privacy Probe)', 'x-forwarded-for': '198.51.100.23', 'idempotency-key': key });
    expect(up.status).toBe(201);
    await s.close();

    const lite = await PGlite.create({ dataDir: path });
    try {
      const cols = await lite.query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'results' ORDER BY ordinal_position",
      );
      expect(cols.rows.filter((c) => /timestamp|time with/.test(c.data_type))).toEqual([]);
      expect(cols.rows.find((c) => c.column_name === 'received_day')?.data_type).toBe('date');
      const dump = await lite.query<{ row: string }>('SELECT row_to_json(r)::text AS row FROM results r');
      expect(dump.rows).toHaveLength(1);
      const text = dump.rows[0]!.row;
      expect(text).not.toMatch(/127\.0\.0\.1|198\.51\.100|Mozilla|Privacy Probe|::1/);
      expect(text).not.toContain(up.json.token as string);
      // The idempotency key is kept only as its SHA-256.
      expect(text).not.toContain(key);
      expect(text).toContain(`"idempotency_key_hash":"${createHash('sha256').update(key).digest('hex')}"`);
      expect(text).toMatch(/"received_day":"\d{4}-\d{2}-\d{2}"/);
    } finally {
      await lite.close();
    }
  });
});
