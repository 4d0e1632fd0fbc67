import { describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { expandCounter } from '../../src/config/counter.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { GO_CHART_CONFIG, sharedFixture } from '../helpers/shared.ts';

const go = sharedFixture("Go's real chart config", [GO_CHART_CONFIG]);

function parseError(text: string): ConfigError {
  try {
    parseChartConfig(text, 'x.txt');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('chart config', () => {
  it.skipIf(!go.available)("parses Go's real config.txt with every record accounted for", () => {
    const text = go.read(GO_CHART_CONFIG);
    const records = parseChartConfig(text, 'config.txt');
    // Every non-empty record is one "title:" line in this file.
    const titles = text.split('\n').filter((l) => l.startsWith('title:')).length;
    expect(records).toHaveLength(titles);
    // ...and one more record than there are '---' separators.
    expect(records).toHaveLength(text.split('\n').filter((l) => l === '---').length + 1);

    const editor = records.find((r) => r.chart === 'gopls/client')!;
    expect(editor.title).toBe('Editor Distribution');
    expect(editor.issues).toEqual(['https://go.dev/issue/61038', 'https://go.dev/issue/62214', 'https://go.dev/issue/74874', 'https://go.dev/issue/79713']);
    expect(editor.version).toBe('v0.13.0'); // trailing comment stripped
    expect(editor.buckets).toContain('coc.nvim');
    expect(editor.buckets).toHaveLength(16);

    const buildmode = records.find((r) => r.chart === 'go/build/flag/buildmode')!;
    expect(buildmode.buckets).toEqual(['archive', 'c-archive', 'c-shared', 'default', 'exe', 'pie', 'shared', 'plugin']);
    expect(buildmode.counter).toBe('go/build/flag/buildmode:{archive,c-archive,c-shared,default,exe,pie,shared,plugin}');
    expect(records.find((r) => r.chart === 'go/platform/target/port')!.buckets).toHaveLength(49);
    expect(records.find((r) => r.chart === 'go/goexperiment')!.buckets).toHaveLength(44);

    const bug = records.find((r) => r.chart === 'gopls/bug')!;
    expect(bug.type).toBe('stack');
    expect(bug.depth).toBe(16);
    expect(bug.buckets).toEqual(['gopls/bug']);

    // crash/crash is configured for two programs.
    expect(
      records
        .filter((r) => r.chart === 'crash/crash')
        .map((r) => r.program)
        .sort(),
    ).toEqual(['github.com/go-delve/delve/cmd/dlv', 'golang.org/x/tools/gopls']);
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(['partition', 'stack']));
    // The line of each record points at its first field.
    const lines = text.split('\n');
    for (const r of records) expect(lines[r.line - 1]).toMatch(/^(title|counter):/);
  });

  it('expands counter expressions', () => {
    expect(expandCounter('a/b:{x,y}')).toEqual({ chart: 'a/b', buckets: ['x', 'y'] });
    expect(expandCounter('a/b')).toEqual({ chart: 'a/b', buckets: ['a/b'] });
    expect(expandCounter('gopls/renamekind:package')).toEqual({ chart: 'gopls/renamekind', buckets: ['package'] });
    expect(expandCounter('a:{x,}')).toMatch(/empty bucket/);
    expect(expandCounter('a:{x}y')).toMatch(/after/);
    expect(expandCounter('a{x}')).toMatch(/must follow/);
    expect(expandCounter('a:{x,x}')).toMatch(/twice/);
  });

  it('rejects malformed configs with file, line and reason', () => {
    const base = 'title: T\ncounter: c:{a,b}\ntype: partition\nprogram: p\n';
    expect(parseChartConfig(base, 'x.txt')).toHaveLength(1);

    let e = parseError(base + 'colour: red\n');
    expect(e.message).toMatch(/^x\.txt:5: expected '---'/);

    e = parseError(base + 'title: again\n');
    expect([e.line, e.reason]).toEqual([5, "field 'title' may not be repeated (first set on line 1)"]);

    e = parseError('title: T\ncounter: c:{a,\nb\n---\n');
    expect(e.line).toBe(4);
    expect(e.reason).toMatch(/not closed/);

    e = parseError('title: T\ncounter: c:{a,\nb\n');
    expect(e.reason).toMatch(/not closed/);

    e = parseError('title: T {x}\ncounter: c\ntype: partition\nprogram: p\n');
    expect([e.line, e.reason]).toEqual([1, 'braces are allowed only in a counter field']);

    e = parseError('title: T\ncounter: c\ntype: pie\nprogram: p\n');
    expect([e.line, e.reason]).toEqual([3, 'unknown chart type "pie" (expected partition, stack, histogram)']);

    e = parseError('title: T\ncounter: c\ntype: stack\nprogram: p\ndepth: deep\n');
    expect(e.line).toBe(5);

    e = parseError('# only a comment\ntitle: T\ntype: stack\nprogram: p\n');
    expect([e.line, e.reason]).toEqual([2, "record starting here has no 'counter' field"]);

    e = parseError('title: T\ncounter: c:{a,{b}}\ntype: stack\nprogram: p\n');
    expect(e.line).toBe(2);
  });

  it('rejects a second record for the chart of one program, naming both lines', () => {
    const rec = (counter: string, program: string, title = 'T') => `title: ${title}\ncounter: ${counter}\ntype: partition\nprogram: ${program}\n`;
    // One chart for two programs is two charts.
    expect(parseChartConfig([rec('c:{a,b}', 'p'), rec('c:{a,b}', 'q')].join('---\n'), 'x.txt')).toHaveLength(2);
    let e = parseError([rec('c:{a,b}', 'p'), rec('d', 'p'), rec('c:{x}', 'p', 'Again')].join('---\n'));
    expect(e.message).toBe('x.txt:11: chart "c" of program "p" is already configured by the record on line 1');
    expect([e.file, e.line]).toEqual(['x.txt', 11]);
    // A stack record and a counter record of one name are one chart too.
    e = parseError(rec('c:{a,b}', 'p') + '---\ntitle: S\ncounter: c\ntype: stack\nprogram: p\n');
    expect(e.reason).toBe('chart "c" of program "p" is already configured by the record on line 1');
    expect(e.line).toBe(6);
  });

  it('joins multi-line counter expressions and ignores comments inside them', () => {
    const r = parseChartConfig('counter: c:{\n  a, # first\n  b\n}\ntitle: T\ntype: partition\nprogram: p\n---\n---\n', 'x');
    expect(r).toHaveLength(1);
    expect(r[0]!.buckets).toEqual(['a', 'b']);
  });
});
