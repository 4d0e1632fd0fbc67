/**
 * Names from the inputs are data. Programs, versions, GOOS, GOARCH, counters
 * (chart and bucket part), buckets, stacks and reference categories named
 * like the properties of Object.prototype (`__proto__`, `constructor`,
 * `prototype`, `toString`, `hasOwnProperty`, `valueOf`) are counted like any
 * other name, through the real pipeline on a folder archive:
 *
 * - build A: the clean archive plus hostile lines in every day, cold cache,
 *   so the days are reduced on worker threads;
 * - build B: the clean archive alone (same configs and reference);
 * - build C: B's cache and archive with hostile lines added to one day only,
 *   so that day is reduced in this process.
 *
 * Every figure of the clean programs is identical in A, B and C; the hostile
 * names have exactly the counts the planted lines give them (an independent
 * count in this file); the data-quality ledger differs from B's by exactly
 * the planted lines; and Object.prototype is untouched.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse, type DSVRowString } from 'd3-dsv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { goReportLine, type GoProgramReport, type GoReport } from '../../src/demo/gojson.ts';
import { addDays, type Day, dayRange, toDay, weekOf } from '../../src/lib/dates.ts';
import { createRng, type Rng } from '../../src/lib/random.ts';
import { goMajorMinor, versionMajorMinor } from '../../src/lib/versions.ts';
import { runPipeline, type RunResult } from '../../src/pipeline/run.ts';
import { REJECT } from '../../src/parse/rejects.ts';
import { EXCLUDE } from '../../src/reduce/accumulate.ts';
import type { Ledger } from '../../src/reduce/partial.ts';
import { slugify } from '../../src/sitedata/slug.ts';

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;

interface ChartDef {
  chart: string;
  /** Empty for a plain counter (the chart is its only bucket). */
  buckets: string[];
}
interface ProgramDef {
  name: string;
  versions: string[];
  counters: ChartDef[];
  stacks: string[];
}

const TOOL = 'example.com/tool';
const CLEAN: ProgramDef[] = [
  // A clean program may have a hostile bucket in its config; its reports use it too.
  {
    name: TOOL,
    versions: ['v1.0.0', 'v1.1.0'],
    counters: [
      { chart: 'tool/mode', buckets: ['fast', 'slow', 'constructor'] },
      { chart: 'tool/runs', buckets: [] },
    ],
    stacks: ['tool/crash'],
  },
  { name: 'cmd/go', versions: ['go1.23.0', 'go1.24.1'], counters: [{ chart: 'go/invocations', buckets: [] }], stacks: [] },
];
const HOSTILE_PROGRAMS: ProgramDef[] = [
  {
    name: 'constructor',
    versions: [],
    counters: [
      { chart: '__proto__', buckets: [...HOSTILE] },
      { chart: 'toString', buckets: [] },
    ],
    stacks: ['valueOf'],
  },
  {
    name: '__proto__',
    versions: ['v1.2.3', 'v1.3.0'],
    counters: [
      { chart: 'hasOwnProperty', buckets: ['__proto__', 'constructor'] },
      { chart: 'prototype', buckets: ['valueOf', 'toString'] },
    ],
    stacks: ['__proto__'],
  },
];
const PROGRAMS = [...CLEAN, ...HOSTILE_PROGRAMS];
const CONFIGURED = new Map(PROGRAMS.map((p) => [p.name, p]));
/** Programs no config lists: excluded, with the name as the ledger's detail. */
const UNLISTED = ['hasOwnProperty', 'toString', 'valueOf', 'prototype'];

const expression = (c: ChartDef) => (c.buckets.length ? `${c.chart}:{${c.buckets.join(',')}}` : c.chart);
const counterName = (c: ChartDef, b: string) => (c.buckets.length ? `${c.chart}:${b}` : c.chart);
const bucketsOf = (c: ChartDef) => (c.buckets.length ? c.buckets : [c.chart]);

