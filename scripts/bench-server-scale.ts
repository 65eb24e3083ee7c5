/**
 * The scale mode of `npm run bench:server` (`--rows N [--mixed] [--pg]`): seeds a database with
 * synthetic but schema-valid results by bulk SQL (rows and their aggregates, not one HTTP post
 * each), then, at 10,000 rows and at N rows, starts a real server process and measures, with a
 * steady stream of uploads beside it when --mixed is given: /api/stats right after a write,
 * listing pages at random cursors (p50/p99), JSON Lines export throughput (gzip), and the
 * server's resident memory. Prints the stats latency at both sizes and their ratio.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createGunzip } from 'node:zlib';
import { sampleResult } from '../src/shared/sample-result.ts';
import { canonicalJson } from '../src/shared/schema.ts';
import { utcDay } from '../src/shared/day.ts';
import type { ResultDocument, Workload } from '../src/shared/result.ts';
import { openDb, type Db } from '../server/db.ts';
import { AGGREGATE_SHARDS, figuresOfDoc, storedAggregates, writeAggregates } from '../server/aggregates.ts';
import { contentHash, derivedColumns, sha256 } from '../server/result-row.ts';

export interface ServerProcess { url: string; pid: number; stop(): Promise<void> }

/** A real server process (`server/main.ts`) on this database, without rate limit or log. */
export async function spawnServer(dataDir: string, databaseUrl: string | null): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0', LOG: '0', DATABASE_URL: databaseUrl ?? '', SNAPSHOT_DIR: 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = buf.match(/listening on (http:\/\/\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

const GROUPS: readonly [string, string][] = [
  ['nvidia', 'ada'], ['nvidia', 'ampere'], ['amd', 'rdna-3'], ['intel', 'xe-lpg'], ['apple', 'apple-9'],
  ['qualcomm', 'adreno-7xx'], ['arm', 'valhall'], ['google', 'swiftshader'],
];
const TIMED = ['medianMs', 'p10Ms', 'p90Ms', 'minMs', 'meanMs', 'wallMedianMs'] as const;

/** Timing scaled by `s` (the energy section is recomputed from it by sampleResult). */
function scaled(w: Workload, s: number): Workload {
  const t = { ...w.timing, samplesMs: w.timing.samplesMs.map((x) => x * s) };
  for (const k of TIMED) {
    const v = t[k];
    if (typeof v === 'number') t[k] = v * s;
  }
  return { ...w, timing: t, kernels: w.kernels?.map((k) => ({ ...k, medianMs: k.medianMs * s })) };
}

/**
 * Valid documents whose energies differ (each with its recomputed energy section, so the server
 * accepts them too): a few dozen Monte Carlo runs, then only the app version and adapter change.
 */
export function documentVariants(count = 24): ResultDocument[] {
  const base = sampleResult();
  return Array.from({ length: count }, (_, i) => {
    const s = 0.5 * 1.09 ** i;
    return sampleResult({ workloads: base.workloads.map((w) => (w.kind === 'model' ? scaled(w, s) : w)) });
  });
}

/**
 * The adapter of group i: the eight real ones, then numbered architectures of the same vendors
 * (`ada-1`, …), so `--groups N` can seed more groups than the stats publish.
 */
function groupAdapter(i: number): [string, string] {
  const [vendor, architecture] = GROUPS[i % GROUPS.length]!;
  return [vendor, i < GROUPS.length ? architecture : `${architecture}-${Math.floor(i / GROUPS.length)}`];
}

/** Row n of the synthetic dataset: a variant, an adapter (one of `groups`) and a unique app version. */
export function syntheticDoc(variants: readonly ResultDocument[], n: number, tag: string, groups = GROUPS.length): ResultDocument {
  const v = variants[(n * 7) % variants.length]!;
  const [vendor, architecture] = groupAdapter(n % groups);
  return { ...v, app: { version: `0.1.0-${tag}${n}` }, environment: { ...v.environment, adapter: { ...v.environment.adapter, vendor, architecture } } };
}

const SEED_CHUNK = 2_000;
const MARK = 'SEEDMARK';

/**
 * A (variant, adapter) pair as text with the app version cut out: the canonical JSON (hashed for
 * the dedupe key) and the stored JSON of row n are prefix + `s${n}` + suffix, so a million rows
 * cost a SHA-256 each, not a canonicalisation. Checked against contentHash on the first rows.
 */
interface Template { canon: [string, string]; json: [string, string]; doc: ResultDocument; shards: { rows: number; seqSum: number }[] }

