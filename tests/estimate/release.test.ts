/** The release view on constructed Version chart series: first week seen, weeks to 25% and 50%, "never" and "not yet", latest share. */
import { describe, expect, it } from 'vitest';
import { addDays, toDay } from '../../src/lib/dates.ts';
import { releaseView, type VersionWeek } from '../../src/estimate/release.ts';

const W0 = toDay('2026-01-04');
const GROUPS = ['v0.1', 'v0.2', 'v0.3', 'v0.4', 'devel'];

/** A week of the Version chart: per group a share (published, x = share·n), 'g' (grouped) or absent (0). */
function week(i: number, shares: Record<string, number | 'g'>, o: { provisional?: boolean; n?: number } = {}): VersionWeek {
  const n = o.n ?? 1000;
  return {
    week: addDays(W0, 7 * i),
    provisional: o.provisional ?? false,
    n,
    buckets: GROUPS.map((bucket) => {
      const s = shares[bucket];
      if (s === 'g') return { bucket, status: 'grouped' };
      const share = s ?? 0;
      return { bucket, status: 'published', x: Math.round(share * n), share, ci: [Math.max(0, share - 0.02), Math.min(1, share + 0.02)] as [number, number] };
    }),
  };
}

describe('releaseView', () => {
  const weeks = [
    week(0, { 'v0.1': 1 }),
    week(1, { 'v0.1': 0.98, 'v0.2': 'g' }), // v0.2 first seen as a small cell
    week(2, { 'v0.1': 0.8, 'v0.2': 0.2 }),
    week(3, { 'v0.1': 0.74, 'v0.2': 0.25 }, { n: 40 }), // too few reports for shares: does not count
    week(4, { 'v0.1': 0.55, 'v0.2': 0.25, 'v0.3': 0.2 }),
    week(5, { 'v0.1': 0.3, 'v0.2': 0.2, 'v0.3': 0.5 }),
    week(6, { 'v0.1': 0.1, 'v0.2': 0.1, 'v0.3': 0.2, 'v0.4': 0.6 }, { provisional: true }), // provisional: drawn, never counted
  ];
  const view = releaseView(weeks, GROUPS);
  const by = new Map(view.map((g) => [g.group, g]));

  it('lists the groups seen, in version order, with the week each was first seen', () => {
    expect(view.map((g) => [g.group, g.firstWeek])).toEqual([
      ['v0.1', '2026-01-04'],
      ['v0.2', '2026-01-11'],
      ['v0.3', '2026-02-01'],
      ['v0.4', '2026-02-15'],
    ]);
  });

  it('counts the weeks from first seen to the first final week whose point estimate reaches the share', () => {
    // v0.1 is at 100% from its first week.
    expect(by.get('v0.1')!.milestones).toEqual([
      { threshold: 0.25, status: 'reached', week: '2026-01-04', weeks: 0 },
      { threshold: 0.5, status: 'reached', week: '2026-01-04', weeks: 0 },
    ]);
    // v0.2 is at 25% in week 3 (too small for shares) and again in week 4: reached in week 4, 3 weeks after first seen.
    expect(by.get('v0.2')!.milestones[0]).toEqual({ threshold: 0.25, status: 'reached', week: '2026-02-01', weeks: 3 });
    // 25% exactly counts; 50% in the week after it was first seen.
    expect(by.get('v0.3')!.milestones).toEqual([
      { threshold: 0.25, status: 'reached', week: '2026-02-08', weeks: 1 },
      { threshold: 0.5, status: 'reached', week: '2026-02-08', weeks: 1 },
    ]);
  });

  it('says "never" when a newer version got there first, "not yet" otherwise; provisional weeks do not count', () => {
    expect(by.get('v0.2')!.milestones[1]).toEqual({ threshold: 0.5, status: 'never', week: null, weeks: null });
    // v0.4 is at 60% only in a provisional week.
    expect(by.get('v0.4')!.milestones.map((m) => m.status)).toEqual(['not yet', 'not yet']);
    // The same series made final: reached in its first week.
    const final = releaseView([...weeks.slice(0, -1), { ...weeks.at(-1)!, provisional: false }], GROUPS);
    expect(final.find((g) => g.group === 'v0.4')!.milestones.map((m) => [m.status, m.weeks])).toEqual([
      ['reached', 0],
      ['reached', 0],
    ]);
    // With v0.3 gone, v0.2 has not reached 50% and no newer version has: not yet.
    const alone = releaseView(weeks.slice(0, 5), GROUPS);
    expect(alone.find((g) => g.group === 'v0.2')!.milestones[1]!.status).toBe('not yet');
  });

  it('gives the latest final published share with its interval (the latest provisional one without a final one), and leaves out groups never seen', () => {
    expect(by.get('v0.4')!.latest).toEqual({ week: '2026-02-15', provisional: true, share: 0.6, ci: [0.58, 0.62] });
    expect(by.get('v0.1')!.latest).toEqual({ week: '2026-02-08', provisional: false, share: 0.3, ci: weeks[5]!.buckets[0]!.ci });
    expect(by.has('devel')).toBe(false);
    // A group seen only as a small cell has no share to give.
    const small = releaseView([week(0, { 'v0.1': 1 }), week(1, { 'v0.1': 0.99, 'v0.2': 'g' })], GROUPS);
    expect(small.find((g) => g.group === 'v0.2')).toEqual({
      group: 'v0.2',
      firstWeek: '2026-01-11',
      milestones: [
        { threshold: 0.25, status: 'not yet', week: null, weeks: null },
        { threshold: 0.5, status: 'not yet', week: null, weeks: null },
      ],
      latest: null,
    });
  });

  it('does not count devel or unknown as a newer version', () => {
    const v = releaseView([week(0, { 'v0.1': 0.4, devel: 0.6 })], GROUPS);
    expect(v.find((g) => g.group === 'v0.1')!.milestones[1]!.status).toBe('not yet');
    expect(v.find((g) => g.group === 'devel')!.milestones[1]!.status).toBe('reached');
  });
});
