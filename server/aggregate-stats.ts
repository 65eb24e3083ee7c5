/**
 * /api/stats from the maintained aggregates (server/aggregates.ts): one read of the group rows
 * and their bins, whose size depends on the number of groups, never on the number of results.
 * Medians of a small group are exact (over at most EXACT_MEDIAN_MAX rows, found through the group
 * index); a larger group's are read from its sketch, within RELATIVE_ACCURACY. A real model's
 * group (model, dtype) adds its answers pooled with a Wilson interval.
 */
import type { DatasetStats, DistributionMetric, GroupStats, SketchDistribution, WorkloadStats } from '../src/shared/dataset.ts';
import { DATASET_LICENSE } from '../src/shared/dataset.ts';
import type { Queryable } from './queryable.ts';
import { DISTRIBUTION_METRICS, FIGURES_SELECT, figuresOfRow, REAL_METRICS, WORKLOAD_METRIC_PREFIX, type GroupKey } from './aggregates.ts';
import { wilson } from '../src/shared/realmodels/scoring.ts';
import { DISTRIBUTION_QUANTILES, quantilesFromBins, RELATIVE_ACCURACY, type Bin, type BinSign } from './sketch.ts';

/** Groups up to this many results get exact medians: a cheap query on the group index. */
export const EXACT_MEDIAN_MAX = 200;
const MAX_GROUPS = 1000;
const MAX_WORKLOADS = 5000;
const GROUP_COLS = ['vendor', 'architecture', 'preset', 'suite_version', 'model', 'dtype'] as const;

const fullKey = (g: GroupKey): string => [g.vendor, g.architecture, g.preset, g.suite_version, g.model, g.dtype].join('\u0000');

function rowGroup(r: Record<string, unknown>): GroupKey {
  return {
    vendor: String(r['vendor']), architecture: String(r['architecture']), preset: String(r['preset']),
    suite_version: String(r['suite_version']), model: String(r['model']), dtype: String(r['dtype']),
  };
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
 * those whose workloads ran this model in this dtype, a JSON containment test), each turned into its
 * figures by the same function as an insert (aggregates.ts `figuresOfRow`), so a real model's
 * group (model, dtype) gets exactly the values its sketch holds, and the synthetic group only the
 * synthetic race's rows.
 */
async function exactMedians(q: Queryable, small: GroupKey[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (small.length === 0) return out;
  const wanted = new Set(small.map(fullKey));
  const cols = (gs: GroupKey[]) => [gs.map((g) => g.vendor), gs.map((g) => g.architecture), gs.map((g) => g.preset), gs.map((g) => g.suite_version), gs.map((g) => g.model), gs.map((g) => g.dtype)];
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
  // A real model's small group: the rows that ran this model in this dtype.
  if (real.length > 0) {
    rows.push(...(await q.query(
      `SELECT ${FIGURES_SELECT} FROM results
        WHERE EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS g(v, a, p, s, m, d)
                       WHERE results.vendor = g.v AND results.architecture = g.a AND results.preset = g.p AND results.suite_version = g.s
                         AND results.doc->'workloads' @> jsonb_build_array(jsonb_build_object('real', jsonb_build_object('model', g.m, 'dtype', g.d))))`,
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
    `SELECT vendor, architecture, preset, suite_version, model, dtype, sum(count) AS count, sum(correct) AS correct, sum(answered) AS answered,
            sum(member_seq_sum)::text AS members
       FROM aggregate_groups GROUP BY vendor, architecture, preset, suite_version, model, dtype
      ORDER BY count DESC, vendor, architecture, preset, suite_version, model, dtype LIMIT ${MAX_GROUPS}`,
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
    `SELECT vendor, architecture, preset, suite_version, model, dtype, metric, sign, bin, sum(count) AS count
       FROM aggregate_bins
      WHERE (vendor, architecture, preset, suite_version, model, dtype) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]))
      GROUP BY vendor, architecture, preset, suite_version, model, dtype, metric, sign, bin`,
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
      model: isReal ? key.model : null, dtype: isReal ? key.dtype : null, count,
      medianSource: ex ? ('exact' as const) : ('sketch' as const),
      distributions,
    };
    if (!isReal) return { ...base, medianGeneralJ: median('generalJ'), medianSpecializedJ: median('specializedJ'), medianRatio: median('ratio') };
    const w = answered > 0 ? wilson(correct, answered) : null;
    return {
      ...base, medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null,
      real: {
        accuracy: w === null ? null : { correct, n: answered, rate: w.rate, low: w.low, high: w.high },
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
        ...(key.model === '' ? {} : { model: key.model, dtype: key.dtype }),
      });
    }
  }
  workloads.sort((a, b) => cmp(a.vendor, b.vendor) || cmp(a.architecture, b.architecture) || cmp(a.preset, b.preset) || cmp(a.suiteVersion, b.suiteVersion)
    || cmp(a.workload, b.workload) || cmp(a.dtype ?? '', b.dtype ?? ''));
  return { total, license: DATASET_LICENSE, groups, workloads: workloads.slice(0, MAX_WORKLOADS) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
