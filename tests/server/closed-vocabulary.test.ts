/**
 * The open dataset accepts no free text: a hostile string (an email, a URL, HTML, control
 * characters, a right-to-left override, 10 kB) put in any string field or key of an uploaded
 * document is either refused (422, the issues naming the field) or dropped; in both cases none of
 * it reaches the database or an export.
 *
 * Every hostile string carries a unique letters-only canary (it survives JSON and CSV escaping),
 * so "none of it" is checked by looking for the canary in the stored row, in the exports and in a
 * dump of the database taken after the server closed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { PGlite } from '@electric-sql/pglite';
import type { ResultDocument } from '../../src/shared/result.ts';
import { postJson, tempDir, useServer } from './helpers.ts';
import { parseCsv } from './csv.ts';
import { buildPayload } from '../../src/results/upload.ts';
import { UPLOAD_DAY, uploadedDocument } from './energy-docs.ts';
import beforeJson from './fixtures/app-upload-export.before.json';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** A canary: letters only, so every escaping (JSON, CSV, SQL) leaves it readable. */
const canaryArb = fc.stringMatching(/^[a-z]{10}$/).map((s) => `zqxcanary${s}`);

/** Hostile strings, each holding its canary. */
const hostileArb: fc.Arbitrary<{ value: string; canary: string }> = canaryArb.chain((c) =>
  fc
    .oneof(
      fc.constant(`jean.dupont.${c}@example.fr`),
      fc.constant(`https://tracker.example/${c}?u=1`),
      fc.constant(`<img src=x onerror=alert(1)>${c}`),
      fc.constant(`<script>fetch('//x/${c}')</script>`),
      fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n)), minLength: 1, maxLength: 8 }).map((ctl) => `${c}${ctl}\u007f`),
      fc.constant(`\u202E${c}\u202C`),
      fc.constant(`1.0.0-\u202E${c}`),
      fc.constant(`${c}${'x'.repeat(10 * 1024)}`),
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${s}<${c}>`),
    )
    .map((value) => ({ value, canary: c })),
);

function clone(doc: ResultDocument): Json {
  return JSON.parse(JSON.stringify(doc)) as Json;
}

function at(root: Json, path: Path): Json {
  let node: Json = root;
  for (const k of path) node = (node as Record<string | number, Json>)[k] as Json;
  return node;
}

/** Replace the value at `path` (the last element a key or index). */
function setAt(root: Json, path: Path, value: Json): void {
  const parent = at(root, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1]!] = value;
}

/** Every string leaf and every object of the document, with its path. */
function walk(node: Json, path: Path, out: { strings: Path[]; objects: Path[] }): void {
  if (typeof node === 'string') out.strings.push(path);
  else if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i], out));
  else if (node !== null && typeof node === 'object') {
    out.objects.push(path);
    for (const [k, v] of Object.entries(node)) walk(v, [...path, k], out);
  }
}

/** One path per shape (array indices folded), keeping the first workload of each kind apart. */
function byShape(paths: Path[], doc: Json): Path[] {
  const seen = new Map<string, Path>();
  for (const p of paths) {
    const shape = p
      .map((k, i) => (typeof k === 'number' ? (i === 1 && p[0] === 'workloads' ? `[${String((at(doc, ['workloads', k]) as { kind: string }).kind)}]` : '[]') : k))
      .join('.');
    if (!seen.has(shape)) seen.set(shape, p);
  }
  return [...seen.values()];
}

const dotted = (p: Path) => p.join('.');

/** The exports of the app-style upload before the closed vocabulary (row id replaced by ID). */
const before = beforeJson as unknown as { local: ResultDocument; jsonl: Json; csv: string };

/** Texts the exports render from the catalog instead of taking them from the client. */
const TEXTS = new Set(['energy.profile.label', 'energy.profile.reason', 'energy.grid.source']);

const base = uploadedDocument();
const baseJson = clone(base);
const shapes = { strings: [] as Path[], objects: [] as Path[] };
walk(baseJson, [], shapes);

/** The fields the issue names, checked with more runs; each appears in the sample upload. */
const NAMED: Path[] = [
  ['app', 'version'],
  ['suite', 'version'],
  ['date'],
  ['environment', 'browser', 'name'],
  ['environment', 'os', 'family'],
  ['environment', 'adapter', 'vendor'],
  ['environment', 'adapter', 'architecture'],
  ['environment', 'adapter', 'features', 0],
  ['workloads', 0, 'id'],
  ['workloads', 3, 'id'],
  ['workloads', 3, 'kernels', 0, 'name'],
  ['energy', 'profile', 'id'],
  ['energy', 'grid', 'country'],
];
/** String fields the sample upload lacks, added with a hostile value (optional in the schema). */
const ADDED: Path[] = [
  ['flags'],
  ['workloads', 3, 'timing', 'flags'],
  ['workloads', 3, 'flopsUnknown'],
  ['workloads', 0, 'config', 'n'],
  ['energy', 'profile', 'label'],
  ['energy', 'profile', 'reason'],
  ['energy', 'profile', 'flags'],
  ['energy', 'grid', 'source'],
];
/** Records whose keys are data: a hostile key must not be kept. */
const KEYED: Path[] = [['environment', 'adapter', 'limits'], ['workloads', 0, 'config'], ['workloads', 3, 'config']];

const OTHER_STRINGS = byShape(shapes.strings, baseJson).filter((p) => !NAMED.some((n) => dotted(n) === dotted(p)));
const OTHER_OBJECTS = byShape(shapes.objects, baseJson).filter((p) => !KEYED.some((n) => dotted(n) === dotted(p)));

describe('closed vocabulary: hostile strings are refused or dropped, never stored or exported', () => {
  const dir = tempDir('fal-vocab-');
  // Registered before the server's hooks, so it runs after the server closed.
  afterAll(() => dir.remove());
  const srv = useServer(() => ({ dataDir: dir.path }));
  const canaries: string[] = [];
  let accepted = 0;
  let refused = 0;

  beforeAll(async () => {
    // The untouched upload is accepted: every refusal below comes from the hostile value.
    expect((await postJson(srv.base, base)).status).toBe(201);
  });

  /** Uploads `doc` with `canary` somewhere at `field`: 422 naming the field, or stored without it. */
  async function check(doc: Json, field: Path, canary: string): Promise<void> {
    canaries.push(canary);
    const up = await postJson(srv.base, doc);
    const name = dotted(field);
    if (up.status === 422) {
      refused++;
      const issues = (up.json.issues ?? []) as string[];
      // The field itself, something inside it, or the list that holds it.
      const list = name.replace(/\.\d+$/, '');
      const names = (i: string) => i.startsWith(`${name}:`) || i.startsWith(`${name}.`) || i.startsWith(`${list}:`);
      expect(issues.some(names), `422 for ${name} names it: ${issues.join(' | ').slice(0, 500)}`).toBe(true);
      return;
    }
    expect([200, 201], `${name}: ${JSON.stringify(up.json).slice(0, 300)}`).toContain(up.status);
    accepted++;
    const stored = await (await fetch(`${srv.base}/api/results/${String(up.json.id)}`)).text();
    expect(stored, `${name} was stored with its hostile value`).not.toContain(canary);
  }

  test('the export of an upload made the way the app does is unchanged, apart from the texts rendered from the catalog', async () => {
    // The same local document, sent the way the app sends it (anonymized, validated payload).
    const payload = buildPayload(before.local, UPLOAD_DAY);
    expect(payload.ok).toBe(true);
    const up = await postJson(srv.base, payload.ok ? payload.json : '');
    expect([200, 201]).toContain(up.status);
    const id = up.json.id as string;
    const jsonl = await (await fetch(`${srv.base}/api/export.jsonl`)).text();
    const line = jsonl.split('\n').find((l) => l.startsWith(`{"id":"${id}"`))!;
    const row = JSON.parse(line.replaceAll(id, 'ID')) as Json;
    const leaves: Path[] = [];
    const collect = (node: Json, path: Path): void => {
      if (Array.isArray(node)) node.forEach((v, i) => collect(v, [...path, i]));
      else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) collect(v, [...path, k]);
      else leaves.push(path);
    };
    collect(before.jsonl, []);
    for (const path of leaves) {
      const was = at(before.jsonl, path);
      const now = at(row, path);
      if (TEXTS.has(dotted(path))) expect(typeof now === 'string' || now === undefined, dotted(path)).toBe(true);
      else expect(now, dotted(path)).toEqual(was);
    }
    const csv = (await (await fetch(`${srv.base}/api/export.csv`)).text()).replaceAll(id, 'ID');
    const [headBefore, ...rowsBefore] = parseCsv(before.csv);
    const [headNow, ...rowsAll] = parseCsv(csv);
    const rowsNow = rowsAll.filter((r) => r[0] === 'ID');
    for (const [i, col] of headBefore!.entries()) {
      const j = headNow!.indexOf(col);
      expect(j, col).toBeGreaterThanOrEqual(0);
      rowsBefore.forEach((r, k) => expect(rowsNow[k]![j], `${col} of row ${k}`).toBe(r[i]));
    }
  });

  /**
   * `runs` hostile values, each put into a fresh copy of the upload by `put` (which answers the
   * field it wrote), then checked there.
   */
  const hostile = (runs: number, put: (doc: Json, value: string) => Path) =>
    fc.assert(
      fc.asyncProperty(hostileArb, async ({ value, canary }) => {
        const doc = clone(base);
        await check(doc, put(doc, value), canary);
      }),
      { numRuns: runs, endOnFailure: true },
    );
  const valueAt = (path: Path) => (doc: Json, value: string): Path => {
    setAt(doc, path, value);
    return path;
  };
  const keyIn = (path: Path, v: Json) => (doc: Json, value: string): Path => {
    (at(doc, path) as Record<string, Json>)[value] = v;
    return path;
  };

  test.each(NAMED.map((p) => [dotted(p), p] as const))('%s', async (_name, path) => {
    await hostile(20, valueAt(path));
  });

  test.each(ADDED.map((p) => [dotted(p), p] as const))('%s (added)', async (_name, path) => {
    await hostile(10, (doc, value) => {
      // Arrays of strings get the hostile value as their one element.
      const isList = path[path.length - 1] === 'flags';
      setAt(doc, path, isList ? [value] : value);
      return isList ? [...path, 0] : path;
    });
  });

  test.each(KEYED.map((p) => [dotted(p), p] as const))('a hostile key in %s', async (_name, path) => {
    await hostile(10, keyIn(path, 1));
  });

  test(`every other string field of the upload (${OTHER_STRINGS.length}) and an extra key in every object (${OTHER_OBJECTS.length})`, async () => {
    for (const path of OTHER_STRINGS) await hostile(3, valueAt(path));
    for (const path of OTHER_OBJECTS) await hostile(2, keyIn(path, 'x'));
  });

  test('no canary in the exports nor in the database', async () => {
    expect(canaries.length).toBeGreaterThan(0);
    expect(accepted + refused).toBeLessThanOrEqual(canaries.length);
    const csv = await (await fetch(`${srv.base}/api/export.csv`)).text();
    const jsonl = await (await fetch(`${srv.base}/api/export.jsonl`)).text();
    await srv.server.close();
    const lite = await PGlite.create({ dataDir: dir.path });
    let dump = '';
    try {
      const tables = await lite.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'");
      for (const { t } of tables.rows) {
        const rows = await lite.query<{ row: string }>(`SELECT row_to_json(r)::text AS row FROM "${t}" r`);
        dump += rows.rows.map((r) => r.row).join('\n');
      }
    } finally {
      await lite.close();
    }
    expect(jsonl.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    const found = (text: string) => canaries.filter((c) => text.includes(c)).slice(0, 5);
    expect(found(csv), 'canaries in /api/export.csv').toEqual([]);
    expect(found(jsonl), 'canaries in /api/export.jsonl').toEqual([]);
    expect(found(dump), 'canaries in the database').toEqual([]);
    // The hostile markup itself never comes back either.
    for (const text of [csv, jsonl, dump]) {
      expect(text).not.toContain('onerror');
      expect(text).not.toContain('\u202E');
      expect(text).not.toContain('@example.fr');
    }
  });
});