function templateOf(variants: readonly ResultDocument[], n: number, groups: number, cache: Map<string, Template>): Template {
  const doc = syntheticDoc(variants, n, 's', groups);
  const key = `${(n * 7) % variants.length}:${n % groups}`;
  let t = cache.get(key);
  if (!t) {
    const marked = { ...doc, app: { version: `0.1.0-${MARK}` } };
    const split = (text: string): [string, string] => {
      const [a, b, ...rest] = text.split(MARK);
      if (a === undefined || b === undefined || rest.length > 0) throw new Error('the seed template must hold its marker once');
      return [`${a}`, b];
    };
    t = { canon: split(canonicalJson(marked)), json: split(JSON.stringify(marked)), doc, shards: Array.from({ length: AGGREGATE_SHARDS }, () => ({ rows: 0, seqSum: 0 })) };
    cache.set(key, t);
  }
  return t;
}

/** Insert rows [from, to) and add their contributions to the stored aggregates (server stopped). */
export async function seed(db: Db, variants: readonly ResultDocument[], from: number, to: number, groups = GROUPS.length): Promise<void> {
  const agg = await storedAggregates(db);
  const day = utcDay();
  // Explicit seqs (the sequence moved past them afterwards): each row's aggregate shard and the
  // dataset version's seq sum need them.
  let seq = Number((await db.query<{ top: unknown }>('SELECT coalesce(max(seq), 0) AS top FROM results')).rows[0]?.top ?? 0);
  const templates = new Map<string, Template>();
  for (let start = from; start < to; start += SEED_CHUNK) {
    const cols: unknown[][] = Array.from({ length: 12 }, () => []);
    const docs: string[] = [];
    for (let n = start; n < Math.min(to, start + SEED_CHUNK); n++) {
      const t = templateOf(variants, n, groups, templates);
      seq++;
      const shard = t.shards[seq % AGGREGATE_SHARDS]!;
      shard.rows++;
      shard.seqSum += seq;
      const hash = sha256(`${t.canon[0]}s${n}${t.canon[1]}`);
      if (n - from < 3 && hash !== contentHash(syntheticDoc(variants, n, 's', groups))) throw new Error('seed template hash differs from contentHash');
      const c = derivedColumns(t.doc);
      const row = [randomBytes(12).toString('base64url'), hash, sha256(`seed-${n}`), day, c.preset, c.suite_version, c.vendor,
        c.architecture, c.general_j_p50, c.specialized_j_p50, c.ratio_p50, seq];
      row.forEach((x, i) => cols[i]!.push(x));
      docs.push(`${t.json[0]}s${n}${t.json[1]}`);
    }
    // Documents travel as one JSON array (no array-literal escaping of every quote).
    await db.query(
      `INSERT INTO results (id, content_hash, token_hash, received_day, preset, suite_version, vendor, architecture,
                            general_j_p50, specialized_j_p50, ratio_p50, seq, doc)
       SELECT c.id, c.h, c.t, c.d::date, c.p, c.sv, c.v, c.a, c.g, c.s, c.r, c.seq, j.doc
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::float8[], $10::float8[], $11::float8[], $12::bigint[]) WITH ORDINALITY AS c(id, h, t, d, p, sv, v, a, g, s, r, seq, i)
         JOIN jsonb_array_elements($13::jsonb) WITH ORDINALITY AS j(doc, i) ON j.i = c.i`,
      [...cols, `[${docs.join(',')}]`],
    );
  }
  if (seq > 0) await db.query(`SELECT setval(pg_get_serial_sequence('results', 'seq'), $1)`, [seq]);
  // Every row of a template adds the same figures to its shard: add them once per shard, weighted.
  for (const t of templates.values()) {
    t.shards.forEach((sh, shard) => {
      if (sh.rows > 0) agg.add(figuresOfDoc(t.doc, shard), sh.rows, sh.seqSum);
    });
  }
  await db.transaction((tx) => writeAggregates(tx, agg));
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]!;
};
const round = (x: number): number => Math.round(x * 100) / 100;

