/**
 * Names that collide or that a spreadsheet or a page would misread, through
 * the whole data pipeline on a small archive: a counter chart named like the
 * GOOS metadata chart, a stack named like a counter chart, a program name of
 * 100 non-ASCII letters, and bucket names that are spreadsheet formulas.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParseRows } from 'd3-dsv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { goReportLine } from '../../src/demo/gojson.ts';
import { parseCsv } from '../../src/lib/csv.ts';
import { addDays, toDay } from '../../src/lib/dates.ts';
import { createRng } from '../../src/lib/random.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import type { ChartFile, CounterChartWeek, IndexFile, StackChartWeek } from '../../src/sitedata/schema.ts';

const LONG = 'программа'.repeat(11) + 'x'; // 100 characters, 199 bytes
// No comma: a comma separates the buckets of a counter expression.
const FORMULA = '=HYPERLINK("http://evil.example/")';
const DAYS = Array.from({ length: 7 }, (_, i) => addDays(toDay('2026-11-02'), i));
const PER_DAY = 12;

const dir = mkdtempSync(join(tmpdir(), 'names-'));
const out = join(dir, 'out');
let index: IndexFile;
const read = <T>(rel: string): T => JSON.parse(readFileSync(join(out, rel), 'utf8')) as T;

beforeAll(async () => {
  const archive = join(dir, 'archive');
  mkdirSync(archive);
  const rng = createRng('names');
  for (const day of DAYS) {
    const lines: string[] = [];
    for (let i = 0; i < PER_DAY; i++) {
      const goos = i % 3 === 0 ? 'darwin' : 'linux';
      lines.push(
        goReportLine({
          Week: day,
          LastWeek: '',
          X: rng.nextDouble(),
          Config: 'v0.0.1',
          Programs: [
            {
              Program: 'cmd/go',
              Version: 'go1.23.1',
              GoVersion: 'go1.23.1',
              GOOS: goos,
              GOARCH: 'amd64',
              Counters: { [`GOOS:${goos === 'linux' ? 'darwin' : 'linux'}`]: 1, 'go/invocations': 2, [`evil:${i % 2 ? FORMULA : '-1+2'}`]: 1 },
              Stacks: { 'go/invocations\nmain.main:+1': 1 },
            },
            { Program: LONG, Version: 'v1.0.0', GoVersion: 'go1.23.1', GOOS: 'linux', GOARCH: 'arm64', Counters: { 'a/b:x': 1 }, Stacks: {} },
          ],
        }),
      );
    }
    writeFileSync(join(archive, day), lines.join('\n') + '\n');
  }
  const upload = {
    GOOS: ['darwin', 'linux'],
    GOARCH: ['amd64', 'arm64'],
    GoVersion: ['go1.23.1'],
    SampleRate: 1,
    Programs: [
      {
        Name: 'cmd/go',
        Versions: ['go1.23.1'],
        Counters: [
          { Name: 'GOOS:{linux,darwin}', Rate: 1 },
          { Name: 'go/invocations', Rate: 1 },
          { Name: `evil:{${FORMULA},-1+2}`, Rate: 1 },
        ],
        Stacks: [{ Name: 'go/invocations', Rate: 1, Depth: 16 }],
      },
      { Name: LONG, Versions: ['v1.0.0'], Counters: [{ Name: 'a/b:{x,y}', Rate: 1 }], Stacks: null },
    ],
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(upload));
  writeFileSync(join(dir, 'config.txt'), 'title: Invocations\ncounter: go/invocations\ntype: partition\nprogram: cmd/go\n');
  const args = ['--source', archive, '--chart-config', join(dir, 'config.txt'), '--upload-config', join(dir, 'config.json')];
  const range = [
    '--from',
    DAYS[0]!,
    '--to',
    DAYS.at(-1)!,
    '--as-of',
    toDay('2026-11-30'),
    '--cache',
    join(dir, 'cache'),
    '--out',
    out,
    '--min-cell',
    '1',
    '--jobs',
    '1',
  ];
  await runPipeline(parseOptions([...args, ...range], 1)!, { log: () => {}, progress: 'never', today: () => toDay('2026-11-30') });
  index = read<IndexFile>('index.json');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one file, one chart', () => {
  it('gives every chart of a program its own slug and file', () => {
    const go = index.programs.find((p) => p.program === 'cmd/go')!;
    expect(go.charts.map((c) => [c.kind, c.chart, c.slug])).toEqual([
      ['metadata', 'GOOS', 'GOOS'],
      ['metadata', 'GOARCH', 'GOARCH'],
      ['metadata', 'GoVersion', 'GoVersion'],
      ['counter', 'GOOS', 'GOOS~counter'],
      ['counter', 'go/invocations', 'go-invocations'],
      ['counter', 'evil', 'evil'],
      ['stack', 'go/invocations', 'go-invocations~stack'],
    ]);
    const files = index.programs.flatMap((p) => [p.file, ...p.charts.map((c) => c.file)]);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(files.length);
    expect(index.files).toEqual([...new Set(index.files)]);
    for (const f of files) expect(index.files).toContain(f);
  });

  it('writes each chart file with its own figures', () => {
    const go = index.programs.find((p) => p.program === 'cmd/go')!;
    const file = (kind: string, chart: string) => read<ChartFile>(go.charts.find((c) => c.kind === kind && c.chart === chart)!.file);
    const reports = DAYS.length * PER_DAY;
    const darwin = DAYS.length * (PER_DAY / 3);

    const meta = file('metadata', 'GOOS');
    expect(meta.kind).toBe('metadata');
    const mw = meta.weeks[0] as CounterChartWeek;
    expect(mw.n).toBe(reports);
    expect(mw.buckets.map((b) => [b.bucket, 'x' in b ? b.x : null])).toEqual([
      ['darwin', darwin],
      ['linux', reports - darwin],
    ]);

    const counter = file('counter', 'GOOS');
    expect([counter.kind, counter.chart, counter.buckets]).toEqual(['counter', 'GOOS', ['linux', 'darwin']]);
    const cw = counter.weeks[0] as CounterChartWeek;
    // The counter says the opposite of the report's GOOS, so its figures cannot pass for the metadata chart's.
    expect(cw.buckets.map((b) => [b.bucket, 'x' in b ? b.x : null])).toEqual([
      ['linux', darwin],
      ['darwin', reports - darwin],
    ]);

    const stack = file('stack', 'go/invocations');
    expect(stack.kind).toBe('stack');
    expect((stack.weeks[0] as StackChartWeek).top.map((t) => [t.stack, t.x])).toEqual([['go/invocations\nmain.main:+1', reports]]);
    expect(file('counter', 'go/invocations').kind).toBe('counter');
  });

  it('keeps every path component of files and pages under 255 bytes', () => {
    const long = index.programs.find((p) => p.program === LONG)!;
    expect(long.slug).toMatch(/~[0-9a-f]{8}$/);
    const week = index.weeks[0]!.week;
    const paths = [
      ...index.files,
      ...index.programs.flatMap((p) => [
        `programs/${p.slug}/index.html`,
        ...p.charts.flatMap((c) => [
          `charts/${p.slug}/${c.slug}/${week}.png`,
          `charts/${p.slug}/${c.slug}/${week}/index.html`,
          `charts/${p.slug}/${c.slug}/all-weeks.csv`,
        ]),
      ]),
    ];
    let longest = 0;
    for (const p of paths) for (const part of p.split('/')) longest = Math.max(longest, Buffer.byteLength(part));
    expect(longest).toBeLessThan(255);
    expect(long.slug.length).toBeLessThanOrEqual(200);
    expect(longest).toBe(long.slug.length + '.json'.length); // programs/<the long program's slug>.json
    expect(read<ChartFile>(long.charts.find((c) => c.chart === 'a/b')!.file).program).toBe(LONG);
  });
});

describe('CSV downloads', () => {
  it('neutralise bucket names a spreadsheet would evaluate, and read back as they were', () => {
    const text = readFileSync(join(out, 'estimates.csv'), 'utf8');
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example/"")",`);
    expect(text).toContain(`,"'-1+2",`);
    const raw = csvParseRows(text);
    const header = raw[0]!;
    for (const row of raw.slice(1)) for (const col of ['program', 'chart', 'bucket']) expect(row[header.indexOf(col)]).not.toMatch(/^[=+\-@\t\r]/);
    const rows = parseCsv(text);
    const evil = rows.filter((r) => r[header.indexOf('chart')] === 'evil').map((r) => r[header.indexOf('bucket')]);
    expect(evil).toEqual([FORMULA, '-1+2']);
    const n = DAYS.length * PER_DAY;
    const goos = (kind: string) =>
      rows
        .filter((r) => r[header.indexOf('program')] === 'cmd/go' && r[header.indexOf('chart')] === 'GOOS' && r[header.indexOf('kind')] === kind)
        .map((r) => [r[header.indexOf('bucket')], Number(r[header.indexOf('x')])]);
    expect(goos('metadata')).toEqual([
      ['darwin', n / 3],
      ['linux', (2 * n) / 3],
    ]);
    expect(goos('counter')).toEqual([
      ['linux', n / 3],
      ['darwin', (2 * n) / 3],
    ]);
    expect(rows.filter((r) => r[header.indexOf('chart')] === 'evil').map((r) => Number(r[header.indexOf('x')]))).toEqual([n / 2, n / 2]);
  });
});
