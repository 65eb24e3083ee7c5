/**
 * Result ids survive the CSV export unchanged: none starts with a character the export's
 * formula guard would prefix (`-`, and `_` for good measure), and all keep the id pattern.
 */
import { expect, test } from 'vitest';
import { isResultId, newResultId } from '../../server/store.ts';
import { csvCell } from '../../src/shared/export.ts';

test('10,000 new ids: each matches the id pattern, starts with a letter or digit, and is its own CSV cell', () => {
  const ids = Array.from({ length: 10_000 }, newResultId);
  expect(ids.filter((id) => !isResultId(id))).toEqual([]);
  expect(ids.filter((id) => !/^[A-Za-z0-9]/.test(id))).toEqual([]);
  expect(ids.filter((id) => csvCell(id) !== id)).toEqual([]);
  // Still random: 10,000 draws of 96 bits never repeat, and every first character shows up.
  expect(new Set(ids).size).toBe(10_000);
  expect(new Set(ids.map((id) => id[0])).size).toBe(62);
});

test('the guard the ids avoid: a cell starting with - is prefixed, so such an id would not round-trip', () => {
  expect(csvCell('-abcdefghijklmno')).toBe("'-abcdefghijklmno");
});
