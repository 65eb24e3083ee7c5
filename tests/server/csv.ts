/**
 * The CSV export read the way a spreadsheet reads it (RFC 4180): a quoted cell may hold commas,
 * line breaks and doubled quotes, so splitting a line on ',' would shift every column after
 * such a cell. Every row must have the header's width: a parse that shifted a column fails here
 * rather than as a wrong value further on.
 */
import { CSV_COLUMNS } from '../../src/shared/export.ts';

export class CsvParseError extends Error {
  override name = 'CsvParseError';
}

/** Rows of cells, the header first; CRLF or LF between records, a final line break optional. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      if (cell !== '') throw new CsvParseError(`a quote inside an unquoted cell at offset ${i}`);
      const close = readQuoted(text, i);
      cell = close.value;
      i = close.next;
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\r' && after !== '\n') throw new CsvParseError(`text after a closing quote at offset ${i}`);
      // An empty quoted cell ("") must still count as a cell, so mark it read.
      if (after === undefined) {
        endRow();
        return check(rows);
      }
      continue;
    }
    if (ch === ',') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else if (ch === '\n') endRow();
    else cell += ch;
    i++;
  }
  // A last record without a line break (a final line break ends the last record, adding none).
  if (cell !== '' || row.length > 0) endRow();
  return check(rows);
}

function readQuoted(text: string, open: number): { value: string; next: number } {
  let value = '';
  let i = open + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) throw new CsvParseError(`a quoted cell opened at offset ${open} is never closed`);
    value += text.slice(i, q);
    if (text[q + 1] === '"') {
      value += '"';
      i = q + 2;
    } else return { value, next: q + 1 };
  }
}

function check(rows: string[][]): string[][] {
  const width = rows[0]?.length ?? 0;
  rows.forEach((r, n) => {
    if (r.length !== width) throw new CsvParseError(`row ${n} has ${r.length} cells, the header ${width}`);
  });
  return rows;
}

/** One cell of an export row, by column name. */
export function csvValue(row: readonly string[], column: (typeof CSV_COLUMNS)[number]): string | undefined {
  return row[CSV_COLUMNS.indexOf(column)];
}

/** GET /api/export.csv (with an optional query) parsed: the header row first. */
export async function fetchCsv(base: string, query = ''): Promise<string[][]> {
  return parseCsv(await (await fetch(`${base}/api/export.csv${query ? `?${query}` : ''}`)).text());
}
