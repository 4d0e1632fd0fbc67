/**
 * The breakdown cells of the day partials: what one report adds, the merge
 * laws, re-uploads, and an independent recount (tests/helpers/breakdown-recount.ts)
 * of random reports.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { toDay } from '../../src/lib/dates.ts';
import { createRng } from '../../src/lib/random.ts';
import { aggregateOf, merge, totals, type Breakdowns, type DayPartial } from '../../src/reduce/partial.ts';
import { reduceDayFile } from '../../src/reduce/reduce-day.ts';
import { buildReduceSpec, compileSpec, specHash } from '../../src/reduce/spec.ts';
import { acceptedReports, cellKey, recount, recountConfig } from '../helpers/breakdown-recount.ts';
import { goLine, randomReport, type GoReport } from '../helpers/reports.ts';

const GOPLS = 'golang.org/x/tools/gopls';
const CHARTS = `
title: Editors
counter: gopls/client:{vscode,neovim,emacs,goland,other}
type: partition
program: golang.org/x/tools/gopls
version: v0.15.0
---
title: Invocations
counter: go/invocations
type: partition
program: cmd/go
`;
const UPLOAD = JSON.stringify({
  GOOS: ['linux', 'darwin', 'windows'],
  GOARCH: ['amd64', 'arm64'],
  GoVersion: ['go1.22.0'],
  SampleRate: 0.9,
  Programs: [
    {
      Name: GOPLS,
      Versions: [13, 14, 15, 16, 17].flatMap((m) => [0, 1, 2].map((p) => `v0.${m}.${p}`)),
      Counters: [{ Name: 'gopls/client:{vscode,neovim,emacs,goland,other}', Rate: 0.5 }],
      Stacks: [{ Name: 'gopls/bug', Rate: 1, Depth: 16 }],
    },
    { Name: 'cmd/go', Versions: [], Counters: [{ Name: 'go/invocations', Rate: 1 }] },
  ],
});

const spec = buildReduceSpec(parseUploadConfig(UPLOAD, 'upload.json'), parseChartConfig(CHARTS, 'charts.txt'));
const compiled = compileSpec(spec);
const id = specHash(spec);
const dir = mkdtempSync(join(tmpdir(), 'breakdowns-reduce-'));
let fileNo = 0;
function reduceLines(lines: string[], day: string): DayPartial {
  const path = join(dir, `f${fileNo++}`);
  writeFileSync(path, lines.map((l) => l + '\n').join(''));
  return reduceDayFile({ path, day: toDay(day), sha256: `hash-${day}`, compiled, specId: id });
}

const pr = (version: string, goos: string, counters: Record<string, number>) => ({
  Program: GOPLS,
  Version: version,
  GoVersion: 'go1.22.3',
  GOOS: goos,
  GOARCH: 'amd64',
  Counters: counters,
  Stacks: null,
});

/** The cells of a partial's or a total's breakdowns as "program|chart|by|group" -> "n:bucket=x,...". */
function flat(programs: Record<string, { breakdowns: Breakdowns }>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [program, p] of Object.entries(programs)) {
    for (const [by, groups] of Object.entries(p.breakdowns)) {
      for (const [group, charts] of Object.entries(groups!)) {
        for (const [chart, cell] of Object.entries(charts)) {
          const xs = Object.entries(cell.x)
            .filter(([, x]) => x !== 0)
            .sort()
            .map(([b, x]) => `${b}=${x}`);
          m.set(cellKey(program, chart, by, group), `${cell.n}:${xs.join(',')}`);
        }
      }
    }
  }
  return m;
}

