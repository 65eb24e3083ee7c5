/** Helpers of the server suites: temp directories, JSON requests, unique valid documents. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export async function total(base: string): Promise<number> {
  const res = await fetch(`${base}/api/stats`);
  const body = (await res.json()) as { total: number };
  return body.total;
}
