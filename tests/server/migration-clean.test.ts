/**
 * Migration 3 cleans rows stored before the closed vocabulary (written the old way, raw SQL) and
 * the exports render the energy texts from the catalogs, never from a stored document.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { migrate, openDb } from '../../server/db.ts';
import { MIGRATIONS } from '../../server/migrations.ts';
import { contentHash, derivedColumns, sha256 } from '../../server/result-row.ts';
import { ResultStore } from '../../server/store.ts';
import { startServer } from '../../server/app.ts';
import { canonicalJson, parseResult } from '../../src/shared/schema.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';
import type { ResultDocument } from '../../src/shared/result.ts';
import { postJson, tempDir } from './helpers.ts';

const dirs: { remove(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

const HOSTILE = ['jean.dupont@example.fr', '<img src=x onerror=alert(1)>', 'brave', 'evil-kernel', 'evil-profile', '<script>'];

let n = 0;
/** The SQL both PGlite and node-postgres answer. */
interface RawDb {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Insert a document the way the store did before the closed vocabulary: verbatim. */
async function insertRaw(db: RawDb, doc: unknown, opts: { id?: string; tokenHash?: string } = {}): Promise<void> {
  n++;
  const d = doc as ResultDocument;
  const c = derivedColumns(d);
  await db.query(
    `INSERT INTO results (id, content_hash, token_hash, received_day, preset, suite_version, vendor, architecture,
                          general_j_p50, specialized_j_p50, ratio_p50, doc)
     VALUES ($1, $2, $3, '2026-11-23', $4, $5, $6, $7, $8, $9, $10, $11)`,
    [opts.id ?? `row${String(n).padStart(13, '0')}`, contentHash(d), opts.tokenHash ?? 'tokenhash', c.preset, c.suite_version, c.vendor, c.architecture,
      c.general_j_p50, c.specialized_j_p50, c.ratio_p50, JSON.stringify(doc)],
  );
}

/** A database at migration 2, as a server of the previous version left it. */
async function databaseAtVersion2(dataDir: string): Promise<PGlite> {
  const lite = await PGlite.create({ dataDir });
  await lite.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  for (const m of MIGRATIONS) {
    if (m.version > 2 || m.kind !== 'sql') continue;
    await lite.exec(m.sql);
    await lite.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
  }
  return lite;
}

/** The sample document as an older app uploaded it: the energy texts inside. */
function withOldTexts(doc: ResultDocument, label: string, source = 'Ember 2024 annual average (FRA)'): ResultDocument {
  const e = doc.energy!;
  return {
    ...doc,
    energy: {
      ...e,
      profile: { ...e.profile, label, reason: `${label}: 10–65 W` },
      grid: { ...e.grid, source },
      embodied: { ...e.embodied!, source: 'ADEME' },
    },
  };
}

describe('migration 3: closed vocabulary', () => {
  test('cleans, repairs or deletes every stored row, logs the counts, and runs once', async () => {
    const dir = tempDir('fal-migrate-');
    dirs.push(dir);
    const lite = await databaseAtVersion2(dir.path);

    const clean = parseResult(sampleResult({ app: { version: '0.1.0-clean' } }));
    if (!clean.ok) throw new Error(clean.issues.join('\n'));
    await insertRaw(lite, clean.value); // 1: already clean
    const textsOnly = withOldTexts(sampleResult(), 'Software adapter');
    await insertRaw(lite, textsOnly); // 2: clean apart from its texts

    const hostile = withOldTexts(sampleResult({ app: { version: 'jean.dupont@example.fr' } }), '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>');
    hostile.environment.browser.name = 'brave';
    hostile.workloads[3]!.kernels!.push({ name: 'evil-kernel', medianMs: 1, flops: 1, bytes: 1 });
    // A copy: sampleResult shares its config objects between calls.
    hostile.workloads[3]!.config = { ...hostile.workloads[3]!.config, '<script>': 1 };
    await insertRaw(lite, hostile); // 3: repaired field by field

    const badEnergy = sampleResult({ app: { version: '0.1.0-energy' } });
    badEnergy.energy!.profile.id = 'evil-profile';
    await insertRaw(lite, badEnergy); // 4: energy section removed

    await insertRaw(lite, { ...sampleResult(), suite: { preset: '<script>', version: '<script>' } }); // 5: cannot be published
    await insertRaw(lite, withOldTexts(sampleResult(), '<img src=x onerror=alert(1)> again')); // 6: same content as 2 once cleaned
    await insertRaw(lite, withOldTexts(sampleResult({ app: { version: '0.3.0' } }), 'Software adapter')); // 7: kept, cleaned
    const later = parseResult(sampleResult({ app: { version: '0.3.0' } }));
    await insertRaw(lite, later.ok ? later.value : null); // 8: already clean, but a later copy of 7 once 7 is cleaned
    await lite.close();

    const events: Record<string, unknown>[] = [];
    const db = await openDb({ kind: 'pglite', dataDir: dir.path }, { log: (e) => events.push(e) });
    try {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        msg: 'migration', version: 3, seen: 8, unchanged: 1, cleaned: 4, energyRemoved: 1, deleted: 3, deletedInvalid: 1, deletedDuplicate: 2,
        fixes: { 'texts': 3, 'app-version': 1, 'browser': 1, 'kernels': 1, 'config': 1, 'energy': 1 },
      });

      const rows = (await db.query<{ id: string; text: string; content_hash: string; suite_version: string; general_j_p50: number | null }>(
        'SELECT id, doc::text AS text, content_hash, suite_version, general_j_p50 FROM results ORDER BY seq',
      )).rows;
      expect(rows.map((r) => r.id)).toEqual(['row0000000000001', 'row0000000000002', 'row0000000000003', 'row0000000000004', 'row0000000000007']);
      const all = rows.map((r) => r.text).join('\n');
      for (const s of HOSTILE) expect(all.includes(s), s).toBe(false);
      for (const s of ['onerror', 'dupont', '"reason"', 'Ember', 'ADEME']) expect(all.includes(s), s).toBe(false);

      const docs = rows.map((r) => JSON.parse(r.text) as ResultDocument);
      // Every row is what the schema keeps, and its hash is the hash of what it holds.
      for (const d of docs) expect(d.energy?.profile.label).toBeUndefined();
      for (const [i, d] of docs.entries()) {
        const again = parseResult(d);
        expect(again.ok).toBe(true);
        expect(rows[i]!.content_hash).toBe(contentHash(d));
      }
      expect(canonicalJson(docs[0])).toBe(canonicalJson(clean.value));
      // The row with texts is unchanged apart from them.
      const expected = parseResult(sampleResult());
      expect(expected.ok && canonicalJson(docs[1]) === canonicalJson(expected.value)).toBe(true);
      expect(docs[2]!.app.version).toBe('0.0.0-invalid');
      expect(docs[2]!.environment.browser.name).toBe('other');
      expect(docs[2]!.workloads[3]!.kernels!.map((k) => k.name)).toEqual(['gemm']);
      expect(docs[2]!.energy).toBeDefined();
      expect(docs[3]!.energy).toBeUndefined();
      expect(rows[3]!.general_j_p50).toBeNull();

      // Applied once: a second run does nothing.
      const before = all;
      events.length = 0;
      expect(await migrate(db, (e) => events.push(e))).toEqual([]);
      expect(events).toEqual([]);
      const after = (await db.query<{ text: string }>('SELECT doc::text AS text FROM results ORDER BY seq')).rows.map((r) => r.text).join('\n');
      expect(after).toBe(before);
    } finally {
      await db.close();
    }
  });
});

