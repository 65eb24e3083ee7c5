/**
 * /api/stats from the maintained aggregates (server/aggregates.ts): one read of the group rows
 * and their bins, whose size depends on the number of groups, never on the number of results.
 * Medians of a small group are exact (over at most EXACT_MEDIAN_MAX rows, found through the group
 * index); a larger group's are read from its sketch, within RELATIVE_ACCURACY. A real model's
 * group (model, dtype, task set) adds its answers pooled, with a Wilson interval at the answers
 * of one result (`pooledAccuracy`).
 */
import type { DatasetStats, DistributionMetric, GroupStats, RealGroupStats, SketchDistribution, WorkloadStats } from '../src/shared/dataset.ts';
import { DATASET_LICENSE } from '../src/shared/dataset.ts';
import type { Queryable } from './queryable.ts';
import { DISTRIBUTION_METRICS, FIGURES_SELECT, figuresOfRow, GROUP_COLS, groupKeyText, REAL_METRICS, rowGroup, WORKLOAD_METRIC_PREFIX, type GroupKey } from './aggregates.ts';
import { Z95 } from '../src/shared/realmodels/scoring.ts';
import { DISTRIBUTION_QUANTILES, quantilesFromBins, RELATIVE_ACCURACY, type Bin, type BinSign } from './sketch.ts';

/** Groups up to this many results get exact medians: a cheap query on the group index. */
export const EXACT_MEDIAN_MAX = 200;
const MAX_GROUPS = 1000;
const MAX_WORKLOADS = 5000;
const GROUP_LIST = GROUP_COLS.join(', ');

const fullKey = groupKeyText;


/** A real model's group accuracy, as /api/stats publishes it. */
type PooledAccuracy = NonNullable<RealGroupStats['accuracy']>;

/**
 * The accuracy of a group of `results` real-model results that answered `answered` items in all,
 * `correct` of them right. The rate pools every answer (correct ÷ answered), but the 95 % Wilson
 * interval is taken at an effective n of answered ÷ results, the answers of one result on
 * average: results of one task set answer the same sentences, so a second upload is not a second
 * independent sample of the task (its answers mostly repeat the first's), and an interval at the
 * pooled n would shrink with every upload of the same run. Null when nothing was answered.
 */
export function pooledAccuracy(correct: number, answered: number, results: number, z: number = Z95): PooledAccuracy | null {
  if (answered <= 0 || results <= 0) return null;
  const rate = correct / answered;
  const n = answered / results;
  // Wilson's score interval, as scoring.ts `wilson` computes it, at a rate and an n that need not be integers.
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  // The ends are exact when every answer was wrong or every one right.
  const low = correct === 0 ? 0 : Math.max(0, centre - half);
  const high = correct === answered ? 1 : Math.min(1, centre + half);
  return { correct, n: answered, results, effectiveN: n, rate, low, high };
}

/** The median as percentile_cont(0.5) gives it: the middle value, or the mean of the two middle ones. */
function exactMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

/**
 * Exact medians of the small groups, per metric, from the rows themselves: the rows of their
 * (vendor, architecture, preset, suite version) through the group index (a real model's group:
 * those whose workloads ran this model in this dtype on this task set, a JSON containment test),
 * each turned into its figures by the same function as an insert (aggregates.ts `figuresOfRow`),
 * so a real model's group (model, dtype, task) gets exactly the values its sketch holds, and the
 * synthetic group only the synthetic race's rows.
 */
