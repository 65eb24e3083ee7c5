/**
 * Daily snapshots of the open dataset: the JSON Lines export at one moment, gzip-compressed,
 * with the SHA-256 of the compressed file beside it (`sha256sum` format), so a paper can cite
 * one fixed file and anyone can check they have the same bytes.
 *
 * A day's files are created once and never replaced: each is written to a temporary file and
 * then hard-linked to its final name, which fails if another process (a second server on the
 * same PostgreSQL, or the command) got there first; the loser discards its copy.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { jsonlLine } from '../src/shared/export.ts';
import type { Queryable } from './queryable.ts';
import { exportText, filteredPages } from './export-stream.ts';

export const SNAPSHOT_NAME = /^(\d{4}-\d{2}-\d{2})\.jsonl\.gz(\.sha256)?$/;

export interface SnapshotInfo {
  day: string;
  file: string;
  bytes: number;
  sha256: string;
}

const gzName = (day: string) => `${day}.jsonl.gz`;
const shaName = (day: string) => `${gzName(day)}.sha256`;
const shaLine = (hex: string, day: string) => `${hex}  ${gzName(day)}\n`;

const isExists = (e: unknown): boolean => e instanceof Error && 'code' in e && e.code === 'EEXIST';
const isMissing = (e: unknown): boolean => e instanceof Error && 'code' in e && e.code === 'ENOENT';

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Create `final` unless it exists: written to a temp file, then hard-linked (exclusive). */
async function createOnce(dir: string, final: string, write: (tmp: string) => Promise<void>): Promise<boolean> {
  const tmp = join(dir, `.${final}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await write(tmp);
    await link(tmp, join(dir, final));
    return true;
  } catch (e) {
    if (isExists(e)) return false;
    throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The checksum recorded in a `.sha256` file, or null when there is none. */
async function recordedSum(path: string): Promise<string | null> {
  try {
    return /^([0-9a-f]{64}) {2}/.exec(await readFile(path, 'utf8'))?.[1] ?? null;
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/**
 * Write the snapshot of `day` unless it exists; a file left without its checksum (a crash
 * between the two) gets it now. Returns the snapshot either way. Both files are flushed to disk
 * before they get their final names, so a published name never points at a partial file.
 */
export async function writeSnapshot(db: Queryable, dir: string, day: string, opts: { signal?: AbortSignal } = {}): Promise<SnapshotInfo & { created: boolean }> {
  await mkdir(dir, { recursive: true });
  const gzPath = join(dir, gzName(day));
  let created = false;
  let sum: string | null = null;
  if (!(await exists(gzPath))) {
    let written = '';
    created = await createOnce(dir, gzName(day), async (tmp) => {
      const h = createHash('sha256');
      const tee = new Transform({
        transform(chunk: Buffer, _enc, done) {
          h.update(chunk);
          done(null, chunk);
        },
      });
      const rows = Readable.from(exportText(filteredPages(db, {}), '', jsonlLine));
      await pipeline(rows, createGzip({ level: 9 }), tee, createWriteStream(tmp, { flags: 'wx', flush: true }), opts.signal ? { signal: opts.signal } : {});
      written = h.digest('hex');
    });
    if (created) sum = written;
  }
  sum ??= (await recordedSum(join(dir, shaName(day)))) ?? (await hashFile(gzPath));
  const line = shaLine(sum, day);
  await createOnce(dir, shaName(day), (tmp) => pipeline(Readable.from([line]), createWriteStream(tmp, { flags: 'wx', flush: true })));
  return { day, file: gzName(day), bytes: (await stat(gzPath)).size, sha256: sum, created };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/** Days with both files, newest first; the checksum is read from the `.sha256` file. */
export async function listSnapshots(dir: string): Promise<SnapshotInfo[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
  const have = new Set(names);
  const out: SnapshotInfo[] = [];
  for (const name of names) {
    const m = SNAPSHOT_NAME.exec(name);
    if (!m?.[1] || m[2] !== undefined || !have.has(shaName(m[1]))) continue;
    const hex = await recordedSum(join(dir, shaName(m[1])));
    if (!hex) continue;
    out.push({ day: m[1], file: name, bytes: (await stat(join(dir, name))).size, sha256: hex });
  }
  return out.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
}

export type SnapshotFile =
  | { kind: 'gzip'; path: string; bytes: number; sha256: string }
  | { kind: 'sha256'; text: string; sha256: string }
  | { kind: 'missing' };

/** One published file by name (`YYYY-MM-DD.jsonl.gz` or its `.sha256`), only when both exist. */
export async function snapshotFile(dir: string, name: string): Promise<SnapshotFile> {
  const m = SNAPSHOT_NAME.exec(name);
  if (!m?.[1]) return { kind: 'missing' };
  const info = (await listSnapshots(dir)).find((s) => s.day === m[1]);
  if (!info) return { kind: 'missing' };
  if (m[2] !== undefined) return { kind: 'sha256', text: shaLine(info.sha256, info.day), sha256: info.sha256 };
  return { kind: 'gzip', path: join(dir, info.file), bytes: info.bytes, sha256: info.sha256 };
}

const SNAPSHOT_CHECK_MS = 60 * 60 * 1000;

/**
 * The server's daily snapshot: shortly after start and then every hour, write today's (UTC)
 * snapshot if it is missing. The timer is unref'd (it never keeps the process alive); `stop`
 * aborts a snapshot in progress and waits for it to let go of the database.
 */
export function scheduleSnapshots(db: Queryable, dir: string, log: (event: Record<string, unknown>) => void, firstDelayMs = 1_000): { stop(): Promise<void> } {
  const abort = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const check = () => {
    running = writeSnapshot(db, dir, new Date().toISOString().slice(0, 10), { signal: abort.signal }).then(
      (s) => {
        if (s.created) log({ msg: 'snapshot written', day: s.day, bytes: s.bytes, sha256: s.sha256 });
      },
      (e: unknown) => {
        if (!abort.signal.aborted) log({ msg: 'snapshot failed', level: 'error', error: e instanceof Error ? e.name : 'unknown', detail: e instanceof Error ? e.message : String(e) });
      },
    );
  };
  const first = setTimeout(check, firstDelayMs);
  first.unref();
  const every = setInterval(check, SNAPSHOT_CHECK_MS);
  every.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(every);
      abort.abort();
      await running;
    },
  };
}
