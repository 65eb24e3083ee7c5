/**
 * Maintained aggregates of the open dataset: per group (vendor, architecture, preset, suite
 * version, model, dtype) a result count, and quantile-sketch bins (server/sketch.ts) for each
 * per-result figure (ratio, general and specialized joules per query) and each workload's median
 * time. Every insert adds a result's contribution and every withdrawal subtracts exactly the
 * same one, in the transaction of that write, so /api/stats never scans `results` for them.
 *
 * Bins are rows, not one serialized blob per group: an insert is an atomic `count + 1` upsert
 * per bin, so concurrent writers (several processes on one PostgreSQL) never lose an update and
 * never rewrite a whole sketch. A bin or group that falls to zero is deleted, so a withdrawal
 * leaves exactly the rows that were there before the upload, and a rebuild from the rows
 * (`rebuildAggregates`) produces the same rows as the maintained ones.
 */
import type { DistributionMetric } from '../src/shared/dataset.ts';
import type { ResultDocument } from '../src/shared/result.ts';
import type { Queryable } from './queryable.ts';
import { derivedColumns } from './result-row.ts';
import { binOf, type BinSign } from './sketch.ts';

/**
 * The group a result belongs to. `model` and `dtype` are '' for the synthetic race (primary keys
 * cannot hold NULL); the API answers null for them.
 */
export interface GroupKey {
  vendor: string;
  architecture: string;
  preset: string;
  suite_version: string;
  model: string;
  dtype: string;
}

/** What one result adds to its group. */
export interface ResultFigures {
  group: GroupKey;
  ratio: number | null;
  generalJ: number | null;
  specializedJ: number | null;
  /** Each workload's id and median time (ms). */
  workloads: [string, number][];
}

/** A bin row: `metric` is a DistributionMetric or `w:<workload id>`. */
export interface BinRow {
  metric: string;
  sign: BinSign;
  bin: number;
  count: number;
}

export const WORKLOAD_METRIC_PREFIX = 'w:';
export const DISTRIBUTION_METRICS: readonly DistributionMetric[] = ['ratio', 'generalJ', 'specializedJ'];

export const AGGREGATES_SQL = `
  CREATE TABLE IF NOT EXISTS aggregate_groups (
    vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '',
    count BIGINT NOT NULL,
    PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype)
  );
  CREATE TABLE IF NOT EXISTS aggregate_bins (
    vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '',
    metric TEXT NOT NULL,
    sign SMALLINT NOT NULL,
    bin INTEGER NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype, metric, sign, bin)
  );
`;

const GROUP_COLS = ['vendor', 'architecture', 'preset', 'suite_version', 'model', 'dtype'] as const;
const GROUP_LIST = GROUP_COLS.join(', ');

export function figuresOfDoc(doc: ResultDocument): ResultFigures {
  const c = derivedColumns(doc);
  return {
    group: { vendor: c.vendor, architecture: c.architecture, preset: c.preset, suite_version: c.suite_version, model: '', dtype: '' },
    ratio: c.ratio_p50,
    generalJ: c.general_j_p50,
    specializedJ: c.specialized_j_p50,
    workloads: doc.workloads.map((w) => [w.id, w.timing.medianMs]),
  };
}

/**
 * The columns `figuresOfRow` reads, selected from `results` (alias-free). Reading only these,
 * not whole documents, keeps a rebuild over a million rows cheap.
 */
export const FIGURES_SELECT = `vendor, architecture, preset, suite_version, general_j_p50, specialized_j_p50, ratio_p50,
  (SELECT jsonb_agg(jsonb_build_array(w->>'id', w->'timing'->'medianMs')) FROM jsonb_array_elements(doc->'workloads') AS w) AS workload_ms`;

const numOrNull = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));

export function figuresOfRow(row: Record<string, unknown>): ResultFigures {
  const ms = (row['workload_ms'] ?? []) as [string, unknown][];
  return {
    group: { vendor: String(row['vendor']), architecture: String(row['architecture']), preset: String(row['preset']), suite_version: String(row['suite_version']), model: '', dtype: '' },
    ratio: numOrNull(row['ratio_p50']),
    generalJ: numOrNull(row['general_j_p50']),
    specializedJ: numOrNull(row['specialized_j_p50']),
    workloads: ms.map(([id, v]) => [String(id), Number(v)]),
  };
}

