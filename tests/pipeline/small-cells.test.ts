/**
 * The small-cell policies through the real pipeline, on a small seeded demo
 * archive with a reference population (so programs/*.json carries skew
 * compositions). The truth is a build with --min-cell 1, which publishes
 * every count.
 *
 * - Default: no bucket seen by K or more installations is withheld anywhere,
 *   small buckets are grouped as specified, every stack is listed.
 * - --suppress-complements: an attacker reads every published file (chart
 *   JSON, estimates.csv, stacks.csv, programs/*.json, changes.json) and
 *   writes down every linear equation they give about the withheld counts:
 *   n (or nActive) minus the published counts of an exclusive chart, the
 *   published group totals, each skew category's sample share times its
 *   total, and each published change (share this week minus share last
 *   week). The counts are determined exactly when the equations pin them
 *   down; none may be. Stacks follow K.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { csvParse, type DSVRowString } from 'd3-dsv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../src/cli/options.ts';
import { ensureDemo, type DemoLocation } from '../../src/demo/index.ts';
import { runPipeline } from '../../src/pipeline/run.ts';
import type { ChangesFile, ChartFile, CounterChartWeek, FullBucket, IndexFile, ProgramFile, ShownBucket, StackChartWeek } from '../../src/sitedata/schema.ts';

const K = 10;
const dir = mkdtempSync(join(tmpdir(), 'small-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Build {
  index: IndexFile;
  charts: Map<string, ChartFile>;
  programs: Map<string, ProgramFile>;
  estimates: DSVRowString[];
  stacks: DSVRowString[];
  changes: ChangesFile;
}

let demo: DemoLocation;
const builds: Record<'truth' | 'group' | 'suppress' | 'suppress3', Build> = {} as never;

async function build(name: string, extra: string[]): Promise<Build> {
  const out = join(dir, name);
  const argv = ['--source', demo.archiveDir, '--chart-config', demo.chartConfig, '--upload-config', demo.uploadConfig, '--reference', demo.reference];
  argv.push('--as-of', demo.asOf, '--cache', join(dir, 'cache'), '--out', out, '--jobs', '1', ...extra);
  await runPipeline(parseOptions(argv, 1)!, { log: () => {}, progress: 'never', today: () => demo.asOf as never });
  const text = (f: string) => readFileSync(join(out, f), 'utf8');
  const files = readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(out, join(e.parentPath, e.name)));
  const charts = new Map(files.filter((f) => f.startsWith('charts/')).map((f) => [f, JSON.parse(text(f)) as ChartFile]));
  const programs = new Map(files.filter((f) => f.startsWith('programs/')).map((f) => [f, JSON.parse(text(f)) as ProgramFile]));
  return {
    index: JSON.parse(text('index.json')) as IndexFile,
    charts,
    programs,
    estimates: csvParse(text('estimates.csv')),
    stacks: csvParse(text('stacks.csv')),
    changes: JSON.parse(text('changes.json')) as ChangesFile,
  };
}

beforeAll(async () => {
  demo = await ensureDemo(join(dir, 'demo'), 5, () => {}, { weeks: 3, scale: 0.3 });
  builds.truth = await build('truth', ['--min-cell', '1']);
  builds.group = await build('group', []);
  builds.suppress = await build('suppress', ['--suppress-complements']);
  // The small archive has no stack seen by 10 installations in a week; with K = 3 some are and some are not.
  builds.suppress3 = await build('suppress3', ['--suppress-complements', '--min-cell', '3']);
}, 240_000);

const counterWeeks = (c: ChartFile) => (c.kind === 'stack' ? [] : (c.weeks as CounterChartWeek[]));
const stackWeeks = (c: ChartFile) => (c.kind === 'stack' ? (c.weeks as StackChartWeek[]) : []);
const shown = (b: CounterChartWeek['buckets'][number]): b is ShownBucket => b.status === 'published';

/** True counts per chart file, week and bucket. */
function truthCounts(): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const [f, c] of builds.truth.charts) {
    for (const w of counterWeeks(c)) {
      m.set(`${f}\0${w.week}`, new Map(w.buckets.map((b) => [b.bucket, shown(b) ? b.x : NaN])));
    }
  }
  return m;
}