/** Resident memory of a process (Linux /proc); null elsewhere. */
function rssMb(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m?.[1] ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

/** The gzip JSON Lines export for at most `seconds`: compressed and decoded bytes, rows per second. */
function exportThroughput(url: string, seconds: number): Promise<{ rows: number; gzipMB: number; rawMB: number; seconds: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let gz = 0;
    let raw = 0;
    let rows = 0;
    let done = false;
    const finish = (complete: boolean): void => {
      if (done) return;
      done = true;
      const s = (performance.now() - t0) / 1000;
      resolve({ rows, gzipMB: round(gz / 2 ** 20), rawMB: round(raw / 2 ** 20), seconds: round(s), complete });
    };
    const req = request(`${url}/api/export.jsonl`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const gunzip = createGunzip();
      res.on('data', (c: Buffer) => (gz += c.length));
      gunzip.on('data', (c: Buffer) => {
        raw += c.length;
        for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) rows++;
        if (performance.now() - t0 > seconds * 1000) {
          finish(false);
          req.destroy();
        }
      });
      gunzip.on('end', () => finish(true));
      gunzip.on('error', () => finish(false));
      res.pipe(gunzip);
    });
    req.on('error', (e) => (done ? undefined : reject(e)));
    req.end();
  });
}

export interface ScaleOptions {
  rows: number;
  mixed: boolean;
  writeRate: number;
  statsSamples: number;
  exportSeconds: number;
  /** Distinct (vendor, architecture) groups seeded (8 real adapters, then numbered ones). */
  groups: number;
  /** With --mixed: concurrent uploaders into one group, as fast as they can, while reads run. */
  burstConnections: number;
  burstSeconds: number;
}

/**
 * Write throughput under row locks: `connections` uploaders post into ONE group (a classroom of
 * identical laptops) for `seconds`, while one reader alternates /api/stats and a listing page.
 * Every upload of a group touches that group's aggregate rows, so this is where writers queue.
 */
async function writeBurst(url: string, variants: readonly ResultDocument[], groups: number, connections: number, seconds: number, tagBase: number) {
  const end = performance.now() + seconds * 1000;
  let accepted = 0;
  let errors = 0;
  let reads = 0;
  let next = 0;
  const latencies: number[] = [];
  const uploader = async (): Promise<void> => {
    while (performance.now() < end) {
      // n ≡ 0 (mod groups): every upload lands in group 0.
      const n = tagBase + groups * next++;
      const t0 = performance.now();
      const res = await fetch(`${url}/api/results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(syntheticDoc(variants, n, 'b', groups)) }).catch(() => null);
      if (res) await res.arrayBuffer();
      if (res?.status === 201) {
        accepted++;
        latencies.push(performance.now() - t0);
      } else errors++;
    }
  };
  const reader = async (): Promise<void> => {
    while (performance.now() < end) {
      const r = await timed(`${url}/api/${reads % 2 === 0 ? 'stats' : 'results?limit=50'}`).catch(() => null);
      if (r?.status === 200) reads++;
    }
  };
  const t0 = performance.now();
  await Promise.all([...Array.from({ length: connections }, uploader), reader()]);
  const s = (performance.now() - t0) / 1000;
  return { connections, seconds: round(s), uploadsPerS: round(accepted / s), uploadP50Ms: round(pct(latencies, 0.5)), uploadP99Ms: round(pct(latencies, 0.99)), errors, readsPerS: round(reads / s) };
}

async function measure(srv: ServerProcess, rows: number, o: ScaleOptions, variants: readonly ResultDocument[], tagBase: number) {
  let written = 0;
  let writeErrors = 0;
  let stop = false;
  const post = async (n: number, tag: string): Promise<boolean> => {
    const res = await fetch(`${srv.url}/api/results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(syntheticDoc(variants, n, tag)) });
    await res.arrayBuffer();
    return res.status === 201;
  };
  // The steady write load: one upload every 1/writeRate s, beside the reads.
  const writer = (async () => {
    for (let k = 0; o.mixed && !stop; k++) {
      const t0 = performance.now();
      if (await post(tagBase + k, 'w').catch(() => false)) written++;
      else writeErrors++;
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 / o.writeRate - (performance.now() - t0))));
    }
  })();
  let rssMax = 0;
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, rssMb(srv.pid) ?? 0)), 250);
  try {
    await timed(`${srv.url}/api/stats`);
    const stats: number[] = [];
    for (let i = 0; i < o.statsSamples; i++) {
      if (!(await post(tagBase + 500_000 + i, 'a'))) writeErrors++;
      const r = await timed(`${srv.url}/api/stats`);
      if (r.status !== 200) throw new Error(`/api/stats answered ${r.status}`);
      stats.push(r.ms);
    }
    const listing: number[] = [];
    for (let i = 0; i < 100; i++) {
      const after = Math.floor(Math.random() * rows);
      const r = await timed(`${srv.url}/api/results?limit=50&after=${after}`);
      if (r.status !== 200) throw new Error(`/api/results answered ${r.status}`);
      listing.push(r.ms);
    }
    const exp = await exportThroughput(srv.url, o.exportSeconds);
    const burst = o.mixed ? await writeBurst(srv.url, variants, o.groups, o.burstConnections, o.burstSeconds, tagBase + 700_000) : null;
    return {
      rows,
      statsAfterWriteMs: { p50: round(pct(stats, 0.5)), p99: round(pct(stats, 0.99)), samples: stats.length },
      listingMs: { p50: round(pct(listing, 0.5)), p99: round(pct(listing, 0.99)), samples: listing.length },
      exportJsonlGzip: { ...exp, rowsPerS: Math.round(exp.rows / exp.seconds), rawMBPerS: round(exp.rawMB / exp.seconds) },
      serverRssMB: { max: round(Math.max(rssMax, rssMb(srv.pid) ?? 0)), source: rssMb(srv.pid) === null ? 'unavailable (no /proc)' : '/proc/PID/status VmRSS, sampled every 250 ms' },
      backgroundWrites: o.mixed ? { rate: o.writeRate, accepted: written, errors: writeErrors } : null,
      oneGroupWriteBurst: burst,
    };
  } finally {
    stop = true;
    clearInterval(rssTimer);
    await writer;
  }
}

