import { describe, expect, it } from 'vitest';
import { addDays, type Day, toDay } from '../../src/lib/dates.ts';
import { type DayReports, findSuspectDays, SUSPECT_MEDIAN } from '../../src/pipeline/suspect.ts';

/** Consecutive days from 2026-01-05: a number is a day read with that many reports, 'a' absent, 'm' missing. */
function range(...days: (number | 'a' | 'm')[]): DayReports[] {
  const start = toDay('2026-01-05');
  return days.map((d, i): DayReports => {
    const day: Day = addDays(start, i);
    return typeof d === 'number' ? { day, status: 'present', reports: d } : { day, status: d === 'a' ? 'absent' : 'missing', reports: null };
  });
}

describe('suspect days', () => {
  it('flags an absent day between busy days, with the median of the days read around it', () => {
    const days = range(300, 310, 320, 'a', 'a', 330, 340);
    expect(findSuspectDays(days)).toEqual([
      { day: days[3]!.day, medianReports: 320, windowDays: 5 },
      { day: days[4]!.day, medianReports: 320, windowDays: 5 },
    ]);
  });

  it('never flags a day at the edge of the range, before the first or after the last day with reports', () => {
    expect(findSuspectDays(range('a', 300, 300, 300, 'a'))).toEqual([]);
    // Days read with no reports do not count as days with reports.
    expect(findSuspectDays(range(0, 'a', 300, 300))).toEqual([]);
  });

  it('leaves quiet periods alone: the median must be at least 50', () => {
    expect(findSuspectDays(range(49, 49, 'a', 51, 51))).toEqual([{ day: toDay('2026-01-07'), medianReports: SUSPECT_MEDIAN, windowDays: 4 }]);
    expect(findSuspectDays(range(40, 49, 'a', 50, 51))).toEqual([]);
    // A few busy days around a quiet spell do not make it busy.
    expect(findSuspectDays(range(400, 2, 2, 'a', 3, 3, 400))).toEqual([]);
  });

  it('looks only 7 days each way, leaves out days not read, and ignores missing days as candidates', () => {
    // Eight busy days far before, then quiet: only the 7 nearest on each side count.
    const days = range(900, 900, 900, 900, 900, 900, 900, 900, 10, 10, 10, 10, 10, 10, 10, 'a', 10, 'm', 10);
    expect(findSuspectDays(days)).toEqual([]);
    expect(findSuspectDays(range(300, 'm', 300))).toEqual([]);
  });
});
