import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChartConfig } from '../../src/config/chart-config.ts';
import { parseUploadConfig } from '../../src/config/upload-config.ts';
import { addDays, toDay } from '../../src/lib/dates.ts';
import { createRng } from '../../src/lib/random.ts';
import { REJECT } from '../../src/parse/rejects.ts';
import { EXCLUDE } from '../../src/reduce/accumulate.ts';
import { histOf, histReports } from '../../src/reduce/histogram.ts';
import { aggregateOf, merge, totals, type DayPartial } from '../../src/reduce/partial.ts';
import { reduceDayFile } from '../../src/reduce/reduce-day.ts';
import { buildReduceSpec, compileSpec, specHash } from '../../src/reduce/spec.ts';
import { goWorkerCounts } from '../helpers/go-worker.ts';
import { goLine, randomReport, type GoReport } from '../helpers/reports.ts';

const CHARTS = `
title: Editors
counter: gopls/client:{vscode,neovim,emacs,goland,other}
type: partition
program: golang.org/x/tools/gopls
---
title: Invocations
counter: go/invocations
type: partition
program: cmd/go
---
title: Bugs
counter: gopls/bug
type: stack
program: golang.org/x/tools/gopls
`;

function upload(sampleRate: number, rate: number, extra = '') {
  return parseUploadConfig(
    JSON.stringify({
      GOOS: ['linux', 'darwin', 'windows'],
      GOARCH: ['amd64', 'arm64'],
      GoVersion: ['go1.20.0', 'go1.21.0', 'go1.22.0', 'go1.23.0'],
      SampleRate: sampleRate,
      Programs: [
        {
          Name: 'golang.org/x/tools/gopls',
          Versions: [
            'v0.13.0',
            'v0.13.1',
            'v0.13.2',
            'v0.14.0',
            'v0.14.1',
            'v0.14.2',
            'v0.15.0',
            'v0.15.1',
            'v0.15.2',
            'v0.16.0',
            'v0.16.1',
            'v0.16.2',
            'v0.17.0',
            'v0.17.1',
            'v0.17.2',
            ...(extra ? [extra] : []),
          ],
          Counters: [{ Name: 'gopls/client:{vscode,neovim,emacs,goland,other}', Rate: rate }],
          Stacks: [{ Name: 'gopls/bug', Rate: 1, Depth: 16 }],
        },
        { Name: 'cmd/go', Versions: [], Counters: [{ Name: 'go/invocations', Rate: 1 }] },
      ],
    }),
    'upload.json',
  );
}

function setup(sampleRate = 1, rate = 1) {
  const cfg = upload(sampleRate, rate);
  const spec = buildReduceSpec(cfg, parseChartConfig(CHARTS, 'charts.txt'));
  return { cfg, spec, compiled: compileSpec(spec), id: specHash(spec) };
}

const dir = mkdtempSync(join(tmpdir(), 'reduce-'));
let fileNo = 0;
function reduceLines(lines: string[], day: string, s = setup()): DayPartial {
  const path = join(dir, `f${fileNo++}`);
  writeFileSync(path, lines.map((l) => l + '\n').join(''));
  return reduceDayFile({ path, day: toDay(day), sha256: `hash-${path}`, compiled: s.compiled, specId: s.id });
}

