/**
 * Upload client: builds the exact anonymized payload (the one the consent dialog shows), sends
 * it, and turns every way it can go wrong into a typed outcome the UI can explain.
 */
import type { ResultDocument } from '../shared/result.ts';
import { anonymize, parseResult } from '../shared/schema.ts';
import type { ApiError, UploadAccepted, UploadDuplicate, UploadReplayed } from '../shared/dataset.ts';
import { IDEMPOTENCY_KEY_HEADER, MAX_BODY_BYTES } from '../shared/dataset.ts';

export type PayloadOutcome = { ok: true; doc: ResultDocument; json: string } | { ok: false; issues: string[] };

/** The anonymized, validated document, and the exact JSON text that will be sent. */
export function buildPayload(doc: ResultDocument, now: Date = new Date()): PayloadOutcome {
  let anonymous: ResultDocument;
  try {
    anonymous = anonymize(doc, now);
  } catch (e) {
    // A document missing whole sections (damaged in storage, hand-edited) cannot even be
    // anonymized: refused with the reason, like an invalid one, never a crash of the view.
    return { ok: false, issues: [e instanceof Error ? e.message : String(e)] };
  }
  const parsed = parseResult(anonymous);
  if (!parsed.ok) return parsed;
  const json = JSON.stringify(parsed.value, null, 2);
  if (new TextEncoder().encode(json).length > MAX_BODY_BYTES) {
    return { ok: false, issues: [`the payload is larger than ${MAX_BODY_BYTES / 1024} KiB`] };
  }
  return { ok: true, doc: parsed.value, json };
}

export type UploadOutcome =
  | { kind: 'accepted'; id: string; token: string }
  | { kind: 'duplicate'; id: string }
  | { kind: 'offline' }
  | { kind: 'invalid'; issues: string[] }
  | { kind: 'rejected'; status: number; message: string; issues: string[] }
  | { kind: 'rate-limited'; retryAfterS: number | null }
  | { kind: 'server-error'; status: number };

export type WithdrawOutcome =
  | { kind: 'withdrawn' }
  | { kind: 'not-found' }
  | { kind: 'wrong-token' }
  | { kind: 'offline' }
  | { kind: 'rate-limited'; retryAfterS: number | null }
  | { kind: 'server-error'; status: number };

export interface UploadTransport {
  fetch: typeof fetch;
  /** '' for same origin (the app is served by the results server). */
  baseUrl: string;
  /** `navigator.onLine` where available: skip the request when the browser knows it is offline. */
  online: () => boolean;
}

export const defaultTransport = (): UploadTransport => ({
  fetch: (...args) => fetch(...args),
  baseUrl: '',
  online: () => (typeof navigator === 'undefined' ? true : navigator.onLine),
});

async function readError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as Partial<ApiError>;
    return { error: typeof body.error === 'string' ? body.error : res.statusText, issues: Array.isArray(body.issues) ? body.issues.map(String) : [] };
  } catch {
    return { error: res.statusText || `HTTP ${res.status}`, issues: [] };
  }
}

function retryAfter(res: Response): number | null {
  const n = Number(res.headers.get('retry-after'));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * A fresh idempotency key: 32 random bytes, base64url (43 characters). One key per upload
 * attempt-series: generated for the first attempt, kept with the pending upload and reused by
 * every retry, so that a retry whose first answer was lost gets its withdrawal token back.
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Send the payload `json` exactly as previewed. With `idempotencyKey`, a retry of an upload
 * whose 201 answer was lost (the request reached the server, the answer did not reach us) is
 * answered with the same id and a NEW token (the lost one stops working): it is reported as
 * 'accepted', since from here it is exactly that. Without the key such a retry is a 'duplicate'
 * with no token, and the result could never be withdrawn.
 */
export async function sendPayload(json: string, t: UploadTransport = defaultTransport(), idempotencyKey: string | null = null): Promise<UploadOutcome> {
  if (!t.online()) return { kind: 'offline' };
  let res: Response;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey !== null) headers[IDEMPOTENCY_KEY_HEADER] = idempotencyKey;
  try {
    res = await t.fetch(`${t.baseUrl}/api/results`, { method: 'POST', headers, body: json });
  } catch {
    // fetch rejects only on network failure (offline, DNS, connection refused, answer lost).
    return { kind: 'offline' };
  }
  if (res.status === 201) {
    const body = (await res.json()) as UploadAccepted;
    return { kind: 'accepted', id: body.id, token: body.token };
  }
  if (res.status === 200) {
    const body = (await res.json()) as UploadDuplicate | UploadReplayed;
    return 'token' in body && typeof body.token === 'string' ? { kind: 'accepted', id: body.id, token: body.token } : { kind: 'duplicate', id: body.id };
  }
  if (res.status === 429) return { kind: 'rate-limited', retryAfterS: retryAfter(res) };
  if (res.status >= 400 && res.status < 500) {
    const e = await readError(res);
    return { kind: 'rejected', status: res.status, message: e.error, issues: e.issues ?? [] };
  }
  return { kind: 'server-error', status: res.status };
}

/** Build and send; pass the same `idempotencyKey` on every retry of one upload. */
export async function uploadResult(doc: ResultDocument, t: UploadTransport = defaultTransport(), idempotencyKey: string | null = null): Promise<UploadOutcome> {
  const p = buildPayload(doc);
  if (!p.ok) return { kind: 'invalid', issues: p.issues };
  return sendPayload(p.json, t, idempotencyKey);
}

export async function withdrawResult(remoteId: string, token: string, t: UploadTransport = defaultTransport()): Promise<WithdrawOutcome> {
  if (!t.online()) return { kind: 'offline' };
  let res: Response;
  try {
    res = await t.fetch(`${t.baseUrl}/api/results/${encodeURIComponent(remoteId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  } catch {
    return { kind: 'offline' };
  }
  switch (res.status) {
    case 204:
      return { kind: 'withdrawn' };
    case 404:
      return { kind: 'not-found' };
    case 403:
      return { kind: 'wrong-token' };
    case 429:
      return { kind: 'rate-limited', retryAfterS: retryAfter(res) };
    default:
      return { kind: 'server-error', status: res.status };
  }
}

/** A command the user can keep to withdraw later from anywhere. */
export function withdrawalCommand(origin: string, remoteId: string, token: string): string {
  return `curl -X DELETE -H "Authorization: Bearer ${token}" ${origin}/api/results/${remoteId}`;
}
