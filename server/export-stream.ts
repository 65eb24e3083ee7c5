/**
 * The dataset exports: an optional filter (vendor, architecture, preset, upload day), rows read
 * page by page in `seq` order (keyset pagination, so memory stays flat whatever the size), and
 * the text streamed through gzip or brotli when the client accepts it.
 */
import { Readable, pipeline } from 'node:stream';
import { constants as zlibConstants, createBrotliCompress, createGzip } from 'node:zlib';
import type { Transform } from 'node:stream';
import { KNOWN_VENDORS } from '../src/shared/schema.ts';
import { PRESET_NAMES } from '../src/shared/presets.ts';
import { ARCHITECTURE_PATTERN, MODEL_NAMES } from '../src/shared/vocabulary.ts';
import { REAL_DTYPES } from '../src/shared/realmodels/record.ts';
import { TASK_SET_IDS } from '../src/shared/realmodels/task-set.ts';
import type { ResultListItem } from '../src/shared/dataset.ts';
import type { ResultDocument } from '../src/shared/result.ts';
import type { Queryable } from './queryable.ts';
import type { ContentCoding } from './http-cache.ts';

/**
 * Absent fields do not filter. `since` is the first upload day (UTC) kept, inclusive; `model`
 * keeps the results with a workload of that model (a synthetic one, or a real one); `dtype` the
 * results with a real model in those weights (with `model`: that model in those weights); `task`
 * the results with a real model that answered that task set (with `model` or `dtype`: one real
 * workload with all of them); `taskVersion` narrows `task` to one version of that set (accuracy
 * compares only within a version, as the groups key it), and never comes without `task`, since a
 * version numbers the items of one set. The public listing reads the same filter.
 */
export interface ExportFilter {
  vendor?: string;
  architecture?: string;
  preset?: string;
  model?: string;
  dtype?: string;
  task?: string;
  taskVersion?: number;
  since?: string;
}

export type FilterParse = { ok: true; filter: ExportFilter } | { ok: false; parameter: keyof ExportFilter; error: string };

/** A task set version as a query value: 1 to 999,999,999, in canonical digits. */
const TASK_VERSION = /^[1-9]\d{0,8}$/;

const isRealDay = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/**
 * Validate the filter parameters of an export URL. An empty value means "no filter" (so the
 * unknown vendor `''` cannot be selected on its own); other parameters are left to the route.
 */
export function parseExportFilter(query: (name: string) => string | undefined): FilterParse {
  const filter: ExportFilter = {};
  const vendor = query('vendor');
  if (vendor) {
    if (!(KNOWN_VENDORS as readonly string[]).includes(vendor)) return { ok: false, parameter: 'vendor', error: `vendor must be one of ${KNOWN_VENDORS.filter(Boolean).join(', ')}` };
    filter.vendor = vendor;
  }
  const architecture = query('architecture');
  if (architecture) {
    if (!ARCHITECTURE_PATTERN.test(architecture)) return { ok: false, parameter: 'architecture', error: 'architecture must be a lower-case WebGPU architecture name' };
    filter.architecture = architecture;
  }
  const preset = query('preset');
  if (preset) {
    if (!(PRESET_NAMES as readonly string[]).includes(preset)) return { ok: false, parameter: 'preset', error: `preset must be one of ${PRESET_NAMES.join(', ')}` };
    filter.preset = preset;
  }
  const model = query('model');
  if (model) {
    if (!(MODEL_NAMES as readonly string[]).includes(model)) return { ok: false, parameter: 'model', error: `model must be one of ${MODEL_NAMES.join(', ')}` };
    filter.model = model;
  }
  const dtype = query('dtype');
  if (dtype) {
    if (!(REAL_DTYPES as readonly string[]).includes(dtype)) return { ok: false, parameter: 'dtype', error: `dtype must be one of ${REAL_DTYPES.join(', ')}` };
    filter.dtype = dtype;
  }
  const task = query('task');
  if (task) {
    if (!(TASK_SET_IDS as readonly string[]).includes(task)) return { ok: false, parameter: 'task', error: `task must be one of ${TASK_SET_IDS.join(', ')}` };
    filter.task = task;
  }
  const taskVersion = query('taskVersion');
  if (taskVersion) {
    // Canonical digits only (no sign, no leading zero): each version has one spelling, so one export tag.
    if (!TASK_VERSION.test(taskVersion)) return { ok: false, parameter: 'taskVersion', error: 'taskVersion must be an integer ≥ 1 written in digits' };
    if (filter.task === undefined) return { ok: false, parameter: 'taskVersion', error: 'taskVersion must come with task: a version numbers the items of one task set' };
    filter.taskVersion = Number(taskVersion);
  }
  const since = query('since');
  if (since) {
    if (!isRealDay(since)) return { ok: false, parameter: 'since', error: 'since must be a day written YYYY-MM-DD' };
    filter.since = since;
  }
  return { ok: true, filter };
}

/**
 * One page: the rows found and the `seq` of the last; `scannedTo` is where the scan stopped when
 * it was bounded by a window and rows remain beyond it (the caller continues from there), else null.
 */
export type PageReader = (after: number, limit: number) => Promise<{ items: ResultListItem[]; last: number | null; scannedTo: number | null }>;

