/**
 * Real-model documents through the results server: a valid one is stored and comes back in the
 * listing and both exports; a tampered accuracy interval, figure per correct answer or ratio per
 * correct answer is refused with 422 naming the field; /api/stats pools their answers per model,
 * dtype and task set (English and French apart) and a withdrawal restores it exactly; migration
 * 3's cleaning keeps the new kind. Run on each storage backend.
 */
import { describe, expect, test } from 'vitest';
import { cleanDocument } from '../../server/clean-results.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleRealResult, sampleRealWorkloads } from '../../src/shared/sample-real-result.ts';
import type { DatasetStats, GroupStats } from '../../src/shared/dataset.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';
import { pooledAccuracy } from '../../server/aggregate-stats.ts';
import { jsonlDocs, listedIds, postJson, stats, upload, useServer, withdraw, type Receipt } from './helpers.ts';
import { csvValue as col, fetchCsv } from './csv.ts';
import { eachBackend, serverStorage, type SuiteBackend } from './postgres-harness.ts';

const fresh = (): ResultDocument => structuredClone(sampleRealResult());

/**
 * Another valid real-models document: the classifier answered `correct` of its 40 items (its
 * interval the Wilson one) and took `medianMs` per query; the sample's energy section, per-correct
 * figures included, is recomputed from these workloads, so the server accepts it.
 */
function variant(n: number, correct: number, medianMs: number, language: 'en' | 'fr' = 'en'): ResultDocument {
  const ws = sampleRealWorkloads();
  const spec = ws[0]!;
  const w = wilson(correct, spec.real!.accuracy.n);
  spec.real = { ...spec.real!, accuracy: { correct, n: spec.real!.accuracy.n, low: w.low, high: w.high } };
  spec.timing = { ...spec.timing, medianMs };
  for (const x of ws) if (x.real) x.real = { ...x.real, taskSet: { id: `sentiment-${language}`, version: 1, language } };
  return structuredClone(sampleRealResult({ workloads: ws, app: { version: `0.1.0-rm${n}` } }));
}

