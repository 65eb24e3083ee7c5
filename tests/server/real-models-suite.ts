/**
 * Real-model documents through the results server: a valid one is stored and comes back in the
 * listing and both exports; a tampered accuracy interval, figure per correct answer or ratio per
 * correct answer is refused with 422 naming the field; migration 3's cleaning keeps the new kind.
 * `real-models.pglite.test.ts` and `real-models.postgres.test.ts` run it on each backend.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer } from '../../server/app.ts';
import type { RunningServer, ServerOptions } from '../../server/app.ts';
import { cleanDocument } from '../../server/clean-results.ts';
import { CSV_COLUMNS } from '../../src/shared/export.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleRealResult } from '../../src/shared/sample-real-result.ts';
import { postJson } from './helpers.ts';

const fresh = (): ResultDocument => structuredClone(sampleRealResult());

export function realModelsSuite(name: string, backend: () => Pick<ServerOptions, 'dataDir' | 'databaseUrl'>) {
  describe(`real-model documents (${name})`, () => {
    let server: RunningServer;
    let base = '';
    beforeAll(async () => {
      server = await startServer({ port: 0, log: false, rateLimit: false, staticDir: '/nonexistent-dist', ...backend() });
      base = server.url;
    });
    afterAll(async () => {
      await server?.close();
    });

    test('a valid document is stored, and comes back in the listing, the CSV and the JSONL', async () => {
      const doc = fresh();
      const up = await postJson(base, doc);
      expect(up.status, JSON.stringify(up.json)).toBe(201);
      const id = up.json.id as string;

      const one = (await (await fetch(`${base}/api/results/${id}`)).json()) as { doc: ResultDocument };
      expect(one.doc.workloads.map((w) => `${w.kind} ${w.id}`)).toEqual(doc.workloads.map((w) => `${w.kind} ${w.id}`));
      expect(one.doc.workloads[1]!.real).toEqual(doc.workloads[1]!.real);
      expect(one.doc.energy?.ratioPerCorrect).toEqual(doc.energy!.ratioPerCorrect);

      const csv = (await (await fetch(`${base}/api/export.csv`)).text()).trimEnd().split('\r\n').map((l) => l.split(','));
      const col = (row: string[], c: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(c)];
      const general = csv.find((r) => r[0] === id && col(r, 'workload_id') === 'general:qwen2.5-0.5b-instruct:webgpu')!;
      expect([col(general, 'kind'), col(general, 'real_model'), col(general, 'real_dtype'), col(general, 'execution_provider'), col(general, 'accuracy_n'), col(general, 'parse_failures')])
        .toEqual(['real-model', 'qwen2.5-0.5b-instruct', 'q4f16', 'webgpu', '40', '2']);
      const pc = doc.energy!.perQuery.general.perCorrect!;
      expect(Number(col(general, 'per_correct_j_p50'))).toBe(pc.available ? pc.joules.p50 : NaN);

      const jsonl = (await (await fetch(`${base}/api/export.jsonl`)).text()).trimEnd().split('\n').map((l) => JSON.parse(l) as ResultDocument & { id: string });
      const row = jsonl.find((r) => r.id === id)!;
      expect(row.workloads[0]!.real?.accuracy).toEqual(doc.workloads[0]!.real!.accuracy);
      expect(row.energy?.perQuery.specialized.perCorrect).toEqual(doc.energy!.perQuery.specialized.perCorrect);
    });

    test.each([
      ['the accuracy interval', (d: ResultDocument) => { d.workloads[1]!.real!.accuracy.low -= 0.05; }, /^workloads\.1\.real\.accuracy: low and high must be the 95 % Wilson interval/],
      ['a figure per correct answer', (d: ResultDocument) => { const pc = d.energy!.perQuery.specialized.perCorrect!; if (pc.available) pc.joules.p95 *= 0.8; }, /^energy\.perQuery\.specialized\.perCorrect: joules\.p95 must be/],
      ['the ratio per correct answer', (d: ResultDocument) => { const r = d.energy!.ratioPerCorrect!; if (r.available) r.ratio.p50 *= 1.02; }, /^energy\.ratioPerCorrect: ratio\.p50 must be/],
      ['the FLOP estimate', (d: ResultDocument) => { d.workloads[0]!.flops = 1; }, /^workloads\.0: flops and bytes must be the estimate/],
    ] as const)('tampered %s: 422 naming the field', async (_what, tamper, issue) => {
      const d = fresh();
      tamper(d);
      const res = await postJson(base, d);
      expect(res.status).toBe(422);
      expect(res.json.issues as string[]).toEqual(expect.arrayContaining([expect.stringMatching(issue)]) as unknown);
    });

    test('the stored-row cleaning (migration 3) keeps a real-model document unchanged', () => {
      const outcome = cleanDocument(fresh());
      expect(outcome.kind).toBe('unchanged');
    });
  });
}
