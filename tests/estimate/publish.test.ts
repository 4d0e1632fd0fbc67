import { describe, expect, it } from 'vitest';
import { wilson } from '../../src/estimate/intervals.ts';
import { applySmallCells, type BucketChange, publishedSkew, publishWeeks, type SmallCellOptions, UNTESTED_CHANGE } from '../../src/estimate/publish.ts';
import { dimensionSkew } from '../../src/skew/skew.ts';
import type { BucketEstimate, ChartEstimate, WeekEstimates } from '../../src/estimate/weekly.ts';
import { type Day, toDay } from '../../src/lib/dates.ts';

function bucket(name: string, x: number, n: number, events = x): BucketEstimate {
  return { bucket: name, x, share: x / n, ci: wilson(x, n), naiveShare: x / n, events, meanEvents: null, eventShare: null, composition: null };
}

function chart(kind: ChartEstimate['kind'], n: number, xs: Record<string, number>): ChartEstimate {
  return { program: 'p', chart: kind === 'metadata' ? 'GOOS' : 'c', kind, n, nActive: n, buckets: Object.entries(xs).map(([b, x]) => bucket(b, x, n)) };
}

const GROUP: SmallCellOptions = { minCell: 10, suppressComplements: false };
const SUPPRESS: SmallCellOptions = { minCell: 10, suppressComplements: true };

describe('small cells', () => {
  it('groups buckets under k into "other" and keeps true zeros', () => {
    const p = applySmallCells(chart('counter', 500, { a: 300, b: 4, c: 7, d: 0 }), GROUP);
    expect(p.buckets.map((b) => b.status)).toEqual(['published', 'grouped', 'grouped', 'published']);
    expect(p.other).toMatchObject({ label: 'other (each < 10)', members: ['b', 'c'], x: 11, suppressed: false });
    expect(p.buckets[3]!.ci[1]).toBeGreaterThan(0); // a true zero keeps its Wilson upper bound
  });

  it('by default hides nothing but the small buckets themselves', () => {
    const meta = applySmallCells(chart('metadata', 500, { linux: 300, darwin: 150, windows: 47, plan9: 3 }), GROUP);
    expect(meta.other).toMatchObject({ members: ['plan9'], x: null, share: null, suppressed: true });
    expect(meta.buckets.map((b) => b.status)).toEqual(['published', 'published', 'published', 'grouped']);
    const counter = applySmallCells(chart('counter', 500, { a: 300, b: 40, c: 2 }), GROUP);
    expect(counter.buckets.map((b) => [b.status, b.eventsHidden])).toEqual([
      ['published', undefined],
      ['published', undefined],
      ['grouped', undefined],
    ]);
  });

  it('with suppressComplements, suppresses an "other" under k and hides the next-smallest bucket where totals would reveal it', () => {
    const meta = applySmallCells(chart('metadata', 500, { linux: 300, darwin: 150, windows: 47, plan9: 3 }), SUPPRESS);
    expect(meta.other).toMatchObject({ x: null, share: null, suppressed: true });
    expect(meta.buckets.find((b) => b.bucket === 'windows')!.status).toBe('hidden');
    expect(meta.buckets.find((b) => b.bucket === 'darwin')!.status).toBe('published');
    // A counter chart's event shares add up to 1: the bucket with the fewest events loses its event figures.
    const counter = applySmallCells(chart('counter', 500, { a: 300, b: 40, c: 2 }), SUPPRESS);
    expect(counter.buckets.find((b) => b.bucket === 'b')!.eventsHidden).toBe('complementary');
    expect(counter.buckets.find((b) => b.bucket === 'b')!.status).toBe('published');
    // An exclusive counter chart (each active system in one bucket) adds up to nActive: the next-smallest bucket is hidden whole.
    const exclusive = applySmallCells({ ...chart('counter', 500, { a: 300, b: 40, c: 2 }), nActive: 342 }, SUPPRESS);
    expect(exclusive.buckets.map((b) => b.status)).toEqual(['published', 'hidden', 'grouped']);
  });

  it('with suppressComplements, leaves out a skew composition that would give a withheld count away', () => {
    const ref = { linux: 0.5, darwin: 0.3, windows: 0.2 };
    const meta = applySmallCells(chart('metadata', 500, { linux: 300, darwin: 150, windows: 47, plan9: 3 }), SUPPRESS);
    const skew = [dimensionSkew('GOOS', { linux: 0.6, darwin: 0.3, windows: 0.094, plan9: 0.006 }, 500, ref)];
    // windows is hidden and has its own category: its share times n is its count.
    expect(publishedSkew(skew, [meta], SUPPRESS)).toEqual([]);
    expect(publishedSkew(skew, [meta], GROUP)).toEqual(skew);
    // With "other" in the reference and both withheld buckets in it, the composition says no more than the chart.
    const both = applySmallCells(chart('metadata', 500, { linux: 300, darwin: 150, freebsd: 47, plan9: 3 }), SUPPRESS);
    const withOther = [dimensionSkew('GOOS', { linux: 0.6, darwin: 0.3, freebsd: 0.094, plan9: 0.006 }, 500, { linux: 0.5, darwin: 0.3, other: 0.2 })];
    expect(publishedSkew(withOther, [both], SUPPRESS)).toEqual(withOther);
  });

  it('hides event figures where one system holds more than half of the events', () => {
    const c = chart('counter', 500, { a: 300, b: 40 });
    c.buckets[0]!.events = 1000;
    c.buckets[0]!.maxEvents = 600;
    c.buckets[1]!.events = 100;
    c.buckets[1]!.maxEvents = 30;
    const p = applySmallCells(c, GROUP);
    expect(p.buckets[0]!.eventsHidden).toBe('dominance');
    expect(p.buckets[1]!.eventsHidden).toBeUndefined();
  });

  it('is off with k = 1', () => {
    const p = applySmallCells(chart('counter', 500, { a: 1, b: 2 }), { minCell: 1, suppressComplements: true });
    expect(p.other).toBeNull();
    expect(p.buckets.every((b) => b.status === 'published')).toBe(true);
  });
});

