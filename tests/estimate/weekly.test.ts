/** One week's estimates from plain totals (src/estimate/weekly.ts). */
import { describe, expect, it } from 'vitest';
import { wilson } from '../../src/estimate/intervals.ts';
import { meanEvents, ratioOfTotals } from '../../src/estimate/means.ts';
import { estimateWeek, zeroBucket } from '../../src/estimate/weekly.ts';
import { dict } from '../../src/lib/dict.ts';
import type { BucketSums, ChartPartial, ProgramPartial, StratumCell, Totals } from '../../src/reduce/partial.ts';
import { METADATA_CHARTS, type ProgramSpec, type ReduceSpec } from '../../src/reduce/spec.ts';
import { parseReference } from '../../src/skew/reference.ts';

function stats(s: Partial<Record<'x' | 'sum' | 'sumSq' | 'cross' | 'frac' | 'frac2' | 'max', number>>): BucketSums {
  return {
    reports: s.x ?? 0,
    sum: s.sum ?? 0,
    sumSq: s.sumSq ?? 0,
    sumTimesTotal: s.cross ?? 0,
    sumFraction: s.frac ?? 0,
    sumFractionSq: s.frac2 ?? 0,
    max: s.max ?? 0,
  };
}

function chartPartial(n: number, nPos: number, tot: number, tot2: number, buckets: Record<string, BucketSums>): ChartPartial {
  return { n, nPos, tot, tot2, buckets: Object.assign(dict<BucketSums>(), buckets) };
}

const programSpec = (over: Partial<ProgramSpec> = {}): ProgramSpec => ({
  program: 'p',
  strata: [],
  versions: [],
  toolchain: false,
  counters: [{ chart: 'c', expression: 'c:{a,b}', buckets: ['a', 'b'], rate: 1, threshold: 1, minVersion: '', type: 'partition' }],
  stacks: [{ chart: 'crash', expression: 'crash', buckets: [], rate: 1, threshold: 1, minVersion: '', type: 'stack' as ProgramSpec['stacks'][number]['type'] }],
  ...over,
});

/**
 * Three reports of program p: report 1 has c:a = 2, c:b = 1; report 2 has c:a = 1; report 3 nothing.
 * GOOS: linux, linux, darwin.
 */
function programPartial(): ProgramPartial {
  const meta = dict<ChartPartial>() as ProgramPartial['meta'];
  for (const m of METADATA_CHARTS) meta[m] = chartPartial(3, 3, 3, 3, {});
  meta.GOOS = chartPartial(3, 3, 3, 3, { linux: stats({ x: 2, frac: 2 }), darwin: stats({ x: 1, frac: 1 }) });
  const charts = dict<ChartPartial>();
  // T = 3, 1, 0: ΣT = 4, ΣT² = 10.
  charts.c = chartPartial(3, 2, 4, 10, {
    a: stats({ x: 2, sum: 3, sumSq: 5, cross: 2 * 3 + 1 * 1, frac: 2 / 3 + 1, frac2: 4 / 9 + 1, max: 2 }),
    b: stats({ x: 1, sum: 1, sumSq: 1, cross: 3, frac: 1 / 3, frac2: 1 / 9, max: 1 }),
  });
  const stacks = dict<ProgramPartial['stacks'][string]>();
  stacks.crash = {
    n: 3,
    stacks: Object.assign(dict<[number, number]>(), {
      'crash\nf:+1': [1, 5] as [number, number],
      'crash\ng:+2': [2, 2] as [number, number],
      'crash\nh:+3': [1, 5] as [number, number],
      'crash\nz:+0': [0, 0] as [number, number],
    }),
    versions: Object.assign(dict<Record<string, number>>(), {
      'crash\ng:+2': Object.assign(dict<number>(), { 'v0.9': 1, unknown: 1, 'v0.10': 2, devel: 1, 'v0.2': 0 }),
    }),
  };
  return { reports: 3, meta, charts, stacks, breakdowns: {} };
}

function totalsOf(p: ProgramPartial): Totals {
  const programs = dict<ProgramPartial>();
  programs.p = p;
  return { days: [], reports: p.reports, programs };
}

