/** Line validation: every rejection reason, from plain strings; the line reader on bytes in memory. */
import { describe, expect, it } from 'vitest';
import { toDay } from '../../src/lib/dates.ts';
import { forEachLine, type LineSource } from '../../src/parse/line-reader.ts';
import { recordReject, REJECT, type RejectedLines } from '../../src/parse/rejects.ts';
import { checkReport, parseLine, type ParseStats } from '../../src/parse/validate.ts';

const DAY = toDay('2024-01-03');
const PROGRAM =
  '{"Program":"cmd/go","Version":"go1.22.0","GoVersion":"go1.22.0","GOOS":"linux","GOARCH":"amd64","Counters":{"go/invocations":3},"Stacks":null}';
/** A line as Go writes it, with fields replaced. */
function line(f: { Week?: string; LastWeek?: string; X?: string; Programs?: string } = {}): string {
  return `{"Week":${JSON.stringify(f.Week ?? DAY)},"LastWeek":${JSON.stringify(f.LastWeek ?? '')},"X":${f.X ?? '0.5'},"Programs":${f.Programs ?? `[${PROGRAM}]`},"Config":"v0.0.1"}`;
}
const reason = (l: string) => {
  const r = parseLine(l, DAY);
  return r.ok ? null : r.reason;
};

describe('parseLine', () => {
  it('accepts a valid line and says which path decided it', () => {
    const stats: ParseStats = { fastLines: 0, strictLines: 0 };
    const r = parseLine(line(), DAY, stats);
    expect(r.ok && r.report.programs[0]!.counterNames).toEqual(['go/invocations']);
    // Whitespace and another field order are valid JSON: the fast path takes them, with the same report.
    const spaced = parseLine(line().replace('"X":', '"X": ').replace(',"Config":"v0.0.1"}', '}').replace('{"Week"', '{"Config": "v0.0.1", "Week"'), DAY, stats);
    expect(spaced).toEqual(r);
    // A tab between tokens is valid JSON too; the strict path decides it, with the same report.
    const tabbed = parseLine(line().replace('"X":', '"X":\t'), DAY, stats);
    expect(tabbed).toEqual(r);
    expect(stats).toEqual({ fastLines: 2, strictLines: 1 });
  });

  it('rejects each kind of bad line with its reason', () => {
    expect(reason('')).toBe(REJECT.emptyLine);
    expect(reason('{"Week":')).toBe(REJECT.notJson);
    expect(reason('[1,2]')).toBe(REJECT.notObject);
    expect(reason('null')).toBe(REJECT.notObject);
    expect(reason(line({ Week: toDay('2024-01-04') }))).toBe(REJECT.weekMismatch);
    expect(reason(line({ Week: 'last week' }))).toBe(REJECT.weekNotDate);
    expect(reason(line({ Week: '2024-1-3' }))).toBe(REJECT.weekNotDate);
    expect(reason(line({ LastWeek: DAY }))).toBe(REJECT.lastWeek); // not before Week
    expect(reason(line({ LastWeek: toDay('2024-01-10') }))).toBe(REJECT.lastWeek);
    expect(reason(line({ LastWeek: 'yesterday' }))).toBe(REJECT.lastWeek);
    expect(reason(line({ X: '1.5' }))).toBe(REJECT.xRange);
    expect(reason(line({ X: '-0.25' }))).toBe(REJECT.xRange);
    expect(reason(line({ Programs: `[${PROGRAM.replace('3}', '9223372036854775808}')}]` }))).toBe(REJECT.counterRange);
    // Schema reasons name the field, with indices and map keys generalised.
    expect(reason(line({ X: '"half"' }))).toBe('X: expected number, received string');
    expect(reason(line({ Programs: `[${PROGRAM.replace('3}', '-1}')}]` }))).toBe('Programs[].Counters{}: must not be negative');
    expect(reason(line({ Programs: `[${PROGRAM.replace('3}', '1.5}')}]` }))).toBe('Programs[].Counters{}: must be an integer');
  });

  it('accepts the edges: X of 0 and 1, a LastWeek the day before, no programs', () => {
    for (const l of [line({ X: '0' }), line({ X: '1' }), line({ LastWeek: toDay('2024-01-02') }), line({ Programs: 'null' }), line({ Programs: '[]' })])
      expect(reason(l), l).toBeNull();
  });

  it('keeps the published reason texts', () => {
    expect(REJECT).toEqual({
      notJson: 'not valid JSON',
      notObject: 'not a JSON object',
      weekMismatch: "Week is not the file's date",
      weekNotDate: 'Week is not a YYYY-MM-DD date',
      lastWeek: 'LastWeek is neither empty nor a date before Week',
      xRange: 'X is not a number in [0, 1]',
      emptyLine: 'empty line',
      tooLong: 'line longer than the limit',
      counterRange: 'counter value out of range (above 2^53-1)',
    });
  });
});