const uploadConfig = JSON.stringify({
  GOOS: ['linux', 'darwin', 'windows'],
  GOARCH: ['amd64', 'arm64'],
  GoVersion: ['go1.23.0', 'go1.24.1'],
  SampleRate: 1,
  Programs: PROGRAMS.map((p) => ({
    Name: p.name,
    Versions: p.versions,
    Counters: p.counters.map((c) => ({ Name: expression(c), Rate: 1 })),
    Stacks: p.stacks.map((s) => ({ Name: s, Rate: 1, Depth: 16 })),
  })),
});

const chartConfig = PROGRAMS.flatMap((p) => [
  ...p.counters.map((c) => `title: ${c.chart} of ${p.name}\ncounter: ${expression(c)}\ntype: partition\nprogram: ${p.name}\n`),
  ...p.stacks.map((s) => `title: ${s} stacks of ${p.name}\ncounter: ${s}\ntype: stack\nprogram: ${p.name}\ndepth: 16\n`),
]).join('---\n');

// Written as text: a `__proto__` key in an object literal would set a prototype instead.
const referenceText = `{"source":"Test census","date":"2026-01-01","size":1000,"dimensions":{
  "GOOS":{"linux":0.5,"darwin":0.2,"__proto__":0.1,"constructor":0.1},
  "__proto__":{"constructor":0.4,"toString":0.3}}}`;

/** A count map with own keys (an object literal or `m[k] = v` would drop `__proto__`). */
const counts = (entries: [string, number][]): Record<string, number> => Object.fromEntries(entries);

const FIRST: Day = toDay('2026-06-01'); // a Monday
const DAYS = dayRange(FIRST, addDays(FIRST, 13)); // two week bins

function cleanReports(rng: Rng, day: Day): GoReport[] {
  return Array.from({ length: 60 }, (): GoReport => {
    const programs: GoProgramReport[] = [];
    if (rng.next() < 0.8) {
      const mode: [string, number][] = [];
      for (const b of ['fast', 'slow', 'constructor']) if (rng.next() < 0.4) mode.push([`tool/mode:${b}`, 1 + rng.int(9)]);
      if (rng.next() < 0.5) mode.push(['tool/runs', 1 + rng.int(4)]);
      programs.push({
        Program: TOOL,
        Version: rng.next() < 0.5 ? 'v1.0.0' : 'v1.1.0',
        GoVersion: rng.next() < 0.5 ? 'go1.23.0' : 'go1.24.1',
        GOOS: ['linux', 'darwin', 'windows'][rng.int(3)]!,
        GOARCH: ['amd64', 'arm64'][rng.int(2)]!,
        Counters: counts(mode),
        Stacks: rng.next() < 0.3 ? counts([[`tool/crash\nmain.main:+${rng.int(3)}`, 1]]) : null,
      });
    }
    if (rng.next() < 0.6) {
      programs.push({
        Program: 'cmd/go',
        Version: 'go1.24.1',
        GoVersion: 'go1.24.1',
        GOOS: rng.next() < 0.5 ? 'linux' : 'darwin',
        GOARCH: 'amd64',
        Counters: counts([['go/invocations', 1 + rng.int(5)]]),
        Stacks: null,
      });
    }
    return { Week: day, LastWeek: '', X: rng.nextDouble(), Programs: programs, Config: 'v0.0.1' };
  });
}

const pick = <T>(rng: Rng, a: readonly T[]): T => a[rng.int(a.length)]!;
const somePick = (rng: Rng, a: readonly string[]) => a.filter(() => rng.next() < 0.5);

/**
 * Reports carrying hostile names everywhere a report holds a name. Six a day
 * give each hostile name once per day as GOOS, GOARCH, Version, GoVersion and
 * bucket of `constructor`, and keep the hostile programs under 50 reports a
 * week, so their buckets are not tested for week-over-week changes (the
 * false discovery rate is controlled over every bucket tested between two
 * weeks: tested hostile buckets would move the clean ones' adjusted p).
 */
