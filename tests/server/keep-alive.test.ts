/**
 * Early answers must leave the connection in the state they announce. One keep-alive agent with
 * ONE socket sends a request that the server refuses before reading its body (too large, wrong
 * type, rate limited, no token...), then a valid upload: the second request must succeed, either
 * on the same socket (the server consumed the rest of the body) or on a fresh one because the
 * refusal said `Connection: close`. A refusal that says keep-alive and then closes the socket
 * makes the second request fail with "socket hang up" / "other side closed".
 */
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { DRAIN_MAX_BYTES, settleBody } from '../../server/body.ts';
import { uniqueResult, useServer } from './helpers.ts';

interface Answer {
  status: number;
  connection: string | undefined;
  reusedSocket: boolean;
  body: string;
}

interface Probe {
  method: 'POST' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Send without Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
  /**
   * Send the headers only and wait for the answer before any body byte: a server that closes
   * while a client is still uploading makes the client's write fail (EPIPE) before it reads the
   * answer, whatever the answer said, so a body the server refuses to read is not sent.
   */
  headersOnly?: boolean;
}

function send(agent: http.Agent, base: string, p: Probe): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = p.chunked ? p.headers : { ...p.headers, 'content-length': String(p.body.length) };
    const req = http.request(`${base}${p.path}`, { method: p.method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, reusedSocket: req.reusedSocket, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (p.headersOnly) {
      req.flushHeaders();
      req.once('response', (res) => res.once('end', () => req.destroy()));
    } else if (p.chunked) {
      // Several writes so the body really goes out as chunks.
      const step = 256 * 1024;
      for (let i = 0; i < p.body.length; i += step) req.write(p.body.subarray(i, i + step));
      req.end();
    } else {
      req.end(p.body);
    }
  });
}

const json = { 'content-type': 'application/json' };
let version = 1000;
function validUpload(): Probe {
  return { method: 'POST', path: '/api/results', headers: json, body: Buffer.from(JSON.stringify(uniqueResult(version++))) };
}

/** The refusal, then a valid upload on the same one-socket agent. */
async function refusalThenUpload(base: string, refusal: Probe, expectedStatus: number): Promise<{ refused: Answer; next: Answer }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const refused = await send(agent, base, refusal);
    expect(refused.status, refused.body).toBe(expectedStatus);
    const next = await send(agent, base, validUpload());
    expect(next.status, next.body).toBe(201);
    // Either the socket stayed usable, or the refusal said it would not be.
    if (refused.connection !== 'close') expect(next.reusedSocket).toBe(true);
    return { refused, next };
  } finally {
    agent.destroy();
  }
}

const bigJson = Buffer.alloc(2_400_000, 0x20); // 2.4 MB of spaces: valid JSON padding, far over the limit

