// @vitest-environment happy-dom
/**
 * A real-models result kept before a catalog update (its general model stored under a key and a
 * variant the lab no longer has) still reopens from the history (`#/history?run=ID`) from what the
 * document recorded: the model and variant it names, its figures, the downloads, with a note that
 * the model is no longer offered and no upload (the dataset's checks would refuse it). Compared
 * with a current run, it is still refused as a different model pair.
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mountPoint, until } from './helpers.ts';

vi.mock('../../../src/lab/client.ts', async () => (await import('./helpers.ts')).fakeClientModule());
vi.mock('../../../src/ui/Chart.tsx', async () => (await import('./helpers.ts')).fakeChartModule());

const { lang, t } = await import('../../../src/i18n/index.ts');
const { MemoryHistory, useHistoryBackend } = await import('../../../src/results/history.ts');
const { compareRefusal } = await import('../../../src/results/compare.ts');
const { location, parseHash } = await import('../../../src/ui/router.ts');
const { HistoryView } = await import('../../../src/ui/results/HistoryView.tsx');
const { retiredModels } = await import('../../../src/ui/realmodels/catalog.ts');
const { sampleRealResult } = await import('../../../src/shared/sample-real-result.ts');
const { parseResult } = await import('../../../src/shared/schema.ts');

type Doc = ReturnType<typeof sampleRealResult>;

/** The sample result with its general model as an older catalog named it. */
function staleDoc(): Doc {
  // A copy: the sample's records are shared between calls.
  const doc = structuredClone(sampleRealResult());
  for (const w of doc.workloads) {
    if (w.real && w.role === 'general') Object.assign(w.real, { model: 'qwen2-0.5b-instruct', dtype: 'q4f16-v1' });
  }
  return doc;
}

const record = (localId: string, doc: Doc) => ({ v: 2, localId, savedAt: '2026-11-29', doc, upload: null, label: null });

const mounted = mountPoint();
let root: HTMLElement;
const byId = (id: string) => root.querySelector(`[data-testid="${id}"]`);

beforeEach(() => {
  root = mounted();
  lang.value = 'en';
  vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
});
afterEach(() => {
  useHistoryBackend(null);
  vi.unstubAllGlobals();
});

describe('a stored result whose model pair left the catalog', () => {
  test('the document really is outside the catalog: the schema refuses it, and retiredModels names the model', () => {
    expect(parseResult(staleDoc()).ok).toBe(false);
    expect(retiredModels(staleDoc())).toEqual([{ model: 'qwen2-0.5b-instruct', dtype: 'q4f16-v1' }]);
    expect(retiredModels(sampleRealResult())).toEqual([]);
  });

  for (const l of ['en', 'fr'] as const) {
    test(`reopens from what it recorded, with a note and without the upload (${l})`, async () => {
      lang.value = l;
      useHistoryBackend(new MemoryHistory([record('stale', staleDoc())]));
      window.location.hash = `#/history?run=stale&lang=${l}`;
      location.value = parseHash(`#/history?run=stale&lang=${l}`);
      await act(() => render(h(HistoryView, {}), root));
      await until(() => byId('rm-results') !== null);
      expect(byId('rm-retired')?.textContent).toContain(t('realmodels.history.retired', { models: 'qwen2-0.5b-instruct q4f16-v1' }));
      expect(byId('rm-retired')?.textContent).toContain(t('realmodels.history.retiredShare'));
      // The table's column heads name the models and variants the document recorded.
      const heads = [...root.querySelectorAll('.rm-table thead th')].map((th) => th.textContent ?? '');
      expect(heads.some((x) => x.includes('qwen2-0.5b-instruct · q4f16-v1 · webgpu'))).toBe(true);
      expect(heads.some((x) => x.includes('distilbert-sst2 · fp32 · webgpu'))).toBe(true);
      // Its figures, as recorded: the accuracy of both models.
      const acc = byId('rm-row-accuracy')?.textContent ?? '';
      const general = staleDoc().workloads.find((w) => w.real?.executionProvider === 'webgpu' && w.role === 'general')!.real!.accuracy;
      expect(acc).toContain(String(general.correct));
      expect(acc).toContain(String(general.n));
      // Downloads stay; sharing is not offered.
      expect(byId('rm-download-json')).not.toBeNull();
      expect(byId('rm-download-csv')).not.toBeNull();
      expect(byId('upload-panel')).toBeNull();
      expect(byId('upload-review')).toBeNull();
    });
  }

  test('a result of the current catalog opens without the note, with its upload', async () => {
    useHistoryBackend(new MemoryHistory([record('current', sampleRealResult())]));
    window.location.hash = '#/history?run=current&lang=en';
    location.value = parseHash('#/history?run=current&lang=en');
    await act(() => render(h(HistoryView, {}), root));
    await until(() => byId('rm-results') !== null && byId('upload-review') !== null);
    expect(byId('rm-retired')).toBeNull();
  });

  test('compared with a current run, it is refused as a different model pair', () => {
    const refusal = compareRefusal([record('stale', staleDoc()), record('current', sampleRealResult())] as never);
    expect(refusal?.kind).toBe('different-models');
  });
});
