/**
 * Helpers of the server suites: temp directories, a suite's running server, JSON requests,
 * unique valid documents, and the upload / withdraw / read round trips every suite repeats.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.ts';
import type { DatasetStats, ResultPage } from '../../src/shared/dataset.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A valid document that differs from every other `n` (so it is not deduplicated). */
export function uniqueResult(n: number): ResultDocument {
  return sampleResult({ app: { version: `0.1.0-u${n}` } });
}

/**
 * What a suite's server starts with unless it says otherwise: any free port, no access log, no
 * write limit (a suite that tests the limit sets one), and no built app to serve.
 */
const SUITE_SERVER: ServerOptions = { port: 0, log: false, rateLimit: false, staticDir: '/nonexistent-dist' };

interface SuiteServer {
  /** The server's origin, e.g. http://127.0.0.1:41234 (read it inside a test or a later hook). */
  readonly base: string;
  readonly server: RunningServer;
}

class SuiteServerNotStartedError extends Error {
  override name = 'SuiteServerNotStartedError';
}

/**
 * Starts a results server before the enclosing describe block's tests (or the file's) and closes
 * it after them. `options` is read in the hook (so it may name a folder an earlier hook made) and
 * overrides the suite defaults above; without a database, the server gets a throwaway PGlite
 * folder, removed after it closed. Hooks registered after this call see the server started.
 */
export function useServer(options: () => ServerOptions = () => ({})): SuiteServer {
  let running: RunningServer | undefined;
  let folder: { remove(): void } | undefined;
  beforeAll(async () => {
    const opts = { ...SUITE_SERVER, ...options() };
    if (opts.dataDir === undefined && opts.databaseUrl === undefined) {
      const made = tempDir('fal-server-');
      folder = made;
      opts.dataDir = made.path;
    }
    running = await startServer(opts);
  });
  afterAll(async () => {
    await running?.close();
    folder?.remove();
  });
  const started = (): RunningServer => {
    if (!running) throw new SuiteServerNotStartedError('the suite server is not started yet (read it inside a test or a later hook)');
    return running;
  };
  return {
    get base() {
      return started().url;
    },
    get server() {
      return started();
    },
  };
}

export async function postJson(base: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const send = () => fetch(`${base}/api/results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // A pooled keep-alive connection the server closed while idle (a loaded CI machine) resets
  // the next request sent on it before the server sees it: send that request once more.
  const res = await send().catch((e: unknown) => {
    const code = (e as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return send();
    throw e;
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

/** What an accepted upload hands back: the id and the deletion token. */
export interface Receipt {
  id: string;
  token: string;
}

/** Uploads a document that must be new (201, the answer in the failure message); its receipt. */
export async function upload(base: string, doc: unknown, headers: Record<string, string> = {}): Promise<Receipt> {
  const up = await postJson(base, doc, headers);
  expect(up.status, JSON.stringify(up.json)).toBe(201);
  return { id: up.json.id as string, token: up.json.token as string };
}

/** DELETE /api/results/:id, with the token as a bearer credential when given; the raw answer. */
export function deleteResult(base: string, id: string, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/results/${id}`, { method: 'DELETE', headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } });
}

/** Withdraws an upload with its own token: it must succeed (204). */
export async function withdraw(base: string, receipt: Receipt): Promise<void> {
  expect((await deleteResult(base, receipt.id, receipt.token)).status).toBe(204);
}

export async function stats(base: string): Promise<DatasetStats> {
  return (await (await fetch(`${base}/api/stats`)).json()) as DatasetStats;
}

export async function total(base: string): Promise<number> {
  return (await stats(base)).total;
}

/** The ids of the first listing page for `query` (which must be accepted). */
export async function listedIds(base: string, query: string): Promise<string[]> {
  const res = await fetch(`${base}/api/results?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as ResultPage).items.map((i) => i.id);
}

/** The documents of a JSONL export, each with its result id. */
export function jsonlDocs(text: string): (ResultDocument & { id: string })[] {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ResultDocument & { id: string });
}

/** The repository root, where the scripts run from as `npm run` runs them. */
export const ROOT = new URL('../../', import.meta.url).pathname;

interface ScriptOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a repository script (`scripts/lab.ts`…) under tsx from the root; its exit code and output. */
export function runScript(script: string, args: string[], env?: NodeJS.ProcessEnv): Promise<ScriptOutcome> {
  return new Promise((done, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
