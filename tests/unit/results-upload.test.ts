import { describe, expect, test } from 'vitest';
import { buildPayload, newIdempotencyKey, sendPayload, uploadResult, withdrawalCommand, withdrawResult } from '../../src/results/upload.ts';
import type { UploadTransport } from '../../src/results/upload.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

function transport(respond: (url: string, init: RequestInit) => Response | Promise<Response>, online = true): UploadTransport & { calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  return {
    calls,
    baseUrl: 'http://lab.test',
    online: () => online,
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return respond(url, init);
    }) as typeof fetch,
  };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('payload', () => {
  test('is the anonymized document, and the text sent is exactly the text previewed', async () => {
    const doc = sampleResult() as ReturnType<typeof sampleResult> & { environment: { adapter: { description?: string } } };
    doc.environment.adapter.description = 'Secret GPU';
    const p = buildPayload(doc);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.json).not.toContain('Secret GPU');
    const t = transport(() => json(201, { id: 'ID', token: 'TOK', duplicate: false }));
    expect(await sendPayload(p.json, t)).toEqual({ kind: 'accepted', id: 'ID', token: 'TOK' });
    expect(t.calls[0]?.init.body).toBe(p.json);
    expect(t.calls[0]?.url).toBe('http://lab.test/api/results');
  });
  test('an invalid document is caught before sending', async () => {
    const doc = sampleResult();
    doc.workloads[0]!.timing.p10Ms = 99;
    const t = transport(() => json(500, {}));
    const out = await uploadResult(doc, t);
    expect(out).toEqual({ kind: 'invalid', issues: ['workloads.0.timing: must satisfy p10Ms ≤ medianMs ≤ p90Ms'] });
    expect(t.calls).toHaveLength(0);
  });
});

describe('upload outcomes', () => {
  test('offline: navigator says so, or the network fails', async () => {
    expect(await uploadResult(sampleResult(), transport(() => json(201, {}), false))).toEqual({ kind: 'offline' });
    expect(await uploadResult(sampleResult(), transport(() => { throw new TypeError('Failed to fetch'); }))).toEqual({ kind: 'offline' });
  });
  test('duplicate, rejected with issues, rate limited, server error', async () => {
    expect(await uploadResult(sampleResult(), transport(() => json(200, { id: 'D', duplicate: true })))).toEqual({ kind: 'duplicate', id: 'D' });
    expect(await uploadResult(sampleResult(), transport(() => json(422, { error: 'invalid', issues: ['a: b'] })))).toEqual({ kind: 'rejected', status: 422, message: 'invalid', issues: ['a: b'] });
    expect(await uploadResult(sampleResult(), transport(() => json(413, { error: 'payload too large' })))).toEqual({ kind: 'rejected', status: 413, message: 'payload too large', issues: [] });
    expect(await uploadResult(sampleResult(), transport(() => json(429, { error: 'slow down' }, { 'retry-after': '30' })))).toEqual({ kind: 'rate-limited', retryAfterS: 30 });
    expect(await uploadResult(sampleResult(), transport(() => new Response('oops', { status: 502 })))).toEqual({ kind: 'server-error', status: 502 });
  });
});

describe('idempotency key (lost receipt)', () => {
  test('a fresh key is 43 base64url characters (256 bits), different each time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  test('the key travels in the Idempotency-Key header; none without a key', async () => {
    const t = transport(() => json(201, { id: 'ID', token: 'TOK', duplicate: false }));
    await uploadResult(sampleResult(), t, 'KEY_0123456789abcdefghijk');
    await uploadResult(sampleResult(), t);
    expect((t.calls[0]?.init.headers as Record<string, string>)['Idempotency-Key']).toBe('KEY_0123456789abcdefghijk');
    expect(Object.keys(t.calls[1]?.init.headers as Record<string, string>)).toEqual(['content-type']);
  });
  test('a replayed answer (200 with a token) is an accepted upload with the new token', async () => {
    const t = transport(() => json(200, { id: 'ID', token: 'NEW', duplicate: true, replayed: true }));
    expect(await uploadResult(sampleResult(), t, 'KEY_0123456789abcdefghijk')).toEqual({ kind: 'accepted', id: 'ID', token: 'NEW' });
  });
});

describe('withdrawal', () => {
  test('sends the token as a bearer header and maps statuses', async () => {
    const t = transport(() => new Response(null, { status: 204 }));
    expect(await withdrawResult('ID1', 'TOK', t)).toEqual({ kind: 'withdrawn' });
    expect(t.calls[0]?.url).toBe('http://lab.test/api/results/ID1');
    expect(t.calls[0]?.init.method).toBe('DELETE');
    expect((t.calls[0]?.init.headers as Record<string, string>).authorization).toBe('Bearer TOK');
    expect(await withdrawResult('ID1', 'TOK', transport(() => json(403, { error: 'wrong deletion token' })))).toEqual({ kind: 'wrong-token' });
    expect(await withdrawResult('ID1', 'TOK', transport(() => json(404, { error: 'gone' })))).toEqual({ kind: 'not-found' });
    expect(await withdrawResult('ID1', 'TOK', transport(() => json(200, {}), false))).toEqual({ kind: 'offline' });
  });
  test('the command to keep', () => {
    expect(withdrawalCommand('https://lab.example', 'ID1', 'TOK')).toBe('curl -X DELETE -H "Authorization: Bearer TOK" https://lab.example/api/results/ID1');
  });
});
