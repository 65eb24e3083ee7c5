/**
 * The results store: insert with dedupe, paged listing, withdrawal by token, aggregates and
 * export pages. Documents arrive here already validated and anonymized.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { utcDay } from '../src/shared/day.ts';
import type { ResultDocument } from '../src/shared/result.ts';
import type { DatasetStats, ResultListItem, ResultPage, UploadAccepted, UploadDuplicate, UploadReplayed } from '../src/shared/dataset.ts';
import { GroupInputsCache, readAggregateStats } from './aggregate-stats.ts';
import { applyFigures, FIGURES_SELECT, figuresOfDoc, figuresOfRow } from './aggregates.ts';
import type { Db } from './db.ts';
import { contentHash, derivedColumns, sha256 } from './result-row.ts';


export type DeleteOutcome = 'deleted' | 'not-found' | 'forbidden';

const ID_PATTERN = /^[A-Za-z0-9_-]{16}$/;
export const isResultId = (s: string): boolean => ID_PATTERN.test(s);

/**
 * A new result id: 16 base64url characters (96 random bits) that start with a letter or digit.
 * An id starting with `-` would reach the CSV export as `'-…`, because the export's guard against
 * spreadsheet formulas prefixes such cells, and the CSV's ids would no longer match the JSONL's
 * or the API's (1 upload in 64 did). Redrawing keeps every accepted id uniformly random.
 */