async function exactMedians(q: Queryable, small: GroupKey[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (small.length === 0) return out;
  const wanted = new Set(small.map(fullKey));
  const cols = (gs: GroupKey[]) => GROUP_COLS.map((c) => gs.map((g) => g[c]));
  const synthetic = small.filter((g) => g.model === '');
  const real = small.filter((g) => g.model !== '');
  const rows: Record<string, unknown>[] = [];
  // The synthetic race's small groups: their rows, without the real-models results of the same adapter.
  if (synthetic.length > 0) {
    rows.push(...(await q.query(
      `SELECT ${FIGURES_SELECT} FROM results
        WHERE (vendor, architecture, preset, suite_version) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))
          AND NOT (doc->'workloads' @> '[{"kind":"real-model"}]')`,
      cols(synthetic).slice(0, 4),
    )).rows);
  }
  // A real model's small group: the rows that ran this model in this dtype and role on this task
  // set and version (and, for a custom model, this file: a null sha256 is stripped, so the test
  // leaves it out for a model of the closed list).
  if (real.length > 0) {
    rows.push(...(await q.query(
      `SELECT ${FIGURES_SELECT} FROM results
        WHERE EXISTS (SELECT 1 FROM unnest(${GROUP_COLS.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS g(v, a, p, s, m, d, t, tv, r, h)
                       WHERE results.vendor = g.v AND results.architecture = g.a AND results.preset = g.p AND results.suite_version = g.s
                         AND results.doc->'workloads' @> jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('role', g.r, 'real',
                               jsonb_build_object('model', g.m, 'dtype', g.d, 'sha256', NULLIF(g.h, ''),
                                                  'taskSet', jsonb_build_object('id', g.t, 'version', g.tv::int))))))`,
      cols(real),
    )).rows);
  }
  const values = new Map<string, Map<string, number[]>>();
  for (const row of rows) {
    for (const g of figuresOfRow(row).groups) {
      const k = fullKey(g.group);
      if (!wanted.has(k)) continue;
      let metrics = values.get(k);
      if (!metrics) values.set(k, (metrics = new Map<string, number[]>()));
      for (const [metric, v] of g.values) {
        if (v === null || !Number.isFinite(v)) continue;
        let list = metrics.get(metric);
        if (!list) metrics.set(metric, (list = []));
        list.push(v);
      }
    }
  }
  for (const [k, metrics] of values) {
    const medians = new Map<string, number>();
    for (const [metric, list] of metrics) {
      const m = exactMedian(list);
      if (m !== null) medians.set(metric, m);
    }
    out.set(k, medians);
  }
  return out;
}

/** What a group's figures are computed from: its bins per metric, and its exact medians (small groups). */
interface GroupInputs {
  bins: Map<string, Bin[]>;
  exact: Map<string, number> | undefined;
}

/**
 * A group's bins and exact medians, kept between two computations of /api/stats while its members
 * stay the same: `count` and `member_seq_sum` (server/aggregates.ts) name them exactly, so the key
 * changes with any insert or withdrawal in the group, in this process or another. After a write,
 * only the groups it touched are read again, not the rows and bins of every published group.
 * Holds the published groups of the last computation only.
 */
export class GroupInputsCache {
  entries = new Map<string, { members: string; inputs: GroupInputs }>();
}

/**
 * The stats body from the aggregates. Run it inside one transaction (REPEATABLE READ on
 * PostgreSQL) so the group rows, the bins and the exact medians see the same snapshot. With a
 * cache, only the groups whose members changed since it was filled are read again.
 */
export async function readAggregateStats(q: Queryable, cache: GroupInputsCache = new GroupInputsCache()): Promise<DatasetStats> {
  const total = Number((await q.query<{ n: unknown }>('SELECT COALESCE(sum(results), 0)::bigint AS n FROM aggregate_groups')).rows[0]?.n ?? 0);
  // A group's counts are spread over its shard rows (server/aggregates.ts): summed here.
  const groupRows = (await q.query(
    `SELECT ${GROUP_LIST}, sum(count) AS count, sum(correct) AS correct, sum(answered) AS answered,
            sum(member_seq_sum)::text AS members
       FROM aggregate_groups GROUP BY ${GROUP_LIST}
      ORDER BY count DESC, ${GROUP_LIST} LIMIT ${MAX_GROUPS}`,
  )).rows;
  const groupKeys = groupRows.map((r) => ({ key: rowGroup(r), count: Number(r['count']), correct: Number(r['correct']), answered: Number(r['answered']), members: `${Number(r['count'])}.${String(r['members'])}` }));
  const kept = new Map<string, { members: string; inputs: GroupInputs }>();
  for (const g of groupKeys) {
    const k = fullKey(g.key);
    const hit = cache.entries.get(k);
    if (hit?.members === g.members) kept.set(k, hit);
  }
  const stale = groupKeys.filter((g) => !kept.has(fullKey(g.key)));
  // Only the bins of the groups published and not kept (through the bins' primary key), never all groups'.
  const published = GROUP_COLS.map((c) => stale.map((g) => g.key[c]));
  const binRows = stale.length === 0 ? [] : (await q.query(
    `SELECT ${GROUP_LIST}, metric, sign, bin, sum(count) AS count
       FROM aggregate_bins
      WHERE (${GROUP_LIST}) IN (SELECT * FROM unnest(${GROUP_COLS.map((_, i) => `$${i + 1}::text[]`).join(', ')}))
      GROUP BY ${GROUP_LIST}, metric, sign, bin`,
    published,
  )).rows;
  const bins = new Map<string, Map<string, Bin[]>>();
  for (const r of binRows) {
    const gk = fullKey(rowGroup(r));
    let metrics = bins.get(gk);
    if (!metrics) bins.set(gk, (metrics = new Map<string, Bin[]>()));
    const metric = String(r['metric']);
    let list = metrics.get(metric);
    if (!list) metrics.set(metric, (list = []));
    list.push({ sign: Number(r['sign']) as BinSign, bin: Number(r['bin']), count: Number(r['count']) });
  }
  const small = stale.filter((g) => g.count <= EXACT_MEDIAN_MAX);
  const exact = await exactMedians(q, small.map((g) => g.key));
  for (const g of stale) {
    const k = fullKey(g.key);
    // A small group is exact even when it has no value (every figure null): none was read from a sketch.
    const ex = g.count <= EXACT_MEDIAN_MAX ? (exact.get(k) ?? new Map<string, number>()) : undefined;
    kept.set(k, { members: g.members, inputs: { bins: bins.get(k) ?? new Map<string, Bin[]>(), exact: ex } });
  }
  cache.entries = kept;
  const inputsOf = (key: GroupKey): GroupInputs => kept.get(fullKey(key))!.inputs;

  const groups = groupKeys.map(({ key, count, correct, answered }): GroupStats => {
    const { bins: metrics, exact: ex } = inputsOf(key);
    const isReal = key.model !== '';
    const distributions = (isReal ? REAL_METRICS : DISTRIBUTION_METRICS).map((metric): SketchDistribution => {
      const list = metrics.get(metric) ?? [];
      return { metric, count: list.reduce((s, b) => s + b.count, 0), relativeAccuracy: RELATIVE_ACCURACY, quantiles: quantilesFromBins(list, DISTRIBUTION_QUANTILES) };
    });
    const median = (metric: DistributionMetric): number | null =>
      (ex ? (ex.get(metric) ?? null) : (quantilesFromBins(metrics.get(metric) ?? [], [0.5])[0]?.value ?? null));
    const base = {
      vendor: key.vendor, architecture: key.architecture, preset: key.preset, suiteVersion: key.suite_version,
      model: isReal ? key.model : null, dtype: isReal ? key.dtype : null, task: isReal ? key.task : null,
      ...(isReal ? realGroupFields(key) : {}), count,
      medianSource: ex ? ('exact' as const) : ('sketch' as const),
      distributions,
    };
    if (!isReal) return { ...base, medianGeneralJ: median('generalJ'), medianSpecializedJ: median('specializedJ'), medianRatio: median('ratio') };
    return {
      ...base, medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null,
      real: {
        accuracy: pooledAccuracy(correct, answered, count),
        medianQueryJ: median('queryJ'), medianCorrectJ: median('correctJ'), medianQueryMs: median('queryMs'),
      },
    };
  });

  const workloads: WorkloadStats[] = [];
  for (const { key } of groupKeys) {
    const { bins: metrics, exact: ex } = inputsOf(key);
    for (const [metric, list] of metrics) {
      if (!metric.startsWith(WORKLOAD_METRIC_PREFIX)) continue;
      const workload = metric.slice(WORKLOAD_METRIC_PREFIX.length);
      const n = list.reduce((s, b) => s + b.count, 0);
      const exactMs = ex?.get(metric);
      const medianMs = exactMs ?? quantilesFromBins(list, [0.5])[0]?.value;
      if (medianMs === undefined) continue;
      workloads.push({
        vendor: key.vendor, architecture: key.architecture, preset: key.preset, suiteVersion: key.suite_version, workload, count: n, medianMs,
        medianSource: exactMs === undefined ? 'sketch' : 'exact',
        ...(key.model === '' ? {} : { model: key.model, dtype: key.dtype, task: key.task, ...realKeyFields(key) }),
      });
    }
  }
  workloads.sort((a, b) => cmp(a.vendor, b.vendor) || cmp(a.architecture, b.architecture) || cmp(a.preset, b.preset) || cmp(a.suiteVersion, b.suiteVersion)
    || cmp(a.workload, b.workload) || cmp(a.dtype ?? '', b.dtype ?? '') || cmp(a.task ?? '', b.task ?? '') || (a.taskVersion ?? 0) - (b.taskVersion ?? 0)
    || cmp(a.modelSha256 ?? '', b.modelSha256 ?? ''));
  return { total, license: DATASET_LICENSE, groups, workloads: workloads.slice(0, MAX_WORKLOADS) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What a real model's group key adds to its published workloads: the task set's version, a custom model's file. */
function realKeyFields(key: GroupKey): Pick<WorkloadStats, 'taskVersion' | 'modelSha256'> {
  return { taskVersion: Number(key.task_version), ...(key.model_sha256 === '' ? {} : { modelSha256: key.model_sha256 }) };
}

/** And to its published group: the role too (a workload's id already names it). */
function realGroupFields(key: GroupKey): Pick<GroupStats, 'taskVersion' | 'role' | 'modelSha256'> {
  const role = key.role === 'general' || key.role === 'specialized' ? key.role : undefined;
  return { ...realKeyFields(key), ...(role === undefined ? {} : { role }) };
}