function realModelsSuite(backend: SuiteBackend) {
  describe(`real-model documents (${backend.kind})`, () => {
    const srv = useServer(() => serverStorage(backend.config()));

    test('a valid document is stored, and comes back in the listing, the CSV and the JSONL', async () => {
      const doc = fresh();
      const { id } = await upload(srv.base, doc);

      const one = (await (await fetch(`${srv.base}/api/results/${id}`)).json()) as { doc: ResultDocument };
      expect(one.doc.workloads.map((w) => `${w.kind} ${w.id}`)).toEqual(doc.workloads.map((w) => `${w.kind} ${w.id}`));
      expect(one.doc.workloads[1]!.real).toEqual(doc.workloads[1]!.real);
      expect(one.doc.energy?.ratioPerCorrect).toEqual(doc.energy!.ratioPerCorrect);

      const csv = await fetchCsv(srv.base);
      const general = csv.find((r) => r[0] === id && col(r, 'workload_id') === 'general:qwen2.5-0.5b-instruct:webgpu')!;
      expect([col(general, 'kind'), col(general, 'real_model'), col(general, 'real_dtype'), col(general, 'execution_provider'), col(general, 'accuracy_n'), col(general, 'parse_failures')])
        .toEqual(['real-model', 'qwen2.5-0.5b-instruct', 'q4f16', 'webgpu', '40', '2']);
      const pc = doc.energy!.perQuery.general.perCorrect!;
      expect(Number(col(general, 'per_correct_j_p50'))).toBe(pc.available ? pc.joules.p50 : NaN);

      const jsonl = jsonlDocs(await (await fetch(`${srv.base}/api/export.jsonl`)).text());
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
      const res = await postJson(srv.base, d);
      expect(res.status).toBe(422);
      expect(res.json.issues as string[]).toEqual(expect.arrayContaining([expect.stringMatching(issue)]) as unknown);
    });

    test('stats pool the answers per model and dtype; the filtered listing and exports find them; withdrawal restores /api/stats exactly', async () => {
      const groupOf = (s: DatasetStats, model: string, dtype: string): GroupStats | undefined => s.groups.find((g) => g.model === model && g.dtype === dtype && g.task === 'sentiment-en');
      const before = await stats(srv.base);
      const docs = [variant(1, 30, 11.9), variant(2, 25, 12.4)];
      const ups: Receipt[] = [];
      for (const d of docs) ups.push(await upload(srv.base, d));
      const after = await stats(srv.base);
      // Each result counts once in the total, though it belongs to two groups (its two real models).
      expect(after.total).toBe(before.total + 2);
      for (const [model, dtype, role] of [['distilbert-sst2', 'fp32', 'specialized'], ['qwen2.5-0.5b-instruct', 'q4f16', 'general']] as const) {
        const was = groupOf(before, model, dtype);
        const g = groupOf(after, model, dtype)!;
        expect(g.count).toBe((was?.count ?? 0) + 2);
        expect([g.medianGeneralJ, g.medianSpecializedJ, g.medianRatio]).toEqual([null, null, null]);
        // Pooled accuracy: the rate of all answers, never an average of the results' rates; its
        // Wilson interval at the answers of one result, since the uploads answered the same sentences.
        const added = docs.map((d) => d.workloads.find((w) => w.kind === 'real-model' && w.role === role)!.real!.accuracy);
        const correct = (was?.real?.accuracy?.correct ?? 0) + added.reduce((a, x) => a + x.correct, 0);
        const n = (was?.real?.accuracy?.n ?? 0) + added.reduce((a, x) => a + x.n, 0);
        expect(g.real?.accuracy).toEqual(pooledAccuracy(correct, n, g.count));
        expect([g.real?.accuracy?.results, g.real?.accuracy?.effectiveN]).toEqual([g.count, 40]);
      }
      // The synthetic race's group of that adapter gains nothing from them.
      expect(after.groups.filter((g) => g.model === null)).toEqual(before.groups.filter((g) => g.model === null));
      expect(after.workloads.filter((x) => x.model === 'distilbert-sst2').map((x) => x.workload)).toEqual(['specialized:distilbert-sst2:webgpu']);

      const ids = (query: string) => listedIds(srv.base, query);
      const mine = ups.map((u) => u.id);
      expect(await ids('model=distilbert-sst2&dtype=fp32')).toEqual(expect.arrayContaining(mine) as unknown);
      expect(await ids('model=qwen2.5-0.5b-instruct&dtype=q4f16')).toEqual(expect.arrayContaining(mine) as unknown);
      expect(await ids('dtype=q4f16')).toEqual(expect.arrayContaining(mine) as unknown);
      expect(await ids('model=distilbert-sst2&dtype=q4f16')).toEqual([]);

      const csv = await fetchCsv(srv.base, 'model=distilbert-sst2&dtype=fp32');
      for (const [i, d] of docs.entries()) {
        const spec = csv.find((r) => r[0] === mine[i] && col(r, 'workload_id') === 'specialized:distilbert-sst2:webgpu')!;
        const acc = d.workloads[0]!.real!.accuracy;
        expect([col(spec, 'real_model'), col(spec, 'real_dtype'), col(spec, 'accuracy_n'), col(spec, 'accuracy_low'), col(spec, 'accuracy_high')])
          .toEqual(['distilbert-sst2', 'fp32', String(acc.n), String(acc.low), String(acc.high)]);
        const pc = d.energy!.perQuery.specialized.perCorrect!;
        expect(Number(col(spec, 'per_correct_j_p50'))).toBe(pc.available ? pc.joules.p50 : NaN);
      }
      const jsonl = jsonlDocs(await (await fetch(`${srv.base}/api/export.jsonl?model=qwen2.5-0.5b-instruct&dtype=q4f16`)).text());
      expect(jsonl.map((r) => r.id)).toEqual(expect.arrayContaining(mine) as unknown);
      expect(jsonl.find((r) => r.id === mine[1])?.workloads[0]?.real?.accuracy).toEqual(docs[1]!.workloads[0]!.real!.accuracy);

      for (const u of ups) await withdraw(srv.base, u);
      expect(await stats(srv.base)).toEqual(before);
      expect(await ids('model=distilbert-sst2&dtype=fp32')).not.toEqual(expect.arrayContaining([mine[0]]) as unknown);
    });

    test('an English and a French upload of one model: two groups, each its own accuracy; the task filter and column; withdrawal restores exactly', async () => {
      const before = await stats(srv.base);
      const en = await upload(srv.base, variant(11, 38, 12.1, 'en'));
      const withEn = await stats(srv.base);
      const fr = await upload(srv.base, variant(12, 21, 12.3, 'fr'));
      const both = await stats(srv.base);
      const classifier = (s: DatasetStats, task: string) => s.groups.find((g) => g.model === 'distilbert-sst2' && g.dtype === 'fp32' && g.task === task);
      const gFr = classifier(both, 'sentiment-fr')!;
      // The French group holds the French result only: its own 21 of 40, not pooled with English answers.
      expect(gFr.count).toBe(1);
      expect(gFr.real?.accuracy).toEqual(pooledAccuracy(21, 40, 1));
      expect(classifier(both, 'sentiment-en')).toEqual(classifier(withEn, 'sentiment-en'));
      expect(classifier(withEn, 'sentiment-en')!.real!.accuracy!.correct).toBe((classifier(before, 'sentiment-en')?.real?.accuracy?.correct ?? 0) + 38);
      expect(both.groups.filter((g) => g.task === 'sentiment-fr').map((g) => g.model).sort()).toEqual(['distilbert-sst2', 'qwen2.5-0.5b-instruct']);
      expect(both.groups.filter((g) => g.model === null).every((g) => g.task === null)).toBe(true);

      const ids = (query: string) => listedIds(srv.base, query);
      expect(await ids('task=sentiment-fr')).toEqual([fr.id]);
      expect(await ids('model=distilbert-sst2&task=sentiment-en')).toEqual(expect.arrayContaining([en.id]) as unknown);
      expect(await ids('model=distilbert-sst2&task=sentiment-en')).not.toContain(fr.id);
      expect((await fetch(`${srv.base}/api/results?task=sentiment-de`)).status).toBe(400);
      const csv = await fetchCsv(srv.base, 'task=sentiment-fr');
      expect(csv.slice(1).filter((r) => col(r, 'kind') === 'real-model').map((r) => [r[0], col(r, 'task_set')])).toEqual([[fr.id, 'sentiment-fr'], [fr.id, 'sentiment-fr']]);

      await withdraw(srv.base, fr);
      expect(await stats(srv.base)).toEqual(withEn);
      await withdraw(srv.base, en);
      expect(await stats(srv.base)).toEqual(before);
    });

    test('the stored-row cleaning (migration 3) keeps a real-model document unchanged', () => {
      const outcome = cleanDocument(fresh());
      expect(outcome.kind).toBe('unchanged');
    });
  });
}

// Starts from an empty schema on PostgreSQL: the valid document must be new (201), not a duplicate of an earlier run.
eachBackend('real models', realModelsSuite, { emptySchema: true });