describe('week-over-week changes', () => {
  const week = (w: Day, xs: Record<string, number>, n = 2000): { week: Day; estimates: WeekEstimates } => ({
    week: w,
    estimates: { reports: n, programs: [{ program: 'p', reports: n, charts: [chart('counter', n, xs)], stacks: [], skew: [], adjustment: null }] },
  });

  it('flags a real change with its Newcombe interval, not noise, and not buckets published in neither week', () => {
    const { weeks, flagged } = publishWeeks(
      [week(toDay('2026-01-04'), { a: 400, b: 200, c: 5, d: 3 }), week(toDay('2026-01-11'), { a: 600, b: 205, c: 50, d: 4 })],
      GROUP,
    );
    const [a, b, c, d] = weeks[1]!.programs[0]!.charts[0]!.buckets.map((x) => x.change as BucketChange | null | undefined);
    expect(a!.flagged).toBe(true);
    expect(a!.difference).toBeCloseTo(0.1, 6);
    expect(a!.ci[0]).toBeGreaterThan(0);
    expect(b!.flagged).toBe(false);
    expect(b!.failed).toContain('notSignificant');
    // c had 5 installations the week before (grouped) and 50 now (published): published in one week, so tested.
    expect(c!.flagged).toBe(true);
    // d is grouped in both weeks: not tested.
    expect(d).toBeNull();
    expect(flagged.map((f) => f.bucket)).toEqual(['a', 'c']);
    expect(weeks[0]!.programs[0]!.charts[0]!.buckets[0]!.change).toBeUndefined();
  });

  it('tests a metadata value that appears or vanishes against a true 0', () => {
    const meta = (w: Day, xs: Record<string, number>, n = 2000): { week: Day; estimates: WeekEstimates } => ({
      week: w,
      estimates: { reports: n, programs: [{ program: 'p', reports: n, charts: [chart('metadata', n, xs)], stacks: [], skew: [], adjustment: null }] },
    });
    const { weeks, flagged } = publishWeeks(
      [
        meta(toDay('2026-01-04'), { linux: 1500, darwin: 400, plan9: 100 }),
        meta(toDay('2026-01-11'), { linux: 1500, darwin: 300, aix: 200 }),
        meta(toDay('2026-01-18'), { linux: 1500, darwin: 300, aix: 200 }),
      ],
      GROUP,
    );
    const second = weeks[1]!.programs[0]!.charts[0]!.buckets;
    const byName = (name: string) => second.find((b) => b.bucket === name)!;
    // plan9 vanished: a true 0 in the second week's chart, with its change.
    expect(byName('plan9')).toMatchObject({ x: 0, share: 0, status: 'published' });
    expect((byName('plan9').change as BucketChange).difference).toBeCloseTo(-0.05, 12);
    expect((byName('aix').change as BucketChange).difference).toBeCloseTo(0.1, 12);
    expect(flagged.filter((f) => f.week === '2026-01-11').map((f) => [f.bucket, f.previous, f.current])).toEqual([
      ['darwin', 0.2, 0.15],
      ['aix', 0, 0.1],
      ['plan9', 0.05, 0],
    ]);
    // A value absent from both weeks is not compared again: plan9 is not in the third week.
    expect(weeks[2]!.programs[0]!.charts[0]!.buckets.map((b) => b.bucket)).toEqual(['linux', 'darwin', 'aix']);
  });

  it('never reads a withheld figure back from a change', () => {
    const meta = (w: Day, xs: Record<string, number>, n = 2000): { week: Day; estimates: WeekEstimates } => ({
      week: w,
      estimates: { reports: n, programs: [{ program: 'p', reports: n, charts: [chart('metadata', n, xs)], stacks: [], skew: [], adjustment: null }] },
    });
    // With --suppress-complements the first week suppresses an "other" under k and hides windows, its next-smallest bucket.
    const input = [meta(toDay('2026-01-04'), { linux: 1500, windows: 497, plan9: 3 }), meta(toDay('2026-01-11'), { linux: 1500, windows: 300, aix: 200 })];
    const { weeks } = publishWeeks(input, SUPPRESS);
    expect(weeks[0]!.programs[0]!.charts[0]!.buckets.find((b) => b.bucket === 'windows')!.status).toBe('hidden');
    const second = (r: ReturnType<typeof publishWeeks>, name: string) => r.weeks[1]!.programs[0]!.charts[0]!.buckets.find((b) => b.bucket === name)!.change;
    expect(second({ weeks, flagged: [], comparisons: [] }, 'windows')).toBeNull();
    // plan9 was grouped: not tested when withheld figures are protected (the default under suppress-complements) ...
    expect(second({ weeks, flagged: [], comparisons: [] }, 'plan9')).toBeNull();
    // ... but tested under the default policy, where grouping hides nothing (published now, as a true 0).
    const open = publishWeeks(input, GROUP);
    expect(open.weeks[0]!.programs[0]!.charts[0]!.buckets.find((b) => b.bucket === 'windows')!.status).toBe('published');
    expect((second(open, 'plan9') as BucketChange).difference).toBeCloseTo(-0.0015, 12);
    expect((second(open, 'windows') as BucketChange).difference).toBeCloseTo(-0.0985, 12);
  });

  it('never tests into a provisional or incomplete week', () => {
    const { weeks, flagged } = publishWeeks([week(toDay('2026-01-04'), { a: 400, b: 200 }), week(toDay('2026-01-11'), { a: 600, b: 205 })], GROUP, {
      untested: new Set([toDay('2026-01-11')]),
    });
    expect(flagged).toEqual([]);
    expect(weeks[1]!.programs[0]!.charts[0]!.buckets.map((b) => b.change)).toEqual([UNTESTED_CHANGE, UNTESTED_CHANGE]);
  });

  it('needs at least 50 eligible reports in both weeks', () => {
    const { flagged } = publishWeeks([week(toDay('2026-01-04'), { a: 10 }, 40), week(toDay('2026-01-11'), { a: 30 }, 40)], GROUP);
    expect(flagged).toEqual([]);
  });
});

