/**
 * Lost receipt, end to end: the upload reaches the real server (row stored, 201 sent) but the
 * answer never reaches the browser. The client's retry with the same idempotency key must come
 * back with the same id and a working withdrawal token.
 */
import { beforeAll, expect, test } from 'vitest';
import { buildPayload, newIdempotencyKey, sendPayload, withdrawResult } from '../../src/results/upload.ts';
import type { UploadTransport } from '../../src/results/upload.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { total, useServer } from './helpers.ts';

const srv = useServer();
let transport: UploadTransport;
beforeAll(() => {
  transport = { fetch: (...a) => fetch(...a), baseUrl: srv.base, online: () => true };
});

/** Delivers the request, reads the answer off the wire, then fails as a dropped connection would. */
function losingAnswers(into: Response[]): UploadTransport {
  return {
    ...transport,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      into.push(await fetch(input, init));
      throw new TypeError('Failed to fetch');
    }),
  };
}

test('a retry with the same key recovers the id and a new token; the lost token is revoked', async () => {
  const p = buildPayload(sampleResult({ app: { version: '0.1.0-lost' } }));
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  const key = newIdempotencyKey();
  const lost: Response[] = [];

  expect(await sendPayload(p.json, losingAnswers(lost), key)).toEqual({ kind: 'offline' });
  expect(lost[0]?.status).toBe(201);
  const original = (await lost[0]!.json()) as { id: string; token: string };
  expect(await total(srv.base)).toBe(1);

  const retry = await sendPayload(p.json, transport, key);
  expect(retry).toEqual({ kind: 'accepted', id: original.id, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown });
  if (retry.kind !== 'accepted') return;
  expect(retry.token).not.toBe(original.token);
  expect(await total(srv.base)).toBe(1);

  // Without the key (or with a new one) the same content is a plain duplicate: no token.
  expect(await sendPayload(p.json, transport)).toEqual({ kind: 'duplicate', id: original.id });
  expect(await sendPayload(p.json, transport, newIdempotencyKey())).toEqual({ kind: 'duplicate', id: original.id });

  expect(await withdrawResult(original.id, original.token, transport)).toEqual({ kind: 'wrong-token' });
  expect(await withdrawResult(original.id, retry.token, transport)).toEqual({ kind: 'withdrawn' });
  expect(await total(srv.base)).toBe(0);
});