describe('default small-cell policy (group)', () => {
  it('records the policy in index.json', () => {
    expect(builds.group.index.build.smallCells).toBe('group');
    expect(builds.suppress.index.build.smallCells).toBe('suppress-complements');
  });

  it('withholds no bucket seen by K or more installations, in any file, and groups the rest', () => {
    const truth = truthCounts();
    let big = 0;
    let small = 0;
    let groups = 0;
    for (const [f, c] of builds.group.charts) {
      for (const w of counterWeeks(c)) {
        const t = truth.get(`${f}\0${w.week}`)!;
        const members: string[] = [];
        for (const b of w.buckets) {
          const x = t.get(b.bucket)!;
          expect(Number.isNaN(x)).toBe(false);
          if (x >= K || x === 0) {
            big += x >= K ? 1 : 0;
            expect(b.status, `${f} ${w.week} ${b.bucket}`).toBe('published');
            if (!shown(b)) continue;
            expect(b.x).toBe(x);
            expect(b.eventsHidden === undefined || b.eventsHidden === 'dominance').toBe(true);
            if (x === 0) expect(b.ci[1]).toBeGreaterThan(0);
          } else {
            small++;
            expect(b.status).toBe('grouped');
            members.push(b.bucket);
          }
        }
        if (members.length === 0) {
          expect(w.other).toBeNull();
          continue;
        }
        groups++;
        const sum = members.reduce((a, b) => a + t.get(b)!, 0);
        expect(w.other).toMatchObject({ label: `other (each < ${K})`, members, suppressed: sum < K, x: sum < K ? null : sum });
      }
    }
    // estimates.csv: no row is hidden, and every bucket row with x >= K carries its figures.
    expect(builds.group.estimates.filter((r) => r.small_cell === 'hidden')).toEqual([]);
    for (const r of builds.group.estimates.filter((r) => r.small_cell === '')) expect(r.x).not.toBe('');
    // The skew compositions are all there.
    const dims = (b: Build) => [...b.programs.values()].flatMap((p) => p.weeks.flatMap((w) => w.skew.map((d) => `${p.program}\0${w.week}\0${d.dimension}`)));
    expect(dims(builds.group)).toEqual(dims(builds.truth));
    expect(big).toBeGreaterThan(100);
    expect(small).toBeGreaterThan(10);
    expect(groups).toBeGreaterThan(5);
    console.log(`default policy: ${big} buckets with x >= ${K} all published, ${small} small buckets in ${groups} groups`);
  });

  it('lists every stack, whatever its count', () => {
    const key = (r: DSVRowString) => [r.week, r.program, r.chart, r.stack, r.x, r.events].join('\0');
    expect(builds.group.stacks.map(key)).toEqual(builds.truth.stacks.map(key));
    expect(builds.group.stacks.some((r) => Number(r.x) < K)).toBe(true);
    for (const c of builds.group.charts.values()) for (const w of stackWeeks(c)) expect([w.top.length, w.notShown]).toEqual([w.distinct, 0]);
  });
});

/**
 * Gauss-Jordan elimination of the equations (each row: coefficients of the
 * unknowns, then the right-hand side). Returns whether a combination of the
 * unknowns (a vector of coefficients) is fixed by them, that is lies in
 * their row space, and the value it is fixed to.
 */
function eliminate(rows: number[][], unknowns: number): (v: number[]) => number | null {
  const a = rows.map((r) => [...r]);
  const pivots: [number, number][] = [];
  let row = 0;
  for (let col = 0; col < unknowns && row < a.length; col++) {
    let best = row;
    for (let i = row + 1; i < a.length; i++) if (Math.abs(a[i]![col]!) > Math.abs(a[best]![col]!)) best = i;
    if (Math.abs(a[best]![col]!) < 1e-9) continue;
    [a[row], a[best]] = [a[best]!, a[row]!];
    const p = a[row]![col]!;
    for (let j = 0; j <= unknowns; j++) a[row]![j]! /= p;
    for (let i = 0; i < a.length; i++) {
      if (i === row || Math.abs(a[i]![col]!) < 1e-12) continue;
      const f = a[i]![col]!;
      for (let j = 0; j <= unknowns; j++) a[i]![j]! -= f * a[row]![j]!;
    }
    pivots.push([row, col]);
    row++;
  }
  return (v) => {
    const rest = [...v, 0];
    for (const [r, c] of pivots) {
      const f = rest[c]!;
      if (Math.abs(f) < 1e-12) continue;
      for (let j = 0; j <= unknowns; j++) rest[j]! -= f * a[r]![j]!;
    }
    return rest.slice(0, unknowns).every((x) => Math.abs(x) < 1e-9) ? -rest[unknowns]! : null;
  };
}

