import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, csvCell, toCsv, toJson, toJsonl } from '../../src/results/export.ts';
import { sampleResult } from '../server/fixtures.ts';

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
    const csv = toCsv([{ id: 'L1', doc: sampleResult() }]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(7); // header + 5 workloads + trailing empty
    expect(lines[5]).toBe('L1,2026-11-23,ci,1.0.0,0.1.0,chrome,140,linux,google,swiftshader,true,gpu-timestamp,general-tiny,model,general,80000000,9000000,300,290,320,0.05,3,,,software-default,FRA,56,6,0.8,6.5,7.5,8.5');
    expect(lines[6]).toBe('');
  });
  test('CSV without an energy section leaves the energy columns empty, never 0', () => {
    const doc = sampleResult();
    delete doc.energy;
    const row = toCsv([{ id: 'L2', doc }]).split('\r\n')[1]!.split(',');
    expect(row.slice(-8)).toEqual(['', '', '', '', '', '', '', '']);
  });
  test('JSON and JSONL round-trip the documents with their ids', () => {
    const entries = [{ id: 'a', doc: sampleResult() }, { id: 'b', doc: sampleResult({ app: { version: '9' } }) }];
    expect(JSON.parse(toJson(entries))).toEqual([{ id: 'a', ...sampleResult() }, { id: 'b', ...sampleResult({ app: { version: '9' } }) }]);
    const lines = toJsonl(entries).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string; app: { version: string } }).app.version)).toEqual(['0.1.0', '9']);
  });
});