describe('breakdowns', () => {
  const group = (name: string, n: number, xs: number[]) => ({
    group: name,
    n,
    buckets: xs.map((x, i) => ({ bucket: `b${i}`, x, share: x / n, ci: wilson(x, n) })),
  });
  const withBreakdowns = (groups: ReturnType<typeof group>[]): ChartEstimate => ({
    ...chart('counter', 100, { b0: 50, b1: 20 }),
    breakdowns: [{ by: 'GOOS', groups }],
  });

  it('groups small buckets inside a group and merges groups of fewer than k installations', () => {
    const c = applySmallCells(withBreakdowns([group('linux', 60, [40, 3, 0]), group('plan9', 6, [2, 1, 0]), group('aix', 5, [5, 0, 0])]), GROUP);
    const [linux, other] = c.breakdowns![0]!.groups;
    expect(c.breakdowns![0]!.groups).toHaveLength(2);
    expect(linux!.buckets.map((b) => b.status)).toEqual(['published', 'grouped', 'published']);
    expect(linux!.other).toMatchObject({ members: ['b1'], x: null, suppressed: true });
    // plan9 and aix: 11 installations together, counted as sums; b0 (7) and b1 (1) are under k inside it.
    expect(other).toMatchObject({ group: 'other (each n < 10)', n: 11, members: ['plan9', 'aix'], suppressed: false });
    expect(other!.buckets.map((b) => b.status)).toEqual(['grouped', 'grouped', 'published']);
    expect(other!.other).toMatchObject({ members: ['b0', 'b1'], x: null, suppressed: true });
  });

  it('suppresses a group of small groups under k, and publishes no breakdown with suppress-complements', () => {
    const c = applySmallCells(withBreakdowns([group('linux', 60, [40, 20, 0]), group('plan9', 6, [2, 1, 0])]), GROUP);
    expect(c.breakdowns![0]!.groups[1]).toEqual({ group: 'other (each n < 10)', n: null, members: ['plan9'], suppressed: true, buckets: [], other: null });
    expect(c.breakdowns![0]!.groups[0]!.other).toBeNull();
    expect(applySmallCells(withBreakdowns([group('linux', 60, [40, 20, 0])]), SUPPRESS).breakdowns).toBeUndefined();
    // k = 1: everything published.
    const all = applySmallCells(withBreakdowns([group('plan9', 6, [2, 1, 0])]), { minCell: 1, suppressComplements: false });
    expect(all.breakdowns![0]!.groups[0]!.buckets.every((b) => b.status === 'published')).toBe(true);
  });
});
