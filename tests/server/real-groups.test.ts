/**
 * Real-model groups that mix nothing, on PGlite and PostgreSQL (`eachBackend`):
 * custom models are told apart by their file's SHA-256 instead of pooling as `custom`; a result
 * adds one run's answers to a group even when both roles ran the same file (the role is in the
 * key), so a group's effective n stays the answers of one result; results on two versions of a
 * task set never pool. And the migration runner rebuilds the aggregates once when a version-6
 * database is upgraded, not once per migration, with the same tables as a rebuild.
 * Every document is checked as the upload route checks it (schema and energy recomputation), then
 * stored through the store, so the aggregates are the maintained ones.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate, openDb, type Db } from '../../server/db.ts';
import { eachBackend, type SuiteBackend } from './postgres-harness.ts';
import { aggregatesFromRows, storedAggregates } from '../../server/aggregates.ts';
import { MIGRATIONS, needsAggregateRebuild } from '../../server/migrations.ts';
import { ResultStore } from '../../server/store.ts';
import type { Queryable } from '../../server/queryable.ts';
import type { DatasetStats, GroupStats } from '../../src/shared/dataset.ts';
import { realWorkloadId } from '../../src/shared/realmodels/record.ts';
import { wilson } from '../../src/shared/realmodels/scoring.ts';
import { verifyEnergy } from '../../src/shared/recompute.ts';
import type { ResultDocument, Workload } from '../../src/shared/result.ts';
import { sampleRealResult, sampleRealWorkloads } from '../../src/shared/sample-real-result.ts';
import { parseResult } from '../../src/shared/schema.ts';

const FILE_A = 'c1'.repeat(32);
const FILE_B = 'd2'.repeat(32);
const FILE_BOTH = 'e3'.repeat(32);

interface Variant {
  /** The classifier's correct answers of its 40, and its median time per query (within the sample's p10..p90). */
  correct?: number;
  medianMs?: number;
  /** Run the classifier as a custom model with this file. */
  specializedFile?: string;
  /** Run the generator as a custom model with this file, in fp32. */
  generalFile?: string;
  taskVersion?: number;
}

function asCustom(w: Workload, sha256: string, dtype?: 'fp32'): void {
  w.real = { ...w.real!, model: 'custom', sha256, revision: null, ...(dtype ? { dtype } : {}) };
  w.id = realWorkloadId(w.role!, 'custom', w.real.executionProvider);
}

/** A valid real-models document (the sample's, varied): its energy section is recomputed from the workloads. */
function realDoc(n: number, v: Variant = {}): ResultDocument {
  const ws = sampleRealWorkloads();
  const spec = ws.find((w) => w.kind === 'real-model' && w.role === 'specialized')!;
  const gen = ws.find((w) => w.kind === 'real-model' && w.role === 'general')!;
  if (v.correct !== undefined) {
    const i = wilson(v.correct, spec.real!.accuracy.n);
    spec.real = { ...spec.real!, accuracy: { correct: v.correct, n: spec.real!.accuracy.n, low: i.low, high: i.high } };
  }
  if (v.medianMs !== undefined) spec.timing = { ...spec.timing, medianMs: v.medianMs };
  if (v.specializedFile) asCustom(spec, v.specializedFile);
  if (v.generalFile) asCustom(gen, v.generalFile, 'fp32');
  if (v.taskVersion !== undefined) for (const w of ws) if (w.real) w.real = { ...w.real, taskSet: { ...w.real.taskSet, version: v.taskVersion } };
  const doc = structuredClone(sampleRealResult({ workloads: ws, app: { version: `0.1.0-rg${n}` } }));
  // What POST /api/results checks before storing.
  const parsed = parseResult(doc);
  if (!parsed.ok) throw new Error(`invalid test document: ${parsed.issues.join('; ')}`);
  expect(verifyEnergy(parsed.value)).toEqual([]);
  return parsed.value;
}

const realGroups = (s: DatasetStats, model: string): GroupStats[] => s.groups.filter((g) => g.model === model);
const accuracyOf = (g: GroupStats | undefined) => {
  const a = g?.real?.accuracy;
  return a ? { correct: a.correct, n: a.n, results: a.results, effectiveN: a.effectiveN } : null;
};

