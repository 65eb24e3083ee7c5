/**
 * The page's side of `/api/classes` (server/classes.ts): create and close a class (the projector),
 * poll its distribution with `If-None-Match` (an unchanged class is a 304 without a body), and
 * send one device's figures (a pupil's opt-in). Every outcome is a named case, never a thrown text.
 */
import type { ClassCreated, ClassEntry, ClassView } from '../../shared/classroom.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;
const defaultFetch: Fetch = (input, init) => fetch(input, init);

export type CreateOutcome = { kind: 'created'; created: ClassCreated } | { kind: 'failed'; status: number | null };

export async function createClass(preset: ClassCreated['preset'], f: Fetch = defaultFetch): Promise<CreateOutcome> {
  try {
    const res = await f('/api/classes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ preset }) });
    if (res.status !== 201) return { kind: 'failed', status: res.status };
    return { kind: 'created', created: (await res.json()) as ClassCreated };
  } catch {
    return { kind: 'failed', status: null };
  }
}

export async function closeClass(code: string, token: string, f: Fetch = defaultFetch): Promise<boolean> {
  try {
    const res = await f(`/api/classes/${code}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    return res.status === 204;
  } catch {
    return false;
  }
}

export type PollOutcome =
  | { kind: 'view'; view: ClassView; etag: string | null }
  | { kind: 'unchanged' }
  | { kind: 'ended' }
  | { kind: 'unknown' }
  | { kind: 'failed' };

export async function pollClass(code: string, etag: string | null, f: Fetch = defaultFetch): Promise<PollOutcome> {
  try {
    const res = await f(`/api/classes/${code}`, { headers: etag ? { 'if-none-match': etag } : {}, cache: 'no-cache' });
    switch (res.status) {
      case 200:
        return { kind: 'view', view: (await res.json()) as ClassView, etag: res.headers.get('etag') };
      case 304:
        return { kind: 'unchanged' };
      case 410:
        return { kind: 'ended' };
      case 404:
        return { kind: 'unknown' };
      default:
        return { kind: 'failed' };
    }
  } catch {
    return { kind: 'failed' };
  }
}

export type SubmitOutcome = 'added' | 'replaced' | 'ended' | 'unknown' | 'refused' | 'busy' | 'failed';

export async function submitEntry(code: string, entry: ClassEntry, f: Fetch = defaultFetch): Promise<SubmitOutcome> {
  try {
    const res = await f(`/api/classes/${code}/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry) });
    switch (res.status) {
      case 201:
        return 'added';
      case 200:
        return 'replaced';
      case 410:
        return 'ended';
      case 404:
        return 'unknown';
      case 422:
      case 409:
        return 'refused';
      case 429:
        return 'busy';
      default:
        return 'failed';
    }
  } catch {
    return 'failed';
  }
}
