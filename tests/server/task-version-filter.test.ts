/**
 * The `taskVersion` filter, on PGlite and PostgreSQL (`eachBackend`): results of versions 1 and 2
 * of one task set come back apart in the listing, the CSV and the JSONL when a version is asked,
 * together when only `task` is; a value that is not a canonical integer ≥ 1, or a version
 * without `task`, is a 400 naming the parameter on each of them; and the exports of two versions
 * carry different tags, so a cache never answers one with the other.
 */
import { describe, expect, test } from 'vitest';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleRealResult, sampleRealWorkloads } from '../../src/shared/sample-real-result.ts';
import { jsonlDocs, listedIds, upload, uniqueResult, useServer, type Receipt } from './helpers.ts';
import { csvValue as col, fetchCsv } from './csv.ts';
import { eachBackend, serverStorage, type SuiteBackend } from './postgres-harness.ts';

/** The sample real-models document on version `version` of its task set (English sentiment), made distinct by `n`. */
function onVersion(n: number, version: number): ResultDocument {
  const ws = sampleRealWorkloads();
  for (const w of ws) if (w.real) w.real = { ...w.real, taskSet: { ...w.real.taskSet, version } };
  return structuredClone(sampleRealResult({ workloads: ws, app: { version: `0.1.0-tv${n}` } }));
}

const versionsIn = (doc: ResultDocument): number[] => [...new Set(doc.workloads.flatMap((w) => (w.real ? [w.real.taskSet.version] : [])))];