describe('breakdown cells', () => {
  it('counts a report in the group of each program report, with that program report’s own eligibility and counters', () => {
    const day = '2024-01-03';
    const r: GoReport = {
      Week: day,
      LastWeek: '',
      X: 0.1,
      Programs: [
        pr('v0.14.1', 'linux', { 'gopls/client:vscode': 2 }),
        pr('v0.16.0', 'linux', { 'gopls/client:emacs': 1 }),
        pr('v0.16.2', 'darwin', { 'gopls/client:neovim': 4 }),
      ],
      Config: '',
    };
    const p = reduceLines([goLine(r)], day);
    const b = flat(p.programs);
    // v0.14 cannot carry gopls/client (version: v0.15.0): no cell, though the report is eligible through its v0.16 reports.
    expect(b.has(cellKey(GOPLS, 'gopls/client', 'Version', 'v0.14'))).toBe(false);
    expect(b.get(cellKey(GOPLS, 'gopls/client', 'Version', 'v0.16'))).toBe('1:emacs=1,neovim=1');
    // linux holds the v0.14 and v0.16.0 reports: eligible through v0.16.0, and (as in the headline figures) their counters summed.
    expect(b.get(cellKey(GOPLS, 'gopls/client', 'GOOS', 'linux'))).toBe('1:emacs=1,vscode=1');
    expect(b.get(cellKey(GOPLS, 'gopls/client', 'GOOS', 'darwin'))).toBe('1:neovim=1');
    expect(b.get(cellKey(GOPLS, 'gopls/client', 'GoVersion', 'go1.22'))).toBe('1:emacs=1,neovim=1,vscode=1');
    // The headline counts the report once.
    expect(p.programs[GOPLS]!.charts['gopls/client']!.n).toBe(1);
    // A report above the chart's Rate (0.5) is in no cell of it.
    const high = reduceLines([goLine({ ...r, X: 0.7 })], day);
    expect(flat(high.programs).size).toBe(0);
    // cmd/go has no Version breakdown.
    const go = reduceLines([goLine({ ...r, Programs: [{ ...pr('go1.22.3', 'linux', { 'go/invocations': 3 }), Program: 'cmd/go' }] })], day);
    expect([...flat(go.programs).keys()]).toEqual([
      cellKey('cmd/go', 'go/invocations', 'GOOS', 'linux'),
      cellKey('cmd/go', 'go/invocations', 'GoVersion', 'go1.22'),
    ]);
  });

  it('obeys the merge laws and equals an independent recount of the reports', () => {
    const rng = createRng('breakdown-merge-laws');
    const days = ['2024-01-01', '2024-01-02', '2024-01-03'];
    const files = days.map((day) => Array.from({ length: 300 }, () => goLine(randomReport(rng, day))));
    const [a, b, c] = days.map((day, i) => aggregateOf([reduceLines(files[i]!, day)])) as [
      ReturnType<typeof aggregateOf>,
      ReturnType<typeof aggregateOf>,
      ReturnType<typeof aggregateOf>,
    ];
    const cells = (agg: ReturnType<typeof aggregateOf>) => JSON.stringify([...flat(totals(agg).programs)].sort());
    const abc = cells(merge(merge(a, b), c));
    expect(cells(merge(a, merge(b, c)))).toBe(abc);
    expect(cells(merge(c, merge(b, a)))).toBe(abc);
    expect(cells(merge(merge(a, b), merge(b, c)))).toBe(abc);
    expect(cells(merge(a, a))).toBe(cells(a));
    // Re-reducing a day gives the same bytes.
    const again = reduceLines(files[0]!, days[0]!);
    expect(JSON.stringify(again.programs)).toBe(JSON.stringify(a.get(toDay(days[0]!))!.programs));

    // The oracle: a recount straight from the lines.
    const cfg = recountConfig(UPLOAD, CHARTS);
    const want = new Map<string, string>();
    const oracle = recount(
      days.flatMap((day, i) => acceptedReports(files[i]!.join('\n'), day)),
      cfg,
    );
    for (const [key, cell] of oracle) {
      const xs = [...cell.x]
        .filter(([, x]) => x !== 0)
        .sort()
        .map(([bucket, x]) => `${bucket}=${x}`);
      want.set(key, `${cell.n}:${xs.join(',')}`);
    }
    expect(want.size).toBeGreaterThan(12);
    expect(abc).toBe(JSON.stringify([...want].sort()));
  });

  it('subtracts a replaced re-upload exactly', () => {
    const day = '2024-01-04';
    const rng = createRng('breakdown-reupload');
    const reports = Array.from({ length: 100 }, () => randomReport(rng, day));
    // Each of the first 30 reports is uploaded again with different content and the same X: the last one read wins.
    const replaced = reports.slice(0, 30).map((r) => ({ ...randomReport(rng, day), X: r.X }));
    const withReuploads = reduceLines([...reports, ...replaced].map(goLine), day);
    const finalOnly = reduceLines([...replaced, ...reports.slice(30)].map(goLine), day);
    expect(withReuploads.ledger.duplicatesDiffering).toBeGreaterThan(0);
    expect([...flat(withReuploads.programs)].sort()).toEqual([...flat(finalOnly.programs)].sort());
    expect(flat(finalOnly.programs).size).toBeGreaterThan(10);
  });
});