describe('exports render the energy texts from the catalogs', () => {
  test('an uploaded document carries the rendered texts; a stored hostile label does not leak', async () => {
    const dir = tempDir('fal-export-texts-');
    dirs.push(dir);
    let server = await startServer({ port: 0, dataDir: dir.path, rateLimit: false, log: false });
    try {
      const up = await postJson(server.url, sampleResult());
      expect(up.status).toBe(201);
      type Line = { id: string; energy: { profile: { label: string; reason: string }; grid: { source: string }; embodied: { source: string } } };
      const read = async (query = '') => (await (await fetch(`${server.url}/api/export.jsonl${query}`)).text()).trim().split('\n').map((l) => JSON.parse(l) as Line);
      const [en] = await read();
      expect(en!.energy.profile.label).toBe('Software adapter (CPU rasterizer: SwiftShader, WARP, llvmpipe)');
      expect(en!.energy.profile.reason).toBe('Fallback (software) adapter reported as Google SwiftShader: 10–65 W');
      expect(en!.energy.grid.source).toMatch(/^Ember 2024 annual average \(FRA\), via @tgwf\/co2/);
      expect(en!.energy.embodied.source).toMatch(/^ADEME Base IMPACTS/);
      const [fr] = await read('?lang=fr');
      expect(fr!.energy.profile.label).toBe('Adaptateur logiciel (rendu sur le CPU : SwiftShader, WARP, llvmpipe)');
      expect(fr!.energy.grid.source).toMatch(/^Moyenne annuelle Ember 2024 \(FRA\)/);
      await server.close();

      // A row of an older version that still holds a hostile label in its JSON.
      const db = await openDb({ kind: 'pglite', dataDir: dir.path }, { log: () => undefined });
      const hostile = withOldTexts(sampleResult({ app: { version: '0.2.0' } }), '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>');
      await db.query(
        `INSERT INTO results (id, content_hash, token_hash, received_day, preset, suite_version, vendor, architecture, doc)
         VALUES ('hostile000000001', 'h', 't', '2026-11-23', 'ci', 'ci-1', 'google', 'swiftshader', $1)`,
        [JSON.stringify(hostile)],
      );
      await db.close();
      server = await startServer({ port: 0, dataDir: dir.path, rateLimit: false, log: false });
      const lines = await read();
      expect(lines).toHaveLength(2);
      const text = JSON.stringify(lines);
      expect(text).not.toContain('onerror');
      expect(lines[1]!.energy.profile.label).toBe(en!.energy.profile.label);
    } finally {
      await server.close();
    }
  });
});

