/**
 * /api/stats from the maintained aggregates (server/aggregates.ts): one read of the group rows
 * and their bins, whose size depends on the number of groups, never on the number of results.
 * Medians of a small group are exact (percentile_cont over at most EXACT_MEDIAN_MAX rows, found
 * through the group index); a larger group's are read from its sketch, within RELATIVE_ACCURACY.
 */
import type { DatasetStats, DistributionMetric, GroupStats, SketchDistribution, WorkloadStats } from '../src/shared/dataset.ts';
import { DATASET_LICENSE } from '../src/shared/dataset.ts';
import type { Queryable } from './queryable.ts';
import { DISTRIBUTION_METRICS, WORKLOAD_METRIC_PREFIX, type GroupKey } from './aggregates.ts';
import { DISTRIBUTION_QUANTILES, quantilesFromBins, RELATIVE_ACCURACY, type Bin, type BinSign } from './sketch.ts';

/** Groups up to this many results get exact medians: a cheap query on the group index. */
export const EXACT_MEDIAN_MAX = 200;
const MAX_GROUPS = 1000;
const MAX_WORKLOADS = 5000;
const GROUP_COLS = ['vendor', 'architecture', 'preset', 'suite_version', 'model', 'dtype'] as const;

const keyOf = (g: Pick<GroupKey, 'vendor' | 'architecture' | 'preset' | 'suite_version'>): string =>
  [g.vendor, g.architecture, g.preset, g.suite_version].join('\u0000');
const fullKey = (g: GroupKey): string => [g.vendor, g.architecture, g.preset, g.suite_version, g.model, g.dtype].join('\u0000');
const num = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));

function rowGroup(r: Record<string, unknown>): GroupKey {
  return {
    vendor: String(r['vendor']), architecture: String(r['architecture']), preset: String(r['preset']),
    suite_version: String(r['suite_version']), model: String(r['model']), dtype: String(r['dtype']),
  };
}

interface ExactGroup { generalJ: number | null; specializedJ: number | null; ratio: number | null; workloads: Map<string, number> }

/**
 * Exact medians of the small groups, on the rows themselves. The results table has no model or
 * dtype column yet, so a small group is matched on its four synthetic-race columns.
 */
async function exactMedians(q: Queryable, small: GroupKey[]): Promise<Map<string, ExactGroup>> {
  const out = new Map<string, ExactGroup>();
  if (small.length === 0) return out;
  const params = [small.map((g) => g.vendor), small.map((g) => g.architecture), small.map((g) => g.preset), small.map((g) => g.suite_version)];
  const inSmall = `(vendor, architecture, preset, suite_version) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))`;
  const groups = await q.query(
    `SELECT vendor, architecture, preset, suite_version,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY general_j_p50) AS general_j,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY specialized_j_p50) AS specialized_j,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio_p50) AS ratio
       FROM results WHERE ${inSmall} GROUP BY vendor, architecture, preset, suite_version`,
    params,
  );
  for (const g of groups.rows) {
    out.set(keyOf(rowGroup({ ...g, model: '', dtype: '' })), { generalJ: num(g['general_j']), specializedJ: num(g['specialized_j']), ratio: num(g['ratio']), workloads: new Map() });
  }
  const workloads = await q.query(
    `SELECT r.vendor, r.architecture, r.preset, r.suite_version, w->>'id' AS workload,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY (w->'timing'->>'medianMs')::double precision) AS median_ms
       FROM results r, jsonb_array_elements(r.doc->'workloads') AS w
      WHERE ${inSmall.replace('(vendor, architecture, preset, suite_version)', '(r.vendor, r.architecture, r.preset, r.suite_version)')}
      GROUP BY r.vendor, r.architecture, r.preset, r.suite_version, w->>'id'`,
    params,
  );
  for (const w of workloads.rows) {
    out.get(keyOf(rowGroup({ ...w, model: '', dtype: '' })))?.workloads.set(String(w['workload']), Number(w['median_ms']));
  }
  return out;
}

/**
 * The stats body from the aggregates. Run it inside one transaction (REPEATABLE READ on
 * PostgreSQL) so the group rows, the bins and the exact medians see the same snapshot.
 */
