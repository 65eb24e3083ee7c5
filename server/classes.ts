/**
 * Classes: a teacher pools the pupils' figures on the projector for one lesson (see
 * server/README.md, "Classes", and src/shared/classroom.ts for what an entry may hold).
 *
 *   POST   /api/classes                 { preset } → 201 { code, token, preset, expiresAt }
 *   POST   /api/classes/:code/entries   one device's figures → 201 (new) or 200 (replaced)
 *   GET    /api/classes/:code           the class's distribution, ETag + no-cache (the projector polls)
 *   DELETE /api/classes/:code           Authorization: Bearer <token> → 204 (closed early)
 *
 * A class expires three hours after it is created, or when the teacher closes it: from then on it
 * answers 410, and its entries are deleted (on the first request that finds it expired, and by the
 * sweep each new class runs). The class row itself, which holds no pupil's data, goes a day later;
 * its code is then unknown (404). Same-origin only: no CORS headers (app.ts leaves these routes
 * out of the open dataset's). Writes draw on the app's one rate limit per client (rate-limit.ts): the
same budget as uploads, not a second one beside it.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import {
  CLASS_CODE_ALPHABET, CLASS_CODE_LENGTH, CLASS_LIFETIME_MS, MAX_CLASS_ENTRIES, classDistribution, isClassCode, parseClassCreate,
  parseClassEntry, type ClassCreated, type ClassEntry, type ClassView,
} from '../src/shared/classroom.ts';
import type { ApiError } from '../src/shared/dataset.ts';
import { isPresetName, type PresetName } from '../src/shared/presets.ts';
import { readBody } from './body.ts';
import { bodyTag, matchesIfNoneMatch } from './http-cache.ts';
import type { Db } from './db.ts';
import type { Queryable } from './queryable.ts';
import type { RateLimiter } from './rate-limit.ts';

type Env = { Bindings: HttpBindings };

/** A class body is a few hundred bytes; anything near this is not one. */
const MAX_CLASS_BODY_BYTES = 4096;
/** How long a class row (code, token hash, preset, expiry: no pupil's data) outlives its expiry. */
const CLASS_ROW_GRACE_MS = 24 * 3600_000;

/** What the routes need of the database: queries, and transactions for an entry (see writeEntry). */
export type ClassDb = Queryable & Pick<Db, 'transaction'>;

