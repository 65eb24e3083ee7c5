/**
 * The public read API over real HTTP on a real database, on each storage backend: the filtered listing and its cursor, 400s that never repeat
 * the client's text, the schema version on every read, CORS (any origin reads, none writes),
 * and the OpenAPI document: every public GET route is in it and real answers validate against it.
 */
import { isPublicApiPath } from '../../server/cors.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Hono } from 'hono';
import { createApp } from '../../server/app.ts';
import type { ResultStore } from '../../server/store.ts';
import type { Db } from '../../server/db.ts';
import { LISTING_MAX_PAGE, type ResultPage } from '../../src/shared/dataset.ts';
import { deleteResult, postJson, tempDir, useServer } from './helpers.ts';
import { rawGet, resultFrom } from './dataset-http.ts';
import { checkSchema } from './json-schema-check.ts';
import { eachBackend, serverStorage, type SuiteBackend } from './postgres-harness.ts';

type Doc = Record<string, unknown> & { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>> };

const HOSTILE = '<script>alert(1)</script>';

/** The public GET routes of the app, in OpenAPI's path syntax (power sensors and classes are same-origin, not public: cors.ts). */
function publicGetRoutes(): string[] {
  const app = createApp({} as unknown as ResultStore, {
    staticDir: '/nonexistent-dist', rateLimit: false, log: () => undefined, dbKind: 'pglite', db: {} as unknown as Db, snapshotDir: null, power: new Hono(),
  });
  const paths = app.routes
    .filter((r) => r.method === 'GET' && (isPublicApiPath(r.path) || r.path === '/healthz') && !r.path.endsWith('*'))
    .map((r) => r.path.replace(/:([A-Za-z]+)/g, '{$1}'));
  return [...new Set(paths)].sort();
}

