/**
 * Days without reports that look like lost data rather than a quiet day
 * (docs/methodology.md §1, "Complete weeks"). A day is suspect when:
 *
 * - the source has no file for it (a folder) or answers 404 (HTTP): status
 *   'absent' (a day that could not be fetched or read is 'missing' already);
 * - some earlier day and some later day of the build's range were read and
 *   hold reports, so it lies between days that have reports (the first and
 *   last days of an archive, before uploads start or after they stop, are
 *   not suspect);
 * - the median of the accepted reports of the days read among the 7 days
 *   before it and the 7 days after it (only those inside the build's range;
 *   absent, missing and unreadable days of that window are left out; the
 *   median of an even number of days is the mean of the middle two) is at
 *   least SUSPECT_MEDIAN.
 *
 * A week holding a suspect day is incomplete: it never becomes final.
 */
import type { Day } from '../lib/dates.ts';

/** Days on each side of a day without reports whose reports are looked at. */
export const SUSPECT_WINDOW = 7;

/** The median of reports around a day without reports from which the day is suspect. */
export const SUSPECT_MEDIAN = 50;

/** One day of the build's range, as the source gave it. */
export interface DayReports {
  day: Day;
  status: 'present' | 'absent' | 'missing' | 'unreadable';
  /** Accepted reports of a day read; null for a day not read. */
  reports: number | null;
}

/** A day without reports where reports were expected. */
export interface SuspectDay {
  day: Day;
  /** The median of the accepted reports of the days read around it (see the rule). */
  medianReports: number;
  /** How many days read the median is of (at most 2 × SUSPECT_WINDOW). */
  windowDays: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The suspect days of a range, in order. `days` is every day of the range, consecutive and in order. */
export function findSuspectDays(days: readonly DayReports[]): SuspectDay[] {
  const read = (d: DayReports | undefined): d is DayReports & { reports: number } => d !== undefined && d.status === 'present' && d.reports !== null;
  const hasReports = days.map((d) => read(d) && d.reports > 0);
  const firstWithReports = hasReports.indexOf(true);
  const lastWithReports = hasReports.lastIndexOf(true);
  const out: SuspectDay[] = [];
  days.forEach((d, i) => {
    if (d.status !== 'absent' || !(firstWithReports < i && i < lastWithReports)) return;
    const window: number[] = [];
    for (let j = i - SUSPECT_WINDOW; j <= i + SUSPECT_WINDOW; j++) {
      const w = days[j];
      if (j !== i && read(w)) window.push(w.reports);
    }
    if (window.length === 0) return;
    const m = median(window);
    if (m >= SUSPECT_MEDIAN) out.push({ day: d.day, medianReports: m, windowDays: window.length });
  });
  return out;
}
