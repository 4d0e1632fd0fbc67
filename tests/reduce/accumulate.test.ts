/**
 * The accumulator on plain reports (no files, no parsing): exact partials for
 * a few hand-made reports, and the laws that make partials mergeable.
 */
import { describe, expect, it } from 'vitest';
import { toDay, type Day } from '../../src/lib/dates.ts';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import type { ProgramReport, Report } from '../../src/parse/report.ts';
import { DayAccumulator, EXCLUDE } from '../../src/reduce/accumulate.ts';
import { aggregateOf, CELL_SEPARATOR, merge, totals, type DayPartial } from '../../src/reduce/partial.ts';
import { buildReduceSpec, compileSpec, specHash } from '../../src/reduce/spec.ts';

const GOPLS = 'golang.org/x/tools/gopls';
const CHARTS = `
title: Editors
counter: gopls/client:{vscode,neovim,emacs,goland,other}
type: partition
program: ${GOPLS}
---
title: Bugs
counter: gopls/bug
type: stack
program: ${GOPLS}
`;

function compiled(opts: { rate?: number; dims?: string[] } = {}) {
  const upload = parseUploadConfig(
    JSON.stringify({
      GOOS: ['linux', 'darwin', 'windows'],
      GOARCH: ['amd64', 'arm64'],
      GoVersion: ['go1.22.0'],
      SampleRate: 1,
      Programs: [
        {
          Name: GOPLS,
          Versions: ['v0.15.0', 'v0.16.1'],
          Counters: [{ Name: 'gopls/client:{vscode,neovim,emacs,goland,other}', Rate: opts.rate ?? 1 }],
          Stacks: [{ Name: 'gopls/bug', Rate: 1, Depth: 16 }],
        },
      ],
    }),
    'upload.json',
  );
  const spec = buildReduceSpec(upload, parseChartConfig(CHARTS, 'charts.txt'), opts.dims ?? []);
  return { spec, compiled: compileSpec(spec), id: specHash(spec) };
}

function pr(version: string, goos: string, goarch: string, counters: Record<string, number>, stacks: Record<string, number> = {}): ProgramReport {
  const c = Object.entries(counters).sort();
  const s = Object.entries(stacks).sort();
  return {
    program: GOPLS,
    version,
    goVersion: 'go1.22.3',
    goos,
    goarch,
    counterNames: c.map((e) => e[0]),
    counterValues: c.map((e) => e[1]),
    stackNames: s.map((e) => e[0]),
    stackValues: s.map((e) => e[1]),
  };
}

const DAY = toDay('2024-01-03');
const report = (x: number, ...programs: ProgramReport[]): Report => ({ week: DAY, lastWeek: '', x, programs, config: 'v0.0.1' });

// Counts chosen so that every fraction c/T is a binary fraction: sums are then
// exact in any order, and the expected values below are exact.
const R1 = report(0.1, pr('v0.15.0', 'linux', 'amd64', { 'gopls/client:vscode': 2, 'gopls/client:neovim': 2 }));
const R2 = report(0.2, pr('v0.16.1', 'darwin', 'arm64', { 'gopls/client:vscode': 1 }, { 'gopls/bug\nf:1': 3 }));
// Two program reports of one program: one report, counters summed, GOOS has two values.
const R3 = report(0.3, pr('v0.15.0', 'linux', 'amd64', { 'gopls/client:vscode': 1 }), pr('v0.15.0', 'windows', 'amd64', { 'gopls/client:emacs': 3 }));

// One stack in program reports of two Version groups (counted in both, once each), another with a zero count in one of them.
const R4 = report(
  0.4,
  pr('v0.15.0', 'linux', 'amd64', {}, { 'gopls/bug\nf:1': 1, 'gopls/bug\ng:2': 0 }),
  pr('v0.16.1', 'linux', 'amd64', {}, { 'gopls/bug\nf:1': 2, 'gopls/bug\ng:2': 1 }),
  pr('v0.15.0', 'darwin', 'amd64', {}, { 'gopls/bug\nf:1': 1 }),
);

function reduce(reports: Report[], c = compiled(), removed: Report[] = []): DayPartial {
  const acc = new DayAccumulator(c.compiled, DAY);
  for (const r of reports) acc.add(r, 1);
  for (const r of removed) acc.add(r, -1);
  return acc.toPartial(c.id, `sha-${DAY}`);
}