function publicApiSuite(backend: SuiteBackend) {
  describe(`public read API (${backend.kind})`, () => {
    const snapshots = tempDir('fal-openapi-snap-');
    // Registered first, so it runs after the server's close (after-hooks run last-registered first).
    afterAll(() => snapshots.remove());
    const srv = useServer(() => ({ power: false, snapshotDir: snapshots.path, ...serverStorage(backend.config()) }));
    const ids: string[] = [];
    const get = async <T>(path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${srv.base}${path}`, { headers });
      return { res, json: (await res.json()) as T };
    };

    beforeAll(async () => {
      for (const [n, vendor, arch] of [[1, 'nvidia', 'ada'], [2, 'amd', 'rdna-3'], [3, 'nvidia', 'ampere'], [4, 'intel', 'xe-lpg'], [5, 'nvidia', 'ada']] as const) {
        const up = await postJson(srv.base, resultFrom(100 + n, vendor, arch));
        expect(up.status).toBe(201);
        ids.push(up.json.id as string);
      }
    });
    describe('filtered listing with a cursor', () => {
      test('filters keep the matching rows in upload order; the cursor walks every page once', async () => {
        const all = await get<ResultPage>('/api/results?limit=200');
        expect(all.json.items.map((i) => i.id)).toEqual(ids);
        expect(all.json.next).toBeNull();
        const nvidia = await get<ResultPage>('/api/results?vendor=nvidia');
        expect(nvidia.json.items.map((i) => i.id)).toEqual([ids[0], ids[2], ids[4]]);
        expect((await get<ResultPage>('/api/results?vendor=nvidia&architecture=ada')).json.items.map((i) => i.id)).toEqual([ids[0], ids[4]]);
        expect((await get<ResultPage>('/api/results?preset=ci&model=bert-tiny&since=2000-01-01')).json.items).toHaveLength(5);
        expect((await get<ResultPage>('/api/results?model=distilbert-sst2')).json.items).toEqual([]);
        expect((await get<ResultPage>('/api/results?preset=paper')).json.items).toEqual([]);
        expect((await get<ResultPage>('/api/results?since=2999-01-01')).json.items).toEqual([]);

        const seen: string[] = [];
        let after = '';
        for (let pages = 0; pages < 10; pages++) {
          const page = await get<ResultPage>(`/api/results?vendor=nvidia&limit=2${after ? `&after=${after}` : ''}`);
          seen.push(...page.json.items.map((i) => i.id));
          if (page.json.next === null) break;
          after = page.json.next;
        }
        expect(seen).toEqual([ids[0], ids[2], ids[4]]);
      });

      test.each([
        ['vendor', `vendor=${encodeURIComponent(HOSTILE)}`],
        ['architecture', `architecture=${encodeURIComponent(HOSTILE)}`],
        ['preset', `preset=${encodeURIComponent(HOSTILE)}`],
        ['model', `model=${encodeURIComponent(HOSTILE)}`],
        ['task', `task=${encodeURIComponent(HOSTILE)}`],
        ['since', 'since=2026-02-30'],
        ['after', `after=${encodeURIComponent(HOSTILE)}`],
        ['after', 'after=-1'],
        ['limit', 'limit=0'],
        ['limit', `limit=${LISTING_MAX_PAGE + 1}`],
        ['limit', `limit=${encodeURIComponent(HOSTILE)}`],
      ])('400 naming %s, never echoing the value (%s)', async (parameter, query) => {
        const { res, json } = await get<{ error: string }>(`/api/results?${query}`);
        expect(res.status).toBe(400);
        expect(json.error.startsWith(`${parameter} must`)).toBe(true);
        expect(json.error).not.toContain('<');
        expect(json.error).not.toContain('script');
        expect(res.headers.get('x-schema-version')).toBe('1');
      });

      test('the exports share the parser: model filters them too, and a bad model is refused the same way', async () => {
        const none = await rawGet(`${srv.base}/api/export.jsonl?model=distilbert-sst2`);
        expect(none.status).toBe(200);
        expect(none.body.length).toBe(0);
        const some = await rawGet(`${srv.base}/api/export.jsonl?model=bert-tiny&vendor=amd`);
        expect(some.body.toString('utf8').trim().split('\n')).toHaveLength(1);
        const bad = await get<{ error: string }>(`/api/export.csv?model=${encodeURIComponent(HOSTILE)}`);
        const badList = await get<{ error: string }>(`/api/results?model=${encodeURIComponent(HOSTILE)}`);
        expect(bad.res.status).toBe(400);
        expect(bad.json).toEqual(badList.json);
      });
    });

    describe('schema version', () => {
      test('every public read says it: header always, body where the answer is a JSON object', async () => {
        for (const path of ['/api/results', `/api/results/${ids[0]}`, '/api/stats', '/api/snapshots']) {
          const { res, json } = await get<{ schemaVersion: number }>(path);
          expect(res.status, path).toBe(200);
          expect(res.headers.get('x-schema-version'), path).toBe('1');
          expect(json.schemaVersion, path).toBe(1);
        }
        for (const path of ['/api/export.csv', '/api/export.jsonl', '/api/openapi.json', '/api/results/AAAAAAAAAAAAAAAA']) {
          expect((await rawGet(`${srv.base}${path}`)).headers['x-schema-version'], path).toBe('1');
        }
        const first = await rawGet(`${srv.base}/api/stats`);
        const revalidated = await rawGet(`${srv.base}/api/stats`, { 'if-none-match': first.headers.etag as string });
        expect(revalidated.status).toBe(304);
        expect(revalidated.headers['x-schema-version']).toBe('1');
      });
    });

    describe('CORS: any origin reads, none writes', () => {
      const origin = { origin: 'https://elsewhere.example' };
      test('GET and HEAD from another origin may read, revalidate and see the schema version', async () => {
        for (const method of ['GET', 'HEAD']) {
          const res = await fetch(`${srv.base}/api/stats`, { method, headers: origin });
          expect(res.status).toBe(200);
          expect(res.headers.get('access-control-allow-origin')).toBe('*');
          expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
          expect(res.headers.get('access-control-expose-headers')).toBe('ETag, Content-Disposition, X-Schema-Version');
        }
      });

      test('a preflight for a read is granted; for a write it is refused with no CORS header', async () => {
        const pre = (path: string, method: string) => fetch(`${srv.base}${path}`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': method, 'access-control-request-headers': 'if-none-match' } });
        const read = await pre('/api/results?vendor=nvidia', 'GET');
        expect(read.status).toBe(204);
        expect(read.headers.get('access-control-allow-origin')).toBe('*');
        expect(read.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
        expect(read.headers.get('access-control-allow-headers')).toBe('If-None-Match');
        for (const [path, method] of [['/api/results', 'POST'], [`/api/results/${ids[0]}`, 'DELETE'], ['/api/results', 'PUT'], ['/api/power/recordings', 'POST'], ['/api/power', 'GET']] as const) {
          const res = await pre(path, method);
          expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
          expect(res.headers.get('access-control-allow-origin'), `${method} ${path}`).toBeNull();
          expect(res.headers.get('access-control-allow-methods'), `${method} ${path}`).toBeNull();
        }
      });

      test('writes answer with no CORS header, whatever the origin', async () => {
        const up = await postJson(srv.base, resultFrom(199, 'apple', 'metal-3'), origin);
        expect(up.status).toBe(201);
        expect(up.headers.get('access-control-allow-origin')).toBeNull();
        expect(up.headers.get('cross-origin-resource-policy')).toBe('same-origin');
        const del = await deleteResult(srv.base, up.json.id as string, up.json.token as string, origin);
        expect(del.status).toBe(204);
        expect(del.headers.get('access-control-allow-origin')).toBeNull();
      });
    });

    describe('OpenAPI document', () => {
      let doc: Doc;
      beforeAll(async () => {
        const { res, json } = await get<Doc>('/api/openapi.json');
        expect(res.status).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        doc = json;
      });

      test('is OpenAPI 3.1 and describes exactly the public GET routes of the app', () => {
        expect(doc.openapi).toBe('3.1.0');
        const documented = Object.entries(doc.paths).filter(([, ops]) => 'get' in ops).map(([p]) => p).sort();
        expect(documented).toEqual(publicGetRoutes());
      });

      const validate = (path: string, status: number, body: unknown) => {
        const schema = doc.paths[path]?.get?.responses[String(status)]?.content?.['application/json']?.schema;
        expect(schema, `${path} ${status} has a JSON schema`).toBeDefined();
        expect(checkSchema(schema!, body, doc)).toEqual([]);
      };

      test('real answers validate against it', async () => {
        validate('/api/results', 200, (await get('/api/results?limit=3')).json);
        validate('/api/results', 200, (await get('/api/results?vendor=amd&model=bert-tiny')).json);
        validate('/api/results', 400, (await get('/api/results?limit=0')).json);
        validate('/api/results/{id}', 200, (await get(`/api/results/${ids[1]}`)).json);
        validate('/api/results/{id}', 404, (await get('/api/results/AAAAAAAAAAAAAAAA')).json);
        validate('/api/stats', 200, (await get('/api/stats')).json);
        validate('/api/snapshots', 200, (await get('/api/snapshots')).json);
        validate('/api/export.csv', 400, (await get('/api/export.csv?since=yesterday')).json);
        validate('/healthz', 200, (await get('/healthz')).json);
        validate('/api/openapi.json', 200, doc);
      });

      test('the schemas refuse what the server never sends (the check is not vacuous)', async () => {
        const page = (await get<ResultPage>('/api/results?limit=1')).json;
        const schema = doc.paths['/api/results']!.get!.responses['200']!.content!['application/json']!.schema;
        expect(checkSchema(schema, { ...page, schemaVersion: 2 }, doc)).not.toEqual([]);
        expect(checkSchema(schema, { ...page, next: 'abc' }, doc)).not.toEqual([]);
        const item = page.items[0]!;
        expect(checkSchema(schema, { ...page, items: [{ ...item, doc: { ...item.doc, suite: { preset: 'nope', version: 'x' } } }] }, doc)).not.toEqual([]);
      });

      test('a group with sketch distributions validates (the stats contract)', () => {
        const group = {
          vendor: 'nvidia', architecture: 'ada', preset: 'quick', suiteVersion: 'quick-1', model: null, dtype: null, task: null, count: 40, medianSource: 'sketch',
          distributions: [{ metric: 'ratio', count: 40, relativeAccuracy: 0.01, quantiles: [0.05, 0.25, 0.5, 0.75, 0.95].map((q, i) => ({ q, value: 10 + i })) }],
          medianGeneralJ: 1.2, medianSpecializedJ: 0.05, medianRatio: 24,
        };
        expect(checkSchema({ $ref: '#/components/schemas/GroupStats' }, group, doc)).toEqual([]);
        expect(checkSchema({ $ref: '#/components/schemas/GroupStats' }, { ...group, medianSource: 'guess' }, doc)).not.toEqual([]);
      });

      test('a real model\'s group validates with its task set and both n of its accuracy', () => {
        const group = {
          vendor: 'apple', architecture: 'metal-3', preset: 'quick', suiteVersion: 'quick-1', model: 'distilbert-sst2', dtype: 'fp32', task: 'sentiment-fr', count: 3,
          medianSource: 'exact', distributions: [], medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null,
          real: { accuracy: { correct: 99, n: 120, results: 3, effectiveN: 40, rate: 0.825, low: 0.68, high: 0.91 }, medianQueryJ: 0.02, medianCorrectJ: 0.03, medianQueryMs: 12 },
        };
        const at = { $ref: '#/components/schemas/GroupStats' };
        expect(checkSchema(at, group, doc)).toEqual([]);
        const withoutEffectiveN = Object.fromEntries(Object.entries(group.real.accuracy).filter(([k]) => k !== 'effectiveN'));
        expect(checkSchema(at, { ...group, real: { ...group.real, accuracy: withoutEffectiveN } }, doc)).not.toEqual([]);
        expect(checkSchema(at, { ...group, real: { ...group.real, accuracy: { ...group.real.accuracy, effectiveN: 0 } } }, doc)).not.toEqual([]);
      });
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite lists exactly its own uploads.
eachBackend('public read API', publicApiSuite, { emptySchema: true });
