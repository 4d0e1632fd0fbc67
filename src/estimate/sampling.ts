/**
 * The design's sampling arithmetic, per week (docs/methodology.md §4): each
 * installation that wrote a report for a week uploads it only when its random
 * X <= SampleRate S, so the week's reports R are Binomial(N, S), where N is
 * the number of opted-in installations that wrote a report that week. From R
 * and S this module gives N with an interval, how often an installation
 * uploads, the margin the week's reports reach, and the SampleRate that would
 * give the reports needed for ±1 point at 99%.
 *
 * What it cannot know: installations that never opted in, and opted-in
 * installations that wrote no report that week (not used, or offline), are
 * outside N.
 */
import { z99, zForConfidence } from './normal.ts';
import type { Interval } from './intervals.ts';
import { PRECISION_NOTE_THRESHOLD } from './sample-size.ts';

/** N, the opted-in installations that wrote a report, implied by R reports at SampleRate S. */
export interface ImpliedInstallations {
  /** R/S, the unbiased estimate. */
  estimate: number;
  /**
   * The score interval: every N for which R is within z standard deviations
   * of N·S, i.e. the roots of (R − N·S)² = z²·N·S(1 − S). Never below R
   * (an installation uploads at most one report a week); [R, R] when S = 1.
   */
  interval: Interval;
}

/**
 * N implied by R reports at SampleRate S (0 < S <= 1) with a 95% score
 * interval (or `conf`). Throws RangeError on R < 0, a non-integer R, or S
 * outside (0, 1].
 */
export function impliedInstallations(reports: number, sampleRate: number, conf = 0.95): ImpliedInstallations {
  if (!(Number.isInteger(reports) && reports >= 0)) throw new RangeError(`reports must be a non-negative integer, got ${reports}`);
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new RangeError(`SampleRate must be in (0, 1], got ${sampleRate}`);
  const s = sampleRate;
  const r = reports;
  if (s === 1) return { estimate: r, interval: [r, r] };
  const z = zForConfidence(conf);
  // s²N² − (2Rs + z²s(1−s))N + R² = 0
  const b = 2 * r * s + z * z * s * (1 - s);
  const disc = Math.sqrt(Math.max(0, b * b - 4 * s * s * r * r));
  const lower = (b - disc) / (2 * s * s);
  const upper = (b + disc) / (2 * s * s);
  return { estimate: r / s, interval: [Math.max(r, lower), upper] };
}

/** The worst-case (p = ½) half-width in points that n reports give at `conf`: 100·z·0.5/√n. */
export function worstCaseMargin(n: number, conf: number): number {
  if (!(n > 0)) return Number.POSITIVE_INFINITY;
  const z = conf === 0.99 ? z99 : zForConfidence(conf);
  return (100 * z * 0.5) / Math.sqrt(n);
}

/** One week of the sampling page. */
export interface WeekSampling {
  reports: number;
  sampleRate: number;
  installations: ImpliedInstallations;
  /** Weeks between two uploads of one installation on average: 1/S. */
  weeksPerUpload: number;
  /** The worst-case margin of a share over all the week's reports, at 99% (the design's level). */
  margin99: number;
  /** The SampleRate at which the implied N would give `target` reports (capped at 1), or null when N is 0. */
  neededRate: number | null;
  /** The reports needed for ±1 point at 99%: 16,588. */
  target: number;
  /** True when even S = 1 would give fewer than `target` reports. */
  targetOutOfReach: boolean;
}

/** The design's arithmetic for a week of R reports at SampleRate S. */
export function weekSampling(reports: number, sampleRate: number, target: number = PRECISION_NOTE_THRESHOLD): WeekSampling {
  const installations = impliedInstallations(reports, sampleRate);
  const n = installations.estimate;
  return {
    reports,
    sampleRate,
    installations,
    weeksPerUpload: 1 / sampleRate,
    margin99: worstCaseMargin(reports, 0.99),
    neededRate: n > 0 ? Math.min(1, target / n) : null,
    target,
    targetOutOfReach: n < target,
  };
}
