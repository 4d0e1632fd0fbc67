/**
 * The release view of a program: how each program Version group
 * (major.minor) spread through the installations, read from the Version
 * metadata chart's published weekly shares (the same estimates, intervals
 * and small-cell rule; nothing is recomputed).
 *
 * - A group is first seen in the first week it has an installation (a
 *   published count above 0, or a small cell grouped or hidden).
 * - It reaches a share (25%, 50%) in the first final week whose published
 *   point estimate is at least that share; provisional and incomplete weeks,
 *   and weeks too small for shares, never count. The weeks to reach it are
 *   counted from the week first seen (0: in that week).
 * - A group that has not reached it is "never" when a newer version (later
 *   in version order; not `devel` or `unknown`) reached it first, else "not
 *   yet".
 * - Its latest share is that of the latest final week with a published
 *   share, or of the latest provisional one when no final week has one (the
 *   week says which).
 */
import type { WeekName } from '../lib/dates.ts';
import { daysBetween } from '../lib/dates.ts';
import { semverKey } from '../lib/versions.ts';
import type { Interval } from './intervals.ts';
import { COUNTS_ONLY_BELOW } from './sample-size.ts';

/** The shares the release view reads: the milestones of the table. */
const RELEASE_THRESHOLDS = [0.25, 0.5] as const;

/** One bucket of a Version chart week, as the chart file publishes it. */
interface VersionBucket {
  bucket: string;
  status: string;
  x?: number;
  share?: number;
  ci?: Interval;
}

/** One week of the Version chart. */
export interface VersionWeek {
  week: WeekName;
  provisional: boolean;
  n: number;
  buckets: readonly VersionBucket[];
}

export interface ReleaseMilestone {
  /** The share, as a proportion. */
  threshold: number;
  /** `reached`: in `week`, `weeks` weeks after the week first seen; `never`: a newer group reached it first; `not yet` otherwise. */
  status: 'reached' | 'never' | 'not yet';
  week: WeekName | null;
  weeks: number | null;
}

export interface ReleaseGroup {
  group: string;
  firstWeek: WeekName;
  /** One per RELEASE_THRESHOLDS, in that order. */
  milestones: ReleaseMilestone[];
  /** The latest final week with a published share (else the latest provisional one); null when the group never had one. */
  latest: { week: WeekName; provisional: boolean; share: number; ci: Interval } | null;
}

/** The bucket's published share in the week, or null (grouped, hidden, or a week too small for shares). */
function shownShare(w: VersionWeek, group: string): { share: number; ci: Interval } | null {
  if (w.n < COUNTS_ONLY_BELOW) return null;
  const b = w.buckets.find((x) => x.bucket === group);
  if (b?.status !== 'published' || b.share === undefined || b.ci === undefined) return null;
  return { share: b.share, ci: b.ci };
}

function seen(w: VersionWeek, group: string): boolean {
  const b = w.buckets.find((x) => x.bucket === group);
  return b !== undefined && (b.status !== 'published' || (b.x ?? 0) > 0);
}

/**
 * The release view of the groups (in version order, oldest first, as the
 * Version chart lists them) over the weeks (oldest first); groups never seen
 * are left out.
 */
export function releaseView(weeks: readonly VersionWeek[], groups: readonly string[]): ReleaseGroup[] {
  const first = new Map<string, number>();
  for (const g of groups) {
    const i = weeks.findIndex((w) => seen(w, g));
    if (i >= 0) first.set(g, i);
  }
  /** Per group and threshold: the index of the week it reached it, or -1. */
  const reachedAt = new Map<string, number[]>();
  for (const [g, i0] of first) {
    reachedAt.set(
      g,
      RELEASE_THRESHOLDS.map((t) => {
        for (let i = i0; i < weeks.length; i++) {
          const w = weeks[i]!;
          if (w.provisional) continue;
          const s = shownShare(w, g);
          if (s && s.share >= t) return i;
        }
        return -1;
      }),
    );
  }
  const order = groups.filter((g) => first.has(g));
  return order.map((g, gi): ReleaseGroup => {
    const i0 = first.get(g)!;
    const firstWeek = weeks[i0]!.week;
    const milestones = RELEASE_THRESHOLDS.map((threshold, ti): ReleaseMilestone => {
      const i = reachedAt.get(g)![ti]!;
      if (i >= 0) return { threshold, status: 'reached', week: weeks[i]!.week, weeks: Math.round(daysBetween(firstWeek, weeks[i]!.week) / 7) };
      const newer = order.slice(gi + 1).some((h) => semverKey(h) !== null && reachedAt.get(h)![ti]! >= 0);
      return { threshold, status: newer ? 'never' : 'not yet', week: null, weeks: null };
    });
    let latest: ReleaseGroup['latest'] = null;
    for (const final of [true, false]) {
      for (let i = weeks.length - 1; i >= i0 && !latest; i--) {
        const w = weeks[i]!;
        const s = w.provisional === final ? null : shownShare(w, g);
        if (s) latest = { week: w.week, provisional: w.provisional, share: s.share, ci: s.ci };
      }
    }
    return { group: g, firstWeek, milestones, latest };
  });
}