/**
 * The most `seq` values one listing request scans. The filters other than the indexed group
 * columns (a model, an upload day) have no index, so an unbounded `ORDER BY seq LIMIT n` with a
 * filter matching nothing would read the whole table on every request. Bounded, a page may come
 * back short, even empty, with a cursor to go on from.
 */
export const LISTING_SCAN_WINDOW = 20_000;

interface PageRow {
  seq: string | number;
  id: string;
  received_day: string | Date;
  doc: ResultDocument;
  [k: string]: unknown;
}

/**
 * Filtered rows in `seq` order after a cursor, the same columns as the store's page. The
 * columns filtered on are the indexed group columns and the upload day. With a `window`, a page
 * reads only `seq` in (after, after + window] (the listing); without, it scans until the page is
 * full (the exports, which read everything anyway).
 */
export function filteredPages(db: Queryable, filter: ExportFilter, window: number | null = null): PageReader {
  // $1 after, $2 limit, $3 the window's end (unbounded for the exports), then the filter values.
  const where: string[] = ['seq > $1', 'seq <= $3'];
  const params: unknown[] = [];
  const add = (column: string, value: string | undefined, cast = '') => {
    if (value === undefined) return;
    params.push(value);
    where.push(`${column} ${column === 'received_day' ? '>=' : '='} $${params.length + 3}${cast}`);
  };
  add('vendor', filter.vendor);
  add('architecture', filter.architecture);
  add('preset', filter.preset);
  add('received_day', filter.since, '::date');
  // JSONB containment on the workloads (no index: the listing's window bounds each request's
  // work; the exports scan until their page is full).
  const contains = (value: unknown): string => {
    params.push(JSON.stringify([value]));
    return `doc->'workloads' @> $${params.length + 3}::jsonb`;
  };
  if (filter.dtype !== undefined || filter.task !== undefined) {
    // One real workload with these weights and/or on this task set, in this version when given
    // (and this model, when given). The version is a JSON number in the document, so the
    // containment compares numbers.
    where.push(contains({
      real: {
        ...(filter.model === undefined ? {} : { model: filter.model }),
        ...(filter.dtype === undefined ? {} : { dtype: filter.dtype }),
        ...(filter.task === undefined ? {} : { taskSet: { id: filter.task, ...(filter.taskVersion === undefined ? {} : { version: filter.taskVersion }) } }),
      },
    }));
  } else if (filter.model !== undefined) {
    // A synthetic workload whose config names the model, or a real one of that model.
    where.push(`(${contains({ config: { model: filter.model } })} OR ${contains({ real: { model: filter.model } })})`);
  }
  const sql = `SELECT seq, id, received_day::text AS received_day, doc FROM results WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $2`;
  return async (after, limit) => {
    // A cursor is at most 15 digits, so the end stays far inside bigint and a double's exact range.
    const end = window === null ? Number.MAX_SAFE_INTEGER : after + window;
    const r = await db.query<PageRow>(sql, [after, limit, end, ...params]);
    const items = r.rows.map((row) => ({
      id: row.id,
      receivedDay: typeof row.received_day === 'string' ? row.received_day.slice(0, 10) : row.received_day.toISOString().slice(0, 10),
      doc: row.doc,
    }));
    const lastRow = r.rows[r.rows.length - 1];
    const last = lastRow ? Number(lastRow.seq) : null;
    let scannedTo: number | null = null;
    if (window !== null && r.rows.length < limit) {
      // A short page: the window is exhausted. Go on from its end only if rows lie beyond it
      // (one probe of the primary key, whatever the filter).
      const beyond = await db.query<{ more: boolean }>('SELECT EXISTS (SELECT 1 FROM results WHERE seq > $1) AS more', [end]);
      if (beyond.rows[0]?.more === true) scannedTo = end;
    }
    return { items, last, scannedTo };
  };
}

const PAGE_SIZE = 500;

/** The export's text, page by page: nothing but the current page is held in memory. */
export async function* exportText(read: PageReader, head: string, line: (e: ResultListItem) => string): AsyncGenerator<string> {
  if (head) yield head;
  let after = 0;
  for (;;) {
    const p = await read(after, PAGE_SIZE);
    if (p.items.length === 0 || p.last === null) return;
    after = p.last;
    yield p.items.map(line).join('');
  }
}

/**
 * Brotli at its default quality (11) compresses a few MB/s, far too slow for a streamed export;
 * quality 5 is close to gzip's speed and still clearly smaller.
 */
function encoder(coding: 'br' | 'gzip'): Transform {
  switch (coding) {
    case 'br':
      return createBrotliCompress({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT } });
    case 'gzip':
      return createGzip({ level: 6 });
    default: {
      const never: never = coding;
      throw new Error(`unexpected coding ${String(never)}`);
    }
  }
}

/**
 * The export as a web stream for the response. Compression runs in zlib's thread pool through
 * streams, with backpressure: a slow client slows the reads, and a client that hangs up
 * destroys the chain (the generator stops querying).
 */
export function exportBody(read: PageReader, head: string, line: (e: ResultListItem) => string, coding: ContentCoding): ReadableStream<Uint8Array> {
  const text = Readable.from(exportText(read, head, line), { objectMode: false });
  if (coding === 'identity') return Readable.toWeb(text) as ReadableStream<Uint8Array>;
  // pipeline destroys the whole chain when either end fails or is cancelled.
  const z = pipeline(text, encoder(coding), () => undefined);
  return Readable.toWeb(z) as ReadableStream<Uint8Array>;
}