describe('checkReport', () => {
  const report = { week: DAY, lastWeek: '', x: 0.5, programs: [], config: '' };
  it('checks a parsed report against the file it came from', () => {
    expect(checkReport(report, DAY)).toBeNull();
    expect(checkReport(report, toDay('2024-01-04'))).toBe(REJECT.weekMismatch);
    expect(checkReport({ ...report, x: Number.NaN }, DAY)).toBe(REJECT.xRange);
  });
});

describe('recordReject', () => {
  it('counts every line and keeps the first three, cut at 240 characters', () => {
    const into: RejectedLines = { rejected: {}, examples: {} };
    for (let i = 1; i <= 5; i++) recordReject(into, REJECT.notJson, i, i === 2 ? 'x'.repeat(300) : `line ${i}`);
    expect(into.rejected).toEqual({ [REJECT.notJson]: 5 });
    expect(into.examples[REJECT.notJson]).toEqual([
      { line: 1, text: 'line 1' },
      { line: 2, text: 'x'.repeat(240) + '…' },
      { line: 3, text: 'line 3' },
    ]);
  });
});

describe('forEachLine', () => {
  const source = (text: string): LineSource => {
    const bytes = Buffer.from(text);
    return { read: (into, offset, length, position) => bytes.copy(into, offset, position, Math.min(bytes.length, position + length)) };
  };
  function lines(text: string, max: number) {
    const seen: (string | [number, string])[] = [];
    const counts = forEachLine(
      source(text),
      max,
      (buf, start, end, lineNo, offset) => {
        // The file offset is where the line starts: after a newline, holding the same bytes.
        const file = Buffer.from(text);
        expect(offset === 0 || file[offset - 1] === 10).toBe(true);
        expect(file.subarray(offset, offset + end - start).equals(buf.subarray(start, end))).toBe(true);
        seen.push(`${lineNo}:${buf.toString('utf8', start, end)}`);
      },
      (lineNo, description) => seen.push([lineNo, description]),
    );
    return { seen, counts };
  }

  it('gives each line with its number, a last line without a newline too', () => {
    expect(lines('a\n\nbc\nd', 100)).toEqual({ seen: ['1:a', '2:', '3:bc', '4:d'], counts: { bytes: 7, lines: 4 } });
    expect(lines('', 100)).toEqual({ seen: [], counts: { bytes: 0, lines: 0 } });
  });

  it('skips a line over the limit, naming its start and length, and goes on', () => {
    // Longer than a read chunk (1 MiB), so the line is skipped across reads.
    const long = 'y'.repeat((1 << 20) + 10);
    const text = `a\n${long}\nb\n${long}`;
    const { seen, counts } = lines(text, 1000);
    expect(seen).toEqual(['1:a', [2, `${'y'.repeat(120)} (${long.length} bytes)`], '3:b', [4, `${'y'.repeat(120)} (${long.length} bytes)`]]);
    expect(counts).toEqual({ bytes: text.length, lines: 4 });
  });
});