/** A Db whose transactions report each walk of `results` from its first row (a full scan: aggregates.ts `aggregatesFromRows`). */
function countingScans(db: Db): { db: Db; scans: () => number } {
  let scans = 0;
  const watch = (q: Queryable): Queryable => ({
    async query(sql, params = []) {
      if (/FROM results WHERE seq > \$1 ORDER BY seq LIMIT/.test(sql) && Number(params[0]) === 0) scans++;
      return q.query(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  return { db: { ...db, query: (sql, params) => watch(db).query(sql, params), exec: (sql) => db.exec(sql), transaction: (fn) => db.transaction((tx) => fn(watch(tx))) }, scans: () => scans };
}

function realGroupsSuite(backend: SuiteBackend) {
  const open = (): Promise<Db> => openDb(backend.config(), { log: () => undefined });
  describe('real-model groups: custom files, roles, task set versions; one rebuild per upgrade', () => {
    let db: Db;
    let store: ResultStore;
    const stats = () => store.stats();
    const rebuiltEqualsMaintained = async () => expect((await storedAggregates(db)).lines()).toEqual((await aggregatesFromRows(db)).lines());
    beforeAll(async () => {
      db = await open();
      store = new ResultStore(db, { statsTtlMs: 0 });
    });
    afterAll(async () => {
      await db?.close();
    });

    test('two custom models are two groups, told apart by their file; a second upload of one file joins its group', async () => {
      for (const [n, v] of ([[1, { specializedFile: FILE_A, correct: 30, medianMs: 11.5 }], [2, { specializedFile: FILE_A, correct: 34, medianMs: 12.5 }],
        [3, { specializedFile: FILE_B, correct: 12, medianMs: 12.9 }]] as const).entries()) {
        expect((await store.insert(realDoc(100 + n, v[1]))).duplicate).toBe(false);
      }
      const s = await stats();
      const custom = realGroups(s, 'custom');
      expect(custom.map((g) => [g.modelSha256, g.role, g.dtype, g.task, g.taskVersion, g.count])).toEqual(
        expect.arrayContaining([[FILE_A, 'specialized', 'fp32', 'sentiment-en', 1, 2], [FILE_B, 'specialized', 'fp32', 'sentiment-en', 1, 1]]),
      );
      expect(custom).toHaveLength(2);
      const a = custom.find((g) => g.modelSha256 === FILE_A);
      const b = custom.find((g) => g.modelSha256 === FILE_B);
      // Each file's own answers, never the two files pooled (which would be 76 of 120).
      expect(accuracyOf(a)).toEqual({ correct: 64, n: 80, results: 2, effectiveN: 40 });
      expect(accuracyOf(b)).toEqual({ correct: 12, n: 40, results: 1, effectiveN: 40 });
      expect(a?.real?.accuracy?.rate).toBe(0.8);
      expect(b?.real?.accuracy?.rate).toBe(0.3);
      // Exact medians (small groups) of each file's own times: (11.5 + 12.5) / 2, and 12.9.
      expect(a?.medianSource).toBe('exact');
      expect(a?.real?.medianQueryMs).toBeCloseTo(12, 12);
      expect(b?.real?.medianQueryMs).toBeCloseTo(12.9, 12);
      // The generator of the closed list: one group for the three results, no file published.
      const qwen = realGroups(s, 'qwen2.5-0.5b-instruct');
      expect(qwen.map((g) => [g.role, g.taskVersion, g.count, 'modelSha256' in g])).toEqual([['general', 1, 3, false]]);
      // A custom model's workload times are apart too.
      const customWorkloads = s.workloads.filter((w) => w.model === 'custom');
      expect(customWorkloads.map((w) => [w.workload, w.modelSha256, w.taskVersion, w.count]).sort()).toEqual(
        [['specialized:custom:webgpu', FILE_A, 1, 2], ['specialized:custom:webgpu', FILE_B, 1, 1]],
      );
      await rebuiltEqualsMaintained();
    });

    test('both roles on one custom file: one result counts once in each role\'s group, with that role\'s answers (effective n 40, not 80)', async () => {
      const before = await stats();
      const up = await store.insert(realDoc(200, { specializedFile: FILE_BOTH, generalFile: FILE_BOTH }));
      if (up.duplicate || !('token' in up)) throw new Error('expected a new row');
      const s = await stats();
      expect(s.total).toBe(before.total + 1);
      const both = realGroups(s, 'custom').filter((g) => g.modelSha256 === FILE_BOTH);
      expect(both.map((g) => [g.role, g.dtype, g.count]).sort()).toEqual([['general', 'fp32', 1], ['specialized', 'fp32', 1]]);
      // The sample's classifier answered 36 of 40, its generator 31 of 40: each counted once, in its own group.
      expect(accuracyOf(both.find((g) => g.role === 'specialized'))).toEqual({ correct: 36, n: 40, results: 1, effectiveN: 40 });
      expect(accuracyOf(both.find((g) => g.role === 'general'))).toEqual({ correct: 31, n: 40, results: 1, effectiveN: 40 });
      await rebuiltEqualsMaintained();
      expect(await store.remove(up.id, up.token)).toBe('deleted');
      expect(await stats()).toEqual(before);
      await rebuiltEqualsMaintained();
    });

    test('results on two versions of a task set are two groups; withdrawing the only version-2 result removes its group', async () => {
      const before = await stats();
      const v1 = realGroups(before, 'distilbert-sst2').find((g) => g.taskVersion === 1);
      expect(v1).toBeUndefined();
      for (const n of [0, 1]) expect((await store.insert(realDoc(300 + n, { correct: 20 + n }))).duplicate).toBe(false);
      const up = await store.insert(realDoc(310, { correct: 39, taskVersion: 2 }));
      if (up.duplicate || !('token' in up)) throw new Error('expected a new row');
      const s = await stats();
      const distil = realGroups(s, 'distilbert-sst2');
      expect(distil.map((g) => [g.task, g.taskVersion, g.role, g.count]).sort()).toEqual([['sentiment-en', 1, 'specialized', 2], ['sentiment-en', 2, 'specialized', 1]]);
      expect(accuracyOf(distil.find((g) => g.taskVersion === 1))).toEqual({ correct: 41, n: 80, results: 2, effectiveN: 40 });
      expect(accuracyOf(distil.find((g) => g.taskVersion === 2))).toEqual({ correct: 39, n: 40, results: 1, effectiveN: 40 });
      const qwen = realGroups(s, 'qwen2.5-0.5b-instruct');
      expect(qwen.map((g) => [g.taskVersion, g.count]).sort()).toEqual([[1, 5], [2, 1]]);
      await rebuiltEqualsMaintained();
      expect(await store.remove(up.id, up.token)).toBe('deleted');
      const after = await stats();
      expect(realGroups(after, 'distilbert-sst2').map((g) => g.taskVersion)).toEqual([1]);
      await rebuiltEqualsMaintained();
    });

    test('upgrading a version-6 database runs migrations 7 to 10 and rebuilds the aggregates once, to what a rebuild gives', async () => {
      expect(MIGRATIONS.filter(needsAggregateRebuild).map((m) => m.version)).toEqual([5, 7, 8, 9, 10]);
      const statsBefore = await stats();
      const maintained = (await storedAggregates(db)).lines();
      // Back to what a version-6 server left: migration 5's tables (stale contents), no later migration.
      await db.exec(`DROP TABLE aggregate_bins; DROP TABLE aggregate_groups; DROP INDEX IF EXISTS results_sensor_profile_idx;
        CREATE TABLE aggregate_groups (vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
          model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '', count BIGINT NOT NULL,
          PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype));
        CREATE TABLE aggregate_bins (vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
          model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '', metric TEXT NOT NULL, sign SMALLINT NOT NULL, bin INTEGER NOT NULL, count BIGINT NOT NULL,
          PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype, metric, sign, bin));
        INSERT INTO aggregate_groups (vendor, architecture, preset, suite_version, count) VALUES ('nvidia', 'ada', 'ci', 'ci-1', 9);`);
      await db.query('DELETE FROM schema_migrations WHERE version > 6');

      const counting = countingScans(db);
      expect(await migrate(counting.db, () => undefined)).toEqual([7, 8, 9, 10]);
      expect(counting.scans()).toBe(1);
      const migrated = (await storedAggregates(db)).lines();
      expect(migrated).toEqual((await aggregatesFromRows(db)).lines());
      expect(migrated).toEqual(maintained);
      expect(await new ResultStore(db, { statsTtlMs: 0 }).stats()).toEqual(statsBefore);
      // The index migration 8 creates is back.
      const idx = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'results_sensor_profile_idx'`);
      expect(idx.rows[0]!.n).toBe(1);

      // Nothing pending: no rebuild at all.
      const again = countingScans(db);
      expect(await migrate(again.db, () => undefined)).toEqual([]);
      expect(again.scans()).toBe(0);
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite counts groups and results from zero.
eachBackend('real model groups', realGroupsSuite, { emptySchema: true });
