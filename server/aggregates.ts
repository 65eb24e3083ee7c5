/**
 * Maintained aggregates of the open dataset: per group (vendor, architecture, preset, suite
 * version, and for a real model: model, dtype, task set and its version, role, a custom model's
 * file) a result count, and quantile-sketch bins (server/sketch.ts) for
 * each per-result figure (ratio, general and specialized joules per query) and each workload's median
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
import type { ResultDocument, Workload } from '../src/shared/result.ts';
import { energyWorkload } from '../src/shared/energy-workload.ts';
import type { Queryable } from './queryable.ts';
import { derivedColumns } from './result-row.ts';
import { binOf, type BinSign } from './sketch.ts';

/**
 * The group a result belongs to. The real-model columns are '' for the synthetic race (primary
 * keys cannot hold NULL); the API answers null or leaves them out. `task` and `task_version` are a
 * real model's task set and its version (`sentiment-en`, `1`): a model's accuracy and its energy per
 * correct answer differ by language, and a new version of a set asks other sentences, so results
 * on two sets or two versions never pool into one figure. `role` is the role the model ran in, so
 * that one result adds one run's answers to a group (two roles that ran the same file on the same
 * set would otherwise add two runs' answers for one result). `model_sha256` is the SHA-256 of a
 * custom model's ONNX file ('' for a model of the closed list): every custom model is stored as
 * `custom`, and the file's hash, which the document already records for it, is what tells two of
 * them apart, so unrelated custom models never pool.
 */
export interface GroupKey {
  vendor: string;
  architecture: string;
  preset: string;
  suite_version: string;
  model: string;
  dtype: string;
  task: string;
  task_version: string;
  role: string;
  model_sha256: string;
}

/** What one result adds to one of its groups: a value per metric (null adds nothing), and answers scored. */
export interface GroupFigures {
  group: GroupKey;
  /** `[metric, value]`: a DistributionMetric or `w:<workload id>`; one metric may repeat (two workloads with one id). */
  values: [string, number | null][];
  /** Correct answers and answers scored (real models; 0 and 0 for the synthetic race). */
  correct: number;
  answered: number;
}

/**
 * What one result adds to the aggregates. A synthetic-race result belongs to one group; a result
 * may belong to several (each real model it ran is a group), listed in a fixed order: the first
 * is its primary group, which alone counts it among the results and adds its `seq` to the
 * dataset version (so the total never counts a result twice).
 */