export interface ClassRoutesOptions {
  db: ClassDb;
  /** The app's limiter, shared with uploads; null when rate limiting is off. */
  limiter: RateLimiter | null;
  /** Devices a class takes (tests pass a small one). */
  maxEntries?: number;
  /** Milliseconds clock (tests pass a fake one to expire classes). */
  now?: () => number;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function sameHash(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

function newCode(): string {
  let s = '';
  for (let i = 0; i < CLASS_CODE_LENGTH; i++) s += CLASS_CODE_ALPHABET[randomInt(CLASS_CODE_ALPHABET.length)];
  return s;
}

interface ClassRow {
  code: string;
  token_hash: string;
  preset: string;
  expires_ms: number;
  [k: string]: unknown;
}

type Found = { kind: 'unknown' } | { kind: 'expired' } | { kind: 'open'; row: ClassRow & { preset: PresetName } };

type Status = 400 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429;

function jsonError(c: Context<Env>, status: Status, error: string, issues?: string[]) {
  const body: ApiError = issues ? { error, issues } : { error };
  return c.json(body, status);
}

type Written = { kind: 'written'; inserted: boolean } | { kind: 'full' } | { kind: 'closed' };

/**
 * One device's entry, in a transaction of two statements. The first locks the class row if the
 * class is still open (FOR UPDATE): entries of one class and the teacher's close (an UPDATE of
 * that row) then run one after the other, and a close that got there first leaves nothing to lock.
 * The second counts and inserts: under READ COMMITTED each statement reads a fresh snapshot, taken
 * here after the lock was granted, so it sees every entry committed by the transactions that held
 * the lock before it. The cap is then exact on PostgreSQL; a single statement could not do this, its
 * count being read in a snapshot taken before it waited for the lock. PGlite runs one transaction
 * at a time, so the same code is exact there too.
 */
async function writeEntry(tx: Queryable, code: string, deviceHash: string, e: ClassEntry, t: number, maxEntries: number): Promise<Written> {
  const open = await tx.query('SELECT code FROM classes WHERE code = $1 AND expires_ms > $2 FOR UPDATE', [code, t]);
  if (open.rows.length === 0) return { kind: 'closed' };
  const written = await tx.query<{ inserted: boolean }>(
    `INSERT INTO class_entries (class_code, device_hash, vendor, architecture, general_j, specialized_j, ratio)
     SELECT $1, $2, $3, $4, $5, $6, $7
     WHERE (SELECT count(*) FROM class_entries WHERE class_code = $1) < $8
        OR EXISTS (SELECT 1 FROM class_entries WHERE class_code = $1 AND device_hash = $2)
     ON CONFLICT (class_code, device_hash) DO UPDATE SET vendor = EXCLUDED.vendor, architecture = EXCLUDED.architecture,
       general_j = EXCLUDED.general_j, specialized_j = EXCLUDED.specialized_j, ratio = EXCLUDED.ratio
     RETURNING (xmax = 0) AS inserted`,
    [code, deviceHash, e.vendor, e.architecture, e.generalJ, e.specializedJ, e.ratio, maxEntries],
  );
  const row = written.rows[0];
  // xmax is 0 on a freshly inserted row, set on one the ON CONFLICT branch updated.
  return row ? { kind: 'written', inserted: row.inserted === true } : { kind: 'full' };
}

export function classRoutes(opts: ClassRoutesOptions): Hono<Env> {
  const app = new Hono<Env>();
  const now = opts.now ?? Date.now;
  const limiter = opts.limiter;
  const maxEntries = opts.maxEntries ?? MAX_CLASS_ENTRIES;
  const db = opts.db;

  const writeLimit = async (c: Context<Env>, next: () => Promise<void>) => {
    if (limiter) {
      const d = limiter.take(getConnInfo(c).remote.address ?? 'unknown');
      if (!d.allowed) {
        c.header('Retry-After', String(d.retryAfterS));
        return jsonError(c, 429, `too many writes from this client; retry in ${d.retryAfterS} s`);
      }
    }
    await next();
    return undefined;
  };

  /** The JSON body, or the refusal to answer with. */
  async function jsonBody(c: Context<Env>): Promise<{ ok: true; value: unknown } | { ok: false; res: Response }> {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return { ok: false, res: jsonError(c, 415, 'content-type must be application/json') };
    const body = await readBody(c.env.incoming, MAX_CLASS_BODY_BYTES);
    if (body.kind === 'too-large') return { ok: false, res: jsonError(c, 413, `payload too large: the limit is ${MAX_CLASS_BODY_BYTES} bytes`) };
    try {
      return { ok: true, value: JSON.parse(new TextDecoder().decode(body.bytes)) };
    } catch {
      return { ok: false, res: jsonError(c, 400, 'body is not valid JSON') };
    }
  }

  /** Entries of expired classes go now; class rows a day after their expiry. */
  async function sweep(t: number): Promise<void> {
    await db.query('DELETE FROM class_entries WHERE class_code IN (SELECT code FROM classes WHERE expires_ms <= $1)', [t]);
    await db.query('DELETE FROM classes WHERE expires_ms <= $1', [t - CLASS_ROW_GRACE_MS]);
  }

  /** The class, with an expired one's entries deleted on the spot. */
  async function find(code: string): Promise<Found> {
    if (!isClassCode(code)) return { kind: 'unknown' };
    const r = await db.query<ClassRow>('SELECT code, token_hash, preset, expires_ms::float8 AS expires_ms FROM classes WHERE code = $1', [code]);
    const row = r.rows[0];
    if (!row) return { kind: 'unknown' };
    if (Number(row.expires_ms) <= now()) {
      await db.query('DELETE FROM class_entries WHERE class_code = $1', [code]);
      return { kind: 'expired' };
    }
    const preset = row.preset;
    if (!isPresetName(preset)) return { kind: 'unknown' };
    return { kind: 'open', row: { ...row, preset, expires_ms: Number(row.expires_ms) } };
  }

  const unknown = (c: Context<Env>) => jsonError(c, 404, 'no class with this code');
  const expired = (c: Context<Env>) => jsonError(c, 410, 'this class has ended: it takes no more results and its results are deleted');

  app.post('/', writeLimit, async (c) => {
    const body = await jsonBody(c);
    if (!body.ok) return body.res;
    const parsed = parseClassCreate(body.value);
    if (!parsed.ok) return jsonError(c, 422, 'invalid class', parsed.issues);
    const t = now();
    await sweep(t);
    const token = randomBytes(24).toString('base64url');
    const expiresMs = t + CLASS_LIFETIME_MS;
    // 31^6 ≈ 887 million codes: a collision with a live class is rare; retry a few times.
    for (let attempt = 0; attempt < 8; attempt++) {
      const code = newCode();
      const r = await db.query<{ code: string }>(
        'INSERT INTO classes (code, token_hash, preset, expires_ms) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING code',
        [code, sha256(token), parsed.value.preset, expiresMs],
      );
      if (r.rows.length === 1) {
        const created: ClassCreated = { code, token, preset: parsed.value.preset, expiresAt: new Date(expiresMs).toISOString() };
        return c.json(created, 201);
      }
    }
    throw new Error('could not find a free class code');
  });

  app.post('/:code/entries', writeLimit, async (c) => {
    const found = await find(c.req.param('code') ?? '');
    switch (found.kind) {
      case 'unknown':
        return unknown(c);
      case 'expired':
        return expired(c);
      case 'open':
        break;
      default: {
        const never: never = found;
        throw new Error(`unexpected class state ${String(never)}`);
      }
    }
    const body = await jsonBody(c);
    if (!body.ok) return body.res;
    const parsed = parseClassEntry(body.value);
    if (!parsed.ok) return jsonError(c, 422, 'invalid class entry', parsed.issues);
    const e = parsed.value;
    if (e.preset !== found.row.preset) return jsonError(c, 422, 'invalid class entry', [`preset: must be this class's preset (${found.row.preset})`]);
    const code = found.row.code;
    const deviceHash = sha256(e.device);
    const written = await db.transaction((tx) => writeEntry(tx, code, deviceHash, e, now(), maxEntries));
    switch (written.kind) {
      case 'written':
        return c.json({ code, replaced: !written.inserted }, written.inserted ? 201 : 200);
      case 'full':
        return jsonError(c, 409, `this class is full (${maxEntries} devices)`);
      case 'closed':
        // Ended (or closed) since the read above; gone altogether if its row was swept meanwhile.
        return (await find(code)).kind === 'unknown' ? unknown(c) : expired(c);
      default: {
        const never: never = written;
        throw new Error(`unexpected entry outcome ${String(never)}`);
      }
    }
  });

  app.get('/:code', async (c) => {
    const found = await find(c.req.param('code') ?? '');
    if (found.kind === 'unknown') return unknown(c);
    if (found.kind === 'expired') return expired(c);
    const rows = await db.query<{ vendor: string; general_j: number; specialized_j: number; ratio: number }>(
      'SELECT vendor, general_j, specialized_j, ratio FROM class_entries WHERE class_code = $1 ORDER BY seq',
      [found.row.code],
    );
    const view: ClassView = {
      code: found.row.code,
      preset: found.row.preset,
      expiresAt: new Date(found.row.expires_ms).toISOString(),
      distribution: classDistribution(rows.rows.map((r) => ({ vendor: r.vendor, generalJ: Number(r.general_j), specializedJ: Number(r.specialized_j), ratio: Number(r.ratio) }))),
    };
    const text = JSON.stringify(view);
    const tag = bodyTag(text);
    // The projector polls every few seconds: each poll revalidates, and an unchanged class is a 304.
    c.header('ETag', tag);
    c.header('Cache-Control', 'no-cache');
    if (matchesIfNoneMatch(c.req.header('if-none-match'), tag)) return c.body(null, 304);
    return c.body(text, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.delete('/:code', writeLimit, async (c) => {
    const token = (c.req.header('authorization') ?? '').match(/^Bearer\s+([A-Za-z0-9_-]{1,128})$/)?.[1];
    if (!token) return jsonError(c, 403, "the class's token is required (Authorization: Bearer <token>)");
    const code = c.req.param('code') ?? '';
    if (!isClassCode(code)) return unknown(c);
    const r = await db.query<ClassRow>('SELECT code, token_hash FROM classes WHERE code = $1', [code]);
    const row = r.rows[0];
    if (!row) return unknown(c);
    if (!sameHash(sha256(token), row.token_hash)) return jsonError(c, 403, "wrong class token");
    // Closed: refused from now on like an expired class (410), its entries deleted at once.
    await db.query('UPDATE classes SET expires_ms = LEAST(expires_ms, $2) WHERE code = $1', [code, now()]);
    await db.query('DELETE FROM class_entries WHERE class_code = $1', [code]);
    return c.body(null, 204);
  });

  return app;
}
