/**
 * Daily snapshots: `npm run dataset:snapshot` writes the JSONL export gzip-compressed with its
 * SHA-256 in `sha256sum` format; the server lists and serves both files unchanged, and writes
 * today's snapshot by itself when it is missing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { startServer, type RunningServer } from '../../server/app.ts';
import { writeSnapshot } from '../../server/snapshot.ts';
import { postJson, tempDir } from './helpers.ts';
import { rawGet, resultFrom } from './dataset-http.ts';

const db = tempDir('fal-snap-db-');
const snapshots = tempDir('fal-snap-');
let exported: Buffer = Buffer.alloc(0);
let server: RunningServer | null = null;

beforeAll(async () => {
  const s = await startServer({ port: 0, log: false, rateLimit: false, staticDir: '/nonexistent-dist', dataDir: db.path });
  try {
    for (const [n, vendor] of [[1, 'nvidia'], [2, 'apple']] as const) expect((await postJson(s.url, resultFrom(n, vendor, 'test-arch'))).status).toBe(201);
    exported = (await rawGet(`${s.url}/api/export.jsonl`)).body;
  } finally {
    // PGlite admits one process: the command opens the database once the server has let go.
    await s.close();
  }
});
afterAll(async () => {
  await server?.close();
  db.remove();
  snapshots.remove();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('the command writes the snapshot and its checksum; the server publishes both unchanged', async () => {
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/dataset-snapshot.ts', '--day', '2026-01-02'], {
    env: { ...process.env, DATA_DIR: db.path, SNAPSHOT_DIR: snapshots.path, DATABASE_URL: '' },
  });
  const gz = readFileSync(join(snapshots.path, '2026-01-02.jsonl.gz'));
  const sum = readFileSync(join(snapshots.path, '2026-01-02.jsonl.gz.sha256'), 'utf8');
  expect(sum).toBe(`${sha256(gz)}  2026-01-02.jsonl.gz\n`);
  expect(run.stdout).toContain(sum);
  expect(gunzipSync(gz).equals(exported)).toBe(true);
  expect(exported.toString('utf8').trim().split('\n')).toHaveLength(2);
  // No temporary file is left behind.
  expect(readdirSync(snapshots.path).sort()).toEqual(['2026-01-02.jsonl.gz', '2026-01-02.jsonl.gz.sha256']);

  // Asked again: the published file is kept as it is, without even reading the rows.
  const refuse = { query: () => Promise.reject(new Error('no query expected')), exec: () => Promise.reject(new Error('no exec expected')) };
  const kept = await writeSnapshot(refuse, snapshots.path, '2026-01-02');
  expect(kept).toEqual({ day: '2026-01-02', file: '2026-01-02.jsonl.gz', bytes: gz.length, sha256: sha256(gz), created: false });
  expect(readFileSync(join(snapshots.path, '2026-01-02.jsonl.gz')).equals(gz)).toBe(true);

  server = await startServer({ port: 0, log: false, rateLimit: false, staticDir: '/nonexistent-dist', dataDir: db.path, snapshotDir: snapshots.path });
  const base = server.url;
  const file = await rawGet(`${base}/api/snapshots/2026-01-02.jsonl.gz`, { 'accept-encoding': 'gzip, br' });
  expect(file.status).toBe(200);
  expect(file.headers['content-type']).toBe('application/gzip');
  expect(file.headers['content-encoding']).toBeUndefined();
  expect(file.body.equals(gz)).toBe(true);
  expect(file.headers.etag).toBe(`"${sha256(gz)}"`);
  expect((await rawGet(`${base}/api/snapshots/2026-01-02.jsonl.gz`, { 'if-none-match': file.headers.etag as string })).status).toBe(304);
  const sumAnswer = await rawGet(`${base}/api/snapshots/2026-01-02.jsonl.gz.sha256`);
  expect(sumAnswer.status).toBe(200);
  expect(sumAnswer.body.toString('utf8')).toBe(sum);
  for (const name of ['2026-01-03.jsonl.gz', '2026-01-02.jsonl', '..%2F..%2Fetc%2Fpasswd', '2026-01-02.jsonl.gz.sha256.tmp']) {
    expect((await rawGet(`${base}/api/snapshots/${name}`)).status, name).toBe(404);
  }

  // The server writes today's snapshot shortly after it starts, from the same rows.
  const today = new Date().toISOString().slice(0, 10);
  let listed: { snapshots: { day: string; file: string; bytes: number; sha256: string; url: string; sha256Url: string }[] } = { snapshots: [] };
  for (let i = 0; i < 100 && listed.snapshots.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 100));
    listed = JSON.parse((await rawGet(`${base}/api/snapshots`)).body.toString('utf8')) as typeof listed;
  }
  expect(listed.snapshots.map((s) => s.day)).toEqual([today, '2026-01-02']);
  expect(listed.snapshots[1]).toEqual({ day: '2026-01-02', file: '2026-01-02.jsonl.gz', bytes: gz.length, sha256: sha256(gz), url: '/api/snapshots/2026-01-02.jsonl.gz', sha256Url: '/api/snapshots/2026-01-02.jsonl.gz.sha256' });
  const todays = await rawGet(`${base}${listed.snapshots[0]!.url}`);
  expect(sha256(todays.body)).toBe(listed.snapshots[0]!.sha256);
  expect(gunzipSync(todays.body).equals(exported)).toBe(true);
}, 60_000);