describe('reduce', () => {
  it("counts unique reports per bucket exactly as the Go dashboard's worker does", () => {
    const s = setup();
    const rng = createRng('worker-equivalence');
    const week0 = toDay('2024-01-01');
    const all: GoReport[] = [];
    const parts: DayPartial[] = [];
    for (let d = 0; d < 7; d++) {
      const day = addDays(week0, d);
      const reports = Array.from({ length: 300 }, () => randomReport(rng, day));
      // Re-uploads: the same line twice counts once.
      const lines = reports.map(goLine);
      for (let k = 0; k < 10; k++) lines.push(lines[rng.int(lines.length)]!);
      all.push(...reports);
      parts.push(reduceLines(lines, day, s));
    }
    const oracle = goWorkerCounts(all, s.cfg);
    expect(oracle.size).toBeGreaterThan(50);
    const t = totals(aggregateOf(parts));
    // Our week bin holds 7 Week dates; the worker counts each date on its own, and
    // X values are distinct per report, so the bin's count is the sum over its days.
    const summed = new Map<string, number>();
    for (const [k, v] of oracle) {
      const [, program, chart, bucket] = k.split('|');
      const key = `${program}|${chart}|${bucket}`;
      summed.set(key, (summed.get(key) ?? 0) + v);
    }
    let compared = 0;
    for (const [key, v] of summed) {
      const [program, chart, bucket] = key.split('|') as [string, string, string];
      const prog = t.programs[program]!;
      const part = chart in prog.meta ? prog.meta[chart as 'GOOS'] : prog.charts[chart]!;
      expect(part.buckets[bucket]?.reports ?? 0, key).toBe(v);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('dedupes by X: identical re-uploads count once, a different payload replaces the earlier one', () => {
    const day = toDay('2024-01-03');
    const base: GoReport = {
      Week: day,
      LastWeek: '',
      X: 0.25,
      Programs: [
        {
          Program: 'golang.org/x/tools/gopls',
          Version: 'v0.15.0',
          GoVersion: 'go1.22.0',
          GOOS: 'linux',
          GOARCH: 'amd64',
          Counters: { 'gopls/client:vscode': 2 },
          Stacks: null,
        },
      ],
      Config: 'v0.0.1',
    };
    const changed: GoReport = { ...base, Programs: [{ ...base.Programs![0]!, Counters: { 'gopls/client:neovim': 5 } }] };
    const other: GoReport = { ...base, X: 0.5 };
    const p = reduceLines([goLine(base), goLine(other), goLine(base), goLine(changed)], day);
    expect(p.ledger.accepted).toBe(2);
    expect(p.ledger.duplicates).toBe(1);
    expect(p.ledger.duplicatesDiffering).toBe(1);
    const client = p.programs['golang.org/x/tools/gopls']!.charts['gopls/client']!;
    expect(client.n).toBe(2);
    expect(client.buckets['vscode']!.reports).toBe(1); // only `other`
    expect(client.buckets['neovim']!.reports).toBe(1); // the replacement
    expect(client.buckets['neovim']!.sum).toBe(5);
  });

  it('does not count a bucket whose count is 0 (the Go worker would count its presence; uploads never hold zeros)', () => {
    const day = toDay('2024-01-03');
    const mk = (x: number, v: number) =>
      goLine({
        Week: day,
        LastWeek: '',
        X: x,
        Programs: [
          { Program: 'cmd/go', Version: 'go1.22.0', GoVersion: 'go1.22.0', GOOS: 'linux', GOARCH: 'amd64', Counters: { 'go/invocations': v }, Stacks: null },
        ],
        Config: '',
      });
    const p = reduceLines([mk(0.1, 0), mk(0.2, 3)], day);
    const chart = p.programs['cmd/go']!.charts['go/invocations']!;
    expect(chart.n).toBe(2);
    expect(chart.buckets['go/invocations']!).toMatchObject({ reports: 1, sum: 3, sumSq: 9 });
  });

  it('counts a report with several ProgramReports of one program once, summing their counters', () => {
    const day = toDay('2024-01-03');
    const r: GoReport = {
      Week: day,
      LastWeek: '',
      X: 0.1,
      Programs: [
        {
          Program: 'golang.org/x/tools/gopls',
          Version: 'v0.15.0',
          GoVersion: 'go1.22.0',
          GOOS: 'linux',
          GOARCH: 'amd64',
          Counters: { 'gopls/client:vscode': 2 },
          Stacks: null,
        },
        {
          Program: 'golang.org/x/tools/gopls',
          Version: 'v0.16.0',
          GoVersion: 'go1.22.1',
          GOOS: 'linux',
          GOARCH: 'amd64',
          Counters: { 'gopls/client:vscode': 3, 'gopls/client:emacs': 1 },
          Stacks: null,
        },
      ],
      Config: 'v0.0.1',
    };
    const p = reduceLines([goLine(r)], day);
    const prog = p.programs['golang.org/x/tools/gopls']!;
    expect(prog.reports).toBe(1);
    expect(prog.charts['gopls/client']!.n).toBe(1);
    expect(prog.charts['gopls/client']!.buckets['vscode']!).toMatchObject({ reports: 1, sum: 5, sumSq: 25 });
    expect(prog.charts['gopls/client']!.tot).toBe(6);
    // Metadata: one system counts once in each of its values.
    expect(prog.meta.Version.n).toBe(1);
    expect(prog.meta.Version.buckets['v0.15']!.reports).toBe(1);
    expect(prog.meta.Version.buckets['v0.16']!.reports).toBe(1);
    expect(prog.meta.GOOS.buckets['linux']!.reports).toBe(1);
    expect(prog.meta.Version.buckets['v0.15']!.sumFraction).toBe(0.5);
  });

  it('uses only reports with X <= min(SampleRate, Rate) as denominators', () => {
    const s = setup(0.8, 0.25);
    const day = toDay('2024-01-03');
    const mk = (x: number, counters: Record<string, number>): string =>
      goLine({
        Week: day,
        LastWeek: '',
        X: x,
        Programs: [
          { Program: 'golang.org/x/tools/gopls', Version: 'v0.15.0', GoVersion: 'go1.22.0', GOOS: 'linux', GOARCH: 'amd64', Counters: counters, Stacks: null },
        ],
        Config: '',
      });
    const lines = [mk(0.1, { 'gopls/client:vscode': 1 }), mk(0.2, {}), mk(0.5, {}), mk(0.7, {}), mk(0.9, {}), mk(0.6, { 'gopls/client:vscode': 1 })];
    const p = reduceLines(lines, day, s);
    const prog = p.programs['golang.org/x/tools/gopls']!;
    expect(prog.reports).toBe(5); // X = 0.9 is above the SampleRate
    expect(p.ledger.excluded[EXCLUDE.xAboveSampleRate]).toEqual({ '0.8': 1 });
    expect(prog.charts['gopls/client']!.n).toBe(2); // X = 0.1 and 0.2
    expect(prog.charts['gopls/client']!.buckets['vscode']!.reports).toBe(1);
    // A counter in a report above its Rate is not counted, and the ledger says so.
    expect(p.ledger.excluded[EXCLUDE.ineligibleCounter]).toEqual({ 'gopls/client:vscode': 1 });
  });

  it('rejects bad lines with a reason, keeps going, and accounts for every line', () => {
    const day = toDay('2024-01-03');
    const good = goLine({ Week: day, LastWeek: toDay('2023-12-27'), X: 0.3, Programs: [], Config: '' });
    const lines = [
      good,
      '',
      'garbage',
      good.replace('0.3', '"0.3"'),
      good.replace('0.3', '1.5'),
      good.replace(day, toDay('2024-01-04')),
      good.replace(day, 'yesterday'),
      good.replace(toDay('2023-12-27'), toDay('2024-02-01')),
      goLine({ Week: day, LastWeek: '', X: 0.4, Programs: [], Config: '' }) + '\r',
      '\ufeff' + good.replace('0.3', '0.31'),
      good.replace('0.3', '0.32').replace('{', '{\t'), // valid JSON the fast path declines (a tab)
    ];
    const p = reduceLines(lines, day);
    expect(p.ledger.lines).toBe(lines.length);
    expect(p.ledger.accepted).toBe(3);
    expect(p.ledger.rejected).toEqual({
      [REJECT.emptyLine]: 1,
      'not valid JSON': 2,
      'X: expected number, received string': 1,
      [REJECT.xRange]: 1,
      [REJECT.weekMismatch]: 1,
      [REJECT.weekNotDate]: 1,
      [REJECT.lastWeek]: 1,
    });
    const total = p.ledger.accepted + p.ledger.duplicates + p.ledger.duplicatesDiffering + Object.values(p.ledger.rejected).reduce((a, b) => a + b, 0);
    expect(total).toBe(lines.length);
    expect(p.ledger.examples['not valid JSON']!.map((e) => e.line)).toEqual([3, 10]);
  });

  it('skips over-long lines without holding them and continues after them', () => {
    const day = toDay('2024-01-03');
    const good = goLine({ Week: day, LastWeek: '', X: 0.3, Programs: [], Config: '' });
    const huge = '{"Week":"' + 'x'.repeat(3 << 20) + '"}';
    const path = join(dir, 'long');
    writeFileSync(path, [good, huge, good.replace('0.3', '0.4'), huge].join('\n'));
    const s = setup();
    const p = reduceDayFile({ path, day, sha256: 'h', compiled: s.compiled, specId: s.id, maxLineBytes: 1 << 20 });
    expect(p.ledger.lines).toBe(4);
    expect(p.ledger.accepted).toBe(2);
    expect(p.ledger.rejected[REJECT.tooLong]).toBe(2);
  });

  it('excludes programs, versions and counters outside the upload config, and says which', () => {
    const day = toDay('2024-01-03');
    const line = goLine({
      Week: day,
      LastWeek: '',
      X: 0.3,
      Programs: [
        { Program: 'example.com/unknown', Version: 'v1.0.0', GoVersion: 'go1.22.0', GOOS: 'linux', GOARCH: 'amd64', Counters: { a: 1 }, Stacks: null },
        { Program: 'golang.org/x/tools/gopls', Version: 'v9.9.9', GoVersion: 'go1.22.0', GOOS: 'linux', GOARCH: 'amd64', Counters: {}, Stacks: null },
        {
          Program: 'golang.org/x/tools/gopls',
          Version: 'v0.15.0',
          GoVersion: 'go1.22.0',
          GOOS: 'linux',
          GOARCH: 'amd64',
          Counters: { 'gopls/client:zed': 1, 'gopls/other': 2 },
          Stacks: { 'gopls/bug\nf:1': 1, 'gopls/nope\nf:1': 1 },
        },
      ],
      Config: '',
    });
    const p = reduceLines([line], day);
    expect(p.ledger.excluded).toEqual({
      [EXCLUDE.unknownProgram]: { 'example.com/unknown': 1 },
      [EXCLUDE.unknownVersion]: { 'golang.org/x/tools/gopls@v9.9.9': 1 },
      [EXCLUDE.unknownBucket]: { 'gopls/client:zed': 1 },
      [EXCLUDE.unknownCounter]: { 'gopls/other': 1 },
      [EXCLUDE.unknownStack]: { 'gopls/nope': 1 },
    });
    const prog = p.programs['golang.org/x/tools/gopls']!;
    expect(prog.reports).toBe(1);
    expect(prog.stacks['gopls/bug']).toEqual({ n: 1, stacks: { 'gopls/bug\nf:1': [1, 1] }, versions: { 'gopls/bug\nf:1': { 'v0.15': 1 } } });
  });

  it('obeys the merge laws: union is associative, commutative and idempotent; re-reducing gives the same bytes', () => {
    const s = setup(0.9, 0.5);
    const rng = createRng('merge-laws');
    const days = [toDay('2024-01-01'), toDay('2024-01-02'), toDay('2024-01-03')];
    const files = days.map((day) => Array.from({ length: 200 }, () => goLine(randomReport(rng, day))));
    const [a, b, c] = days.map((day, i) => reduceLines(files[i]!, day, s)) as [DayPartial, DayPartial, DayPartial];
    const A = aggregateOf([a]);
    const B = aggregateOf([b]);
    const C = aggregateOf([c]);
    const key = (agg: ReturnType<typeof aggregateOf>) => JSON.stringify(totals(agg));
    expect(key(merge(merge(A, B), C))).toBe(key(merge(A, merge(B, C))));
    expect(key(merge(A, B))).toBe(key(merge(B, A)));
    expect(key(merge(A, A))).toBe(key(A));
    expect(key(merge(merge(A, B), B))).toBe(key(merge(A, B)));
    const again = reduceLines(files[0]!, days[0]!, s);
    expect(JSON.stringify({ ...again, sha256: '' })).toBe(JSON.stringify({ ...a, sha256: '' }));
    // Merging totals really adds: the three days' reports sum.
    expect(totals(merge(merge(A, B), C)).reports).toBe(a.reports + b.reports + c.reports);
    // Two different partials of one day cannot be merged.
    expect(() => merge(A, aggregateOf([{ ...a, sha256: 'other' }]))).toThrow(/different partials/);
    // The merged histograms are those of every report's summed count (an oracle from the reports themselves).
    const reports = files.flat().map((l) => JSON.parse(l) as GoReport);
    const t = totals(merge(merge(A, B), C));
    let compared = 0;
    // Eligible: X <= min(SampleRate 0.9, Rate), the Rate being 0.5 for gopls/client and 1 for go/invocations.
    for (const [program, chart, threshold, names] of [
      ['golang.org/x/tools/gopls', 'gopls/client', 0.5, ['vscode', 'neovim', 'emacs', 'goland', 'other'].map((e) => `gopls/client:${e}`)],
      ['cmd/go', 'go/invocations', 0.9, ['go/invocations']],
    ] as const) {
      for (const name of names) {
        const counts = reports
          .filter((r) => r.X <= threshold)
          .map((r) =>
            (r.Programs ?? []).filter((p) => p.Program === program).reduce((sum, p) => sum + (((p.Counters ?? {}) as Record<string, number>)[name] ?? 0), 0),
          );
        const bucket = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
        const got = t.programs[program]!.charts[chart]!.buckets[bucket];
        expect(got?.hist ?? [], name).toEqual(histOf(counts));
        expect(histReports(got?.hist ?? [])).toBe(got?.reports ?? 0);
        compared += counts.filter((c) => c > 0).length;
      }
    }
    expect(compared).toBeGreaterThan(200);
    // The merged stack versions are those recounted from the reports: per stack and Version group, the eligible reports
    // (X <= SampleRate 0.9) with a gopls program report of the group holding the stack.
    const want = new Map<string, number>();
    for (const r of reports) {
      if (r.X > 0.9) continue;
      const held = new Set<string>();
      for (const p of r.Programs ?? []) {
        if (p.Program !== 'golang.org/x/tools/gopls') continue;
        for (const [text, v] of Object.entries(p.Stacks ?? {})) if (v > 0) held.add(`${text}|${p.Version.split('.').slice(0, 2).join('.')}`);
      }
      for (const k of held) want.set(k, (want.get(k) ?? 0) + 1);
    }
    const got = new Map<string, number>();
    for (const [text, groups] of Object.entries(t.programs['golang.org/x/tools/gopls']!.stacks['gopls/bug']!.versions))
      for (const [g, x] of Object.entries(groups)) got.set(`${text}|${g}`, x);
    expect(want.size).toBeGreaterThan(20);
    expect([...got].sort()).toEqual([...want].sort());
  });

  it('gives the same partial, histograms included, whether lines take the fast or the strict parse path', () => {
    const s = setup();
    const rng = createRng('fast-strict-partials');
    const day = '2024-01-02';
    const lines = Array.from({ length: 300 }, () => goLine(randomReport(rng, day)));
    // A space after the opening brace is valid JSON that the fast path declines, so every line goes to the strict path.
    const fast = reduceLines(lines, day, s);
    const strict = reduceLines(
      lines.map((l) => l.replace('{', '{ ')),
      day,
      s,
    );
    expect(fast.ledger.accepted).toBe(300);
    expect(JSON.stringify(strict.programs)).toBe(JSON.stringify(fast.programs));
    expect(Object.values(fast.programs['golang.org/x/tools/gopls']!.charts['gopls/client']!.buckets).every((b) => (b.hist?.length ?? 0) > 0)).toBe(true);
  });

  it('counts names such as __proto__ and constructor like any other, also after a round trip through JSON', () => {
    const cfg = parseUploadConfig(
      JSON.stringify({
        Programs: [
          { Name: '__proto__', Counters: [{ Name: 'constructor:{__proto__,toString}' }, { Name: 'valueOf' }], Stacks: [{ Name: '__proto__' }] },
          { Name: 'constructor', Counters: [{ Name: '__proto__' }] },
        ],
      }),
      'upload.json',
    );
    const spec = buildReduceSpec(cfg, []);
    const s = { cfg, spec, compiled: compileSpec(spec), id: specHash(spec) };
    const day = toDay('2024-01-03');
    const pr = (program: string, goos: string, counters: [string, number][], stacks: [string, number][] = []) => ({
      Program: program,
      Version: 'v1.0.0',
      GoVersion: 'go1.22.0',
      GOOS: goos,
      GOARCH: 'toString',
      // Own keys: an object literal would make __proto__ the prototype.
      Counters: Object.fromEntries(counters),
      Stacks: Object.fromEntries(stacks),
    });
    const lines = [
      goLine({
        Week: day,
        LastWeek: '',
        X: 0.1,
        Programs: [
          pr(
            '__proto__',
            '__proto__',
            [
              ['constructor:__proto__', 2],
              ['valueOf', 1],
              ['hasOwnProperty', 1],
            ],
            [['__proto__', 3]],
          ),
        ],
        Config: '',
      }),
      goLine({
        Week: day,
        LastWeek: '',
        X: 0.2,
        Programs: [
          pr('__proto__', 'constructor', [
            ['constructor:toString', 1],
            ['constructor:valueOf', 1],
          ]),
          pr('constructor', 'valueOf', [['__proto__', 5]]),
        ],
        Config: '',
      }),
      goLine({
        Week: day,
        LastWeek: '',
        X: 0.3,
        Programs: [
          pr(
            '__proto__',
            '__proto__',
            [['constructor:__proto__', 1]],
            [
              ['__proto__', 1],
              ['__proto__\nf:1', 1],
            ],
          ),
          pr('prototype', 'linux', []),
        ],
        Config: '',
      }),
    ];
    const p = reduceLines(lines, day, s);
    expect(p.ledger.accepted).toBe(3);
    expect(p.ledger.rejected).toEqual({});
    for (const part of [p, JSON.parse(JSON.stringify(p)) as DayPartial]) {
      const t = totals(aggregateOf([part]));
      const proto = Object.entries(t.programs).find(([k]) => k === '__proto__')![1];
      expect(proto.reports).toBe(3);
      expect(Object.entries(proto.meta.GOOS.buckets).map(([k, v]) => [k, v.reports])).toEqual([
        ['__proto__', 2],
        ['constructor', 1],
      ]);
      expect(Object.entries(proto.meta.GOARCH.buckets).map(([k, v]) => [k, v.reports])).toEqual([['toString', 3]]);
      const chart = Object.entries(proto.charts).find(([k]) => k === 'constructor')![1];
      expect(chart.n).toBe(3);
      expect(Object.entries(chart.buckets).map(([k, v]) => [k, v.reports, v.sum])).toEqual([
        ['__proto__', 2, 3],
        ['toString', 1, 1],
      ]);
      expect(Object.entries(proto.stacks).find(([k]) => k === '__proto__')![1].stacks).toEqual(
        Object.fromEntries([
          ['__proto__', [2, 4]],
          ['__proto__\nf:1', [1, 1]],
        ]),
      );
      const ctor = Object.entries(t.programs).find(([k]) => k === 'constructor')![1];
      expect(ctor.reports).toBe(1);
      expect(Object.entries(ctor.charts).map(([k, c]) => [k, c.n, Object.keys(c.buckets)])).toEqual([['__proto__', 1, ['__proto__']]]);
    }
    expect(p.ledger.excluded).toEqual({
      [EXCLUDE.unknownCounter]: { hasOwnProperty: 1 },
      [EXCLUDE.unknownBucket]: { 'constructor:valueOf': 1 },
      [EXCLUDE.unknownProgram]: { prototype: 1 },
    });
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('0');
    expect(({} as Record<string, unknown>)[0]).toBeUndefined();
  });
});
