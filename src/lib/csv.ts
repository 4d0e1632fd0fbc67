/**
 * CSV with text cells a spreadsheet will not evaluate.
 *
 * Spreadsheet programs read a cell that begins with `=`, `+`, `-`, `@`, a tab
 * or a carriage return as a formula. Names from the inputs (program, chart,
 * bucket, stack and group names) can begin with anything, so, as OWASP recommends
 * for CSV injection, such a text cell is written with a single quote in front
 * and in double quotes: the bucket `=HYPERLINK("http://x")` is written
 * `"'=HYPERLINK(""http://x"")"`. A text cell that itself begins with `'` gets
 * one more, so every name reads back exactly: a text cell that begins with `'`
 * has one `'` too many. Only the columns named in TEXT_COLUMNS are text;
 * figures (`-0.012` in a change column) are never touched.
 */
import { csvFormatValue, csvParseRows } from 'd3-dsv';

/** Columns that hold names from the inputs. */
const TEXT_COLUMNS: readonly string[] = ['program', 'chart', 'bucket', 'stack', 'group'];

const NEEDS_QUOTE = /^[=+\-@\t\r']/;

/** Whether a text cell is written with a leading `'`. */
function isFormulaLike(cell: string): boolean {
  return NEEDS_QUOTE.test(cell);
}

/** One text cell as written: neutralised and quoted when it would be read as a formula. */
export function csvTextCell(cell: string): string {
  return isFormulaLike(cell) ? `"'${cell.replace(/"/g, '""')}"` : csvFormatValue(cell);
}

/** Rows as CSV (a header row first, newline-terminated); cells of the header's TEXT_COLUMNS are neutralised. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  const text = new Set((rows[0] ?? []).flatMap((name, i) => (TEXT_COLUMNS.includes(name) ? [i] : [])));
  let out = '';
  rows.forEach((row, ri) => {
    out += row.map((cell, i) => (ri > 0 && text.has(i) ? csvTextCell(cell) : csvFormatValue(cell))).join(',') + '\n';
  });
  return out;
}

/**
 * Records (objects keyed by column name) as CSV: the bytes of formatCsv on
 * a header row of `columns` and each record's cells in that order, without
 * building the rows (the site's tables run to tens of MB).
 */
export function formatRecords(columns: readonly string[], records: Iterable<object>): string {
  return csvHeader(columns) + formatRecordLines(columns, records);
}

/** The header line formatRecords writes. */
export function csvHeader(columns: readonly string[]): string {
  return `${columns.map((c) => csvFormatValue(c)).join(',')}\n`;
}

/**
 * The lines formatRecords writes after its header, one per record, each
 * newline-terminated. Joined once at the end, the text is one flat string,
 * not a chain of the pieces it was made of (which costs more memory than
 * the text while it is held).
 */
export function formatRecordLines(columns: readonly string[], records: Iterable<object>): string {
  const text = columns.map((c) => TEXT_COLUMNS.includes(c));
  const lines: string[] = [];
  for (const r of records) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const cell = (r as Record<string, string>)[columns[i]!]!;
      if (i > 0) line += ',';
      line += text[i] ? csvTextCell(cell) : csvFormatValue(cell);
    }
    lines.push(line, '\n');
  }
  return lines.join('');
}

/** Parses what formatCsv wrote: the header row first, names in TEXT_COLUMNS as they were before neutralising. */
export function parseCsv(text: string): string[][] {
  const rows = csvParseRows(text);
  const textCols = new Set((rows[0] ?? []).flatMap((name, i) => (TEXT_COLUMNS.includes(name) ? [i] : [])));
  for (let ri = 1; ri < rows.length; ri++) {
    const row = rows[ri]!;
    for (const i of textCols) if (row[i]?.startsWith("'")) row[i] = row[i]!.slice(1);
  }
  return rows;
}
