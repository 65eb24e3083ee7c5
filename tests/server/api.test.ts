/**
 * The HTTP API suite, run against a real server on loopback, on each storage backend.
 */
import { describe, expect, test } from 'vitest';
import type { ResultPage } from '../../src/shared/dataset.ts';
import { CSV_COLUMNS } from '../../src/shared/export.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { deleteResult, postJson, stats, total, uniqueResult, useServer } from './helpers.ts';
import { parseCsv } from './csv.ts';
import { eachBackend, serverStorage, type SuiteBackend } from './postgres-harness.ts';

function apiSuite(backend: SuiteBackend) {
  describe(`results API (${backend.kind})`, () => {
    const srv = useServer(() => serverStorage(backend.config()));

    test('health check answers with the backend', async () => {
      const res = await fetch(`${srv.base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, db: backend.kind });
    });

    test('valid round trip: upload, list, fetch, aggregate, export, dedupe, withdraw', async () => {
      expect(await total(srv.base)).toBe(0);
      const doc = sampleResult();
      const up = await postJson(srv.base, doc);
      expect(up.status).toBe(201);
      const id = up.json.id as string;
      const token = up.json.token as string;
      expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(up.json.duplicate).toBe(false);

      // Listing returns the anonymized document as stored.
      const page = (await (await fetch(`${srv.base}/api/results?limit=10`)).json()) as ResultPage;
      expect(page.items.map((i) => i.id)).toEqual([id]);
      expect(page.next).toBeNull();
      expect(page.items[0]?.receivedDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(page.items[0]?.doc.workloads.map((w) => w.id)).toEqual(['fma-peak', 'copy', 'gemm', 'specialized:bert-tiny', 'general:tiny-decoder']);
      expect(page.items[0]?.doc.date).toBe('2026-11-23');

      const one = await fetch(`${srv.base}/api/results/${id}`);
      expect(one.status).toBe(200);

      // Aggregates: the fixture's per-query p50 energies and ratio, one result.
      const aggregates = await stats(srv.base);
      expect(aggregates.total).toBe(1);
      expect(aggregates.license.name).toBe('CC BY 4.0');
      // One result per figure in each distribution, read from the sketch (19 quantiles).
      const distributions = aggregates.groups[0]?.distributions;
      expect(distributions?.map((d) => [d.metric, d.count, d.quantiles.length])).toEqual([['ratio', 1, 19], ['generalJ', 1, 19], ['specializedJ', 1, 19]]);
      expect(aggregates.groups).toEqual([
        {
          vendor: 'google', architecture: 'swiftshader', preset: 'ci', suiteVersion: 'ci-1', model: null, dtype: null, task: null, count: 1,
          medianSource: 'exact', distributions,
          medianGeneralJ: doc.energy!.perQuery.general.joules.p50, medianSpecializedJ: doc.energy!.perQuery.specialized.joules.p50, medianRatio: doc.energy!.ratio.p50,
        },
      ]);
      expect(aggregates.workloads.find((w) => w.workload === 'gemm')?.medianMs).toBe(2);

      // CSV: header + one row per workload.
      const csv = parseCsv(await (await fetch(`${srv.base}/api/export.csv`)).text());
      expect(csv[0]).toEqual([...CSV_COLUMNS]);
      expect(csv).toHaveLength(6);
      expect(csv[1]?.slice(0, 18)).toEqual([id, '2026-11-23', 'ci', 'ci-1', '0.1.0', 'chrome', '140', 'linux', 'google', 'swiftshader', 'true', 'gpu-timestamp', 'fma-peak', 'micro', '', '1000000', '16384', '2.5']);

      // JSONL: one line, the stored document with its id.
      const jsonl = await (await fetch(`${srv.base}/api/export.jsonl`)).text();
      const rows = jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; energy: { ratio: { p50: number } } });
      expect(rows.map((r) => r.id)).toEqual([id]);
      expect(rows[0]?.energy.ratio.p50).toBe(doc.energy!.ratio.p50);

      // Same content again: deduplicated, no new row, no new token.
      const again = await postJson(srv.base, doc);
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ id, duplicate: true });
      expect(await total(srv.base)).toBe(1);

      // Withdrawal: wrong token, missing token and unknown id are refused; the right token deletes.
      const wrong = await deleteResult(srv.base, id, 'not-the-token');
      expect(wrong.status).toBe(403);
      expect(((await wrong.json()) as { error: string }).error).toMatch(/wrong deletion token/);
      expect((await deleteResult(srv.base, id)).status).toBe(403);
      expect((await deleteResult(srv.base, 'AAAAAAAAAAAAAAAA', token)).status).toBe(404);
      // The token in the query string is refused even when right: URLs end up in access logs,
      // proxy logs and browser history, so the token travels only in the Authorization header.
      const inQuery = await fetch(`${srv.base}/api/results/${id}?token=${token}`, { method: 'DELETE' });
      expect(inQuery.status).toBe(403);
      expect(((await inQuery.json()) as { error: string }).error).toBe('a deletion token is required (Authorization: Bearer <token>)');
      expect(await total(srv.base)).toBe(1);
      const right = await deleteResult(srv.base, id, token);
      expect(right.status).toBe(204);
      expect(await total(srv.base)).toBe(0);
      expect((await fetch(`${srv.base}/api/results/${id}`)).status).toBe(404);
      expect((await deleteResult(srv.base, id, token)).status).toBe(404);
    });

    test('lost receipt: a retry with the same Idempotency-Key gets the same id and a new token', async () => {
      const doc = uniqueResult(7001);
      const key = 'k'.repeat(20) + '-retry_A1';
      const first = await postJson(srv.base, doc, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const id = first.json.id as string;
      const lostToken = first.json.token as string;
      const before = await total(srv.base);

      // The client never saw that answer and retries with the same key.
      const replay = await postJson(srv.base, doc, { 'idempotency-key': key });
      expect(replay.status).toBe(200);
      expect(replay.json).toEqual({ id, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown, duplicate: true, replayed: true });
      const token = replay.json.token as string;
      expect(token).not.toBe(lostToken);
      expect(await total(srv.base)).toBe(before);

      // Without the key, or with another key, a duplicate still gets no token.
      expect((await postJson(srv.base, doc)).json).toEqual({ id, duplicate: true });
      expect((await postJson(srv.base, doc, { 'idempotency-key': 'x'.repeat(43) })).json).toEqual({ id, duplicate: true });

      // Only the hash of the newest token is stored: the lost one no longer withdraws.
      const del = (t: string) => deleteResult(srv.base, id, t);
      expect((await del(lostToken)).status).toBe(403);
      expect((await del(token)).status).toBe(204);
      expect(await total(srv.base)).toBe(before - 1);
    });

    test('a content without a key at first upload can never be replayed', async () => {
      const doc = uniqueResult(7002);
      const first = await postJson(srv.base, doc);
      expect(first.status).toBe(201);
      const again = await postJson(srv.base, doc, { 'idempotency-key': 'y'.repeat(43) });
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ id: first.json.id, duplicate: true });
      const del = await deleteResult(srv.base, first.json.id as string, first.json.token as string);
      expect(del.status).toBe(204);
    });

    test('unknown and identifying fields are stripped before storage', async () => {
      const doc = sampleResult({ app: { version: '0.1.0-strip' } }) as unknown as Record<string, unknown>;
      const env = (doc.environment as Record<string, Record<string, unknown>>);
      env.adapter!.description = 'NVIDIA GeForce RTX 4090 Laptop';
      env.adapter!.device = '0x2717';
      env.adapter!.driver = '550.54';
      (env as Record<string, unknown>).userAgent = 'Mozilla/5.0 (X11; Linux x86_64)';
      doc.ip = '203.0.113.7';
      doc.date = '2026-11-23';
      const up = await postJson(srv.base, doc, { 'user-agent': 'Mozilla/5.0 SecretAgent' });
      expect(up.status).toBe(201);
      const jsonl = await (await fetch(`${srv.base}/api/export.jsonl`)).text();
      expect(jsonl).not.toMatch(/RTX|0x2717|550\.54|Mozilla|SecretAgent|203\.0\.113|127\.0\.0\.1|userAgent|"ip"/);
      const del = await deleteResult(srv.base, up.json.id as string, up.json.token as string);
      expect(del.status).toBe(204);
    });

    test('paging walks every result once', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await postJson(srv.base, uniqueResult(1000 + i));
        expect(r.status).toBe(201);
        ids.push(r.json.id as string);
      }
      const seen: string[] = [];
      let after = '';
      for (let guard = 0; guard < 10; guard++) {
        const page = (await (await fetch(`${srv.base}/api/results?limit=2${after ? `&after=${after}` : ''}`)).json()) as ResultPage;
        seen.push(...page.items.map((i) => i.id));
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toEqual(ids);
      expect((await fetch(`${srv.base}/api/results?limit=0`)).status).toBe(400);
      expect((await fetch(`${srv.base}/api/results?after=abc`)).status).toBe(400);
    });

    describe('every rejection path answers 4xx with a reason and stores nothing', () => {
      // A string body is sent as it is (malformed JSON included), anything else as JSON.
      const cases: { name: string; body: () => unknown; headers?: Record<string, string>; status: number; message: RegExp }[] = [
        { name: 'not JSON', body: () => '{"schemaVersion": 1,', status: 400, message: /not valid JSON/ },
        { name: 'wrong content type', body: () => JSON.stringify(sampleResult()), headers: { 'content-type': 'text/plain' }, status: 415, message: /application\/json/ },
        { name: 'oversized body', body: () => JSON.stringify({ ...sampleResult(), pad: 'x'.repeat(70_000) }), status: 413, message: /too large/ },
        { name: 'empty object', body: () => ({}), status: 422, message: /invalid/ },
        { name: 'an array', body: () => [sampleResult()], status: 422, message: /invalid/ },
        { name: 'wrong schema version', body: () => ({ ...sampleResult(), schemaVersion: 2 }), status: 422, message: /invalid/ },
        { name: 'Infinity through 1e999', body: () => JSON.stringify(sampleResult()).replace('"medianMs":2.5', '"medianMs":1e999'), status: 422, message: /invalid/ },
        { name: 'unknown vendor', body: () => { const d = sampleResult(); d.environment.adapter.vendor = 'acme'; return d; }, status: 422, message: /invalid/ },
        { name: 'unknown preset', body: () => ({ ...sampleResult(), suite: { preset: 'turbo', version: '1' } }), status: 422, message: /invalid/ },
        { name: 'implausible throughput', body: () => { const d = sampleResult(); d.workloads[2]!.flops = 1e16; return d; }, status: 422, message: /invalid/ },
        { name: 'malformed Idempotency-Key', body: () => sampleResult({ app: { version: 'bad-key' } }), headers: { 'content-type': 'application/json', 'idempotency-key': 'short' }, status: 400, message: /Idempotency-Key must be 22 to 128 characters/ },
        { name: 'p5 > p50', body: () => { const d = sampleResult(); d.energy!.ratio = { p5: 9, p50: 7.5, p95: 8.5 }; return d; }, status: 422, message: /invalid/ },
      ];
      for (const c of cases) {
        test(c.name, async () => {
          const before = await total(srv.base);
          const r = await postJson(srv.base, c.body(), c.headers ?? {});
          expect(r.status).toBe(c.status);
          expect(String(r.json.error)).toMatch(c.message);
          expect(await total(srv.base)).toBe(before);
          expect((await fetch(`${srv.base}/healthz`)).status).toBe(200);
        });
      }

      test('validation issues name the offending field', async () => {
        const d = sampleResult();
        d.workloads[0]!.timing.p10Ms = 3; // above the median 2.5
        const r = await postJson(srv.base, d);
        expect(r.status).toBe(422);
        expect(r.json.issues).toEqual(['workloads.0.timing: must satisfy p10Ms ≤ medianMs ≤ p90Ms']);
      });
    });

    test('security headers: CSP, isolation, and CORS only on reads', async () => {
      const statsAnswer = await fetch(`${srv.base}/api/stats`);
      expect(statsAnswer.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(statsAnswer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(statsAnswer.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(statsAnswer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(statsAnswer.headers.get('access-control-allow-origin')).toBe('*');
      const post = await postJson(srv.base, '{', { origin: 'https://evil.example' });
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
      const root = await fetch(`${srv.base}/`);
      expect(root.status).toBe(503);
      expect(await root.text()).toMatch(/run npm run build/);
      expect(root.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite asserts exact counts.
eachBackend('API', apiSuite, { emptySchema: true });