export interface ResultFigures {
  seq: number;
  groups: GroupFigures[];
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

/**
 * Each group's counts are split over this many shard rows, by `seq % AGGREGATE_SHARDS`: uploads
 * into one group (a classroom of identical laptops) commit in parallel instead of queueing on one
 * row lock until each commit. A withdrawal subtracts from the shard its insert added to (the same
 * `seq`), so every shard row stays a plain sum of its rows and a rebuild finds the same rows.
 */
export const AGGREGATE_SHARDS = 8;
export const shardOf = (seq: number): number => seq % AGGREGATE_SHARDS;

/**
 * The current shape of the aggregate tables (migration 7 replaces migration 5's; migration 8 adds
 * `member_seq_sum`; migration 9 adds `task` to the group key; migration 10 adds `task_version`,
 * `role` and `model_sha256`. Each of these recreates the tables, and the migration runner rebuilds
 * them from the rows once, after the last of them: server/migrations.ts). `results` counts the results whose primary group
 * this is (their sum is the dataset's size) and `seq_sum` sums their `seq`: with the highest `seq`, a
 * dataset version that needs no scan of the rows (server/http-cache.ts). `member_seq_sum` sums the
 * `seq` of every result in the group, primary or not: with `count`, it names the group's members
 * exactly (seqs are never reused and only grow, so a change of members with the same count raises
 * the sum), which lets /api/stats keep a group's figures until its members change.
 */
export const AGGREGATES_SQL = `
  CREATE TABLE IF NOT EXISTS aggregate_groups (
    vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '', task TEXT NOT NULL DEFAULT '',
    task_version TEXT NOT NULL DEFAULT '', role TEXT NOT NULL DEFAULT '', model_sha256 TEXT NOT NULL DEFAULT '',
    shard SMALLINT NOT NULL,
    count BIGINT NOT NULL,
    results BIGINT NOT NULL,
    seq_sum BIGINT NOT NULL,
    member_seq_sum BIGINT NOT NULL DEFAULT 0,
    correct BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype, task, task_version, role, model_sha256, shard)
  );
  CREATE TABLE IF NOT EXISTS aggregate_bins (
    vendor TEXT NOT NULL, architecture TEXT NOT NULL, preset TEXT NOT NULL, suite_version TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '', dtype TEXT NOT NULL DEFAULT '', task TEXT NOT NULL DEFAULT '',
    task_version TEXT NOT NULL DEFAULT '', role TEXT NOT NULL DEFAULT '', model_sha256 TEXT NOT NULL DEFAULT '',
    shard SMALLINT NOT NULL,
    metric TEXT NOT NULL,
    sign SMALLINT NOT NULL,
    bin INTEGER NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (vendor, architecture, preset, suite_version, model, dtype, task, task_version, role, model_sha256, shard, metric, sign, bin)
  );
`;

export const GROUP_COLS = ['vendor', 'architecture', 'preset', 'suite_version', 'model', 'dtype', 'task', 'task_version', 'role', 'model_sha256'] as const;
const GROUP_LIST = GROUP_COLS.join(', ');
const NG = GROUP_COLS.length;
/** `$1::text[], …` for the group columns, then `t.vendor, …`: the unnest of one array per group column. */
const GROUP_ARRAYS = GROUP_COLS.map((_, i) => `$${i + 1}::text[]`).join(', ');
const GROUP_T = GROUP_COLS.map((c) => `t.${c}`).join(', ');
/** `$n` for the k-th parameter after the group columns (k from 1). */
const param = (k: number): string => `$${NG + k}`;
export const groupKeyText = (g: GroupKey): string => GROUP_COLS.map((c) => g[c]).join('\u0000');

/**
 * What the figures are computed from, the same whether read from a document (insert) or from a
 * row (withdrawal, rebuild, exact medians): the derived columns and a few fields of each workload.
 */
export interface FigureInput {
  vendor: string;
  architecture: string;
  preset: string;
  suite_version: string;
  general_j_p50: number | null;
  specialized_j_p50: number | null;
  ratio_p50: number | null;
  /** Energy per correct answer, p50, per role (real models; null when absent). */
  general_correct_j: number | null;
  specialized_correct_j: number | null;
  workloads: FigureWorkload[];
}

type FigureWorkload = Pick<Workload, 'id' | 'kind' | 'role' | 'real'> & { timing: Pick<Workload['timing'], 'medianMs'> };

/**
 * The shared rule (src/shared/energy-workload.ts) reads only kind, role and real of each workload;
 * a row carries just these, so the rule is applied to them through this narrowing cast.
 */
const energyWorkloadOf = (ws: FigureWorkload[], role: 'general' | 'specialized'): FigureWorkload | undefined =>
  energyWorkload({ workloads: ws as Workload[] }, role);

/** The figures of a real model's group: its energy and time per query, energy per correct answer. */
export const REAL_METRICS = ['queryJ', 'correctJ', 'queryMs'] as const;

/** The real-model columns of a synthetic-race group: none. */
const NOT_REAL = { model: '', dtype: '', task: '', task_version: '', role: '', model_sha256: '' } as const;

/**
 * A result's groups and what it adds to each. A synthetic-race result has one group (the
 * real-model columns ''). A real-models result has one group per real model its energy rests on
 * (`energyWorkload`, the WebGPU run before the WASM reference), never the synthetic group: its gap
 * is between real models. The role is in the key, so each group gets exactly one run of the
 * result: its answers once, its figures once. Groups come sorted: the first is the primary one.
 */
export function figuresOf(x: FigureInput, seq: number): ResultFigures {
  const base = { vendor: x.vendor, architecture: x.architecture, preset: x.preset, suite_version: x.suite_version };
  const workloadValues = (ws: FigureInput['workloads']): [string, number][] => ws.map((w) => [`${WORKLOAD_METRIC_PREFIX}${w.id}`, w.timing.medianMs]);
  if (!x.workloads.some((w) => w.kind === 'real-model')) {
    return {
      seq,
      groups: [{
        group: { ...base, ...NOT_REAL },
        values: [['ratio', x.ratio_p50], ['generalJ', x.general_j_p50], ['specializedJ', x.specialized_j_p50], ...workloadValues(x.workloads)],
        correct: 0,
        answered: 0,
      }],
    };
  }
  const groups: { key: string; figures: GroupFigures }[] = [];
  for (const role of ['specialized', 'general'] as const) {
    const w = energyWorkloadOf(x.workloads, role);
    if (w?.real === undefined) continue;
    const r = w.real;
    const group: GroupKey = {
      ...base, model: r.model, dtype: r.dtype, task: r.taskSet.id, task_version: String(r.taskSet.version), role,
      model_sha256: r.model === 'custom' ? (r.sha256 ?? '') : '',
    };
    groups.push({
      key: groupKeyText(group),
      figures: {
        group,
        values: [['queryJ', role === 'general' ? x.general_j_p50 : x.specialized_j_p50], ['correctJ', role === 'general' ? x.general_correct_j : x.specialized_correct_j],
          ['queryMs', w.timing.medianMs], ...workloadValues([w])],
        correct: r.accuracy.correct,
        answered: r.accuracy.n,
      },
    });
  }
  return { seq, groups: groups.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((g) => g.figures) };
}

/** A document's figures, once its row's `seq` is known. */
export function figuresOfDoc(doc: ResultDocument, seq: number): ResultFigures {
  const c = derivedColumns(doc);
  const correctJ = (role: 'general' | 'specialized'): number | null => {
    const pc = doc.energy?.perQuery[role].perCorrect;
    return pc?.available === true ? pc.joules.p50 : null;
  };
  return figuresOf({ ...c, general_correct_j: correctJ('general'), specialized_correct_j: correctJ('specialized'), workloads: doc.workloads }, seq);
}

/**
 * The columns `figuresOfRow` reads, selected from `results` (alias-free). Reading only these,
 * not whole documents, keeps a rebuild over a million rows cheap.
 */
export const FIGURES_SELECT = `seq, vendor, architecture, preset, suite_version, general_j_p50, specialized_j_p50, ratio_p50,
  (doc->'energy'->'perQuery'->'general'->'perCorrect'->'joules'->>'p50')::double precision AS general_correct_j,
  (doc->'energy'->'perQuery'->'specialized'->'perCorrect'->'joules'->>'p50')::double precision AS specialized_correct_j,
  (SELECT jsonb_agg(jsonb_build_object('id', w->'id', 'kind', w->'kind', 'role', w->'role', 'timing', jsonb_build_object('medianMs', w->'timing'->'medianMs'),
                                       'real', w->'real'))
     FROM jsonb_array_elements(doc->'workloads') AS w) AS workloads`;

const numOrNull = (x: unknown): number | null => (x === null || x === undefined ? null : Number(x));

export function figuresOfRow(row: Record<string, unknown>): ResultFigures {
  // jsonb_build_object keeps JSON nulls for absent fields: dropped, so `real` is undefined as in the document.
  const workloads = ((row['workloads'] ?? []) as Record<string, unknown>[]).map((w) => Object.fromEntries(Object.entries(w).filter(([, v]) => v !== null))) as unknown as FigureInput['workloads'];
  return figuresOf({
    vendor: String(row['vendor']), architecture: String(row['architecture']), preset: String(row['preset']), suite_version: String(row['suite_version']),
    general_j_p50: numOrNull(row['general_j_p50']), specialized_j_p50: numOrNull(row['specialized_j_p50']), ratio_p50: numOrNull(row['ratio_p50']),
    general_correct_j: numOrNull(row['general_correct_j']), specialized_correct_j: numOrNull(row['specialized_correct_j']),
    workloads: workloads.map((w) => ({ ...w, timing: { medianMs: Number(w.timing.medianMs) } })),
  }, Number(row['seq']));
}

/** The bins one result adds to a group (or, with delta −1, removes), merged and in a fixed order (no deadlocks between writers). */
export function binsOf(g: GroupFigures, delta: number): BinRow[] {
  const acc = new Map<string, BinRow>();
  for (const [metric, value] of g.values) {
    if (value === null) continue;
    const b = binOf(value);
    if (b === null) continue;
    const k = `${metric}\u0000${b.sign}\u0000${b.bin}`;
    const prev = acc.get(k);
    if (prev) prev.count += delta;
    else acc.set(k, { metric, sign: b.sign, bin: b.bin, count: delta });
  }
  return [...acc.values()].sort(compareBins);
}

function compareBins(a: BinRow, b: BinRow): number {
  return a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.sign - b.sign || a.bin - b.bin;
}

/**
 * Add (delta 1) or subtract (delta −1) one result's contribution. Call inside the transaction of
 * the insert or the delete. Every row it touches is in the result's shard; group rows are written
 * first and in the result's fixed group order, then bins in a fixed order, so two writers to one
 * shard queue on its first group row and never interleave into a deadlock.
 */
export async function applyFigures(tx: Queryable, f: ResultFigures, delta: 1 | -1): Promise<void> {
  const shard = shardOf(f.seq);
  const gs = f.groups;
  if (gs.length === 0) return;
  const col = (c: (typeof GROUP_COLS)[number]) => gs.map((g) => g.group[c]);
  await tx.query(
    `INSERT INTO aggregate_groups (${GROUP_LIST}, shard, count, results, seq_sum, member_seq_sum, correct, answered)
     SELECT ${GROUP_T}, ${param(1)}, ${param(2)}, t.results, t.seq_sum, ${param(7)}, t.correct, t.answered
       FROM unnest(${GROUP_ARRAYS}, ${param(3)}::bigint[], ${param(4)}::bigint[], ${param(5)}::bigint[], ${param(6)}::bigint[])
            WITH ORDINALITY AS t(${GROUP_LIST}, results, seq_sum, correct, answered, i)
      ORDER BY t.i
     ON CONFLICT (${GROUP_LIST}, shard) DO UPDATE SET count = aggregate_groups.count + EXCLUDED.count,
       results = aggregate_groups.results + EXCLUDED.results, seq_sum = aggregate_groups.seq_sum + EXCLUDED.seq_sum,
       member_seq_sum = aggregate_groups.member_seq_sum + EXCLUDED.member_seq_sum, correct = aggregate_groups.correct + EXCLUDED.correct, answered = aggregate_groups.answered + EXCLUDED.answered`,
    [...GROUP_COLS.map(col), shard, delta, gs.map((_, i) => (i === 0 ? delta : 0)), gs.map((_, i) => (i === 0 ? delta * f.seq : 0)),
      gs.map((g) => delta * g.correct), gs.map((g) => delta * g.answered), delta * f.seq],
  );
  const bins = gs.flatMap((g) => binsOf(g, delta).map((b) => ({ g: g.group, b })));
  if (bins.length > 0) {
    const bcol = (c: (typeof GROUP_COLS)[number]) => bins.map((x) => x.g[c]);
    await tx.query(
      `INSERT INTO aggregate_bins (${GROUP_LIST}, shard, metric, sign, bin, count)
       SELECT ${GROUP_T}, ${param(1)}, t.metric, t.sign, t.bin, t.count
         FROM unnest(${GROUP_ARRAYS}, ${param(2)}::text[], ${param(3)}::smallint[], ${param(4)}::int[], ${param(5)}::bigint[])
              WITH ORDINALITY AS t(${GROUP_LIST}, metric, sign, bin, count, i)
        ORDER BY t.i
       ON CONFLICT (${GROUP_LIST}, shard, metric, sign, bin) DO UPDATE SET count = aggregate_bins.count + EXCLUDED.count`,
      [...GROUP_COLS.map(bcol), shard, bins.map((x) => x.b.metric), bins.map((x) => x.b.sign), bins.map((x) => x.b.bin), bins.map((x) => x.b.count)],
    );
  }
  if (delta < 0) {
    const match = `(${GROUP_LIST}) IN (SELECT * FROM unnest(${GROUP_ARRAYS})) AND shard = ${param(1)} AND count <= 0`;
    await tx.query(`DELETE FROM aggregate_bins WHERE ${match}`, [...GROUP_COLS.map(col), shard]);
    await tx.query(`DELETE FROM aggregate_groups WHERE ${match}`, [...GROUP_COLS.map(col), shard]);
  }
}

interface ShardCounts { count: number; results: number; seqSum: number; memberSeqSum: number; correct: number; answered: number }
interface GroupRow extends ShardCounts { group: GroupKey; shard: number }

/** Aggregates held in memory: built from rows (rebuild, benchmark seeding) or read back from the tables. */
export class AggregateSet {
  /** Per group, its shard rows. */
  readonly groups = new Map<string, { group: GroupKey; shards: Map<number, ShardCounts> }>();
  readonly bins = new Map<string, { group: GroupKey; shard: number; bin: BinRow }>();