function taskVersionSuite(backend: SuiteBackend) {
  describe(`taskVersion filter (${backend.kind})`, () => {
    const srv = useServer(() => serverStorage(backend.config()));
    let v1: Receipt;
    let v2: Receipt;
    let synthetic: Receipt;

    test('the documents: two real-model results of one task set, versions 1 and 2, and a synthetic one', async () => {
      const a = onVersion(1, 1);
      const b = onVersion(2, 2);
      expect([versionsIn(a), versionsIn(b)]).toEqual([[1], [2]]);
      expect(a.workloads.filter((w) => w.real).every((w) => w.real!.taskSet.id === 'sentiment-en')).toBe(true);
      v1 = await upload(srv.base, a);
      v2 = await upload(srv.base, b);
      synthetic = await upload(srv.base, uniqueResult(7001));
    });

    test('the listing: exactly the results of the version asked; task alone keeps both; no filter keeps all', async () => {
      const ids = (query: string) => listedIds(srv.base, query);
      expect(await ids('task=sentiment-en&taskVersion=1')).toEqual([v1.id]);
      expect(await ids('task=sentiment-en&taskVersion=2')).toEqual([v2.id]);
      expect(await ids('task=sentiment-en&taskVersion=3')).toEqual([]);
      expect(await ids('task=sentiment-en')).toEqual([v1.id, v2.id]);
      expect(await ids('')).toEqual([v1.id, v2.id, synthetic.id]);
      // With the other real-model filters: one real workload matching all of them.
      expect(await ids('model=distilbert-sst2&dtype=fp32&task=sentiment-en&taskVersion=2')).toEqual([v2.id]);
      expect(await ids('model=distilbert-sst2&dtype=q4f16&task=sentiment-en&taskVersion=2')).toEqual([]);
      expect(await ids('task=sentiment-fr&taskVersion=1')).toEqual([]);
      // Empty means no filter, as for every other parameter.
      expect(await ids('task=sentiment-en&taskVersion=')).toEqual([v1.id, v2.id]);
    });

    test('the CSV (read as RFC 4180): exactly the rows of the version asked, both without it', async () => {
      // One row per workload: each document's two real-model workloads, and its replicas (no task set).
      const rows = async (query: string) => (await fetchCsv(srv.base, query)).slice(1).map((r) => [r[0], col(r, 'kind'), col(r, 'task_set'), col(r, 'task_version')]);
      const expected = (id: string, version: string) => onVersion(0, 1).workloads.map((w) => (w.real ? [id, 'real-model', 'sentiment-en', version] : [id, w.kind, '', '']));
      const one = await rows('task=sentiment-en&taskVersion=1');
      expect(one).toEqual(expected(v1.id, '1'));
      expect(one.filter((r) => r[1] === 'real-model')).toHaveLength(2);
      expect(await rows('task=sentiment-en&taskVersion=2')).toEqual(expected(v2.id, '2'));
      expect(await rows('task=sentiment-en')).toEqual([...expected(v1.id, '1'), ...expected(v2.id, '2')]);
      expect(await rows('task=sentiment-en&taskVersion=3')).toEqual([]);
    });

    test('the JSONL: exactly the documents of the version asked, both without it', async () => {
      const docs = async (query: string) => jsonlDocs(await (await fetch(`${srv.base}/api/export.jsonl?${query}`)).text()).map((d) => [d.id, versionsIn(d)]);
      expect(await docs('task=sentiment-en&taskVersion=1')).toEqual([[v1.id, [1]]]);
      expect(await docs('task=sentiment-en&taskVersion=2')).toEqual([[v2.id, [2]]]);
      expect(await docs('task=sentiment-en')).toEqual([[v1.id, [1]], [v2.id, [2]]]);
    });

    test.each([
      ['taskVersion=1', 'taskVersion must come with task: a version numbers the items of one task set'],
      ['dtype=fp32&taskVersion=2', 'taskVersion must come with task: a version numbers the items of one task set'],
      ['task=sentiment-en&taskVersion=0', 'taskVersion must be an integer ≥ 1 written in digits'],
      ['task=sentiment-en&taskVersion=-1', 'taskVersion must be an integer ≥ 1 written in digits'],
      ['task=sentiment-en&taskVersion=01', 'taskVersion must be an integer ≥ 1 written in digits'],
      ['task=sentiment-en&taskVersion=1.5', 'taskVersion must be an integer ≥ 1 written in digits'],
      ['task=sentiment-en&taskVersion=1e3', 'taskVersion must be an integer ≥ 1 written in digits'],
      ['task=sentiment-en&taskVersion=1234567890', 'taskVersion must be an integer ≥ 1 written in digits'],
      ['task=sentiment-en&taskVersion=%3Cscript%3E', 'taskVersion must be an integer ≥ 1 written in digits'],
    ])('%s: 400 with the rule, on the listing and both exports', async (query, message) => {
      for (const path of ['/api/results', '/api/export.csv', '/api/export.jsonl']) {
        const res = await fetch(`${srv.base}${path}?${query}`);
        expect(res.status, path).toBe(400);
        expect(((await res.json()) as { error: string }).error, path).toBe(message);
      }
    });

    test('the OpenAPI document offers it on the listing and both exports', async () => {
      type Doc = { paths: Record<string, { get: { parameters: { $ref?: string }[] } }>; components: { parameters: Record<string, { name: string; schema: Record<string, unknown> }> } };
      const doc = (await (await fetch(`${srv.base}/api/openapi.json`)).json()) as Doc;
      for (const path of ['/api/results', '/api/export.csv', '/api/export.jsonl']) {
        expect(doc.paths[path]!.get.parameters.map((p) => p.$ref), path).toContain('#/components/parameters/taskVersion');
      }
      expect(doc.components.parameters.taskVersion).toMatchObject({ name: 'taskVersion', schema: { type: 'integer', minimum: 1 } });
    });

    test('the exports of two versions carry different tags', async () => {
      const tag = async (query: string) => (await fetch(`${srv.base}/api/export.csv?${query}`)).headers.get('etag');
      const [one, two, any] = [await tag('task=sentiment-en&taskVersion=1'), await tag('task=sentiment-en&taskVersion=2'), await tag('task=sentiment-en')];
      expect(one).not.toBeNull();
      expect(new Set([one, two, any]).size).toBe(3);
      const again = await fetch(`${srv.base}/api/export.csv?task=sentiment-en&taskVersion=2`, { headers: { 'if-none-match': one! } });
      expect(again.status).toBe(200);
      await again.body?.cancel();
    });
  });
}

// An empty schema on PostgreSQL: the documents must be new (201), and "no filter" lists exactly these three.
eachBackend('task version filter', taskVersionSuite, { emptySchema: true });
