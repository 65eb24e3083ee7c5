/**
 * Conditional reads of the open dataset: entity tags, `If-None-Match`, `Cache-Control` and
 * content-encoding negotiation for the stats, the exports and a result by id.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from './queryable.ts';

/**
 * Stats and exports: a browser or a shared cache may reuse an answer for 5 s (the same bound as
 * the store's aggregate TTL), then serve it for 10 s more while it revalidates in the background.
 * A classroom of 40 opening the dataset view together behind one cache costs one computation; a
 * revalidation after that is a 304 with no body unless the dataset changed. A new upload shows
 * up in at most 15 s, which is what "within seconds" means to someone who just uploaded.
 */
export const DATASET_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=10';

/**
 * A stored result never changes; it can only be withdrawn. An hour lets caches keep popular
 * results without asking, and bounds how long a withdrawn result may still be served by a
 * shared cache after its 404 (the uploader's right to withdraw matters more than hit ratio).
 * `immutable`: a reload need not revalidate within that hour.
 */
export const RESULT_CACHE_CONTROL = 'public, max-age=3600, immutable';

/**
 * Bumped whenever the bytes of an export change for the same rows (columns, rendering): the
 * export tags hash it, so a client holding an older rendering gets the new one.
 */
const EXPORT_FORMAT_REVISION = 2; // 2: the CSV's task_version and model_sha256 columns

/**
 * The dataset's version without a scan of the rows: the result count and the sum of their `seq`
 * from the maintained aggregates (one row per group shard, updated in each write's transaction,
 * server/aggregates.ts), the highest `seq` (one probe of the primary key) and the latest
 * migration (a data-cleaning migration changes rows without a write). `seq` values are never
 * reused, so an insert raises the sum and a withdrawal lowers the count: two states of one
 * history with the same triple hold the same rows (an insert committing in the same instant as a
 * withdrawal elsewhere would need equal seq sums to collide). An export reads it before its
 * first row, so every row committed before it is in the body.
 */
export async function datasetVersion(db: Queryable): Promise<string> {
  const r = await db.query<{ n: string | number; top: string | number; total: string | number; mig: string | number }>(
    `SELECT coalesce(sum(results), 0)::text AS n, coalesce(sum(seq_sum), 0)::text AS total,
            (SELECT coalesce(max(seq), 0) FROM results)::text AS top,
            (SELECT coalesce(max(version), 0) FROM schema_migrations)::text AS mig
       FROM aggregate_groups`,
  );
  const row = r.rows[0];
  return row ? `${row.n}.${row.top}.${row.total}.${row.mig}` : '0.0.0.0';
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 27);

/** A weak tag: the same rows, possibly different bytes (gzip levels, brotli versions). */
export function exportTag(version: string, variant: string): string {
  return `W/"${digest(`${EXPORT_FORMAT_REVISION}|${version}|${variant}`)}"`;
}

/** A strong tag over the exact bytes of a small answer (stats, one result). */
export function bodyTag(body: string): string {
  return `"${digest(body)}"`;
}

/** `If-None-Match` with the weak comparison of RFC 9110 §13.1.2 (GET and HEAD). */
export function matchesIfNoneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  const wanted = opaque(tag);
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === wanted);
}

export type ContentCoding = 'br' | 'gzip' | 'identity';

/**
 * The coding to send for an `Accept-Encoding` header, honouring q-values (RFC 9110 §12.5.3):
 * brotli over gzip at equal weight (smaller), identity when neither is acceptable. Identity is
 * sent even when the client refused it with q=0, rather than a 406 for a download.
 */
export function negotiateEncoding(header: string | undefined): ContentCoding {
  if (header === undefined || header.trim() === '') return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m?.[1] !== undefined) weight = Number(m[1]);
    }
    q.set(name.trim(), Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0);
  }
  const weightOf = (coding: 'br' | 'gzip'): number => q.get(coding) ?? (coding === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0;
  const br = weightOf('br');
  const gzip = weightOf('gzip');
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}
