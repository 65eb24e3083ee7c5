/**
 * The public listing's bounded scan, on each storage backend: a request reads at most one window of the upload order, so a filter that matches nothing costs
 * a window, not the table; a short or empty page carries the cursor to go on from, and following
 * it finds the rows past the window.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../server/app.ts';
import { listResponse, type ReadRequest } from '../../server/dataset-reads.ts';
import { LISTING_SCAN_WINDOW } from '../../server/export-stream.ts';
import type { Db } from '../../server/db.ts';
import { ResultStore } from '../../server/store.ts';
import type { ResultPage } from '../../src/shared/dataset.ts';
import { resultFrom } from './dataset-http.ts';
import { eachBackend, openQuiet, type SuiteBackend } from './postgres-harness.ts';

function request(query: string): ReadRequest {
  const url = new URL(`http://test/api/results?${query}`);
  return { url: url.toString(), header: () => undefined, query: (name) => url.searchParams.get(name) ?? undefined };
}

function listingWindowSuite(backend: SuiteBackend) {
  describe(`listing scan window (${backend.kind})`, () => {
    let db: Db;
    let store: ResultStore;
    const nvidia: string[] = [];
    let amd = '';

    beforeAll(async () => {
      db = await openQuiet(backend.config());
      store = new ResultStore(db);
      // 30 rows: the first 29 nvidia, the last one the only amd.
      for (let n = 1; n <= 30; n++) {
        const up = await store.insert(resultFrom(n, n === 30 ? 'amd' : 'nvidia', n === 30 ? 'rdna-3' : 'ada'));
        if (n === 30) amd = up.id;
        else nvidia.push(up.id);
      }
    });
    afterAll(async () => {
      await db?.close();
    });

    const page = async (query: string, window?: number): Promise<ResultPage> => {
      const res = await listResponse(request(query), db, window);
      expect(res.status).toBe(200);
      return (await res.json()) as ResultPage;
    };

    test('a filter matching only the last row: empty pages with a cursor, then the match', async () => {
      const first = await page('vendor=amd&limit=1', 10);
      expect(first.items).toEqual([]);
      expect(first.next).not.toBeNull();
      const seen: string[] = [];
      const cursors: string[] = [];
      let next: string | null = first.next;
      for (let pages = 0; next !== null && pages < 10; pages++) {
        cursors.push(next);
        const p = await page(`vendor=amd&limit=1&after=${next}`, 10);
        seen.push(...p.items.map((i) => i.id));
        next = p.next;
      }
      expect(seen).toEqual([amd]);
      expect(next).toBeNull();
      // Each request moved the cursor by at most one window: the scan is bounded in SQL.
      const steps = [0, ...cursors.map(Number)];
      for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBeLessThanOrEqual(10);
    });

    test('a window holds at most `window` rows, even unfiltered; full pages still end on their last row', async () => {
      const short = await page('limit=200', 10);
      expect(short.items.map((i) => i.id)).toEqual(nvidia.slice(0, 10));
      expect(short.next).not.toBeNull();
      const full = await page('limit=3', 10);
      expect(full.items.map((i) => i.id)).toEqual(nvidia.slice(0, 3));
      const rest = await page(`limit=200&after=${full.next}`, 10);
      expect(rest.items.map((i) => i.id)).toEqual(nvidia.slice(3, 13));
    });

    test('a filter that matches nothing ends with next null once no rows lie beyond the window', async () => {
      let next: string | null = '';
      let pages = 0;
      for (; next !== null && pages < 10; pages++) {
        const p: ResultPage = await page(`model=distilbert-sst2&limit=1${next ? `&after=${next}` : ''}`, 10);
        expect(p.items).toEqual([]);
        next = p.next;
      }
      expect(pages).toBe(3);
    });

    test(`the route scans ${LISTING_SCAN_WINDOW} rows a request: a row far down the upload order is reached window by window`, async () => {
      // Move the sequence instead of inserting tens of thousands of rows.
      await db.query("SELECT setval(pg_get_serial_sequence('results', 'seq'), $1)", [2 * LISTING_SCAN_WINDOW + 500]);
      const far = await store.insert(resultFrom(31, 'intel', 'xe-lpg'));
      const app = createApp(store, { staticDir: '/nonexistent-dist', rateLimit: false, log: () => undefined, dbKind: db.kind, db, snapshotDir: null });
      const get = async (query: string) => (await (await app.request(`/api/results?${query}`)).json()) as ResultPage;
      const p1 = await get('vendor=intel&limit=1');
      expect(p1).toMatchObject({ items: [], next: String(LISTING_SCAN_WINDOW) });
      const p2 = await get(`vendor=intel&limit=1&after=${p1.next}`);
      expect(p2).toMatchObject({ items: [], next: String(2 * LISTING_SCAN_WINDOW) });
      const p3 = await get(`vendor=intel&limit=1&after=${p2.next}`);
      expect(p3.items.map((i) => i.id)).toEqual([far.id]);
      // A full page ends on its last row, as before; past it nothing remains.
      expect(await get(`vendor=intel&limit=1&after=${p3.next}`)).toMatchObject({ items: [], next: null });
      expect(await get(`vendor=intel&limit=2&after=${p2.next}`)).toMatchObject({ items: [{ id: far.id }], next: null });
    });
  });
}

// Starts from an empty schema on PostgreSQL: the suite counts rows in the upload order from the first.
eachBackend('listing scan window', listingWindowSuite, { emptySchema: true });
