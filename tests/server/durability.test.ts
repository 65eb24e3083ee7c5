/**
 * Durability: SIGKILL the real server process (`node --import tsx server/main.ts`, one
 * process, so the kill really hits the database owner) in the middle of a stream of writes,
 * restart it on the same DATA_DIR, and check that every acknowledged (201) write is there.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, expect, test } from 'vitest';
import { postJson, tempDir, uniqueResult } from './helpers.ts';

const dir = tempDir('fal-kill-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  dir.remove();
});

/** Start the server on an ephemeral port; resolves with its URL once it prints it. */
function launch(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir.path, RATE_LIMIT_PER_MINUTE: '0', LOG: '0', DATABASE_URL: '', SNAPSHOT_DIR: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening: ${err}`)));
  });
}

test('every acknowledged write survives SIGKILL and restart', async () => {
  const first = await launch();
  const acked: string[] = [];
  let n = 0;
  let killed = false;
  // Four writers in parallel; the kill lands while requests are in flight.
  const writer = async () => {
    while (!killed) {
      const i = n++;
      try {
        const r = await postJson(first.url, uniqueResult(i));
        if (r.status === 201) acked.push(r.json.id as string);
        else throw new Error(`unexpected status ${r.status}`);
      } catch (e) {
        if (!killed) throw e;
      }
      if (acked.length >= 40 && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r() : first.child.once('exit', () => r())));
  expect(first.child.signalCode).toBe('SIGKILL');
  expect(acked.length).toBeGreaterThanOrEqual(40);

  const second = await launch();
  try {
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    const stored = new Set<string>();
    let after = '';
    for (;;) {
      const page = (await (await fetch(`${second.url}/api/results?limit=200${after ? `&after=${after}` : ''}`)).json()) as { items: { id: string }[]; next: string | null };
      page.items.forEach((i) => stored.add(i.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    // The database is still writable after recovery.
    expect((await postJson(second.url, uniqueResult(100_000))).status).toBe(201);
  } finally {
    second.child.kill('SIGTERM');
    await new Promise<void>((r) => second.child.once('exit', () => r()));
  }
  expect(second.child.exitCode).toBe(0);
});