/** Every equation the published files of a build give about its withheld counts, and the counts they fix. */
function attack(b: Build) {
  {
    const truth = truthCounts();
    const truthCharts = builds.truth.charts;
    // One unknown per withheld (grouped or hidden) bucket and week.
    const unknown = new Map<string, number>();
    const names: string[] = [];
    const cell = (f: string, week: string, bucket: string) => `${f}\0${week}\0${bucket}`;
    for (const [f, c] of b.charts) {
      for (const w of counterWeeks(c)) {
        for (const x of w.buckets) {
          if (x.status === 'published') continue;
          unknown.set(cell(f, w.week, x.bucket), names.length);
          names.push(cell(f, w.week, x.bucket));
        }
      }
    }
    const U = names.length;
    const equations: number[][] = [];
    const sources = new Map<string, number>();
    /** Adds sum(coef * unknown) = rhs - sum(coef * published count); a term is a cell with its coefficient. */
    const equation = (source: string, terms: [string, number][], rhs: number, counts: Map<string, number>) => {
      const row = new Array<number>(U + 1).fill(0);
      let any = false;
      let r = rhs;
      for (const [key, coef] of terms) {
        const i = unknown.get(key);
        if (i === undefined) r -= coef * counts.get(key)!;
        else {
          row[i]! += coef;
          any = true;
        }
      }
      if (!any) return;
      row[U] = r;
      equations.push(row);
      sources.set(source, (sources.get(source) ?? 0) + 1);
    };
    // The published counts, as the attacker reads them from the chart files (estimates.csv is checked to agree below).
    const published = new Map<string, number>();
    const nOf = new Map<string, CounterChartWeek>();
    for (const [f, c] of b.charts) {
      for (const w of counterWeeks(c)) {
        nOf.set(`${f}\0${w.week}`, w);
        for (const x of w.buckets) if (shown(x)) published.set(cell(f, w.week, x.bucket), x.x);
      }
    }
    for (const r of b.estimates) {
      if (r.small_cell === 'grouped' || r.small_cell === 'hidden')
        expect([r.x, r.share, r.ci95_low, r.events, r.change, r.adj_share]).toEqual(['', '', '', '', '', '']);
    }
    for (const [f, c] of b.charts) {
      const tc = truthCharts.get(f)!;
      for (const w of counterWeeks(c)) {
        const t = truth.get(`${f}\0${w.week}`)!;
        const all = w.buckets.map((x) => x.bucket);
        const trueSum = all.reduce((a, x) => a + t.get(x)!, 0);
        // Subtraction from a total: exclusive metadata charts add up to n, exclusive counter charts to nActive (the attacker is told which are exclusive).
        const total = c.kind === 'metadata' ? w.n : w.nActive;
        if (total !== null && trueSum === total)
          equation(
            'total minus published counts',
            all.map((x) => [cell(f, w.week, x), 1]),
            total,
            published,
          );
        // A published group total.
        if (w.other && w.other.x !== null)
          equation(
            'group total',
            w.other.members.map((x) => [cell(f, w.week, x), 1]),
            w.other.x,
            published,
          );
        // A change: x/n this week minus x/n last week.
        const i = c.weeks.findIndex((x) => x.week === w.week);
        const prev = i > 0 ? (c.weeks[i - 1] as CounterChartWeek) : undefined;
        for (const x of w.buckets) {
          if (!shown(x) || !x.change || x.change.status === 'provisional' || !prev) continue;
          equation(
            'change',
            [
              [cell(f, w.week, x.bucket), 1 / w.n],
              [cell(f, prev.week, x.bucket), -1 / prev.n],
            ],
            x.change.difference,
            published,
          );
        }
        expect(tc.weeks[i]!.week).toBe(w.week);
      }
    }
    // changes.json: previous and current shares of flagged changes.
    for (const ch of b.changes.changes) {
      const f = [...b.charts.keys()].find(
        (k) => b.charts.get(k)!.program === ch.program && b.charts.get(k)!.chart === ch.chart && b.charts.get(k)!.kind !== 'stack',
      )!;
      const c = b.charts.get(f)!;
      const i = c.weeks.findIndex((x) => x.week === ch.week);
      const w = c.weeks[i] as CounterChartWeek;
      const prev = c.weeks[i - 1] as CounterChartWeek;
      equation('changes.json current share', [[cell(f, w.week, ch.bucket), 1 / w.n]], ch.current, published);
      equation('changes.json previous share', [[cell(f, prev.week, ch.bucket), 1 / prev.n]], ch.previous, published);
    }
    // Skew compositions: each category's sample share times the composition's total is the category's count (exact for single-valued charts).
    let compositions = 0;
    for (const p of b.programs.values()) {
      const entry = b.index.programs.find((x) => x.program === p.program)!;
      for (const w of p.weeks) {
        for (const d of w.skew) {
          const meta = entry.charts.find((c) => c.chart === d.dimension && c.kind === 'metadata') ?? entry.charts.find((c) => c.chart === d.dimension);
          if (!meta) continue;
          const cw = nOf.get(`${meta.file}\0${w.week}`)!;
          const t = truth.get(`${meta.file}\0${w.week}`)!;
          const listed = new Set(d.categories.map((c) => c.category));
          const target = (x: string) => (listed.has(x) ? x : listed.has('other') ? 'other' : null);
          // The attacker is given the composition's total (the true sum of the counts it covers).
          const covered = cw.buckets.map((x) => x.bucket).filter((x) => target(x) !== null);
          const T = covered.reduce((a, x) => a + t.get(x)!, 0);
          compositions++;
          for (const cat of d.categories) {
            const members = covered.filter((x) => target(x) === cat.category);
            if (members.length > 0)
              equation(
                'skew share x n',
                members.map((x) => [cell(meta.file, w.week, x), 1]),
                cat.sample * T,
                published,
              );
          }
        }
      }
    }
    const fixedValue = eliminate(equations, U);
    const unit = (i: number) => Array.from({ length: U }, (_, j) => (j === i ? 1 : 0));
    // Each withheld count, and each group shown as "< K" (its sum), that the equations fix, with the value they give it and the truth.
    const recovered: { cell: string; value: number; truth: number }[] = [];
    names.forEach((name, i) => {
      const value = fixedValue(unit(i));
      const [f, week, bucket] = name.split('\0') as [string, string, string];
      if (value !== null) recovered.push({ cell: `${f} ${week} ${bucket}`, value, truth: truth.get(`${f}\0${week}`)!.get(bucket)! });
    });
    let groups = 0;
    for (const [f, c] of b.charts) {
      for (const w of counterWeeks(c)) {
        if (!w.other?.suppressed) continue;
        groups++;
        const members = new Set(w.other.members.map((x) => unknown.get(cell(f, w.week, x))!));
        const value = fixedValue(Array.from({ length: U }, (_, j) => (members.has(j) ? 1 : 0)));
        const t = truth.get(`${f}\0${w.week}`)!;
        if (value !== null) recovered.push({ cell: `${f} ${w.week} ${w.other.label}`, value, truth: w.other.members.reduce((a, x) => a + t.get(x)!, 0) });
      }
    }
    return { U, groups, equations: equations.length, sources, compositions, recovered };
  }
}