  /**
   * Add one result's figures, `times` times, in the shard of `f.seq`; `seqSum` is the sum of the
   * seqs added (the benchmark seeds identical figures in bulk, one call per template and shard).
   */
  add(f: ResultFigures, times = 1, seqSum = f.seq * times): void {
    const shard = shardOf(f.seq);
    f.groups.forEach((g, i) => {
      this.addGroup({ group: g.group, shard, count: times, results: i === 0 ? times : 0, seqSum: i === 0 ? seqSum : 0, memberSeqSum: seqSum, correct: g.correct * times, answered: g.answered * times });
      for (const b of binsOf(g, times)) this.addBin(g.group, shard, b);
    });
  }

  addGroup(r: GroupRow): void {
    const k = groupKeyText(r.group);
    let g = this.groups.get(k);
    if (!g) this.groups.set(k, (g = { group: r.group, shards: new Map() }));
    const prev = g.shards.get(r.shard);
    if (!prev) g.shards.set(r.shard, { count: r.count, results: r.results, seqSum: r.seqSum, memberSeqSum: r.memberSeqSum, correct: r.correct, answered: r.answered });
    else {
      prev.count += r.count;
      prev.results += r.results;
      prev.seqSum += r.seqSum;
      prev.memberSeqSum += r.memberSeqSum;
      prev.correct += r.correct;
      prev.answered += r.answered;
    }
  }

