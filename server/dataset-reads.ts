/**
 * Answers of the cacheable dataset reads (stats, exports, one result, snapshots), built as
 * plain `Response`s so the routes in app.ts stay one line each. Every answer carries an entity
 * tag and `Cache-Control` (see http-cache.ts); a matching `If-None-Match` gets a 304 with no body.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { LISTING_MAX_PAGE } from '../src/shared/dataset.ts';
import type { ApiError, DatasetStats, ResultListItem, ResultPage, SnapshotList, Versioned } from '../src/shared/dataset.ts';
import { SCHEMA_VERSION } from '../src/shared/result.ts';
import type { Queryable } from './queryable.ts';
import { LISTING_SCAN_WINDOW, exportBody, filteredPages, parseExportFilter } from './export-stream.ts';
import { DATASET_CACHE_CONTROL, RESULT_CACHE_CONTROL, bodyTag, datasetVersion, exportTag, matchesIfNoneMatch, negotiateEncoding } from './http-cache.ts';
import { listSnapshots, snapshotFile } from './snapshot.ts';

/** What a read needs from the request. */
export interface ReadRequest {
  readonly url: string;
  header(name: string): string | undefined;
  query(name: string): string | undefined;
}

/** Every JSON object answer of the public read API says which document schema it serves. */
const versioned = <T extends object>(body: T): Versioned & T => ({ schemaVersion: SCHEMA_VERSION, ...body });

const errorResponse = (status: 400 | 404, error: string): Response => {
  const body: ApiError = { error };
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
};

/** 304 keeps the validators and caching headers of the 200 it stands for (RFC 9110 §15.4.5). */
function notModified(headers: Record<string, string>): Response {
  const { 'Content-Type': _type, 'Content-Disposition': _disposition, 'Content-Length': _length, ...kept } = headers;
  return new Response(null, { status: 304, headers: kept });
}

function conditional(req: ReadRequest, headers: Record<string, string> & { ETag: string }, body: () => BodyInit): Response {
  if (matchesIfNoneMatch(req.header('if-none-match'), headers.ETag)) return notModified(headers);
  return new Response(body(), { status: 200, headers });
}

/**
 * Serialized once per aggregate computation: the store hands out the same promise while its
 * aggregates are cached, so the text and its tag are computed once per computation too. The tag
 * is over the bytes sent, never over a version read separately, so it cannot label stale
 * aggregates (another process's write within the store's TTL) with a newer version.
 */
const statsText = new WeakMap<Promise<DatasetStats>, Promise<{ text: string; tag: string }>>();

export async function statsResponse(req: ReadRequest, stats: Promise<DatasetStats>): Promise<Response> {
  let entry = statsText.get(stats);
  if (!entry) {
    entry = stats.then((s) => {
      const text = JSON.stringify(versioned(s));
      return { text, tag: bodyTag(text) };
    });
    statsText.set(stats, entry);
  }
  const { text, tag } = await entry;
  return conditional(req, { 'Content-Type': 'application/json', 'Cache-Control': DATASET_CACHE_CONTROL, ETag: tag }, () => text);
}

export function resultResponse(req: ReadRequest, item: ResultListItem | null): Response {
  if (!item) return errorResponse(404, 'no result with this id');
  const text = JSON.stringify(versioned(item));
  return conditional(req, { 'Content-Type': 'application/json', 'Cache-Control': RESULT_CACHE_CONTROL, ETag: bodyTag(text) }, () => text);
}