/**
 * Events by subtraction: a counter chart's event shares add up to 1, so its
 * total is a published bucket's events over its event share, and the
 * buckets whose events are not published hold the total minus the
 * published events. That one equation fixes a withheld bucket's events (or a
 * group's) when they are the only unknown ones.
 */
function eventAttack(b: Build): { checked: number; recovered: string[] } {
  const recovered: string[] = [];
  let checked = 0;
  for (const [f, c] of b.charts) {
    if (c.kind !== 'counter') continue;
    for (const w of counterWeeks(c)) {
      const full = w.buckets.filter((x): x is FullBucket => shown(x) && !x.eventsHidden);
      if (!full.some((x) => (x.eventShare?.estimate ?? 0) > 0)) continue;
      const unknownEvents = new Set(w.buckets.filter((x) => !full.includes(x as FullBucket)).map((x) => x.bucket));
      for (const x of w.buckets) {
        if (x.status === 'published') continue;
        checked++;
        if (unknownEvents.size === 1 && unknownEvents.has(x.bucket)) recovered.push(`${f} ${w.week} ${x.bucket} events`);
      }
      if (w.other?.suppressed && unknownEvents.size === w.other.members.length && w.other.members.every((m) => unknownEvents.has(m))) {
        recovered.push(`${f} ${w.week} ${w.other.label} events`);
      }
    }
  }
  return { checked, recovered };
}

