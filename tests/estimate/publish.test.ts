import { describe, expect, it } from 'vitest';
import { wilson } from '../../src/estimate/intervals.ts';
import { applySmallCells, publishWeeks } from '../../src/estimate/publish.ts';
import type { BucketEstimate, ChartEstimate, WeekEstimates } from '../../src/estimate/weekly.ts';
import { type Day, toDay } from '../../src/lib/dates.ts';

function bucket(name: string, x: number, n: number, events = x): BucketEstimate {
  return { bucket: name, x, share: x / n, ci: wilson(x, n), naiveShare: x / n, events, meanEvents: null, eventShare: null, composition: null };
}

function chart(kind: ChartEstimate['kind'], n: number, xs: Record<string, number>): ChartEstimate {
  return { program: 'p', chart: kind === 'metadata' ? 'GOOS' : 'c', kind, n, nActive: n, buckets: Object.entries(xs).map(([b, x]) => bucket(b, x, n)) };
}

describe('small cells', () => {
  it('groups buckets under k into "other" and keeps true zeros', () => {
    const p = applySmallCells(chart('counter', 500, { a: 300, b: 4, c: 7, d: 0 }), 10);
    expect(p.buckets.map((b) => b.status)).toEqual(['published', 'grouped', 'grouped', 'published']);
    expect(p.other).toMatchObject({ label: 'other (each < 10)', members: ['b', 'c'], x: 11, suppressed: false });
    expect(p.buckets[3]!.ci[1]).toBeGreaterThan(0); // a true zero keeps its Wilson upper bound
  });

  it('suppresses an "other" under k and hides the next-smallest bucket where totals would reveal it', () => {
    const meta = applySmallCells(chart('metadata', 500, { linux: 300, darwin: 150, windows: 47, plan9: 3 }), 10);
    expect(meta.other).toMatchObject({ x: null, share: null, suppressed: true });
    expect(meta.buckets.find((b) => b.bucket === 'windows')!.status).toBe('hidden');
    expect(meta.buckets.find((b) => b.bucket === 'darwin')!.status).toBe('published');
    // A counter chart's event shares add up to 1: the bucket with the fewest events loses its event figures.
    const counter = applySmallCells(chart('counter', 500, { a: 300, b: 40, c: 2 }), 10);
    expect(counter.buckets.find((b) => b.bucket === 'b')!.eventsHidden).toBe('complementary');
    expect(counter.buckets.find((b) => b.bucket === 'b')!.status).toBe('published');
  });

  it('hides event figures where one system holds more than half of the events', () => {
    const c = chart('counter', 500, { a: 300, b: 40 });
    c.buckets[0]!.events = 1000;
    c.buckets[0]!.maxEvents = 600;
    c.buckets[1]!.events = 100;
    c.buckets[1]!.maxEvents = 30;
    const p = applySmallCells(c, 10);
    expect(p.buckets[0]!.eventsHidden).toBe('dominance');
    expect(p.buckets[1]!.eventsHidden).toBeUndefined();
  });

  it('is off with k = 1', () => {
    const p = applySmallCells(chart('counter', 500, { a: 1, b: 2 }), 1);
    expect(p.other).toBeNull();
    expect(p.buckets.every((b) => b.status === 'published')).toBe(true);
  });
});

describe('week-over-week changes', () => {
  const week = (w: Day, xs: Record<string, number>, n = 2000): { week: Day; estimates: WeekEstimates } => ({
    week: w,
    estimates: { reports: n, programs: [{ program: 'p', reports: n, charts: [chart('counter', n, xs)], stacks: [], skew: [], adjustment: null }] },
  });

  it('flags a real change with its Newcombe interval, not noise, and not unpublished buckets', () => {
    const { weeks, flagged } = publishWeeks([week(toDay('2026-01-04'), { a: 400, b: 200, c: 5 }), week(toDay('2026-01-11'), { a: 600, b: 205, c: 50 })], 10);
    const [a, b, c] = weeks[1]!.programs[0]!.charts[0]!.buckets;
    expect(a!.change!.flagged).toBe(true);
    expect(a!.change!.difference).toBeCloseTo(0.1, 6);
    expect(a!.change!.ci[0]).toBeGreaterThan(0);
    expect(b!.change!.flagged).toBe(false);
    expect(b!.change!.failed).toContain('notSignificant');
    // c had 5 installations the week before: not published, so not tested.
    expect(c!.change).toBeNull();
    expect(flagged.map((f) => f.bucket)).toEqual(['a']);
    expect(weeks[0]!.programs[0]!.charts[0]!.buckets[0]!.change).toBeUndefined();
  });

  it('needs at least 50 eligible reports in both weeks', () => {
    const { flagged } = publishWeeks([week(toDay('2026-01-04'), { a: 10 }, 40), week(toDay('2026-01-11'), { a: 30 }, 40)], 10);
    expect(flagged).toEqual([]);
  });
});