function hostileReports(rng: Rng, day: Day, k: number): GoReport[] {
  return Array.from({ length: k }, (_, i): GoReport => {
    const h = (j: number) => HOSTILE[(i + j) % HOSTILE.length]!;
    const programs: GoProgramReport[] = [];
    programs.push({
      Program: 'constructor',
      Version: h(0),
      GoVersion: h(1),
      GOOS: h(2),
      GOARCH: h(3),
      Counters: counts([
        ...[...new Set([h(4), ...somePick(rng, HOSTILE)])].map((b): [string, number] => [`__proto__:${b}`, 1 + rng.int(5)]),
        ...(rng.next() < 0.5 ? [['toString', 1 + rng.int(3)] as [string, number]] : []),
        // A counter the config does not list, and a bucket of a listed chart it does not list.
        ...(rng.next() < 0.5 ? [['hasOwnProperty', 1] as [string, number]] : []),
        ...(rng.next() < 0.3 ? [['__proto__:length', 2] as [string, number]] : []),
      ]),
      Stacks: counts([
        ...(rng.next() < 0.6 ? [[`valueOf\nmain.toString:+${rng.int(2)}\n__proto__.constructor:+1`, 1 + rng.int(2)] as [string, number]] : []),
        ...(rng.next() < 0.3 ? [['prototype\nmain.main:+1', 1] as [string, number]] : []),
      ]),
    });
    if (i < 3 || rng.next() < 0.7) {
      programs.push({
        Program: '__proto__',
        // valueOf is not a configured version: excluded as `__proto__@valueOf`.
        Version: i === 0 ? 'valueOf' : pick(rng, ['v1.2.3', 'v1.3.0']),
        GoVersion: rng.next() < 0.5 ? 'go1.24.1' : pick(rng, HOSTILE),
        GOOS: pick(rng, HOSTILE),
        GOARCH: pick(rng, HOSTILE),
        Counters: counts([
          // A counter named __proto__ the config does not list for this program.
          ...(i === 1 || rng.next() < 0.5 ? [['__proto__', 1] as [string, number]] : []),
          ...somePick(rng, ['__proto__', 'constructor']).map((b): [string, number] => [`hasOwnProperty:${b}`, 1 + rng.int(3)]),
          ...somePick(rng, ['valueOf', 'toString']).map((b): [string, number] => [`prototype:${b}`, 1 + rng.int(3)]),
        ]),
        Stacks: counts([
          ...(i === 2 || rng.next() < 0.5 ? [['__proto__', 1 + rng.int(3)] as [string, number]] : []),
          ...(rng.next() < 0.4 ? [['__proto__\nconstructor.valueOf:+2', 1] as [string, number]] : []),
        ]),
      });
    }
    if (i < UNLISTED.length || rng.next() < 0.5)
      programs.push({
        Program: i < UNLISTED.length ? UNLISTED[i]! : pick(rng, UNLISTED),
        Version: 'v1.0.0',
        GoVersion: 'go1.24.1',
        GOOS: 'linux',
        GOARCH: 'amd64',
        Counters: counts([['__proto__', 1]]),
        Stacks: null,
      });
    return { Week: day, LastWeek: '', X: rng.nextDouble(), Programs: programs, Config: 'v0.0.1' };
  });
}

/** The same report as a line the fast path declines (a tab after the brace), so the strict path reads it. */
const strictLine = (r: GoReport) => '{\t' + JSON.stringify(r).slice(1);

interface Planted {
  day: Day;
  lines: string[];
  /** Accepted hostile reports (the lines that are not rejected). */
  reports: GoReport[];
  rejected: number;
}

