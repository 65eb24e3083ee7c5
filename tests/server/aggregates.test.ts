/**
 * The maintained aggregates on a real database, on each storage backend: a withdrawal brings /api/stats back to exactly what it was,
 * the stored bins equal a rebuild from the rows after inserts, duplicates, replays and
 * withdrawals (including one through a merged upload's id), a large group's medians come from
 * its sketch within the stated accuracy, and migration 5 builds the aggregates of rows already
 * stored.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate, type Db } from '../../server/db.ts';
import { ResultStore } from '../../server/store.ts';
import { aggregatesFromRows, rebuildAggregates, storedAggregates } from '../../server/aggregates.ts';
import { EXACT_MEDIAN_MAX, readAggregateStats } from '../../server/aggregate-stats.ts';
import { RELATIVE_ACCURACY } from '../../server/sketch.ts';
import { datasetVersion } from '../../server/http-cache.ts';
import { sha256 } from '../../server/result-row.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import type { UploadAccepted } from '../../src/shared/dataset.ts';
import { uniqueResult } from './helpers.ts';
import { eachBackend, openQuiet, type SuiteBackend } from './postgres-harness.ts';
import { sampleRealResult } from '../../src/shared/sample-real-result.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';
import { filteredPages } from '../../server/export-stream.ts';

/**
 * A unique real-models document (the doc helper's valid sample) with `correct` of 40 for the
 * classifier, both models answering the task set of `language`.
 */
function realDoc(n: number, correct: number, language: 'en' | 'fr' = 'en'): ResultDocument {
  const d = structuredClone(sampleRealResult());
  d.app = { version: `0.1.0-real${n}` };
  d.environment.adapter.vendor = 'apple';
  const spec = d.workloads.find((w) => w.kind === 'real-model' && w.role === 'specialized')!;
  spec.real!.accuracy = { ...spec.real!.accuracy, correct };
  spec.timing.medianMs = 10 + n;
  for (const w of d.workloads) if (w.real) w.real.taskSet = { id: `sentiment-${language}`, version: 1, language };
  return d;
}

/** A unique document in the given group with the given per-result figures (the store does not recompute energy). */
function doc(n: number, vendor: string, f: { ratio: number; generalJ: number; specializedJ: number } | null): ResultDocument {
  const d = structuredClone(uniqueResult(n));
  d.environment.adapter.vendor = vendor;
  d.workloads[0]!.timing.medianMs = 1 + (n % 7);
  if (f === null) delete d.energy;
  else {
    d.energy!.ratio.p50 = f.ratio;
    d.energy!.perQuery.general.joules.p50 = f.generalJ;
    d.energy!.perQuery.specialized.joules.p50 = f.specializedJ;
  }
  return d;
}

const figures = (n: number) => ({ ratio: 2 + (n % 13) * 0.7, generalJ: 0.01 * (1 + n), specializedJ: 1e-4 * (1 + (n % 31)) });

async function expectMaintainedEqualsRebuilt(db: Db, store?: ResultStore): Promise<void> {
  const stored = (await storedAggregates(db)).lines();
  expect(stored.length).toBeGreaterThan(0);
  expect(stored).toEqual((await aggregatesFromRows(db)).lines());
  // The store keeps each group's bins and exact medians between writes: the same answer as reading every group afresh.
  if (store) expect(await store.stats()).toEqual(await db.transaction((tx) => readAggregateStats(tx)));
}

