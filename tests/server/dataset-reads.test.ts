/**
 * The dataset reads over real HTTP on a real database, on each storage backend: compressed
 * exports decode to the identity bytes, entity tags give 304s and change with every insert and withdrawal, a
 * withdrawal brings the aggregates back to what they were, filtered exports keep only matching
 * rows and refuse a bad parameter by name.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { DatasetStats } from '../../src/shared/dataset.ts';
import { jsonlDocs, postJson, useServer, withdraw } from './helpers.ts';
import { parseCsv } from './csv.ts';
import { rawGet, resultFrom } from './dataset-http.ts';
import { eachBackend, serverStorage, type SuiteBackend } from './postgres-harness.ts';

const json = <T>(a: { body: Buffer }): T => JSON.parse(a.body.toString('utf8')) as T;
const ids = (jsonl: string): string[] => jsonlDocs(jsonl).map((d) => d.id);

function datasetReadsSuite(backend: SuiteBackend) {
  describe(`dataset reads (${backend.kind})`, () => {
    const srv = useServer(() => serverStorage(backend.config()));

    beforeAll(async () => {
      for (const [n, vendor, arch] of [[1, 'nvidia', 'ada'], [2, 'amd', 'rdna-3'], [3, 'nvidia', 'ampere']] as const) {
        expect((await postJson(srv.base, resultFrom(n, vendor, arch))).status).toBe(201);
      }
    });

    describe('compressed exports', () => {
      test.each(['csv', 'jsonl'] as const)('%s: gzip and br decode to exactly the identity bytes', async (format) => {
        const identity = await rawGet(`${srv.base}/api/export.${format}`);
        expect(identity.status).toBe(200);
        expect(identity.headers['content-encoding']).toBeUndefined();
        expect(identity.body.length).toBeGreaterThan(1000);
        const gz = await rawGet(`${srv.base}/api/export.${format}`, { 'accept-encoding': 'gzip' });
        expect(gz.headers['content-encoding']).toBe('gzip');
        expect(gz.headers.vary).toBe('Accept-Encoding');
        expect(gunzipSync(gz.body).equals(identity.body)).toBe(true);
        const br = await rawGet(`${srv.base}/api/export.${format}`, { 'accept-encoding': 'gzip, deflate, br' });
        expect(br.headers['content-encoding']).toBe('br');
        expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
        expect(br.body.length).toBeLessThan(identity.body.length / 3);
        if (format === 'jsonl') expect(ids(identity.body.toString('utf8'))).toHaveLength(3);
        else expect(identity.body.toString('utf8').startsWith('result_id,date,')).toBe(true);
      });

      test('q-values are honoured; identity when nothing acceptable', async () => {
        const coding = async (accept: string) => (await rawGet(`${srv.base}/api/export.jsonl`, { 'accept-encoding': accept })).headers['content-encoding'] ?? 'identity';
        expect(await coding('br;q=0, gzip')).toBe('gzip');
        expect(await coding('gzip;q=1, br;q=0.5')).toBe('gzip');
        expect(await coding('gzip;q=0.2, br;q=0.8')).toBe('br');
        expect(await coding('*')).toBe('br');
        expect(await coding('gzip;q=0, br;q=0')).toBe('identity');
        expect(await coding('deflate, identity')).toBe('identity');
      });

      test('each representation has its own tag', async () => {
        const tags = await Promise.all(['identity', 'gzip', 'br'].map(async (e) => (await rawGet(`${srv.base}/api/export.jsonl`, { 'accept-encoding': e })).headers.etag));
        expect(new Set(tags).size).toBe(3);
      });
    });

    describe('entity tags and caching', () => {
      test('stats, exports and a result by id answer 304 to their own tag', async () => {
        const one = await postJson(srv.base, resultFrom(10, 'intel', 'gen-12lp'));
        const id = one.json.id as string;
        for (const path of ['/api/stats', '/api/export.csv', '/api/export.jsonl', `/api/results/${id}`]) {
          const first = await rawGet(`${srv.base}${path}`, { 'accept-encoding': 'gzip' });
          expect(first.status).toBe(200);
          const tag = first.headers.etag as string;
          expect(tag).toMatch(/^(W\/)?"[A-Za-z0-9_-]{27}"$/);
          expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);
          const again = await rawGet(`${srv.base}${path}`, { 'accept-encoding': 'gzip', 'if-none-match': tag });
          expect(again.status).toBe(304);
          expect(again.body.length).toBe(0);
          expect(again.headers.etag).toBe(tag);
          expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
          // A list of tags and a weak form of the same tag match too; another tag does not.
          expect((await rawGet(`${srv.base}${path}`, { 'accept-encoding': 'gzip', 'if-none-match': `"other", W/${tag.replace(/^W\//, '')}` })).status).toBe(304);
          expect((await rawGet(`${srv.base}${path}`, { 'accept-encoding': 'gzip', 'if-none-match': '"other"' })).status).toBe(200);
        }
        expect((await rawGet(`${srv.base}/api/results/${id}`)).headers['cache-control']).toBe('public, max-age=3600, immutable');
        expect((await rawGet(`${srv.base}/api/stats`)).headers['cache-control']).toBe('public, max-age=5, stale-while-revalidate=10');
        await withdraw(srv.base, { id, token: one.json.token as string });
        const gone = await rawGet(`${srv.base}/api/results/${id}`);
        expect(gone.status).toBe(404);
        expect(gone.headers.etag).toBeUndefined();
      });

      test('upload, read stats, withdraw: stats, their tag and the export tags come back to before', async () => {
        const paths = ['/api/stats', '/api/export.csv', '/api/export.jsonl', '/api/export.jsonl?vendor=intel'];
        const read = async () => Promise.all(paths.map((p) => rawGet(`${srv.base}${p}`)));
        const before = await read();
        const statsBefore = json<DatasetStats>(before[0]!);

        const up = await postJson(srv.base, resultFrom(11, 'intel', 'xe-lpg'));
        expect(up.status).toBe(201);
        const during = await read();
        const statsDuring = json<DatasetStats>(during[0]!);
        expect(statsDuring.total).toBe(statsBefore.total + 1);
        expect(statsDuring.groups.find((g) => g.vendor === 'intel' && g.architecture === 'xe-lpg')?.count).toBe(1);
        expect(statsBefore.groups.find((g) => g.vendor === 'intel' && g.architecture === 'xe-lpg')).toBeUndefined();
        for (const [i, answer] of during.entries()) {
          expect(answer.headers.etag, paths[i]).not.toBe(before[i]!.headers.etag);
          // The tag held before the upload no longer matches.
          expect((await rawGet(`${srv.base}${paths[i]!}`, { 'if-none-match': before[i]!.headers.etag as string })).status).toBe(200);
        }
        expect(ids(during[3]!.body.toString('utf8'))).toEqual([up.json.id]);

        await withdraw(srv.base, { id: up.json.id as string, token: up.json.token as string });
        const after = await read();
        expect(json<DatasetStats>(after[0]!)).toEqual(statsBefore);
        for (const [i, answer] of after.entries()) {
          expect(answer.headers.etag, paths[i]).not.toBe(during[i]!.headers.etag);
          expect(answer.body.equals(before[i]!.body), paths[i]).toBe(true);
          // Same rows as before the upload: the same tag, so a client holding it gets a 304.
          expect(answer.headers.etag, paths[i]).toBe(before[i]!.headers.etag);
        }
      });
    });

    describe('filtered exports', () => {
      test('only matching rows, in both formats, combined filters', async () => {
        const all = ids((await rawGet(`${srv.base}/api/export.jsonl`)).body.toString('utf8'));
        expect(all).toHaveLength(3);
        const jsonl = async (q: string) => (await rawGet(`${srv.base}/api/export.jsonl?${q}`, { 'accept-encoding': 'gzip' }));
        const docs = async (q: string) => gunzipSync((await jsonl(q)).body).toString('utf8').trim().split('\n').filter(Boolean)
          .map((l) => JSON.parse(l) as { id: string; suite: { preset: string }; environment: { adapter: { vendor: string; architecture: string } } });
        const nvidia = await docs('vendor=nvidia');
        expect(nvidia.map((d) => d.environment.adapter.architecture)).toEqual(['ada', 'ampere']);
        expect(nvidia.map((d) => d.id)).toEqual([all[0], all[2]]);
        expect((await docs('vendor=nvidia&architecture=ampere')).map((d) => d.id)).toEqual([all[2]]);
        expect((await docs('architecture=rdna-3&preset=ci')).map((d) => d.id)).toEqual([all[1]]);
        expect(await docs('preset=paper')).toEqual([]);
        expect(await docs('vendor=apple')).toEqual([]);
        const today = new Date().toISOString().slice(0, 10);
        expect((await docs(`since=${today}`)).map((d) => d.id)).toEqual(all);
        expect(await docs('since=2999-01-01')).toEqual([]);
        expect((await docs('vendor=&preset=')).map((d) => d.id)).toEqual(all);

        const csv = parseCsv((await rawGet(`${srv.base}/api/export.csv?vendor=amd`)).body.toString('utf8'));
        expect(csv[0]?.[0]).toBe('result_id');
        expect(new Set(csv.slice(1).map((row) => row[0]))).toEqual(new Set([all[1]]));
        // A filter is part of the representation: its own tag.
        expect((await jsonl('vendor=nvidia')).headers.etag).not.toBe((await jsonl('vendor=amd')).headers.etag);
        expect((await jsonl('vendor=nvidia&preset=ci')).headers.etag).toBe((await jsonl('preset=ci&vendor=nvidia')).headers.etag);
      });

      test.each([
        ['vendor=nvidiaa', 'vendor'],
        ['vendor=NVIDIA', 'vendor'],
        ['preset=fast', 'preset'],
        ['architecture=Ada%20Lovelace', 'architecture'],
        ['since=2026-02-30', 'since'],
        ['since=yesterday', 'since'],
        ['since=2026-1-5', 'since'],
      ])('?%s is a 400 naming %s', async (query, parameter) => {
        for (const format of ['csv', 'jsonl']) {
          const res = await rawGet(`${srv.base}/api/export.${format}?${query}`, { 'accept-encoding': 'gzip' });
          expect(res.status).toBe(400);
          expect(res.headers['content-encoding']).toBeUndefined();
          expect(json<{ error: string }>(res).error.startsWith(`${parameter} must be`)).toBe(true);
        }
      });
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite counts the exported rows.
eachBackend('dataset reads', datasetReadsSuite, { emptySchema: true });