/** Hostile lines for a day: reports as Go writes them and as the strict path reads them, and two counters above 2^53 - 1. */
function plant(day: Day, rng: Rng): Planted {
  const reports = hostileReports(rng, day, 6);
  const lines = reports.map((r, i) => (i % 3 === 2 ? strictLine(r) : goReportLine(r)));
  const big = hostileReports(rng, day, 2);
  lines.push(
    goReportLine({ ...big[0]!, Programs: [{ ...big[0]!.Programs[0]!, Counters: counts([['toString', 1]]) }] }).replace(
      '"toString":1',
      '"toString":9223372036854775808',
    ),
  );
  lines.push(
    goReportLine({ ...big[1]!, Programs: [{ ...big[1]!.Programs[0]!, Counters: counts([['toString', 1]]) }] }).replace(
      '"toString":1',
      '"toString":9007199254740993',
    ),
  );
  return { day, lines, reports, rejected: 2 };
}

/** Day file text: hostile lines first (so every later line of the worker follows them), then spread among the clean ones. */
function dayText(clean: string[], hostile: string[]): string {
  const out: string[] = [];
  const gap = Math.ceil(clean.length / Math.max(1, hostile.length - 1));
  let h = 0;
  clean.forEach((l, i) => {
    if (i % gap === 0 && h < hostile.length) out.push(hostile[h++]!);
    out.push(l);
  });
  while (h < hostile.length) out.push(hostile[h++]!);
  return out.map((l) => l + '\n').join('');
}

/** An independent count of what the planted reports contribute: key week\0program\0chart\0bucket -> reports with it. */
function expectedCounts(reports: GoReport[]) {
  const x = new Map<string, number>();
  const n = new Map<string, number>();
  const events = new Map<string, number>();
  const excluded = new Map<string, number>(); // day\0reason\0detail -> count
  const inc = (m: Map<string, number>, k: string, v = 1) => m.set(k, (m.get(k) ?? 0) + v);
  for (const r of reports) {
    const week = weekOf(toDay(r.Week));
    for (const pr of r.Programs) {
      const def = CONFIGURED.get(pr.Program);
      if (!def) {
        inc(excluded, `${r.Week}\0${EXCLUDE.unknownProgram}\0${pr.Program}`);
        continue;
      }
      if (def.versions.length && !def.versions.includes(pr.Version)) {
        inc(excluded, `${r.Week}\0${EXCLUDE.unknownVersion}\0${pr.Program}@${pr.Version}`);
        continue;
      }
      // One program report per program in these reports: its values are the report's.
      const p = pr.Program;
      inc(n, `${week}\0${p}`);
      inc(x, `${week}\0${p}\0Version\0${versionMajorMinor(pr.Version) || 'unknown'}`);
      inc(x, `${week}\0${p}\0GoVersion\0${goMajorMinor(pr.GoVersion) || 'unknown'}`);
      inc(x, `${week}\0${p}\0GOOS\0${pr.GOOS}`);
      inc(x, `${week}\0${p}\0GOARCH\0${pr.GOARCH}`);
      const known = new Set<string>();
      for (const c of def.counters) {
        for (const b of bucketsOf(c)) {
          const name = counterName(c, b);
          known.add(name);
          const v = Object.hasOwn(pr.Counters ?? {}, name) ? pr.Counters![name]! : 0;
          if (v > 0) {
            inc(x, `${week}\0${p}\0${c.chart}\0${b}`);
            inc(events, `${week}\0${p}\0${c.chart}\0${b}`, v);
          }
        }
      }
      for (const name of Object.keys(pr.Counters ?? {})) {
        if (known.has(name)) continue;
        const chart = name.split(':')[0]!;
        inc(excluded, `${r.Week}\0${def.counters.some((c) => c.chart === chart) ? EXCLUDE.unknownBucket : EXCLUDE.unknownCounter}\0${name}`);
      }
      for (const [text, v] of Object.entries(pr.Stacks ?? {})) {
        const name = text.split('\n')[0]!;
        if (!def.stacks.includes(name.split(':')[0]!)) inc(excluded, `${r.Week}\0${EXCLUDE.unknownStack}\0${name}`);
        else if (v > 0) {
          inc(x, `${week}\0${p}\0${name}\0${text}`);
          inc(events, `${week}\0${p}\0${name}\0${text}`, v);
        }
      }
    }
  }
  return { x, n, events, excluded };
}

