/** The test-side CSV reader against the export's own cell writer: whatever a cell holds, it reads back in its column. */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { csvCell } from '../../src/shared/export.ts';
import { CsvParseError, parseCsv } from './csv.ts';

/** What the export writes for a text cell, before quoting: the formula guard's quote. */
const guarded = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

test('quoted cells with commas, doubled quotes and line breaks stay in their column', () => {
  const text = 'a,b,c\r\n"x,1","say ""hi""",\r\n"line\r\nbreak",,"\'-id"\r\n';
  expect(parseCsv(text)).toEqual([
    ['a', 'b', 'c'],
    ['x,1', 'say "hi"', ''],
    ['line\r\nbreak', '', "'-id"],
  ]);
  expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
  expect(parseCsv('""\r\n')).toEqual([['']]);
  expect(parseCsv('')).toEqual([]);
});

test('malformed input and a row of another width are refused, never read shifted', () => {
  expect(() => parseCsv('a,b\r\n"open,2\r\n')).toThrow(CsvParseError);
  expect(() => parseCsv('a,b\r\nx"y,2\r\n')).toThrow(CsvParseError);
  expect(() => parseCsv('a,b\r\n"x"y,2\r\n')).toThrow(CsvParseError);
  expect(() => parseCsv('a,b\r\n1,2,3\r\n')).toThrow(/row 1 has 3 cells, the header 2/);
});

test('any row the export writes reads back cell for cell', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }), (rows) => {
      const text = rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
      expect(parseCsv(text)).toEqual(rows.map((r) => r.map(guarded)));
    }),
    { numRuns: 300 },
  );
});