  /** Every shard row, as the table holds them. */
  groupRows(): GroupRow[] {
    return [...this.groups.values()].flatMap(({ group, shards }) => [...shards].map(([shard, c]) => ({ group, shard, ...c })));
  }

  addBin(group: GroupKey, shard: number, b: BinRow): void {
    const k = `${groupKeyText(group)}\u0000${shard}\u0000${b.metric}\u0000${b.sign}\u0000${b.bin}`;
    const prev = this.bins.get(k);
    if (prev) prev.bin.count += b.count;
    else this.bins.set(k, { group, shard, bin: { ...b } });
  }

  /** Canonical lines (sorted), for comparing two sets exactly. */
  lines(): string[] {
    const out: string[] = [];
    for (const g of this.groupRows()) out.push(`g\u0000${groupKeyText(g.group)}\u0000${g.shard}\u0000${g.count}\u0000${g.results}\u0000${g.seqSum}\u0000${g.memberSeqSum}\u0000${g.correct}\u0000${g.answered}`);
    for (const { group, shard, bin } of this.bins.values()) out.push(`b\u0000${groupKeyText(group)}\u0000${shard}\u0000${bin.metric}\u0000${bin.sign}\u0000${bin.bin}\u0000${bin.count}`);
    return out.sort();
  }
}

const PAGE = 2_000;

/** The aggregates the rows imply: walks `results` by seq, reading only the figure columns. */
export async function aggregatesFromRows(q: Queryable): Promise<AggregateSet> {
  const set = new AggregateSet();
  let after = 0;
  for (;;) {
    const r = await q.query(`SELECT ${FIGURES_SELECT} FROM results WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, PAGE]);
    for (const row of r.rows) set.add(figuresOfRow(row));
    const last = r.rows[r.rows.length - 1];
    if (!last || r.rows.length < PAGE) break;
    after = Number(last['seq']);
  }
  return set;
}

/** A group key from a row holding the group columns. */
export const rowGroup = (r: Record<string, unknown>): GroupKey => ({
  vendor: String(r['vendor']), architecture: String(r['architecture']), preset: String(r['preset']), suite_version: String(r['suite_version']),
  model: String(r['model']), dtype: String(r['dtype']), task: String(r['task']), task_version: String(r['task_version']), role: String(r['role']),
  model_sha256: String(r['model_sha256']),
});

/** The maintained aggregates, as stored. */
export async function storedAggregates(q: Queryable): Promise<AggregateSet> {
  const set = new AggregateSet();
  for (const r of (await q.query(`SELECT ${GROUP_LIST}, shard, count, results, seq_sum, member_seq_sum, correct, answered FROM aggregate_groups`)).rows) {
    set.addGroup({ group: rowGroup(r), shard: Number(r['shard']), count: Number(r['count']), results: Number(r['results']), seqSum: Number(r['seq_sum']), memberSeqSum: Number(r['member_seq_sum']), correct: Number(r['correct']), answered: Number(r['answered']) });
  }
  for (const r of (await q.query(`SELECT ${GROUP_LIST}, shard, metric, sign, bin, count FROM aggregate_bins`)).rows) {
    set.addBin(rowGroup(r), Number(r['shard']), { metric: String(r['metric']), sign: Number(r['sign']) as BinSign, bin: Number(r['bin']), count: Number(r['count']) });
  }
  return set;
}

const CHUNK = 5_000;

/** Replace the stored aggregates by `set` (bulk inserts; the caller holds the transaction). */
export async function writeAggregates(tx: Queryable, set: AggregateSet): Promise<void> {
  await tx.exec('DELETE FROM aggregate_bins; DELETE FROM aggregate_groups;');
  const groups = set.groupRows();
  for (let i = 0; i < groups.length; i += CHUNK) {
    const part = groups.slice(i, i + CHUNK);
    await tx.query(
      `INSERT INTO aggregate_groups (${GROUP_LIST}, shard, count, results, seq_sum, member_seq_sum, correct, answered)
       SELECT * FROM unnest(${GROUP_ARRAYS}, ${param(1)}::smallint[], ${[2, 3, 4, 5, 6, 7].map((k) => `${param(k)}::bigint[]`).join(', ')})`,
      [...GROUP_COLS.map((c) => part.map((g) => g.group[c])), part.map((g) => g.shard), part.map((g) => g.count), part.map((g) => g.results),
        part.map((g) => g.seqSum), part.map((g) => g.memberSeqSum), part.map((g) => g.correct), part.map((g) => g.answered)],
    );
  }
  const bins = [...set.bins.values()];
  for (let i = 0; i < bins.length; i += CHUNK) {
    const part = bins.slice(i, i + CHUNK);
    await tx.query(
      `INSERT INTO aggregate_bins (${GROUP_LIST}, shard, metric, sign, bin, count)
       SELECT * FROM unnest(${GROUP_ARRAYS}, ${param(1)}::smallint[], ${param(2)}::text[], ${param(3)}::smallint[], ${param(4)}::int[], ${param(5)}::bigint[])`,
      [...GROUP_COLS.map((c) => part.map((b) => b.group[c])), part.map((b) => b.shard), part.map((b) => b.bin.metric), part.map((b) => b.bin.sign), part.map((b) => b.bin.bin), part.map((b) => b.bin.count)],
    );
  }
}

export interface RebuildReport {
  /** Groups (not shard rows) and bin rows rebuilt. */
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
