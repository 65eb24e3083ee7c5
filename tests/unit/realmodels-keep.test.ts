/**
 * Keeping a real-models race: what goes into the local history, the downloads and the upload
 * (the document only: never the general model's raw replies, which live in the race output), and
 * a storage failure kept for the view instead of thrown.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { getRun, MemoryHistory, useHistoryBackend, type HistoryRecord } from '../../src/results/history.ts';
import { buildPayload } from '../../src/results/upload.ts';
import { CSV_COLUMNS } from '../../src/shared/export.ts';
import { sampleRealResult } from '../../src/shared/sample-real-result.ts';
import { keepRealResult, keptDocument, realDownloads, realLocalId, realSaveError } from '../../src/ui/realmodels/keep.ts';
import { fixtureOutput } from './ui/realmodels-fixture.ts';

const result = () => ({ doc: sampleRealResult(), output: fixtureOutput() });
const RAW = fixtureOutput().webgpu.general.items.map((i) => i.raw);

/** Every object key anywhere in a JSON value. */
function keys(x: unknown): string[] {
  if (Array.isArray(x)) return x.flatMap(keys);
  if (typeof x === 'object' && x !== null) return Object.entries(x).flatMap(([k, v]) => [k, ...keys(v)]);
  return [];
}

afterEach(() => {
  useHistoryBackend(null);
  realLocalId.value = null;
  realSaveError.value = null;
});

describe('keeping a finished real-models race', () => {
  test('the document is saved in the local history, and nothing of the race output', async () => {
    const mem = new MemoryHistory();
    useHistoryBackend(mem);
    const r = result();
    expect(keptDocument(r)).toBe(r.doc);
    await keepRealResult(r);
    expect(realSaveError.value).toBeNull();
    expect(realLocalId.value).toMatch(/^[0-9a-z]{9}-[0-9a-f]{12}$/);
    const rec = await getRun(realLocalId.value!);
    expect(rec?.doc).toEqual(r.doc);
    expect(rec?.upload).toBeNull();
    const stored = JSON.stringify(await mem.all());
    for (const raw of RAW) expect(stored).not.toContain(raw);
    expect(keys(JSON.parse(stored))).not.toContain('raw');
  });

  test('a storage failure is kept for the view, never thrown, and the id of an earlier race is not reused', async () => {
    class FullHistory extends MemoryHistory {
      override async put(_record: HistoryRecord): Promise<void> {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
    }
    realLocalId.value = 'earlier-race';
    useHistoryBackend(new FullHistory());
    await expect(keepRealResult(result())).resolves.toBeUndefined();
    expect(realLocalId.value).toBeNull();
    expect(realSaveError.value).toBe('QuotaExceededError: The quota has been exceeded.');
  });
});

describe('what leaves the page: the upload and the downloads', () => {
  test('the upload payload is the document, with its real-model workloads and no raw reply', () => {
    const p = buildPayload(keptDocument(result()));
    if (!p.ok) throw new Error(p.issues.join('; '));
    for (const raw of RAW) expect(p.json).not.toContain(raw);
    const sent = JSON.parse(p.json) as { workloads: Array<{ kind: string; real?: object }> };
    expect(keys(sent)).not.toContain('raw');
    expect(sent.workloads.filter((w) => w.kind === 'real-model')).toHaveLength(2);
    expect(sent.workloads.every((w) => w.kind !== 'real-model' || w.real !== undefined)).toBe(true);
  });

  test('JSON is the document; CSV has the dataset columns with the real-model ones filled', () => {
    const doc = sampleRealResult();
    const d = realDownloads(doc, 'local-1');
    expect(d.json.name).toBe(`frugal-ai-lab-real-${doc.date}.json`);
    expect(JSON.parse(d.json.text)).toEqual(doc);
    expect(d.csv.mime).toBe('text/csv');
    const [header, ...rows] = d.csv.text.trim().split(/\r?\n/);
    expect(header).toBe(CSV_COLUMNS.join(','));
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const cells = rows.map((r) => r.split(','));
    expect(cells.every((c) => c[col('result_id')] === 'local-1')).toBe(true);
    const real = cells.filter((c) => c[col('kind')] === 'real-model');
    expect(real.map((c) => `${c[col('real_model')]} ${c[col('real_dtype')]}`)).toEqual(['distilbert-sst2 fp32', 'qwen2.5-0.5b-instruct q4f16']);
    expect(realDownloads(doc, null).csv.text).toContain('this-run');
  });
});
