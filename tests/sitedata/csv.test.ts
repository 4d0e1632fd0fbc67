import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { csvTextCell, formatCsv, formatRecords, parseCsv } from '../../src/lib/csv.ts';

const HEADER = ['week', 'program', 'chart', 'bucket', 'x', 'change', 'change_ci95_low'];

describe('CSV cells', () => {
  it('neutralise text cells a spreadsheet would evaluate, as OWASP recommends', () => {
    expect(csvTextCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvTextCell('+1')).toBe(`"'+1"`);
    expect(csvTextCell('-2+3')).toBe(`"'-2+3"`);
    expect(csvTextCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvTextCell('\tcmd')).toBe(`"'\tcmd"`);
    expect(csvTextCell('\rcmd')).toBe(`"'\rcmd"`);
    // A leading quote gets one more, so names read back exactly.
    expect(csvTextCell("'quoted")).toBe(`"''quoted"`);
    // Everything else is written as before.
    for (const s of ['linux', 'a=b', '<10ms', '>=5s', 'a,b', 'x"y', 'gopls/bug\nmain.main:+1', '']) expect(csvTextCell(s)).toBe(csvFormatRows([[s]]));
  });

  it('leave figures alone, negative ones included', () => {
    const rows = [HEADER, ['2026-11-01', '=cmd', '@chart', '-1', '12', '-0.012', '-0.02']];
    const text = formatCsv(rows);
    expect(text).toBe(`${HEADER.join(',')}\n2026-11-01,"'=cmd","'@chart","'-1",12,-0.012,-0.02\n`);
    // What a spreadsheet or any CSV reader sees: every text cell begins with the quote, every number is a number.
    const [, row] = csvParseRows(text);
    expect(row).toEqual(['2026-11-01', "'=cmd", "'@chart", "'-1", '12', '-0.012', '-0.02']);
    for (const c of row!.slice(1, 4)) expect(c).toMatch(/^'/);
  });

  it('read back the names exactly', () => {
    const names = ['=HYPERLINK("http://evil","click")', '+x', '-', '@', "'", "''a", '\tt', '\rr', 'plain', 'a\u202Eb', ''];
    const rows = [HEADER, ...names.map((n) => ['2026-11-01', n, n, n, '1', '-0.5', ''])];
    const text = formatCsv(rows);
    // As any CSV reader sees the cells: no text cell begins with a formula character.
    for (const row of csvParseRows(text).slice(1)) for (const c of row.slice(1, 4)) expect(c).not.toMatch(/^[=+\-@\t\r]/);
    expect(parseCsv(text)).toEqual(rows);
    // Without a text column nothing is touched.
    expect(formatCsv([['value'], ['=1'], ['-2']])).toBe('value\n=1\n-2\n');
    // The same bytes as d3's writer when no cell needs it.
    const plain = [HEADER, ['2026-11-01', 'cmd/go', 'go/subcommand', 'build', '3', '-0.012', '']];
    expect(formatCsv(plain)).toBe(csvFormatRows(plain) + '\n');
  });

  it('neutralise the group names of breakdowns.csv', () => {
    const header = ['week', 'program', 'chart', 'bucket', 'by', 'group', 'x'];
    const rows = [header, ['2026-11-01', 'cmd/go', 'go/subcommand', 'build', 'GOOS', '=cmd|"/c calc"!A1', '-3']];
    const text = formatCsv(rows);
    expect(text).toBe(`${header.join(',')}\n2026-11-01,cmd/go,go/subcommand,build,GOOS,"'=cmd|""/c calc""!A1",-3\n`);
    expect(parseCsv(text)).toEqual(rows);
  });

  it('formatRecords writes records as formatCsv writes their rows, missing cells empty', () => {
    const names = ['=cmd', "'q", 'a,b', 'x"y', '-1', 'gopls/bug\nmain.main:+1', 'linux', ''];
    const records = names.map((n, k) => ({
      week: `2026-11-0${k + 1}`,
      program: n,
      chart: names[(k + 3) % names.length]!,
      bucket: n,
      x: String(k),
      change: k % 2 ? '-0.5' : '',
    }));
    const rows = [HEADER, ...records.map((r) => HEADER.map((c) => (r as Record<string, string | undefined>)[c] ?? ''))];
    expect(formatRecords(HEADER, records)).toBe(formatCsv(rows));
    expect(formatRecords(HEADER, [])).toBe(`${HEADER.join(',')}\n`);
  });
});