const quiet = { log: () => {}, progress: 'never' as const, today: () => toDay('2026-11-25') };
const dir = mkdtempSync(join(tmpdir(), 'hostile-names-'));
const config = { chart: join(dir, 'config.txt'), upload: join(dir, 'config.json'), reference: join(dir, 'reference.json') };

function run(archive: string, cache: string, out: string): Promise<RunResult> {
  const argv = ['--source', archive, '--chart-config', config.chart, '--upload-config', config.upload, '--reference', config.reference];
  return runPipeline(parseOptions([...argv, '--cache', cache, '--out', out, '--min-cell', '1', '--jobs', '2'], 2)!, quiet);
}

interface Build {
  out: string;
  result: RunResult;
  estimates: DSVRowString[];
  stacks: DSVRowString[];
  quality: Map<string, Ledger>;
  index: { weeks: { week: string; reports: number }[]; programs: { program: string; slug: string; charts: { chart: string; slug: string }[] }[] };
}

function read(out: string, result: RunResult): Build {
  const text = (f: string) => readFileSync(join(out, f), 'utf8');
  const quality = JSON.parse(text('quality.json')) as { days: { day: string; ledger: Ledger }[] };
  return {
    out,
    result,
    estimates: csvParse(text('estimates.csv')),
    stacks: csvParse(text('stacks.csv')),
    quality: new Map(quality.days.map((d) => [d.day, d.ledger])),
    index: JSON.parse(text('index.json')) as Build['index'],
  };
}

const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayProtoNames = Object.getOwnPropertyNames(Array.prototype).sort();

const clean = new Map<Day, string[]>();
const plantedA = new Map<Day, Planted>();
let plantedC: Planted;
let A: Build;
let B: Build;
let C: Build;

beforeAll(async () => {
  writeFileSync(config.chart, chartConfig);
  writeFileSync(config.upload, uploadConfig);
  writeFileSync(config.reference, referenceText);
  const rng = createRng('hostile-names');
  for (const day of DAYS) {
    clean.set(day, cleanReports(rng, day).map(goReportLine));
    plantedA.set(day, plant(day, rng));
  }
  const archive = (name: string, planted: (day: Day) => string[]) => {
    const d = join(dir, name);
    mkdirSync(d);
    for (const day of DAYS) writeFileSync(join(d, day), dayText(clean.get(day)!, planted(day)));
    return d;
  };
  const archiveA = archive('archive-a', (day) => plantedA.get(day)!.lines);
  const archiveB = archive('archive-b', () => []);
  A = read(join(dir, 'out-a'), await run(archiveA, join(dir, 'cache-a'), join(dir, 'out-a')));
  B = read(join(dir, 'out-b'), await run(archiveB, join(dir, 'cache-b'), join(dir, 'out-b')));
  // C: B's archive and cache, with hostile lines in one day of the second week only.
  const cDay = DAYS[9]!;
  plantedC = plant(cDay, createRng('hostile-names-c'));
  const archiveC = join(dir, 'archive-c');
  cpSync(archiveB, archiveC, { recursive: true });
  writeFileSync(join(archiveC, cDay), dayText(clean.get(cDay)!, plantedC.lines));
  C = read(join(dir, 'out-c'), await run(archiveC, join(dir, 'cache-b'), join(dir, 'out-c')));
}, 120_000);

const HOSTILE_PROGRAM_NAMES = new Set(HOSTILE_PROGRAMS.map((p) => p.name));
const isCleanRow = (r: DSVRowString) => !HOSTILE_PROGRAM_NAMES.has(r.program!);
const rowKey = (r: DSVRowString) => `${r.week}\0${r.program}\0${r.chart}\0${r.bucket ?? r.stack}`;