export async function readAggregateStats(q: Queryable): Promise<DatasetStats> {
  const total = Number((await q.query<{ n: unknown }>('SELECT COALESCE(sum(results), 0)::bigint AS n FROM aggregate_groups')).rows[0]?.n ?? 0);
  // A group's counts are spread over its shard rows (server/aggregates.ts): summed here.
  const groupRows = (await q.query(
    `SELECT vendor, architecture, preset, suite_version, model, dtype, sum(count) AS count, sum(correct) AS correct, sum(answered) AS answered
       FROM aggregate_groups GROUP BY vendor, architecture, preset, suite_version, model, dtype
      ORDER BY count DESC, vendor, architecture, preset, suite_version, model, dtype LIMIT ${MAX_GROUPS}`,
  )).rows;
  // Only the bins of the groups published (through the bins' primary key), never all groups'.
  const published = GROUP_COLS.map((c) => groupRows.map((r) => String(r[c])));
  const binRows = groupRows.length === 0 ? [] : (await q.query(
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
  const groupKeys = groupRows.map((r) => ({ key: rowGroup(r), count: Number(r['count']) }));
  const exact = await exactMedians(q, groupKeys.filter((g) => g.count <= EXACT_MEDIAN_MAX).map((g) => g.key));

  const groups = groupKeys.map(({ key, count }): GroupStats => {
    const metrics = bins.get(fullKey(key)) ?? new Map<string, Bin[]>();
    const distributions = DISTRIBUTION_METRICS.map((metric): SketchDistribution => {
      const list = metrics.get(metric) ?? [];
      return { metric, count: list.reduce((s, b) => s + b.count, 0), relativeAccuracy: RELATIVE_ACCURACY, quantiles: quantilesFromBins(list, DISTRIBUTION_QUANTILES) };
    });
    const ex = count <= EXACT_MEDIAN_MAX ? exact.get(keyOf(key)) : undefined;
    const sketchMedian = (metric: DistributionMetric): number | null => quantilesFromBins(metrics.get(metric) ?? [], [0.5])[0]?.value ?? null;
    return {
      vendor: key.vendor, architecture: key.architecture, preset: key.preset, suiteVersion: key.suite_version,
      model: key.model === '' ? null : key.model, dtype: key.dtype === '' ? null : key.dtype, count,
      medianSource: ex ? 'exact' : 'sketch',
      distributions,
      medianGeneralJ: ex ? ex.generalJ : sketchMedian('generalJ'),
      medianSpecializedJ: ex ? ex.specializedJ : sketchMedian('specializedJ'),
      medianRatio: ex ? ex.ratio : sketchMedian('ratio'),
    };
  });

  const workloads: WorkloadStats[] = [];
  for (const { key, count } of groupKeys) {
    const metrics = bins.get(fullKey(key));
    if (!metrics) continue;
    const ex = count <= EXACT_MEDIAN_MAX ? exact.get(keyOf(key)) : undefined;
    for (const [metric, list] of metrics) {
      if (!metric.startsWith(WORKLOAD_METRIC_PREFIX)) continue;
      const workload = metric.slice(WORKLOAD_METRIC_PREFIX.length);
      const n = list.reduce((s, b) => s + b.count, 0);
      const exactMs = ex?.workloads.get(workload);
      const medianMs = exactMs ?? quantilesFromBins(list, [0.5])[0]?.value;
      if (medianMs === undefined) continue;
      workloads.push({ vendor: key.vendor, architecture: key.architecture, preset: key.preset, suiteVersion: key.suite_version, workload, count: n, medianMs, medianSource: exactMs === undefined ? 'sketch' : 'exact' });
    }
  }
  workloads.sort((a, b) => cmp(a.vendor, b.vendor) || cmp(a.architecture, b.architecture) || cmp(a.preset, b.preset) || cmp(a.suiteVersion, b.suiteVersion) || cmp(a.workload, b.workload));
  return { total, license: DATASET_LICENSE, groups, workloads: workloads.slice(0, MAX_WORKLOADS) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
