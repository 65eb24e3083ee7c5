/**
 * The browser's upload client against the real server: the shapes both sides agree on, end to
 * end (what the consent dialog previews is what gets stored).
 */
import { beforeAll, expect, test } from 'vitest';
import { buildPayload, sendPayload, uploadResult, withdrawResult } from '../../src/results/upload.ts';
import type { UploadTransport } from '../../src/results/upload.ts';
import type { ResultListItem } from '../../src/shared/dataset.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import { useServer } from './helpers.ts';

const srv = useServer(() => ({ rateLimit: { burst: 5, perMinute: 1 } }));
let transport: UploadTransport;
beforeAll(() => {
  transport = { fetch: (...a) => fetch(...a), baseUrl: srv.base, online: () => true };
});

test('the previewed payload is exactly what the server stores; withdrawal with the kept token', async () => {
  // The energy model adds fields beyond the contract (per1000, method…): stripped, not stored.
  const doc = sampleResult();
  (doc.energy as Record<string, unknown>).per1000 = { general: 1 };
  const p = buildPayload(doc);
  expect(p.ok).toBe(true);
  if (!p.ok) return;
  const sent = await sendPayload(p.json, transport);
  expect(sent.kind).toBe('accepted');
  if (sent.kind !== 'accepted') return;
  const stored = (await (await fetch(`${srv.base}/api/results/${sent.id}`)).json()) as ResultListItem;
  expect(stored.doc).toEqual(p.doc);
  expect(JSON.stringify(stored.doc)).not.toContain('per1000');

  expect(await uploadResult(doc, transport)).toEqual({ kind: 'duplicate', id: sent.id });
  expect(await withdrawResult(sent.id, 'wrong', transport)).toEqual({ kind: 'wrong-token' });
  expect(await withdrawResult(sent.id, sent.token, transport)).toEqual({ kind: 'withdrawn' });
  expect(await withdrawResult(sent.id, sent.token, transport)).toEqual({ kind: 'not-found' });
});

test('rate limit and unreachable server map to their outcomes', async () => {
  // Budget of 5 writes, all used above: upload, duplicate, three withdrawal attempts.
  const out = await uploadResult(sampleResult({ app: { version: '0.1.0-rl' } }), transport);
  expect(out).toEqual({ kind: 'rate-limited', retryAfterS: 60 });
  const dead: UploadTransport = { ...transport, baseUrl: 'http://127.0.0.1:9' };
  expect(await uploadResult(sampleResult(), dead)).toEqual({ kind: 'offline' });
});