describe('estimateWeek', () => {
  const spec: ReduceSpec = { sampleRate: 1, programs: [programSpec()] };

  it('estimates shares, intervals, events and compositions at full precision', () => {
    const week = estimateWeek(totalsOf(programPartial()), spec);
    expect(week.reports).toBe(3);
    const p = week.programs[0]!;
    expect(p.skew).toEqual([]);
    expect(p.adjustment).toBeNull();
    expect(p.charts.map((c) => [c.chart, c.kind])).toEqual([
      ['Version', 'metadata'],
      ['GOOS', 'metadata'],
      ['GOARCH', 'metadata'],
      ['GoVersion', 'metadata'],
      ['c', 'counter'],
    ]);
    const c = p.charts.find((x) => x.chart === 'c')!;
    expect(c.n).toBe(3);
    expect(c.nActive).toBe(2);
    const [a, b] = c.buckets;
    expect(a!.bucket).toBe('a');
    expect(a!.share).toBe(2 / 3); // not rounded to 0.666667
    expect(a!.ci).toEqual(wilson(2, 3));
    expect(a!.naiveShare).toBe(2 / 3);
    expect(a!.events).toBe(3);
    expect(a!.maxEvents).toBe(2);
    expect(a!.meanEvents).toEqual(meanEvents({ n: 3, sum: 3, sumSq: 5 }));
    expect(a!.eventShare).toEqual(ratioOfTotals({ n: 3, sumP: 3, sumN: 4, sumP2: 5, sumN2: 10, sumPN: 7 }));
    expect(a!.eventShare!.estimate).toBe(0.75);
    expect(a!.composition!.estimate).toBeCloseTo((2 / 3 + 1) / 2, 15);
    expect(b!.share).toBe(1 / 3);
    expect(b!.composition!.estimate).toBeCloseTo(1 / 6, 15);
    // Metadata buckets in a stable order, without event figures.
    const goos = p.charts.find((x) => x.chart === 'GOOS')!;
    expect(goos.buckets.map((x) => [x.bucket, x.share])).toEqual([
      ['darwin', 1 / 3],
      ['linux', 2 / 3],
    ]);
    expect(goos.buckets[0]!.meanEvents).toBeNull();
    expect(goos.buckets[0]!.maxEvents).toBeUndefined();
  });

  it('lists the most frequent stacks: most reports first, then most events, then by text', () => {
    const s = estimateWeek(totalsOf(programPartial()), spec).programs[0]!.stacks[0]!;
    expect(s.distinct).toBe(3); // a stack no report holds is not counted
    expect(s.top.map((t) => [t.stack, t.x, t.events])).toEqual([
      ['crash\ng:+2', 2, 2],
      ['crash\nf:+1', 1, 5],
      ['crash\nh:+3', 1, 5],
    ]);
    expect(s.top[0]!.share).toBe(2 / 3);
    expect(s.top[0]!.ci).toEqual(wilson(2, 3));
  });

  it("gives each stack's Version groups, versions newest first, then devel and unknown, none without reports", () => {
    const s = estimateWeek(totalsOf(programPartial()), spec).programs[0]!.stacks[0]!;
    expect(s.top[0]!.versions).toEqual([
      { group: 'v0.10', x: 2 },
      { group: 'v0.9', x: 1 },
      { group: 'devel', x: 1 },
      { group: 'unknown', x: 1 },
    ]);
    expect(s.top[1]!.versions).toEqual([]);
    const tool = estimateWeek(totalsOf(programPartial()), { sampleRate: 1, programs: [programSpec({ toolchain: true })] }).programs[0]!;
    expect(tool.stacks[0]!.top[0]!.versions).toBeUndefined();
  });

  it('leaves out the Version chart of toolchain programs and gives programs without reports zeros', () => {
    const tool = estimateWeek(totalsOf(programPartial()), { sampleRate: 1, programs: [programSpec({ toolchain: true })] }).programs[0]!;
    expect(tool.charts.map((c) => c.chart)).not.toContain('Version');
    const none = estimateWeek({ days: [], reports: 0, programs: dict() }, spec).programs[0]!;
    expect(none.reports).toBe(0);
    expect(none.charts.find((c) => c.chart === 'c')!.buckets.map((b) => [b.share, b.x])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(zeroBucket('x', 10)).toMatchObject({ bucket: 'x', x: 0, share: 0, ci: wilson(0, 10) });
  });

  it('with a reference: skew facts per dimension, the adjustment without its shares, adjusted shares on buckets and the sensitive flag', () => {
    const part = programPartial();
    // 40 reports: 30 linux (every one with bucket a), 10 darwin (none) -> raw share of a .75.
    const cells = dict<StratumCell>();
    const cell = (n: number, x: number): StratumCell => {
      const charts = dict<{ n: number; x: Record<string, number> }>();
      charts.c = { n, x: Object.assign(dict<number>(), { a: x }) };
      return { n, charts, meta: dict() };
    };
    cells.linux = cell(30, 30); // one-dimension cell keys are the category itself
    cells.darwin = cell(10, 0);
    part.reports = 40;
    part.charts.c = chartPartial(40, 30, 30, 30, { a: stats({ x: 30, sum: 30, sumSq: 30, cross: 30, frac: 30, frac2: 30, max: 1 }) });
    part.meta.GOOS = chartPartial(40, 40, 40, 40, { linux: stats({ x: 30, frac: 30 }), darwin: stats({ x: 10, frac: 10 }) });
    part.strata = { dims: ['GOOS'], cells };
    const reference = parseReference(
      JSON.stringify({ source: 'the census', date: '2024-01-01', size: 100, dimensions: { GOOS: { linux: 0.5, darwin: 0.5 } } }),
      'r.json',
      new Set(['c']),
    );
    const p = estimateWeek(totalsOf(part), { sampleRate: 1, programs: [programSpec({ strata: ['GOOS'] })] }, reference).programs[0]!;
    expect(p.skew).toHaveLength(1);
    const skew = p.skew[0]!;
    expect(skew).toMatchObject({ dimension: 'GOOS', n: 40, level: 'strong', tvd: 0.25 });
    expect(skew.notable.map((c) => [c.category, c.sample, c.reference, c.ratio])).toEqual([
      ['linux', 0.75, 0.5, 1.5],
      ['darwin', 0.25, 0.5, 0.5],
    ]);
    expect(p.adjustment).toMatchObject({ dims: ['GOOS'], reference: 'the census', method: 'post-stratification', reports: 40 });
    expect(p.adjustment).not.toHaveProperty('charts');
    const c = p.charts.find((x) => x.chart === 'c')!;
    expect(c.buckets[0]!.adjusted!.share).toBeCloseTo(0.5, 12);
    expect(c.buckets[1]!.adjusted!.share).toBe(0); // no report has b
    // |0.5 − 0.75| is more than half the raw interval's width.
    expect(c.sensitive).toBe(true);
    // The dimension's own chart has no adjusted values.
    expect(p.charts.find((x) => x.chart === 'GOOS')!.buckets.every((b) => b.adjusted === undefined)).toBe(true);
  });
});