export function newResultId(): string {
  for (;;) {
    const id = randomBytes(12).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

interface ResultRow {
  seq: string | number;
  id: string;
  received_day: string | Date;
  doc: ResultDocument;
  [k: string]: unknown;
}

function dayString(d: string | Date): string {
  return typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);
}

/** Constant-time comparison of two hex SHA-256 digests. */
function sameHash(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * How long a process may serve cached aggregates. Its own writes invalidate the cache at once,
 * but with PostgreSQL several server processes share the rows and none sees the others' writes:
 * the TTL bounds that staleness to a few seconds while keeping /api/stats cheap under load.
 */
export const STATS_TTL_MS = 5_000;

export interface StoreOptions {
  /** Milliseconds clock for the stats TTL (tests pass a fake one). */
  now?: () => number;
  statsTtlMs?: number;
}

export class ResultStore {
  /**
   * Aggregates are recomputed after a write of this process or once the TTL has passed: reads
   * in between share one computation (single flight), which keeps the endpoint cheap.
   */
  private statsCache: { promise: Promise<DatasetStats>; at: number } | null = null;
  private readonly now: () => number;
  private readonly statsTtlMs: number;
  /** Each published group's bins and exact medians, read again only when its members change. */
  private readonly groupInputs = new GroupInputsCache();

  constructor(private readonly db: Db, opts: StoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.statsTtlMs = opts.statsTtlMs ?? STATS_TTL_MS;
  }

  private invalidate(): void {
    this.statsCache = null;
  }

  /**
   * Insert, or recognise the same content. `idempotencyKey` (validated by the caller) is the
   * client's random key for this upload: stored as a hash with a new row, and on a duplicate it
   * proves the request is a retry of the original upload whose answer was lost. Only the
   * token's hash is stored, so such a replay gets a NEW token whose hash replaces the old one
   * (the token of the lost answer stops working). A duplicate without the matching key gets no
   * token: anyone can re-post public content, only the uploader may withdraw it.
   */
  async insert(doc: ResultDocument, opts: { idempotencyKey?: string | null; now?: Date } = {}): Promise<UploadAccepted | UploadDuplicate | UploadReplayed> {
    const hash = contentHash(doc);
    const id = newResultId();
    const token = randomBytes(32).toString('base64url');
    const keyHash = opts.idempotencyKey ? sha256(opts.idempotencyKey) : null;
    const c = derivedColumns(doc);
    // The row and its contribution to the aggregates commit together, or neither does.
    const inserted = await this.db.transaction(async (tx) => {
      const r = await tx.query<{ id: string; seq: string | number }>(
        `INSERT INTO results (id, content_hash, token_hash, received_day, preset, suite_version, vendor, architecture,
                              general_j_p50, specialized_j_p50, ratio_p50, doc, idempotency_key_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (content_hash) DO NOTHING RETURNING id, seq`,
        [id, hash, sha256(token), utcDay(opts.now ?? new Date()), c.preset, c.suite_version, c.vendor, c.architecture,
          c.general_j_p50, c.specialized_j_p50, c.ratio_p50, JSON.stringify(doc), keyHash],
      );
      // A duplicate adds no row, so nothing to the aggregates.
      const row = r.rows[0];
      if (row) await applyFigures(tx, figuresOfDoc(doc, Number(row.seq)), 1);
      return row !== undefined;
    });
    if (inserted) {
      this.invalidate();
      return { id, token, duplicate: false };
    }
    const existing = await this.db.query<{ id: string; idempotency_key_hash: string | null }>(
      'SELECT id, idempotency_key_hash FROM results WHERE content_hash = $1',
      [hash],
    );
    const row = existing.rows[0];
    // Withdrawn between our INSERT and SELECT: extremely unlikely; report it as a duplicate of nothing.
    if (!row) return { id: '', duplicate: true };
    if (keyHash !== null && row.idempotency_key_hash !== null && sameHash(keyHash, row.idempotency_key_hash)) {
      // Conditional on the key hash too, so a concurrent withdrawal or re-keying cannot be overwritten.
      const replaced = await this.db.query<{ id: string }>(
        'UPDATE results SET token_hash = $1 WHERE id = $2 AND idempotency_key_hash = $3 RETURNING id',
        [sha256(token), row.id, keyHash],
      );
      if (replaced.rows.length === 1) return { id: row.id, token, duplicate: true, replayed: true };
    }
    return { id: row.id, duplicate: true };
  }

  async get(id: string): Promise<ResultListItem | null> {
    if (!isResultId(id)) return null;
    const r = await this.db.query<ResultRow>('SELECT seq, id, received_day::text AS received_day, doc FROM results WHERE id = $1', [id]);
    const row = r.rows[0];
    return row ? { id: row.id, receivedDay: dayString(row.received_day), doc: row.doc } : null;
  }

  /** Rows in insertion order after the cursor; used by the listing and the exports. */
  async page(after: number, limit: number): Promise<{ items: ResultListItem[]; last: number | null }> {
    const r = await this.db.query<ResultRow>(
      'SELECT seq, id, received_day::text AS received_day, doc FROM results WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, limit],
    );
    const items = r.rows.map((row) => ({ id: row.id, receivedDay: dayString(row.received_day), doc: row.doc }));
    const lastRow = r.rows[r.rows.length - 1];
    return { items, last: lastRow ? Number(lastRow.seq) : null };
  }

  async list(after: number, limit: number): Promise<ResultPage> {
    const p = await this.page(after, limit);
    return { items: p.items, next: p.items.length === limit && p.last !== null ? String(p.last) : null };
  }

  /** The number of results, from the maintained group counts (no scan of the rows: /healthz calls it). */
  async count(): Promise<number> {
    const r = await this.db.query<{ n: unknown }>('SELECT COALESCE(sum(results), 0)::bigint AS n FROM aggregate_groups');
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * Delete only with the right token; the comparison is on hashes, in constant time. An upload
   * merged into an identical row by migration 3 keeps its id and token there (merged_ids,
   * extra_token_hashes): either withdraws the row, since the row is that uploader's result too.
   */
  async remove(id: string, token: string): Promise<DeleteOutcome> {
    if (!isResultId(id)) return 'not-found';
    const outcome = await this.db.transaction(async (tx): Promise<DeleteOutcome> => {
      type Owners = { seq: string | number; token_hash: string; extra_token_hashes: string[] | null };
      const own = await tx.query<Owners>('SELECT seq, token_hash, extra_token_hashes FROM results WHERE id = $1 FOR UPDATE', [id]);
      const row = own.rows[0] ?? (await tx.query<Owners>('SELECT seq, token_hash, extra_token_hashes FROM results WHERE merged_ids @> ARRAY[$1]::text[] FOR UPDATE', [id])).rows[0];
      if (!row) return 'not-found';
      const given = sha256(token);
      // Every hash is compared (no early exit), so the time does not tell which one matched.
      const matches = [row.token_hash, ...(row.extra_token_hashes ?? [])].map((h) => sameHash(given, h));
      if (!matches.includes(true)) return 'forbidden';
      // Subtract exactly what the insert added, read from the row itself (the row is locked).
      const figures = (await tx.query(`SELECT ${FIGURES_SELECT} FROM results WHERE seq = $1`, [row.seq])).rows[0];
      await tx.query('DELETE FROM results WHERE seq = $1', [row.seq]);
      if (figures) await applyFigures(tx, figuresOfRow(figures), -1);
      return 'deleted' as const;
    });
    // After COMMIT: a computation started before this point must not be served afterwards.
    if (outcome === 'deleted') this.invalidate();
    return outcome;
  }

  stats(): Promise<DatasetStats> {
    const now = this.now();
    if (this.statsCache === null || now - this.statsCache.at >= this.statsTtlMs) {
      const entry = { promise: this.computeStats(), at: now };
      this.statsCache = entry;
      // A failed computation must not stay cached.
      entry.promise.catch(() => {
        if (this.statsCache === entry) this.statsCache = null;
      });
    }
    return this.statsCache.promise;
  }

  /**
   * Read from the maintained aggregates (server/aggregate-stats.ts), in one snapshot: the group
   * rows, bins and exact small-group medians agree with each other.
   */
  private computeStats(): Promise<DatasetStats> {
    return this.db.transaction(async (tx) => {
      if (this.db.kind === 'postgres') await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return readAggregateStats(tx, this.groupInputs);
    });
  }
}