/** The bins one result adds (or, with delta −1, removes), merged and in a fixed order (no deadlocks between writers). */
export function binsOf(f: ResultFigures, delta: number): BinRow[] {
  const acc = new Map<string, BinRow>();
  const add = (metric: string, value: number | null): void => {
    if (value === null) return;
    const b = binOf(value);
    if (b === null) return;
    const k = `${metric}\u0000${b.sign}\u0000${b.bin}`;
    const prev = acc.get(k);
    if (prev) prev.count += delta;
    else acc.set(k, { metric, sign: b.sign, bin: b.bin, count: delta });
  };
  add('ratio', f.ratio);
  add('generalJ', f.generalJ);
  add('specializedJ', f.specializedJ);
  for (const [id, ms] of f.workloads) add(`${WORKLOAD_METRIC_PREFIX}${id}`, ms);
  return [...acc.values()].sort(compareBins);
}

function compareBins(a: BinRow, b: BinRow): number {
  return a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.sign - b.sign || a.bin - b.bin;
}

const groupParams = (g: GroupKey): string[] => [g.vendor, g.architecture, g.preset, g.suite_version, g.model, g.dtype];
const GROUP_WHERE = 'vendor = $1 AND architecture = $2 AND preset = $3 AND suite_version = $4 AND model = $5 AND dtype = $6';

/**
 * Add (delta 1) or subtract (delta −1) one result's contribution. Call inside the transaction of
 * the insert or the delete. The group row is written first: writers to one group queue there,
 * so their bin updates never interleave into a deadlock.
 */
export async function applyFigures(tx: Queryable, f: ResultFigures, delta: 1 | -1): Promise<void> {
  const g = groupParams(f.group);
  await tx.query(
    `INSERT INTO aggregate_groups (${GROUP_LIST}, count) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (${GROUP_LIST}) DO UPDATE SET count = aggregate_groups.count + EXCLUDED.count`,
    [...g, delta],
  );
  const bins = binsOf(f, delta);
  if (bins.length > 0) {
    await tx.query(
      `INSERT INTO aggregate_bins (${GROUP_LIST}, metric, sign, bin, count)
       SELECT $1, $2, $3, $4, $5, $6, t.metric, t.sign, t.bin, t.count
         FROM unnest($7::text[], $8::smallint[], $9::int[], $10::bigint[]) AS t(metric, sign, bin, count)
       ON CONFLICT (${GROUP_LIST}, metric, sign, bin) DO UPDATE SET count = aggregate_bins.count + EXCLUDED.count`,
      [...g, bins.map((b) => b.metric), bins.map((b) => b.sign), bins.map((b) => b.bin), bins.map((b) => b.count)],
    );
  }
  if (delta < 0) {
    await tx.query(`DELETE FROM aggregate_bins WHERE ${GROUP_WHERE} AND count <= 0`, g);
    await tx.query(`DELETE FROM aggregate_groups WHERE ${GROUP_WHERE} AND count <= 0`, g);
  }
}

/** Aggregates held in memory: built from rows (rebuild, benchmark seeding) or read back from the tables. */
export class AggregateSet {
  readonly groups = new Map<string, { group: GroupKey; count: number }>();
  readonly bins = new Map<string, { group: GroupKey; bin: BinRow }>();

  /** Add one result's figures, `times` times (the benchmark seeds identical figures in bulk). */
  add(f: ResultFigures, times = 1): void {
    const gk = groupParams(f.group).join('\u0000');
    const g = this.groups.get(gk);
    if (g) g.count += times;
    else this.groups.set(gk, { group: f.group, count: times });
    for (const b of binsOf(f, times)) this.addBin(f.group, b);
  }

  addBin(group: GroupKey, b: BinRow): void {
    const k = `${groupParams(group).join('\u0000')}\u0000${b.metric}\u0000${b.sign}\u0000${b.bin}`;
    const prev = this.bins.get(k);
    if (prev) prev.bin.count += b.count;
    else this.bins.set(k, { group, bin: { ...b } });
  }

