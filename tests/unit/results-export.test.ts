import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, csvCell, toCsv, toJson, toJsonl, withCatalogTexts } from '../../src/shared/export.ts';
import { sampleResult } from '../../src/shared/sample-result.ts';

describe('CSV cells', () => {
  test('quoting, nulls, non-finite numbers, booleans', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(true)).toBe('true');
  });
  test('formula injection is neutralized', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('exports', () => {
  test('CSV: header then one row per workload with the run columns repeated', () => {
    const doc = sampleResult();
    const e = doc.energy!;
    const csv = toCsv([{ id: 'L1', doc }]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(7); // header + 5 workloads + trailing empty
    // The real-model columns (17 since the task version and a custom model's hash) stay empty for a synthetic run.
    const realColumns = CSV_COLUMNS.length - CSV_COLUMNS.indexOf('real_model');
    expect(realColumns).toBe(17);
    const energy = [e.perQuery.general.joules.p50, e.perQuery.specialized.joules.p50, e.ratio.p5, e.ratio.p50, e.ratio.p95].join(',');
    expect(lines[5]).toBe(`L1,2026-11-23,ci,ci-1,0.1.0,chrome,140,linux,google,swiftshader,true,gpu-timestamp,general:tiny-decoder,model,general,80000000,9000000,300,290,320,0.05,3,,,software-adapter,FRA,44.18,${energy}${','.repeat(realColumns)}`);
    expect(lines[6]).toBe('');
  });
  test('CSV without an energy section leaves the energy columns empty, never 0', () => {
    const doc = sampleResult();
    delete doc.energy;
    const row = toCsv([{ id: 'L2', doc }]).split('\r\n')[1]!.split(',');
    expect(row.slice(CSV_COLUMNS.indexOf('energy_profile'), CSV_COLUMNS.indexOf('ratio_p95') + 1)).toEqual(['', '', '', '', '', '', '', '']);
  });
  test('JSON and JSONL round-trip the documents with their ids', () => {
    const entries = [{ id: 'a', doc: sampleResult() }, { id: 'b', doc: sampleResult({ app: { version: '9' } }) }];
    expect(JSON.parse(toJson(entries))).toEqual([{ id: 'a', ...withCatalogTexts(sampleResult()) }, { id: 'b', ...withCatalogTexts(sampleResult({ app: { version: '9' } })) }]);
    const lines = toJsonl(entries).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string; app: { version: string } }).app.version)).toEqual(['0.1.0', '9']);
  });
});

import { compareRuns, datasetSeries, formatEstimate, relativeToFirst } from '../../src/results/compare.ts';
import { results as resultsDict } from '../../src/i18n/dict/results.ts';
import type { HistoryRecord } from '../../src/results/migrations.ts';

describe('comparison', () => {
  const rec = (localId: string, doc = sampleResult()): HistoryRecord => ({ v: 2, localId, savedAt: '2026-11-23', doc, upload: null, label: null });
  test('aligns workloads across runs, null where a run lacks one', () => {
    const second = sampleResult();
    second.workloads = second.workloads.filter((w) => w.id !== 'copy').map((w) => (w.id === 'gemm' ? { ...w, timing: { ...w.timing, medianMs: 4 } } : w));
    delete second.energy;
    const c = compareRuns([rec('a'), rec('b', second)]);
    expect(c.runs.map((r) => r.label)).toEqual(['2026-11-23 · google/swiftshader · ci', '2026-11-23 · google/swiftshader · ci']);
    expect(c.workloads).toEqual(['fma-peak', 'copy', 'gemm', 'specialized:bert-tiny', 'general:tiny-decoder']);
    expect(c.medianMs).toEqual([[2.5, 2.5], [1, null], [2, 4], [40, 40], [300, 300]]);
    // Energy is an estimate: the p5–p95 range travels with the p50.
    const e = sampleResult().energy!;
    expect(c.ratio).toEqual([e.ratio, null]);
    expect(c.specializedJ).toEqual([e.perQuery.specialized.joules, null]);
    expect(c.generalJ).toEqual([e.perQuery.general.joules, null]);
    expect(relativeToFirst(c)).toEqual([[1, 1], [1, null], [1, 2], [1, 1], [1, 1]]);
  });
  test('an estimate reads "p50 (p5–p95)", a missing one "—"', () => {
    expect(formatEstimate({ p5: 0.4, p50: 0.8, p95: 1.6 }, (n) => n.toFixed(2))).toBe('0.80 (0.40–1.60)');
    expect(formatEstimate({ p5: 6.5, p50: 7.5, p95: 8.5 }, String, '×')).toBe('7.5× (6.5–8.5×)');
    expect(formatEstimate(null, String)).toBe('—');
  });
  test('energy columns and legends say they are estimates, in both languages', () => {
    const estimateKeys = ['results.history.specializedJ', 'results.history.generalJ'];
    const datasetKeys = ['results.dataset.specializedJ', 'results.dataset.generalJ', 'results.dataset.ratio', 'results.dataset.specialized', 'results.dataset.general'];
    for (const k of estimateKeys) {
      expect(resultsDict.en[k]).toMatch(/\(estimate\)$/);
      expect(resultsDict.fr[k]).toMatch(/\(estimation\)$/);
    }
    for (const k of datasetKeys) {
      expect(resultsDict.en[k]).toContain('median of contributors’ estimates');
      expect(resultsDict.fr[k]).toContain('médiane des estimations des contributeurs');
    }
  });
  test('dataset series keep groups without energy as gaps', () => {
    const s = datasetSeries([
      { vendor: 'google', architecture: 'swiftshader', preset: 'ci', suiteVersion: '1', model: null, dtype: null, task: null, count: 2, medianSource: 'exact', distributions: [], medianGeneralJ: 6, medianSpecializedJ: 0.8, medianRatio: 7.5 },
      { vendor: '', architecture: '', preset: 'quick', suiteVersion: '1', model: null, dtype: null, task: null, count: 1, medianSource: 'exact', distributions: [], medianGeneralJ: null, medianSpecializedJ: null, medianRatio: null },
    ]);
    expect(s).toEqual({ x: [0, 1], specialized: [0.8, null], general: [6, null], labels: ['google/swiftshader · ci', '?/? · quick'] });
  });
});