/** Seed to 10,000 rows (or fewer), measure, seed to `rows`, measure again; print both and the ratio. */
export async function runScaleBench(o: ScaleOptions, backend: { dataDir: string; databaseUrl: string | null }) {
  const open = () => openDb(backend.databaseUrl ? { kind: 'postgres', url: backend.databaseUrl } : { kind: 'pglite', dataDir: backend.dataDir }, { log: () => undefined });
  const variants = documentVariants();
  const checkpoints = [...new Set([Math.min(10_000, o.rows), o.rows])];
  const results = [];
  let seeded = 0;
  for (const [i, target] of checkpoints.entries()) {
    const db = await open();
    try {
      if (i === 0 && Number((await db.query<{ n: unknown }>('SELECT count(*) AS n FROM results')).rows[0]?.n) > 0) {
        throw new Error('the database already holds results: the scale benchmark seeds an empty one (a throwaway DATABASE_URL)');
      }
      const t0 = performance.now();
      await seed(db, variants, seeded, target, o.groups);
      process.stdout.write(`seeded ${target - seeded} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (total ${target})\n`);
      seeded = target;
    } finally {
      await db.close();
    }
    const srv = await spawnServer(backend.dataDir, backend.databaseUrl);
    try {
      const m = await measure(srv, target, o, variants, i * 1_000_000);
      results.push(m);
      process.stdout.write(
        `${target} rows: stats after a write p50 ${m.statsAfterWriteMs.p50} ms p99 ${m.statsAfterWriteMs.p99} ms; listing p50 ${m.listingMs.p50} ms p99 ${m.listingMs.p99} ms; ` +
          `export ${m.exportJsonlGzip.rowsPerS} rows/s (${m.exportJsonlGzip.rawMBPerS} MB/s decoded, ${m.exportJsonlGzip.complete ? 'complete' : `first ${m.exportJsonlGzip.seconds} s`}); ` +
          `server RSS max ${m.serverRssMB.max} MB${m.backgroundWrites ? `; background writes ${m.backgroundWrites.accepted} accepted, ${m.backgroundWrites.errors} errors` : ''}\n` +
          (m.oneGroupWriteBurst ? `  one-group write burst: ${m.oneGroupWriteBurst.uploadsPerS} uploads/s (${m.oneGroupWriteBurst.connections} uploaders, p50 ${m.oneGroupWriteBurst.uploadP50Ms} ms, p99 ${m.oneGroupWriteBurst.uploadP99Ms} ms, ${m.oneGroupWriteBurst.errors} errors) while ${m.oneGroupWriteBurst.readsPerS} reads/s\n` : ''),
      );
    } finally {
      await srv.stop();
    }
  }
  const small = results[0]!;
  const large = results[results.length - 1]!;
  const ratio = results.length > 1 ? round(large.statsAfterWriteMs.p50 / small.statsAfterWriteMs.p50) : null;
  process.stdout.write(
    ratio === null
      ? `one size only (${small.rows} rows): no ratio\n`
      : `stats after a write, p50: ${small.statsAfterWriteMs.p50} ms at ${small.rows} rows, ${large.statsAfterWriteMs.p50} ms at ${large.rows} rows: ratio ${ratio} (target ≤ 2)\n`,
  );
  return { backend: backend.databaseUrl ? 'postgres' : 'pglite', mixed: o.mixed, results, statsRatio: ratio };
}