  /** Canonical lines (sorted), for comparing two sets exactly. */
  lines(): string[] {
    const out: string[] = [];
    for (const { group, count } of this.groups.values()) out.push(`g\u0000${groupParams(group).join('\u0000')}\u0000${count}`);
    for (const { group, bin } of this.bins.values()) out.push(`b\u0000${groupParams(group).join('\u0000')}\u0000${bin.metric}\u0000${bin.sign}\u0000${bin.bin}\u0000${bin.count}`);
    return out.sort();
  }
}

const PAGE = 2_000;

/** The aggregates the rows imply: walks `results` by seq, reading only the figure columns. */
export async function aggregatesFromRows(q: Queryable): Promise<AggregateSet> {
  const set = new AggregateSet();
  let after = 0;
  for (;;) {
    const r = await q.query(`SELECT seq, ${FIGURES_SELECT} FROM results WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, PAGE]);
    for (const row of r.rows) set.add(figuresOfRow(row));
    const last = r.rows[r.rows.length - 1];
    if (!last || r.rows.length < PAGE) break;
    after = Number(last['seq']);
  }
  return set;
}

const rowGroup = (r: Record<string, unknown>): GroupKey => ({
  vendor: String(r['vendor']), architecture: String(r['architecture']), preset: String(r['preset']),
  suite_version: String(r['suite_version']), model: String(r['model']), dtype: String(r['dtype']),
});

/** The maintained aggregates, as stored. */
export async function storedAggregates(q: Queryable): Promise<AggregateSet> {
  const set = new AggregateSet();
  for (const r of (await q.query(`SELECT ${GROUP_LIST}, count FROM aggregate_groups`)).rows) {
    set.groups.set(groupParams(rowGroup(r)).join('\u0000'), { group: rowGroup(r), count: Number(r['count']) });
  }
  for (const r of (await q.query(`SELECT ${GROUP_LIST}, metric, sign, bin, count FROM aggregate_bins`)).rows) {
    set.addBin(rowGroup(r), { metric: String(r['metric']), sign: Number(r['sign']) as BinSign, bin: Number(r['bin']), count: Number(r['count']) });
  }
  return set;
}

const CHUNK = 5_000;

/** Replace the stored aggregates by `set` (bulk inserts; the caller holds the transaction). */
export async function writeAggregates(tx: Queryable, set: AggregateSet): Promise<void> {
  await tx.exec('DELETE FROM aggregate_bins; DELETE FROM aggregate_groups;');
  const groups = [...set.groups.values()];
  for (let i = 0; i < groups.length; i += CHUNK) {
    const part = groups.slice(i, i + CHUNK);
    await tx.query(
      `INSERT INTO aggregate_groups (${GROUP_LIST}, count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])`,
      [...GROUP_COLS.map((c) => part.map((g) => g.group[c])), part.map((g) => g.count)],
    );
  }
  const bins = [...set.bins.values()];
  for (let i = 0; i < bins.length; i += CHUNK) {
    const part = bins.slice(i, i + CHUNK);
    await tx.query(
      `INSERT INTO aggregate_bins (${GROUP_LIST}, metric, sign, bin, count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::smallint[], $9::int[], $10::bigint[])`,
      [...GROUP_COLS.map((c) => part.map((b) => b.group[c])), part.map((b) => b.bin.metric), part.map((b) => b.bin.sign), part.map((b) => b.bin.bin), part.map((b) => b.bin.count)],
    );
  }
}

export interface RebuildReport {
  groups: number;
  bins: number;
  /** Stored lines (groups and bins) that differed from the rebuilt ones: 0 when maintenance was exact. */
  differing: number;
}

/**
 * Rebuild the stored aggregates from the rows, in the caller's transaction. Writers are held off
 * (SHARE lock on `results`) so that no insert lands between the walk and the replacement.
 */
export async function rebuildAggregates(tx: Queryable): Promise<RebuildReport> {
  await tx.exec('LOCK TABLE results IN SHARE MODE');
  const rebuilt = await aggregatesFromRows(tx);
  const before = new Set((await storedAggregates(tx)).lines());
  const after = rebuilt.lines();
  const afterSet = new Set(after);
  const differing = after.filter((l) => !before.has(l)).length + [...before].filter((l) => !afterSet.has(l)).length;
  await writeAggregates(tx, rebuilt);
  return { groups: rebuilt.groups.size, bins: rebuilt.bins.size, differing };
}