/** The query parameters in a stable order, so `?a=1&b=2` and `?b=2&a=1` share a tag. */
function queryKey(url: string): string {
  const params = [...new URL(url).searchParams.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return JSON.stringify(params);
}

const CURSOR = /^\d{1,15}$/;

/**
 * The filtered listing: the export's filter parser and page reader (so a filter means the same
 * in both), keyset-paginated on the upload order. `next` is the cursor of the following page;
 * a 400 names the parameter, never repeats its value. Each request scans at most `window`
 * rows (export-stream.ts, LISTING_SCAN_WINDOW): a page may then be short or empty and still
 * carry a `next`; only `next: null` says the listing is over. `window` is a parameter so tests
 * can use a small one.
 */
export async function listResponse(req: ReadRequest, db: Queryable, window: number = LISTING_SCAN_WINDOW): Promise<Response> {
  const parsed = parseExportFilter((name) => req.query(name));
  if (!parsed.ok) return errorResponse(400, parsed.error);
  const afterRaw = req.query('after') ?? '';
  if (afterRaw !== '' && !CURSOR.test(afterRaw)) return errorResponse(400, 'after must be a cursor returned by a previous page');
  const limitRaw = req.query('limit') ?? '50';
  const limit = /^\d{1,4}$/.test(limitRaw) ? Number(limitRaw) : NaN;
  if (!(limit >= 1 && limit <= LISTING_MAX_PAGE)) return errorResponse(400, `limit must be an integer between 1 and ${LISTING_MAX_PAGE}`);
  const page = await filteredPages(db, parsed.filter, window)(afterRaw === '' ? 0 : Number(afterRaw), limit);
  const next = page.items.length === limit && page.last !== null ? page.last : page.scannedTo;
  const body: Versioned & ResultPage = versioned({ items: page.items, next: next === null ? null : String(next) });
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

export interface ExportFormat {
  name: 'csv' | 'jsonl';
  contentType: string;
  head: string;
  line: (e: ResultListItem) => string;
}

/**
 * A whole or filtered export, streamed and compressed as negotiated. The tag is the dataset
 * version (read before the first row) with the format, the coding and every query parameter
 * (filters, and any other option that changes the bytes): rows committed before the version
 * was read are all in the body, so a later 304 never hides a change.
 */
export async function exportResponse(req: ReadRequest, db: Queryable, format: ExportFormat): Promise<Response> {
  const parsed = parseExportFilter((name) => req.query(name));
  if (!parsed.ok) return errorResponse(400, parsed.error);
  const coding = negotiateEncoding(req.header('accept-encoding'));
  const version = await datasetVersion(db);
  const headers: Record<string, string> & { ETag: string } = {
    'Content-Type': format.contentType,
    'Content-Disposition': `attachment; filename="frugal-ai-lab-dataset.${format.name}"`,
    'Cache-Control': DATASET_CACHE_CONTROL,
    Vary: 'Accept-Encoding',
    ETag: exportTag(version, `${format.name}|${coding}|${queryKey(req.url)}`),
  };
  if (coding !== 'identity') headers['Content-Encoding'] = coding;
  return conditional(req, headers, () => exportBody(filteredPages(db, parsed.filter), format.head, format.line, coding));
}

export async function snapshotListResponse(dir: string | null): Promise<Response> {
  const snapshots = dir === null ? [] : await listSnapshots(dir);
  const body: Versioned & SnapshotList = versioned({ snapshots: snapshots.map((s) => ({ ...s, url: `/api/snapshots/${s.file}`, sha256Url: `/api/snapshots/${s.file}.sha256` })) });
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=60' } });
}

/** A published file never changes: cached for a year, tagged with its own SHA-256. */
const SNAPSHOT_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export async function snapshotFileResponse(req: ReadRequest, dir: string | null, name: string): Promise<Response> {
  const file = dir === null ? { kind: 'missing' as const } : await snapshotFile(dir, name);
  switch (file.kind) {
    case 'missing':
      return errorResponse(404, 'no snapshot with this name');
    case 'sha256':
      return conditional(req, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': SNAPSHOT_CACHE_CONTROL, ETag: `"sum-${file.sha256}"` }, () => file.text);
    case 'gzip':
      return conditional(
        req,
        {
          // The file itself is the gzip archive: no Content-Encoding, so clients keep its bytes as published.
          'Content-Type': 'application/gzip',
          'Content-Disposition': `attachment; filename="${name}"`,
          'Content-Length': String(file.bytes),
          'Cache-Control': SNAPSHOT_CACHE_CONTROL,
          ETag: `"${file.sha256}"`,
        },
        () => Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>,
      );
    default: {
      const never: never = file;
      throw new Error(`unexpected snapshot file ${JSON.stringify(never)}`);
    }
  }
}