const sums = (
  reports: number,
  sum: number,
  sumSq: number,
  sumTimesTotal: number,
  sumFraction: number,
  sumFractionSq: number,
  max: number,
  hist?: number[],
) => ({
  reports,
  sum,
  sumSq,
  sumTimesTotal,
  sumFraction,
  sumFractionSq,
  max,
  ...(hist ? { hist } : {}),
});

describe('DayAccumulator', () => {
  it('counts a report with a stack in the Version group of each program report holding it, once per group', () => {
    const st = reduce([R2, R4]).programs[GOPLS]!.stacks['gopls/bug']!;
    expect(st).toEqual({
      n: 2,
      stacks: { 'gopls/bug\nf:1': [2, 7], 'gopls/bug\ng:2': [1, 1] },
      versions: { 'gopls/bug\nf:1': { 'v0.16': 2, 'v0.15': 1 }, 'gopls/bug\ng:2': { 'v0.16': 1 } },
    });
    // A replaced report is taken out of its groups again; emptied stacks and groups are left out.
    expect(reduce([R2, R4], compiled(), [R4]).programs[GOPLS]!.stacks['gopls/bug']).toEqual(reduce([R2]).programs[GOPLS]!.stacks['gopls/bug']);
    expect(reduce([R2, R4], compiled(), [R2]).programs[GOPLS]!.stacks['gopls/bug']!.versions).toEqual({
      'gopls/bug\nf:1': { 'v0.16': 1, 'v0.15': 1 },
      'gopls/bug\ng:2': { 'v0.16': 1 },
    });
  });

  it('folds plain reports into the exact sums of the partial format', () => {
    const p = reduce([R1, R2, R3]);
    expect(p.reports).toBe(3);
    expect(p.ledger.accepted).toBe(3);
    const prog = p.programs[GOPLS]!;
    expect(prog.reports).toBe(3);
    // T per report: 4, 1, 4.
    expect(prog.charts['gopls/client']).toEqual({
      n: 3,
      nPos: 3,
      tot: 9,
      tot2: 33,
      buckets: {
        // Histograms as [bin, reports] pairs: count 1 is bin 0, 2 is bin 4, 3 is bin 6 (histogram.ts).
        vscode: sums(3, 4, 6, 2 * 4 + 1 * 1 + 1 * 4, 0.5 + 1 + 0.25, 0.25 + 1 + 0.0625, 2, [0, 2, 4, 1]),
        neovim: sums(1, 2, 4, 8, 0.5, 0.25, 2, [4, 1]),
        emacs: sums(1, 3, 9, 12, 0.75, 0.5625, 3, [6, 1]),
      },
    });
    // Metadata: c = 1 per value; R3 names two GOOS values (T = 2), one Version.
    expect(prog.meta.GOOS).toEqual({
      n: 3,
      nPos: 3,
      tot: 4,
      tot2: 6,
      buckets: { linux: sums(2, 2, 2, 3, 1.5, 1.25, 1), darwin: sums(1, 1, 1, 1, 1, 1, 1), windows: sums(1, 1, 1, 2, 0.5, 0.25, 1) },
    });
    expect(prog.meta.Version.buckets).toEqual({ 'v0.15': sums(2, 2, 2, 2, 2, 2, 1), 'v0.16': sums(1, 1, 1, 1, 1, 1, 1) });
    expect(Object.keys(prog.meta.GoVersion.buckets)).toEqual(['go1.22']);
    expect(prog.stacks['gopls/bug']).toEqual({ n: 3, stacks: { 'gopls/bug\nf:1': [1, 3] }, versions: { 'gopls/bug\nf:1': { 'v0.16': 1 } } });
    expect(prog.strata).toBeUndefined();
  });

  it('counts only reports eligible for a chart (X <= its Rate), and says what it left out', () => {
    const p = reduce([R1, R2, R3], compiled({ rate: 0.25 }));
    const chart = p.programs[GOPLS]!.charts['gopls/client']!;
    expect(chart.n).toBe(2);
    expect(chart.buckets['emacs']).toBeUndefined();
    expect(p.ledger.excluded[EXCLUDE.ineligibleCounter]).toEqual({ 'gopls/client:vscode': 1, 'gopls/client:emacs': 1 });
    // Metadata charts count every report of the program.
    expect(p.programs[GOPLS]!.meta.GOOS.n).toBe(3);
  });

  it('classifies each report into one stratum cell per dimension', () => {
    const p = reduce([R1, R2, R3], compiled({ dims: ['gopls/client', 'GOOS'] }));
    const strata = p.programs[GOPLS]!.strata!;
    expect(strata.dims).toEqual(['GOOS', 'gopls/client']);
    const key = (...parts: string[]) => parts.join(CELL_SEPARATOR);
    // R1: a tie between vscode and neovim goes to the first in config order.
    // R3: GOOS of the program report with the most counts (windows, 3), and its largest bucket.
    expect(Object.keys(strata.cells).sort()).toEqual([key('darwin', 'vscode'), key('linux', 'vscode'), key('windows', 'emacs')]);
    expect(strata.cells[key('windows', 'emacs')]).toEqual({
      n: 1,
      charts: { 'gopls/client': { n: 1, x: { vscode: 1, emacs: 1 } } },
      meta: { Version: { 'v0.15': 1 }, GOOS: { linux: 1, windows: 1 }, GOARCH: { amd64: 1 }, GoVersion: { 'go1.22': 1 } },
    });
  });

  it('gives the same partial whatever the order of the reports', () => {
    const orders = [
      [R1, R2, R3],
      [R3, R2, R1],
      [R2, R3, R1],
    ];
    // Equal values; metadata values and cells appear in the order first seen (site data sorts them).
    const [first, ...rest] = orders.map((o) => reduce(o, compiled({ dims: ['GOOS'] })));
    for (const r of rest) expect(r).toEqual(first);
  });

  it('removing a replaced report undoes its add', () => {
    const R4 = report(0.4, pr('v0.16.1', 'darwin', 'amd64', { 'gopls/client:neovim': 1 }, { 'gopls/bug\nf:2': 1 }));
    const c = compiled({ dims: ['GOOS', 'gopls/client'] });
    expect(JSON.stringify(reduce([R1, R2, R4, R3], c, [R4]))).toBe(JSON.stringify(reduce([R1, R2, R3], c)));
  });

  it('re-reducing the same reports gives the same bytes', () => {
    const c = compiled({ dims: ['GOOS'] });
    expect(JSON.stringify(reduce([R1, R2, R3], c))).toBe(JSON.stringify(reduce([R1, R2, R3], c)));
  });
});