describe('early answers keep the connection honest', () => {
  const srv = useServer();

  test('413 on a 2.4 MB body with Content-Length: the next upload on the same socket succeeds', async () => {
    const { refused, next } = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/results', headers: json, body: bigJson }, 413);
    // Under the drain cap, the server reads and discards the rest and keeps the socket.
    expect(refused.connection).toBe('keep-alive');
    expect(next.reusedSocket).toBe(true);
  });

  test('413 on a 2.4 MB chunked body (length unknown up front): drained too, the socket reused', async () => {
    const { refused, next } = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/results', headers: json, body: bigJson, chunked: true }, 413);
    expect(refused.connection).toBe('keep-alive');
    expect(next.reusedSocket).toBe(true);
  });

  test('413 on a chunked body just over the limit: the socket reused', async () => {
    const { next } = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/results', headers: json, body: Buffer.alloc(100_000, 0x20), chunked: true }, 413);
    expect(next.reusedSocket).toBe(true);
  });

  test('413 on a body declared over the drain cap: answered at once with Connection: close', async () => {
    const huge = Buffer.alloc(DRAIN_MAX_BYTES + 1024, 0x20);
    const { refused, next } = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/results', headers: json, body: huge, headersOnly: true }, 413);
    expect(refused.connection).toBe('close');
    expect(next.reusedSocket).toBe(false);
  });

  test('415 wrong content type: the body is drained, the socket reused', async () => {
    const { next } = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/results', headers: { 'content-type': 'text/plain' }, body: Buffer.from(JSON.stringify(uniqueResult(1))) }, 415);
    expect(next.reusedSocket).toBe(true);
  });

  test('400 bad JSON and 400 malformed Idempotency-Key: the socket is reused', async () => {
    const bad = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/results', headers: json, body: Buffer.from('{"schemaVersion": 1,') }, 400);
    expect(bad.next.reusedSocket).toBe(true);
    const key = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/results', headers: { ...json, 'idempotency-key': 'short' }, body: Buffer.from(JSON.stringify(uniqueResult(2))) }, 400);
    expect(key.next.reusedSocket).toBe(true);
  });

  test('403 withdrawal without a token, sent with a body: the socket is reused', async () => {
    const { next } = await refusalThenUpload(srv.base, { method: 'DELETE', path: '/api/results/abcdefghijklmnop', headers: json, body: Buffer.alloc(200_000, 0x20) }, 403);
    expect(next.reusedSocket).toBe(true);
  });

  test('404 unknown API endpoint with a body: the socket is reused', async () => {
    const { next } = await refusalThenUpload(srv.base, { method: 'POST', path: '/api/nope', headers: json, body: Buffer.alloc(500_000, 0x20) }, 404);
    expect(next.reusedSocket).toBe(true);
  });
});

describe('429 keeps the connection honest too', () => {
  const srv = useServer(() => ({ rateLimit: { burst: 1, perMinute: 1 } }));

  test('a rate-limited upload with a large body, then a read on the same socket', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await send(agent, srv.base, validUpload())).status).toBe(201);
      const limited = await send(agent, srv.base, { method: 'POST', path: '/api/results', headers: json, body: Buffer.alloc(1_000_000, 0x20) });
      expect(limited.status).toBe(429);
      // The limiter refuses writes, so probe the socket with a write-free request that has a body.
      const next = await send(agent, srv.base, { method: 'POST', path: '/api/nope', headers: json, body: Buffer.from('{}') });
      expect(next.status).toBe(404);
      if (limited.connection !== 'close') expect(next.reusedSocket).toBe(true);
      expect(limited.connection).toBe('keep-alive');
    } finally {
      agent.destroy();
    }
  });
});

/** A request body stream with the few IncomingMessage fields settleBody reads. */
function fakeBody(headers: Record<string, string>): PassThrough & { complete: boolean } {
  const stream = new PassThrough() as PassThrough & { complete: boolean; headers: Record<string, string> };
  stream.complete = false;
  stream.headers = headers;
  stream.on('end', () => (stream.complete = true));
  return stream;
}
const asIncoming = (s: PassThrough): IncomingMessage => s as unknown as IncomingMessage;

describe('settleBody bounds', () => {
  test('a body that ends within the bounds is drained', async () => {
    const body = fakeBody({ 'content-length': '10' });
    const settled = settleBody(asIncoming(body), 100, 1_000);
    body.end(Buffer.alloc(10));
    expect(await settled).toBe('drained');
  });

  test('more bytes than the cap: abandoned, without waiting for the end', async () => {
    const body = fakeBody({ 'transfer-encoding': 'chunked' });
    const settled = settleBody(asIncoming(body), 100, 60_000);
    body.write(Buffer.alloc(60));
    body.write(Buffer.alloc(60));
    expect(await settled).toBe('abandoned');
  });

  test('a body declared over the cap: abandoned at once', async () => {
    expect(await settleBody(asIncoming(fakeBody({ 'content-length': '101' })), 100, 60_000)).toBe('abandoned');
  });

  test('a body that trickles past the timeout: abandoned', async () => {
    const body = fakeBody({ 'content-length': '50' });
    const settled = settleBody(asIncoming(body), 100, 50);
    body.write(Buffer.alloc(10));
    expect(await settled).toBe('abandoned');
  });

  test('a body already read to its end: complete', async () => {
    const body = fakeBody({});
    body.end();
    body.resume();
    await new Promise((r) => body.once('end', r));
    expect(await settleBody(asIncoming(body))).toBe('complete');
  });
});