const describeAttack = (name: string, a: ReturnType<typeof attack>) =>
  `${name}: ${a.U} withheld counts and ${a.groups} groups under K, ${a.equations} equations (${[...a.sources].map(([s, k]) => `${s}: ${k}`).join(', ')}), ${a.compositions} skew compositions read; ${a.recovered.length} recovered, ${a.recovered.filter((r) => Math.abs(r.value - r.truth) < 1e-3).length} of them equal to the truth`;

describe('--suppress-complements', () => {
  it('no withheld count can be recovered from all published files, by subtraction or by share x n', () => {
    const a = attack(builds.suppress);
    console.log(describeAttack('--suppress-complements', a));
    expect(a.U).toBeGreaterThan(20);
    expect(a.sources.get('total minus published counts') ?? 0).toBeGreaterThan(10);
    expect(a.compositions).toBeGreaterThan(0);
    expect(a.recovered).toEqual([]);
    const e = eventAttack(builds.suppress);
    console.log(`--suppress-complements: events of ${e.checked} withheld buckets checked by 1 minus the event shares; ${e.recovered.length} recovered`);
    expect(e.checked).toBeGreaterThan(10);
    expect(e.recovered).toEqual([]);
    // Composition shifts name the dimension but give no distance where its chart withholds a bucket.
    let withheldShifts = 0;
    for (const p of builds.suppress.programs.values()) {
      for (const w of p.weeks) {
        for (const sh of w.compositionShifts) {
          const entry = builds.suppress.index.programs
            .find((x) => x.program === p.program)!
            .charts.find((c) => c.chart === sh.dimension && c.kind === 'metadata')!;
          const chart = builds.suppress.charts.get(entry.file)!;
          const i = chart.weeks.findIndex((x) => x.week === w.week);
          const withholds = [chart.weeks[i], chart.weeks[i - 1]].some((x) => x && (x as CounterChartWeek).buckets.some((bk) => bk.status !== 'published'));
          if (withholds) {
            expect(sh.tvd).toBeNull();
            withheldShifts++;
          }
        }
      }
    }
    console.log(`--suppress-complements: ${withheldShifts} composition shifts published without their distance`);
    expect(withheldShifts).toBeGreaterThan(0);
  });

  it('the same attack recovers counts the default policy groups (the check can fail)', () => {
    const a = attack(builds.group);
    const exact = a.recovered.filter((r) => Math.abs(r.value - r.truth) < 1e-3);
    const e = eventAttack(builds.group);
    console.log(`${describeAttack('default policy', a)}; events: ${e.recovered.length} of ${e.checked} recovered`);
    expect(exact.length).toBeGreaterThan(0);
    expect(e.recovered.length).toBeGreaterThan(0);
  });

  it('lists only stacks seen by at least K installations', () => {
    const k = 3;
    const b = builds.suppress3;
    expect(b.stacks.length).toBeGreaterThan(0);
    for (const r of b.stacks) expect(Number(r.x)).toBeGreaterThanOrEqual(k);
    const key = (r: { program: string; chart: string; week: string }) => `${r.program}\0${r.chart}\0${r.week}`;
    const below = new Map<string, number>();
    for (const r of builds.truth.stacks) if (Number(r.x) < k) below.set(key(r as never), (below.get(key(r as never)) ?? 0) + 1);
    expect(below.size).toBeGreaterThan(0);
    for (const c of b.charts.values())
      for (const w of stackWeeks(c)) expect(w.notShown).toBe(below.get(key({ program: c.program, chart: c.chart, week: w.week })) ?? 0);
    // And with K = 10 none of this archive's stacks is listed.
    expect(builds.suppress.stacks.length).toBe(0);
  });
});