describe('merging partials', () => {
  const c = compiled();
  const dayPartial = (day: Day, r: Report) => {
    const acc = new DayAccumulator(c.compiled, day);
    acc.add({ ...r, week: day }, 1);
    return acc.toPartial(c.id, `sha-${day}`);
  };
  const A = aggregateOf([dayPartial(toDay('2024-01-01'), R1)]);
  const B = aggregateOf([dayPartial(toDay('2024-01-02'), R2)]);
  const C = aggregateOf([dayPartial(toDay('2024-01-03'), R3)]);
  const D = aggregateOf([dayPartial(toDay('2024-01-04'), R4)]);
  const key = (agg: ReturnType<typeof aggregateOf>) => JSON.stringify(totals(agg));

  it('is associative, commutative and idempotent', () => {
    expect(key(merge(merge(A, B), C))).toBe(key(merge(A, merge(B, C))));
    expect(key(merge(A, B))).toBe(key(merge(B, A)));
    expect(key(merge(A, A))).toBe(key(A));
    expect(key(merge(merge(A, B), B))).toBe(key(merge(A, B)));
    // The same for stacks with Version groups (B and D hold the same stack).
    expect(key(merge(merge(B, C), D))).toBe(key(merge(B, merge(C, D))));
    expect(key(merge(B, D))).toBe(key(merge(D, B)));
    expect(key(merge(merge(B, D), D))).toBe(key(merge(B, D)));
    expect(totals(merge(B, D)).programs[GOPLS]!.stacks['gopls/bug']!.versions).toEqual({
      'gopls/bug\nf:1': { 'v0.16': 2, 'v0.15': 1 },
      'gopls/bug\ng:2': { 'v0.16': 1 },
    });
  });

  it('sums the days: the totals of three one-report days equal one day of all three', () => {
    const t = totals(merge(merge(A, B), C));
    const one = reduce([R1, R2, R3]).programs[GOPLS]!;
    expect(t.days).toEqual(['2024-01-01', toDay('2024-01-02'), '2024-01-03']);
    expect(t.reports).toBe(3);
    expect(t.programs[GOPLS]!.charts).toEqual(one.charts);
    expect(t.programs[GOPLS]!.meta).toEqual(one.meta);
    expect(t.programs[GOPLS]!.stacks).toEqual(one.stacks);
  });

  it('refuses two different partials of one day', () => {
    expect(() => merge(A, aggregateOf([{ ...[...A.values()][0]!, sha256: 'other' }]))).toThrow(/different partials/);
  });
});