/** An empty database brought to migration 2, through the backend's own client. */
interface Backend {
  name: 'pglite' | 'postgres';
  /** A fresh database at migration 2; `close` before `open`. */
  prepare(): Promise<{ raw: RawDb; exec(sql: string): Promise<unknown>; close(): Promise<void> }>;
  open(log: (e: Record<string, unknown>) => void): ReturnType<typeof openDb>;
}

function pgliteBackend(): Backend {
  const dir = tempDir('fal-migrate-merge-');
  dirs.push(dir);
  return {
    name: 'pglite',
    prepare: async () => {
      const lite = await PGlite.create({ dataDir: dir.path });
      return { raw: lite, exec: (sql) => lite.exec(sql), close: () => lite.close() };
    },
    open: (log) => openDb({ kind: 'pglite', dataDir: dir.path }, { log }),
  };
}

function postgresBackend(url: string): Backend {
  return {
    name: 'postgres',
    prepare: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('DROP TABLE IF EXISTS results, schema_migrations');
      return { raw: client, exec: (sql) => client.query(sql), close: () => client.end() };
    },
    open: (log) => openDb({ kind: 'postgres', url }, { log }),
  };
}

const token = (name: string) => `token-${name}`;
const ids = (name: string) => `mrg${name.padStart(13, '0')}`;