describe('hostile names through the pipeline', () => {
  it('reduces on worker threads (A) and in this process (C)', () => {
    // run.ts starts worker threads when more than one day is to be reduced.
    expect(A.result.reduced).toBe(DAYS.length);
    expect(C.result.reduced).toBe(1);
    // Both parse paths saw hostile lines.
    expect(A.result.linesStrict).toBeGreaterThanOrEqual(DAYS.length * 4);
    expect(A.result.linesFast).toBeGreaterThan(DAYS.length * 60);
  });

  it('leaves Object.prototype and Array.prototype untouched', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames);
    expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayProtoNames);
    const probe = {} as Record<string, unknown>;
    expect(probe[0]).toBeUndefined();
    expect(probe.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty('x')).toBe(false);
  });

  it('gives every clean program the same figures with and without the hostile lines', () => {
    for (const other of [A, C]) {
      expect(other.estimates.filter(isCleanRow)).toEqual(B.estimates.filter(isCleanRow));
      expect(other.stacks.filter(isCleanRow)).toEqual(B.stacks.filter(isCleanRow));
      // Per-chart and per-program files of the clean programs: the same bytes.
      for (const p of B.index.programs.filter((p) => !HOSTILE_PROGRAM_NAMES.has(p.program))) {
        expect(readFileSync(join(other.out, 'programs', `${p.slug}.json`), 'utf8')).toBe(readFileSync(join(B.out, 'programs', `${p.slug}.json`), 'utf8'));
        const files = readdirSync(join(B.out, 'charts', p.slug));
        expect(files.length).toBe(p.charts.length);
        for (const f of files)
          expect(readFileSync(join(other.out, 'charts', p.slug, f), 'utf8'), `${p.program} ${f}`).toBe(readFileSync(join(B.out, 'charts', p.slug, f), 'utf8'));
      }
    }
    // The clean rows are real figures: the clean programs have reports in every week.
    const tool = B.estimates.filter((r) => r.program === TOOL && r.chart === 'tool/mode' && r.bucket === 'constructor');
    expect(tool).toHaveLength(2);
    for (const r of tool) expect(Number(r.x)).toBeGreaterThan(50);
  });

  it("counts the clean program's hostile bucket like any other", () => {
    const x = new Map<string, number>();
    for (const day of DAYS) {
      for (const line of clean.get(day)!) {
        const r = JSON.parse(line) as GoReport;
        const pr = r.Programs.find((p) => p.Program === TOOL);
        if (pr && (pr.Counters?.['tool/mode:constructor'] ?? 0) > 0) x.set(weekOf(day), (x.get(weekOf(day)) ?? 0) + 1);
      }
    }
    for (const b of [A, B, C]) {
      for (const [week, v] of x)
        expect(Number(b.estimates.find((r) => r.week === week && r.program === TOOL && r.chart === 'tool/mode' && r.bucket === 'constructor')!.x)).toBe(v);
    }
  });

  for (const which of ['A', 'C'] as const) {
    it(`counts every hostile program, metadata value, bucket and stack exactly (${which})`, () => {
      const build = which === 'A' ? A : C;
      const planted = which === 'A' ? [...plantedA.values()] : [plantedC];
      const expected = expectedCounts(planted.flatMap((p) => p.reports));
      const weeks = new Set<string>(planted.map((p) => weekOf(p.day)));
      const hostileRows = [...build.estimates, ...build.stacks].filter((r) => !isCleanRow(r) && weeks.has(r.week!));
      let checked = 0;
      for (const r of hostileRows) {
        const key = rowKey(r);
        expect(Number(r.x), key).toBe(expected.x.get(key) ?? 0);
        expect(Number(r.n), key).toBe(expected.n.get(`${r.week}\0${r.program}`) ?? 0);
        if (r.events !== '' && r.kind !== 'metadata') expect(Number(r.events), key).toBe(expected.events.get(key) ?? 0);
        if ((expected.x.get(key) ?? 0) > 0) checked++;
      }
      // Every expected count has its row: nothing was lost.
      const found = new Set(hostileRows.map(rowKey));
      for (const [key, v] of expected.x) expect(found.has(key) || v === 0, key).toBe(true);
      expect(checked).toBe(expected.x.size);
      // Each hostile name appears as a GOOS, GOARCH and counter bucket of `constructor`, and as its program's name.
      for (const h of HOSTILE) {
        for (const chart of ['GOOS', 'GOARCH', '__proto__'])
          expect(
            hostileRows.some((r) => r.program === 'constructor' && r.chart === chart && r.bucket === h && Number(r.x) > 0),
            `${chart} ${h}`,
          ).toBe(true);
      }
      expect(hostileRows.some((r) => r.program === '__proto__' && r.chart === '__proto__' && r.stack === '__proto__' && Number(r.x) > 0)).toBe(true);
      // Programs named like hostile names are listed, with their charts.
      const listed = new Map(build.index.programs.map((p) => [p.program, p.charts.map((c) => c.chart).sort()]));
      for (const p of HOSTILE_PROGRAMS)
        expect(listed.get(p.name)).toEqual([...p.counters.map((c) => c.chart), ...p.stacks, 'GOARCH', 'GOOS', 'GoVersion', 'Version'].sort());
      expect(listed.get('constructor')).not.toBeUndefined();
      expect(build.index.programs.find((p) => p.program === '__proto__')!.slug).toBe(slugify('__proto__'));
    });

    it(`accounts for every hostile line in the data-quality ledger, and only for them (${which})`, () => {
      const build = which === 'A' ? A : C;
      const planted = new Map(which === 'A' ? plantedA : [[plantedC.day, plantedC]]);
      const expected = expectedCounts([...planted.values()].flatMap((p) => p.reports));
      for (const day of DAYS) {
        const a = build.quality.get(day)!;
        const b = B.quality.get(day)!;
        const p = planted.get(day);
        expect(a.lines, day).toBe(b.lines + (p?.lines.length ?? 0));
        expect(a.accepted, day).toBe(b.accepted + (p?.reports.length ?? 0));
        expect(a.duplicates, day).toBe(b.duplicates);
        expect(a.rejected, day).toEqual({ ...b.rejected, ...(p ? { [REJECT.counterRange]: p.rejected } : {}) });
        const excluded = structuredClone(b.excluded);
        for (const [key, v] of expected.excluded) {
          const [d, reason, detail] = key.split('\0') as [string, string, string];
          if (d !== day) continue;
          const m = (excluded[reason] ??= Object.create(null) as Record<string, number>);
          m[detail] = (Object.hasOwn(m, detail) ? m[detail]! : 0) + v;
        }
        expect(normalise(a.excluded), day).toEqual(normalise(excluded));
        // Each report counts once per day in the week's total.
      }
      for (const w of build.index.weeks) {
        const bw = B.index.weeks.find((x) => x.week === w.week)!;
        const added = [...planted.values()].filter((p) => weekOf(p.day) === w.week).reduce((s, p) => s + p.reports.length, 0);
        expect(w.reports, w.week).toBe(bw.reports + added);
      }
      // The unlisted programs and the hostile exclusions are there by name.
      const allExcluded = [...build.quality.values()].map((l) => l.excluded);
      for (const name of UNLISTED)
        expect(
          allExcluded.some((e) => Object.hasOwn(e[EXCLUDE.unknownProgram] ?? {}, name)),
          name,
        ).toBe(true);
      expect(allExcluded.some((e) => Object.hasOwn(e[EXCLUDE.unknownCounter] ?? {}, '__proto__'))).toBe(true);
      expect(allExcluded.some((e) => Object.hasOwn(e[EXCLUDE.unknownVersion] ?? {}, '__proto__@valueOf'))).toBe(true);
    });
  }

  it('compares hostile metadata values with the reference like any other category', () => {
    const file = JSON.parse(readFileSync(join(A.out, 'programs', 'constructor.json'), 'utf8')) as {
      weeks: { week: string; reports: number; skew: { dimension: string; n: number; categories: { category: string; sample: number }[] }[] }[];
    };
    const expected = expectedCounts([...plantedA.values()].flatMap((p) => p.reports));
    for (const w of file.weeks) {
      const n = expected.n.get(`${w.week}\0constructor`)!;
      expect(w.reports).toBe(n);
      const goos = w.skew.find((s) => s.dimension === 'GOOS')!;
      const share = (c: string) => goos.categories.find((x) => x.category === c)!.sample;
      const x = (v: string) => expected.x.get(`${w.week}\0constructor\0GOOS\0${v}`) ?? 0;
      expect(goos.n).toBe(n);
      expect(goos.categories.map((c) => c.category).sort()).toEqual(['__proto__', 'constructor', 'darwin', 'linux', 'other']);
      expect(share('__proto__')).toBeCloseTo(x('__proto__') / n, 5);
      expect(share('constructor')).toBeCloseTo(x('constructor') / n, 5);
      // toString, valueOf, prototype and hasOwnProperty are not in the reference: they are "other".
      expect(share('other')).toBeCloseTo((x('toString') + x('valueOf') + x('prototype') + x('hasOwnProperty')) / n, 5);
      // The chart named __proto__ is a reference dimension too.
      expect(w.skew.map((s) => s.dimension)).toContain('__proto__');
    }
    const index = JSON.parse(readFileSync(join(A.out, 'index.json'), 'utf8')) as {
      build: { reference: { dimensions: Record<string, Record<string, number>> } };
    };
    expect(Object.keys(index.build.reference.dimensions).sort()).toEqual(['GOOS', '__proto__']);
    expect(index.build.reference.dimensions.GOOS!.__proto__).toBe(0.1);
  });

  it('breaks charts down by hostile GOOS values like any other group', () => {
    for (const b of [A, C]) {
      const rows = csvParse(readFileSync(join(b.out, 'breakdowns.csv'), 'utf8')).filter((r) => r.program === 'constructor');
      const groups = (by: string) => new Set(rows.filter((r) => r.by === by).map((r) => r.group));
      for (const name of HOSTILE) expect(groups('GOOS').has(name), name).toBe(true);
      // Versions are grouped to major.minor (go1.N): a name that is no version is "unknown".
      expect(groups('Version')).toEqual(new Set(['unknown']));
      expect(groups('GoVersion')).toEqual(new Set(['unknown']));
      // Every group's n is a whole number of eligible reports, and x never exceeds it.
      for (const r of rows) expect(Number(r.x)).toBeLessThanOrEqual(Number(r.n));
    }
  });

  it('writes no function text, NaN or polluted key into any file', () => {
    for (const b of [A, B, C]) {
      for (const f of readdirSync(b.out, { recursive: true }) as string[]) {
        if (!/\.(json|csv)$/.test(f)) continue;
        const text = readFileSync(join(b.out, f), 'utf8');
        // Object.prototype written as a value (as JSON.stringify with a key list does for an absent __proto__).
        expect(text, f).not.toMatch(/\[native code\]|\[object Object\]|NaN|"__proto__":\{"__proto__":null\}/);
        if (f.endsWith('.json')) expect(() => JSON.parse(text), f).not.toThrow();
      }
    }
  });
});

/** A ledger's exclusions as sorted entries (own keys only, whatever the objects' prototypes). */
function normalise(e: Record<string, Record<string, number>>): [string, [string, number][]][] {
  return Object.entries(e)
    .map(([r, m]): [string, [string, number][]] => [r, Object.entries(m).sort((a, b) => (a[0] < b[0] ? -1 : 1))])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}
