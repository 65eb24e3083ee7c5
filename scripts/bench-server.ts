/**
 * `npm run bench:server`: load benchmark of the results server (not a test: numbers depend on
 * the machine). Starts a real server process on a fresh PGlite directory (or DATABASE_URL with
 * --pg), then with autocannon measures:
 *   - POST /api/results: accepted writes/s and p99 latency (every body unique, so no dedupe),
 *   - GET /api/stats: reads/s and p99 latency,
 * and finally checks that every acknowledged write is listed (zero lost writes).
 *
 * Options: --duration S (10), --connections N (10), --pg (use DATABASE_URL), --out FILE.json
 *
 * Scale mode, `--rows N [--mixed]`: seeds N synthetic, schema-valid results by bulk SQL and
 * measures stats after a write, listing, export and memory at 10,000 and at N rows, under a
 * steady upload stream with --mixed (`--write-rate W`/s, 10); see scripts/bench-server-scale.ts.
 * Also `--stats-samples K` (50), `--export-seconds S` (10), `--groups G` (8: distinct adapters
 * seeded; above 8, numbered architectures) and, with --mixed, a one-group write burst
 * (`--burst-connections C` (8) uploaders for `--burst-seconds S` (5) while reads run: uploads/s).
 * With --pg, DATABASE_URL must name an empty, throwaway database.
 *
 * `--stats-profile --rows N --groups G`: the stats computation alone, in-process, cold and right
 * after a write (scripts/bench-server-stats.ts); `--stats-samples K` (5).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleResult } from '../src/shared/sample-result.ts';
import { runScaleBench, spawnServer } from './bench-server-scale.ts';
import { statsProfile } from './bench-server-stats.ts';

interface Histogram { average: number; p50: number; p99: number; max: number; total: number }
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  '2xx': number;
}
interface AutocannonRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (req: Record<string, unknown>) => Record<string, unknown>;
  onResponse?: (status: number, body: string) => void;
}
type Autocannon = (opts: { url: string; connections: number; duration: number; requests: AutocannonRequest[] }) => Promise<AutocannonResult>;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const duration = Number(arg('duration', '10'));
const connections = Number(arg('connections', '10'));
const usePg = process.argv.includes('--pg');
const out = arg('out', '');
const rows = Number(arg('rows', '0'));

async function scale(): Promise<void> {
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
  if (usePg && !process.env.DATABASE_URL) throw new Error('--pg needs DATABASE_URL (source .ci/postgres.sh)');
  const dataDir = mkdtempSync(join(tmpdir(), 'fal-bench-scale-'));
  try {
    const report = process.argv.includes('--stats-profile')
      ? await statsProfile({ rows, groups: Number(arg('groups', '8')), samples: Number(arg('stats-samples', '5')) }, { dataDir, databaseUrl: usePg ? process.env.DATABASE_URL! : null })
      : await runScaleBench(
      {
        rows, mixed: process.argv.includes('--mixed'), writeRate: Number(arg('write-rate', '10')), statsSamples: Number(arg('stats-samples', '50')), exportSeconds: Number(arg('export-seconds', '10')),
        groups: Number(arg('groups', '8')), burstConnections: Number(arg('burst-connections', '8')), burstSeconds: Number(arg('burst-seconds', '5')),
      },
      { dataDir, databaseUrl: usePg ? process.env.DATABASE_URL! : null },
    );
    if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // No @types for autocannon: load it through a computed specifier (so TypeScript does not look
  // for its declarations) and describe the part we use above.
  const specifier: string = 'autocannon';
  const autocannon = ((await import(specifier)) as { default: Autocannon }).default;
  if (usePg && !process.env.DATABASE_URL) throw new Error('--pg needs DATABASE_URL (source .ci/postgres.sh)');
  const dataDir = mkdtempSync(join(tmpdir(), 'fal-bench-'));
  const server = await spawnServer(dataDir, usePg ? process.env.DATABASE_URL! : null);
  const url = server.url;
  try {
    let n = 0;
    const acked: string[] = [];
    const base = sampleResult();
    process.stdout.write(`POST /api/results: ${connections} connections, ${duration} s…\n`);
    const post = await autocannon({
      url, connections, duration,
      requests: [{
        method: 'POST', path: '/api/results', headers: { 'content-type': 'application/json' },
        // A distinct app version per request keeps every body unique (no dedupe short-cut).
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...base, app: { version: `0.1.0-b${n++}` } }) }),
        onResponse: (status, body) => {
          if (status === 201) acked.push((JSON.parse(body) as { id: string }).id);
        },
      }],
    });

    process.stdout.write(`GET /api/stats: ${connections} connections, ${duration} s…\n`);
    const stats = await autocannon({ url, connections, duration, requests: [{ method: 'GET', path: '/api/stats' }] });

    // Lost writes: every 201 must be listed.
    const listed = new Set<string>();
    let after = '';
    for (;;) {
      const page = (await (await fetch(`${url}/api/results?limit=200${after ? `&after=${after}` : ''}`)).json()) as { items: { id: string }[]; next: string | null };
      for (const i of page.items) listed.add(i.id);
      if (!page.next) break;
      after = page.next;
    }
    const lost = acked.filter((id) => !listed.has(id)).length;

    const report = {
      backend: usePg ? 'postgres' : 'pglite',
      connections, durationS: duration,
      post: { acceptedPerS: acked.length / post.duration, acceptedTotal: acked.length, p50Ms: post.latency.p50, p99Ms: post.latency.p99, errors: post.errors + post.timeouts, non2xx: post.non2xx },
      stats: { readsPerS: stats.requests.average, p50Ms: stats.latency.p50, p99Ms: stats.latency.p99, errors: stats.errors + stats.timeouts, non2xx: stats.non2xx },
      lostWrites: lost,
    };
    process.stdout.write(
      [
        `backend ${report.backend}`,
        `POST  accepted ${report.post.acceptedPerS.toFixed(1)} writes/s (${acked.length} total), p50 ${report.post.p50Ms} ms, p99 ${report.post.p99Ms} ms, errors ${report.post.errors}, non-2xx ${report.post.non2xx}`,
        `STATS ${report.stats.readsPerS.toFixed(1)} reads/s, p50 ${report.stats.p50Ms} ms, p99 ${report.stats.p99Ms} ms, errors ${report.stats.errors}, non-2xx ${report.stats.non2xx}`,
        `lost writes: ${lost}`,
        '',
      ].join('\n'),
    );
    if (out) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    if (lost > 0 || report.post.errors > 0 || report.post.non2xx > 0 || report.stats.errors > 0 || report.stats.non2xx > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

(rows > 0 ? scale() : main()).catch((e: unknown) => {
  process.stderr.write(`bench:server failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