function mergeSuite(backend: () => Backend) {
  test('repairs what it can derive or drop, deletes only what still fails, and merged uploads keep their ids and tokens', async () => {
    const b = backend();
    const v2 = await b.prepare();
    await v2.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    for (const m of MIGRATIONS) {
      if (m.version > 2 || m.kind !== 'sql') continue;
      await v2.exec(m.sql);
      await v2.raw.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    const put = (name: string, doc: unknown) => insertRaw(v2.raw, doc, { id: ids(name), tokenHash: sha256(token(name)) });

    await put('version', { ...sampleResult({ app: { version: '0.4.1' } }), suite: { preset: 'ci', version: '<script>' } });
    const arch = sampleResult({ app: { version: '0.4.2' } });
    arch.environment.adapter.architecture = 'Evil Arch <b>';
    await put('arch', arch);
    const onnx = sampleResult({ app: { version: '0.4.3' } });
    const gen = onnx.workloads.find((w) => w.role === 'general')!;
    onnx.workloads.push({ ...gen, id: 'my model.onnx', role: 'general', config: {}, flops: null });
    await put('onnx', onnx);
    const noFlops = sampleResult({ app: { version: '0.4.4' } });
    noFlops.workloads = noFlops.workloads.map((w) => (w.role === 'general' ? { ...w, flops: null } : w));
    await put('noflops', noFlops);
    const hopeless = sampleResult({ app: { version: '0.4.5' } });
    hopeless.workloads = hopeless.workloads.map((w, i) => ({ ...w, id: `free text ${i} <b>` }));
    await put('hopeless', hopeless);
    const a = parseResult(sampleResult({ app: { version: '0.5.0' } }));
    if (!a.ok) throw new Error(a.issues.join('\n'));
    await put('a', a.value); // clean
    await put('b', withOldTexts(sampleResult({ app: { version: '0.5.0' } }), 'Software adapter')); // a, once cleaned
    await put('c', withOldTexts(sampleResult({ app: { version: '0.5.0' } }), '<img src=x>')); // a, once cleaned
    await put('d', withOldTexts(sampleResult({ app: { version: '0.6.0' } }), 'Software adapter')); // cleaned into e's content
    const e = parseResult(sampleResult({ app: { version: '0.6.0' } }));
    await put('e', e.ok ? e.value : null); // clean, a later copy of d once d is cleaned
    await v2.close();

    const events: Record<string, unknown>[] = [];
    const db = await b.open((ev) => events.push(ev));
    try {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        msg: 'migration', version: 3, seen: 10, unchanged: 1, cleaned: 5, energyRemoved: 1,
        deleted: 4, deletedInvalid: 1, deletedDuplicate: 3, tokensKept: 3,
      });
      expect(events[0]!['fixes']).toEqual({ 'suite-version': 1, 'architecture': 1, 'workloads': 2, 'energy': 1, 'texts': 1 });

      type Row = { id: string; text: string; suite_version: string; architecture: string; general_j_p50: number | null; merged_ids: string[] | null; extra_token_hashes: string[] | null };
      const rows = (await db.query<Row>('SELECT id, doc::text AS text, suite_version, architecture, general_j_p50, merged_ids, extra_token_hashes FROM results ORDER BY seq')).rows;
      expect(rows.map((r) => r.id)).toEqual(['version', 'arch', 'onnx', 'noflops', 'a', 'd'].map(ids));
      const byId = new Map(rows.map((r) => [r.id, { ...r, doc: JSON.parse(r.text) as ResultDocument }]));
      const row = (name: string) => byId.get(ids(name))!;
      for (const r of rows) expect(parseResult(JSON.parse(r.text)).ok).toBe(true);

      // The suite version comes from the preset (its only version); nothing else changes.
      expect(row('version').doc.suite).toEqual({ preset: 'ci', version: 'ci-1' });
      expect(row('version').suite_version).toBe('ci-1');
      expect(row('version').doc.energy).toBeDefined();
      expect(row('version').doc.workloads).toHaveLength(5);
      // An architecture off the pattern becomes the browser's own "unknown".
      expect(row('arch').doc.environment.adapter.architecture).toBe('');
      expect(row('arch').architecture).toBe('');
      // A workload that cannot be published is dropped, not the row; the energy section stays
      // unless it was computed from that workload.
      expect(row('onnx').doc.workloads.map((w) => w.id)).toEqual(['fma-peak', 'copy', 'gemm', 'specialized:bert-tiny', 'general:tiny-decoder']);
      expect(row('onnx').doc.energy).toBeDefined();
      expect(row('onnx').general_j_p50).not.toBeNull();
      expect(row('noflops').doc.workloads.map((w) => w.id)).toEqual(['fma-peak', 'copy', 'gemm', 'specialized:bert-tiny']);
      expect(row('noflops').doc.energy).toBeUndefined();
      expect(row('noflops').general_j_p50).toBeNull();
      expect(rows.map((r) => r.text).join('\n')).not.toMatch(/<b>|<script>|<img|my model/);

      // Merged uploads: the kept row holds the others' ids and token hashes, in upload order.
      expect(row('a').merged_ids).toEqual([ids('b'), ids('c')]);
      expect(row('a').extra_token_hashes).toEqual([sha256(token('b')), sha256(token('c'))]);
      expect(row('d').merged_ids).toEqual([ids('e')]);
      expect(row('d').extra_token_hashes).toEqual([sha256(token('e'))]);
      expect(row('version').merged_ids).toBeNull();
      expect(row('version').extra_token_hashes).toBeNull();

      const store = new ResultStore(db);
      // Each uploader still withdraws with the id and token they were given.
      expect(await store.remove(ids('c'), 'wrong')).toBe('forbidden');
      expect(await store.remove(ids('version'), token('b'))).toBe('forbidden');
      expect(await store.remove(ids('e'), token('e'))).toBe('deleted');
      expect(await store.remove(ids('d'), token('d'))).toBe('not-found');
      expect(await store.remove(ids('c'), token('c'))).toBe('deleted');
      expect(await store.remove(ids('a'), token('a'))).toBe('not-found');
      expect(await store.remove(ids('b'), token('b'))).toBe('not-found');
      expect(await store.remove(ids('version'), token('version'))).toBe('deleted');
      expect((await db.query<{ id: string }>('SELECT id FROM results ORDER BY seq')).rows.map((r) => r.id)).toEqual(['arch', 'onnx', 'noflops'].map(ids));
      expect(await migrate(db, () => undefined)).toEqual([]);
    } finally {
      await db.close();
    }
  });
}

describe('migration 3 keeps what it can (PGlite)', () => {
  mergeSuite(pgliteBackend);
});

const databaseUrl = process.env.DATABASE_URL;
describe.skipIf(!databaseUrl)(
  databaseUrl ? 'migration 3 keeps what it can (PostgreSQL)' : 'migration 3 keeps what it can (PostgreSQL): skipped because DATABASE_URL is not set (source .ci/postgres.sh)',
  () => {
    mergeSuite(() => postgresBackend(databaseUrl!));
  },
);