function aggregatesSuite(backend: SuiteBackend) {
  describe(`maintained aggregates (${backend.kind})`, () => {
    let db: Db;
    let store: ResultStore;
    let n = 0;
    beforeAll(async () => {
      db = await openQuiet(backend.config());
      store = new ResultStore(db, { statsTtlMs: 0 });
    });
    afterAll(async () => {
      await db?.close();
    });

    test('upload, read stats, withdraw: stats back to exactly before', async () => {
      await store.insert(doc(++n, 'nvidia', figures(n)));
      await store.insert(doc(++n, 'amd', null));
      const before = await store.stats();
      const up = (await store.insert(doc(++n, 'nvidia', figures(n)))) as UploadAccepted;
      const during = await store.stats();
      expect(during.total).toBe(before.total + 1);
      expect(during.groups.find((g) => g.vendor === 'nvidia')?.count).toBe(2);
      expect(await store.remove(up.id, up.token)).toBe('deleted');
      expect(await store.stats()).toEqual(before);
      // A group whose last result is withdrawn disappears with its bins.
      const lone = (await store.insert(doc(++n, 'qualcomm', figures(n)))) as UploadAccepted;
      expect((await store.stats()).groups.some((g) => g.vendor === 'qualcomm')).toBe(true);
      expect(await store.remove(lone.id, lone.token)).toBe('deleted');
      expect(await store.stats()).toEqual(before);
    });

    test('stored bins equal a rebuild from the rows after inserts, duplicates, replays and withdrawals', async () => {
      const kept: UploadAccepted[] = [];
      for (let i = 0; i < 12; i++) {
        const d = doc(++n, i % 3 === 0 ? 'intel' : 'apple', i % 4 === 0 ? null : figures(n));
        const up = (await store.insert(d, { idempotencyKey: `key-of-upload-number-${n}` })) as UploadAccepted;
        kept.push(up);
        // Same content again, with and without the key: no new row, nothing added.
        expect((await store.insert(d)).duplicate).toBe(true);
        expect((await store.insert(d, { idempotencyKey: `key-of-upload-number-${n}` })).duplicate).toBe(true);
      }
      // A replay replaced the token of the first answer: withdraw with a fresh one is tested in
      // the API suite; here the rows, not tokens, matter. Withdraw through a merged upload's id.
      const [a, b] = kept;
      await db.query('UPDATE results SET token_hash = $1, merged_ids = ARRAY[$2], extra_token_hashes = ARRAY[$3] WHERE id = $4', [sha256('t-own'), 'mergedUpload0001', sha256('t-merged'), a!.id]);
      expect(await store.remove('mergedUpload0001', 't-merged')).toBe('deleted');
      await db.query('UPDATE results SET token_hash = $1 WHERE id = $2', [sha256('t-b'), b!.id]);
      expect(await store.remove(b!.id, 'wrong')).toBe('forbidden');
      expect(await store.remove(b!.id, 't-b')).toBe('deleted');
      await expectMaintainedEqualsRebuilt(db, store);
      expect((await store.stats()).total).toBe(Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM results')).rows[0]!.n));
      const report = await db.transaction((tx) => rebuildAggregates(tx));
      expect(report.differing).toBe(0);
    });

    test(`a group above ${EXACT_MEDIAN_MAX} results reads its medians from the sketch, within ${RELATIVE_ACCURACY * 100} %`, async () => {
      const ratios: number[] = [];
      for (let i = 0; i <= EXACT_MEDIAN_MAX; i++) {
        const f = figures(++n);
        ratios.push(f.ratio);
        await store.insert(doc(n, 'arm', f));
      }
      const g = (await store.stats()).groups.find((x) => x.vendor === 'arm')!;
      expect(g.count).toBe(EXACT_MEDIAN_MAX + 1);
      expect(g.medianSource).toBe('sketch');
      const sorted = [...ratios].sort((x, y) => x - y);
      const exactMedian = sorted[Math.floor(0.5 * (sorted.length - 1))]!;
      expect(Math.abs(g.medianRatio! - exactMedian)).toBeLessThanOrEqual(RELATIVE_ACCURACY * exactMedian);
      const dist = g.distributions.find((d) => d.metric === 'ratio')!;
      expect(dist.count).toBe(EXACT_MEDIAN_MAX + 1);
      expect(dist.quantiles.map((p) => p.q)).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
      for (const p of dist.quantiles) {
        const exact = sorted[Math.floor(p.q * (sorted.length - 1))]!;
        expect(Math.abs(p.value - exact)).toBeLessThanOrEqual(RELATIVE_ACCURACY * exact);
      }
      // Smaller groups stay exact.
      expect((await store.stats()).groups.filter((x) => x.vendor !== 'arm').every((x) => x.medianSource === 'exact')).toBe(true);
      await expectMaintainedEqualsRebuilt(db);
    });

    test('the dataset version comes from the aggregates and equals a scan of the rows, write after write', async () => {
      const scanned = async (): Promise<string> => {
        const r = (await db.query<{ v: string }>(
          `SELECT count(*)::text || '.' || coalesce(max(seq), 0)::text || '.' || coalesce(sum(seq), 0)::text
                  || '.' || (SELECT max(version) FROM schema_migrations)::text AS v FROM results`,
        )).rows[0]!;
        return r.v;
      };
      const seen = new Set<string>();
      const check = async (): Promise<void> => {
        const v = await datasetVersion(db);
        expect(v).toBe(await scanned());
        expect(seen.has(v)).toBe(false);
        seen.add(v);
      };
      await check();
      const initial = await datasetVersion(db);
      const a = (await store.insert(doc(++n, 'nvidia', figures(n)))) as UploadAccepted;
      await check();
      const b = (await store.insert(doc(++n, 'nvidia', figures(n)))) as UploadAccepted;
      await check();
      // A duplicate changes nothing.
      await store.insert(doc(n, 'nvidia', figures(n)));
      expect(await datasetVersion(db)).toBe(await scanned());
      expect(await store.remove(a.id, a.token)).toBe('deleted');
      await check();
      // Both withdrawn: the same rows as at first, so the same version (its caches stay valid).
      expect(await store.remove(b.id, b.token)).toBe('deleted');
      expect(await datasetVersion(db)).toBe(initial);
      expect(initial).toBe(await scanned());
    });

    test('real-model results: one group per model and dtype, pooled accuracy, counted once, withdrawn exactly', async () => {
      const before = await store.stats();
      const ups: UploadAccepted[] = [];
      for (const correct of [36, 30, 33]) ups.push((await store.insert(realDoc(++n, correct))) as UploadAccepted);
      const after = await store.stats();
      // Three results, each in two groups (the classifier's and the chat model's), counted once.
      expect(after.total).toBe(before.total + 3);
      const spec = after.groups.find((g) => g.vendor === 'apple' && g.model === 'distilbert-sst2')!;
      const gen = after.groups.find((g) => g.vendor === 'apple' && g.model === 'qwen2.5-0.5b-instruct')!;
      expect(spec.dtype).toBe('fp32');
      expect(gen.dtype).toBe('q4f16');
      expect(spec.count).toBe(3);
      expect(spec.medianSource).toBe('exact');
      // The synthetic group of that adapter gains nothing from them.
      expect(after.groups.filter((g) => g.vendor === 'apple' && g.model === null)).toEqual(before.groups.filter((g) => g.vendor === 'apple' && g.model === null));
      expect(spec.task).toBe('sentiment-en');
      // Pooled rate; the interval at the answers of one result (40), as Wilson gives it for 33 of 40 (the same rate).
      const w = wilson(33, 40);
      expect(spec.real?.accuracy).toEqual({ correct: 99, n: 120, results: 3, effectiveN: 40, rate: 99 / 120, low: w.low, high: w.high });
      expect(spec.medianGeneralJ).toBeNull();
      const times = ups.map((_, i) => 10 + (n - 2 + i));
      expect(spec.real?.medianQueryMs).toBe([...times].sort((a, b) => a - b)[1]);
      const sample = realDoc(0, 36);
      expect(spec.real?.medianQueryJ).toBe(sample.energy!.perQuery.specialized.joules.p50);
      const pc = sample.energy!.perQuery.specialized.perCorrect;
      expect(spec.real?.medianCorrectJ).toBe(pc?.available === true ? pc.joules.p50 : null);
      expect(spec.distributions.map((d) => d.metric)).toEqual(['queryJ', 'correctJ', 'queryMs']);
      expect(spec.distributions.find((d) => d.metric === 'queryMs')?.count).toBe(3);
      const wl = after.workloads.filter((x) => x.model === 'distilbert-sst2');
      expect(wl.map((x) => [x.workload, x.dtype, x.task, x.count, x.medianSource])).toEqual([['specialized:distilbert-sst2:webgpu', 'fp32', 'sentiment-en', 3, 'exact']]);
      await expectMaintainedEqualsRebuilt(db);

      // The listing's filters: a real model in its weights, and a dtype no one ran.
      const page = (f: Parameters<typeof filteredPages>[1]) => filteredPages(db, f)(0, 500);
      expect((await page({ model: 'distilbert-sst2', dtype: 'fp32' })).items.map((i) => i.id).sort()).toEqual(ups.map((u) => u.id).sort());
      expect((await page({ dtype: 'q4f16' })).items).toHaveLength(3);
      expect((await page({ model: 'distilbert-sst2', dtype: 'q4f16' })).items).toHaveLength(0);

      for (const u of ups) expect(await store.remove(u.id, u.token)).toBe('deleted');
      expect(await store.stats()).toEqual(before);
      await expectMaintainedEqualsRebuilt(db, store);
    });

    test('English and French results of one model: a group per task set, each its own accuracy and medians; withdrawal restores exactly', async () => {
      const before = await store.stats();
      const en = [(await store.insert(realDoc(++n, 36, 'en'))) as UploadAccepted, (await store.insert(realDoc(++n, 34, 'en'))) as UploadAccepted];
      const enTimes = [10 + n - 1, 10 + n];
      const fr = (await store.insert(realDoc(++n, 22, 'fr'))) as UploadAccepted;
      const after = await store.stats();
      expect(after.total).toBe(before.total + 3);
      const group = (task: string) => after.groups.find((g) => g.vendor === 'apple' && g.model === 'distilbert-sst2' && g.task === task);
      const gEn = group('sentiment-en')!;
      const gFr = group('sentiment-fr')!;
      expect([gEn.count, gFr.count]).toEqual([2, 1]);
      const wEn = wilson(35, 40);
      expect(gEn.real?.accuracy).toEqual({ correct: 70, n: 80, results: 2, effectiveN: 40, rate: 70 / 80, low: wEn.low, high: wEn.high });
      const wFr = wilson(22, 40);
      expect(gFr.real?.accuracy).toEqual({ correct: 22, n: 40, results: 1, effectiveN: 40, rate: wFr.rate, low: wFr.low, high: wFr.high });
      // Exact medians read the rows of the group's own task set only.
      expect(gEn.real?.medianQueryMs).toBe((enTimes[0]! + enTimes[1]!) / 2);
      expect(gFr.real?.medianQueryMs).toBe(10 + n);
      // The chat model too: one group per task set.
      expect(after.groups.filter((g) => g.vendor === 'apple' && g.model === 'qwen2.5-0.5b-instruct').map((g) => [g.task, g.count])).toEqual([['sentiment-en', 2], ['sentiment-fr', 1]]);
      expect(after.workloads.filter((x) => x.vendor === 'apple' && x.model === 'distilbert-sst2').map((x) => [x.task, x.count])).toEqual([['sentiment-en', 2], ['sentiment-fr', 1]]);
      await expectMaintainedEqualsRebuilt(db, store);
      expect((await db.transaction((tx) => rebuildAggregates(tx))).differing).toBe(0);

      // The listing's task filter, alone and with a model.
      const page = (f: Parameters<typeof filteredPages>[1]) => filteredPages(db, f)(0, 500);
      expect((await page({ task: 'sentiment-fr' })).items.map((i) => i.id)).toEqual([fr.id]);
      expect((await page({ model: 'distilbert-sst2', task: 'sentiment-en' })).items.map((i) => i.id).sort()).toEqual(en.map((u) => u.id).sort());
      expect((await page({ dtype: 'q4', task: 'sentiment-fr' })).items).toHaveLength(0);

      // Withdrawing the French one restores the French group's absence and leaves the English one.
      expect(await store.remove(fr.id, fr.token)).toBe('deleted');
      const withoutFr = await store.stats();
      expect(withoutFr.groups.some((g) => g.task === 'sentiment-fr')).toBe(false);
      expect(withoutFr.groups.find((g) => g.vendor === 'apple' && g.model === 'distilbert-sst2' && g.task === 'sentiment-en')).toEqual(gEn);
      for (const u of en) expect(await store.remove(u.id, u.token)).toBe('deleted');
      expect(await store.stats()).toEqual(before);
      await expectMaintainedEqualsRebuilt(db, store);
    });

    test('migration 5 builds the aggregates of rows already stored', async () => {
      const expected = (await aggregatesFromRows(db)).lines();
      const statsBefore = await store.stats();
      // Back to a database before migration 5: no aggregate tables, rows present.
      await db.exec('DROP TABLE aggregate_bins; DROP TABLE aggregate_groups;');
      await db.query('DELETE FROM schema_migrations WHERE version = 5');
      expect(await migrate(db, () => undefined)).toEqual([5]);
      expect((await storedAggregates(db)).groups.size).toBe(statsBefore.groups.length);
      expect((await storedAggregates(db)).lines()).toEqual(expected);
      expect(await new ResultStore(db).stats()).toEqual(statsBefore);
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite asserts exact aggregates.
eachBackend('aggregates', aggregatesSuite, { emptySchema: true });
