/**
 * What a build publishes, from the raw weekly estimates: the small-cell rule
 * (docs/methodology.md §7) applied to every chart and week, and the
 * week-over-week changes (§5) between published buckets.
 *
 * Small cells are a reliability measure: the archive itself is public, so a
 * figure anyone can recount is not hidden. A bucket seen by 1 to k-1
 * installations is never shown on its own; such buckets are grouped into
 * "other (each < k)", counted as the sum of their reports (an upper bound of
 * the installations having any of them). A group below k shows as "< k".
 * Nothing else is withheld: a bucket seen by k or more installations is
 * always published. A true 0 is shown, with its Wilson upper bound.
 * Dominance: a bucket where one system holds more than half of the events
 * publishes no event figures (mean, event share).
 *
 * With `suppressComplements` (archives that are not public) a group below k
 * must not be recoverable from anything published. Where the buckets are
 * exclusive and a total is published (metadata charts, whose values nearly
 * partition the reports; counter charts where every active system has
 * exactly one bucket, so the counts add up to nActive), the next-smallest
 * bucket is hidden as well; on other counter charts the event shares add up
 * to 1, so the next-smallest bucket's event figures are hidden. Skew
 * compositions (a category's sample share with its n gives its count) are
 * published only for dimensions where they reveal no more than the chart
 * does (`publishedSkew`).
 *
 * Breakdowns (a counter chart by program Version, GOOS and GoVersion) follow
 * the same rule inside each group: a bucket seen by 1 to k-1 installations of
 * the group is grouped into the group's "other (each < k)". Groups with
 * fewer than k eligible installations are merged into one group
 * "other (each n < k)", counted as the sums of its members (a report in two
 * of them counts in both); when that group's n is itself below k it shows as
 * "< k", without figures. With `suppressComplements` no breakdown is
 * published at all: a group's counts next to the chart's would give withheld
 * cells away.
 *
 * Version comparisons: per week and counter chart, the newest published
 * Version group (n >= k, a version, not "unknown", "devel" or the group of
 * small groups) against the one before it, bucket by bucket, with the same
 * test and flag rule as week-over-week changes (Newcombe interval, pooled
 * score test, n >= 50 in both, Benjamini-Hochberg over every comparison of
 * the week, a bucket published in at least one of the two groups). The two
 * groups are treated as independent samples; an installation that upgraded
 * during the week is in both. Provisional and incomplete weeks are not
 * tested, as for changes.
 *
 * Changes: every bucket of either of two consecutive weeks is compared: a
 * metadata value seen in only one of them (it appears, 0 -> p, or vanishes,
 * p -> 0) is a true 0 in the other. A bucket published (not grouped or hidden)
 * in at least one of the weeks, with n >= 50 in both, is tested (pooled score
 * test, Newcombe interval), unless the other week hides it (complementary
 * suppression): the difference would give the hidden figure away.
 * Benjamini-Hochberg runs over everything tested between the same two weeks,
 * so a final week's flags never change when later weeks are added. A change is flagged when the adjusted p <= 0.05, the
 * interval excludes 0 and it is at least 1 point (or 50% of a rare bucket's
 * previous share). A provisional or incomplete week is never the later week
 * of a test: early uploaders are not a random part of a week, so its buckets'
 * changes are "provisional, not tested" (UntestedChange).
 */
import type { WeekName } from '../lib/dates.ts';
import { flagChanges, type Comparison, type FlagFailure } from './changes.ts';
import type { Interval } from './intervals.ts';
import { wilson } from './intervals.ts';
import {
  type BreakdownEstimate,
  type BreakdownGroupEstimate,
  type BucketEstimate,
  type ChartEstimate,
  type ProgramWeek,
  type WeekEstimates,
  zeroBucket,
} from './weekly.ts';
import type { BreakdownDimension } from '../reduce/spec.ts';
import type { DimensionSkew } from '../skew/skew.ts';
import { OTHER } from '../skew/reference.ts';

export type CellStatus = 'published' | 'grouped' | 'hidden';

/** The small-cell policy: `group` (the default, for public archives) or `suppress-complements`. */
export type SmallCellPolicy = 'group' | 'suppress-complements';

export interface SmallCellOptions {
  /** The threshold k (`--min-cell`); 1 turns the rule off. */
  minCell: number;
  /** Complementary suppression (`--suppress-complements`). */
  suppressComplements: boolean;
}

export function smallCellPolicy(o: SmallCellOptions): SmallCellPolicy {
  return o.suppressComplements ? 'suppress-complements' : 'group';
}

export interface BucketChange {
  /** Absent on a tested change (see UntestedChange). */
  status?: undefined;
  /** Current minus previous share. */
  difference: number;
  ci: Interval;
  p: number;
  adjustedP: number;
  flagged: boolean;
  /** Flag conditions that failed (empty when flagged). */
  failed: FlagFailure[];
}

/**
 * The change into a week that is provisional or incomplete: not tested, so
 * never flagged (its early uploaders are not a random part of the week).
 */
export interface UntestedChange {
  status: 'provisional';
  flagged: false;
}

/** The change of every bucket into a provisional or incomplete week. */
export const UNTESTED_CHANGE: UntestedChange = Object.freeze({ status: 'provisional', flagged: false });

export interface PublishedBucket extends BucketEstimate {
  /** published; grouped into "other" (fewer than k installations); hidden (complementary suppression, only with suppressComplements). */
  status: CellStatus;
  /** Event figures hidden: by complementary suppression of event shares, or because one system holds most of the events. */
  eventsHidden?: 'complementary' | 'dominance';
  /**
   * The change from the week before: tested (BucketChange); not tested because
   * this week is provisional or incomplete (UntestedChange); null when it could
   * not be tested (published in neither week, or n < 50 in one); absent in the
   * first week.
   */
  change?: BucketChange | UntestedChange | null;
}

export interface OtherGroup {
  label: string;
  members: string[];
  /** Σ x of the members; null when suppressed. */
  x: number | null;
  share: number | null;
  ci: Interval | null;
  /** True when the group itself has fewer than k reports (shown as "< k"). */
  suppressed: boolean;
}

/** A bucket of a breakdown group: its count and share, or (grouped into the group's "other") its name only. */
export type PublishedBreakdownBucket = { bucket: string; status: 'published'; x: number; share: number; ci: Interval } | { bucket: string; status: 'grouped' };

/**
 * A group of a breakdown as published. A group of k or more installations
 * has every bucket of the chart and its "other (each < k)"; the group of
 * small groups (`members` set) has them too when its n reaches k, and is
 * `suppressed` (n null, no buckets) otherwise.
 */
export interface PublishedBreakdownGroup {
  group: string;
  n: number | null;
  /** The groups of fewer than k installations merged into this one; absent on an ordinary group. */
  members?: string[];
  suppressed: boolean;
  buckets: PublishedBreakdownBucket[];
  other: OtherGroup | null;
}

export interface PublishedBreakdown {
  by: BreakdownDimension;
  groups: PublishedBreakdownGroup[];
}

/**
 * The newest Version group of a chart's week against the one before it: per
 * bucket (the chart's order) the change newest minus previous (tested), or
 * null when it could not be tested (grouped in both, or n < 50 in one). With
 * `status: "provisional"` the week is provisional or incomplete and nothing
 * is tested (every change null).
 */
export interface VersionComparison {
  newest: string;
  previous: string;
  status?: 'provisional';
  buckets: { bucket: string; change: BucketChange | null }[];
}

export interface PublishedChart extends Omit<ChartEstimate, 'buckets' | 'breakdowns'> {
  buckets: PublishedBucket[];
  other: OtherGroup | null;
  /** Counter charts with two published Version groups, under the default small-cell policy. */
  versionComparison?: VersionComparison;
  /** Counter charts under the default small-cell policy (none with suppressComplements). */
  breakdowns?: PublishedBreakdown[];
  /**
   * nActive is withheld (suppressComplements): the chart is exclusive, its
   * group is under k and no other bucket has reports, so nActive would be
   * the group's count.
   */
  nActiveHidden?: true;
}

export interface CompositionShift {
  dimension: 'GOOS' | 'Version' | 'GoVersion';
  /**
   * Total variation distance between this week's and the previous week's
   * composition; null where the site data withholds it (with
   * suppressComplements, when the dimension's chart withholds a bucket in
   * either week: the distance would narrow the withheld counts down).
   */
  tvd: number | null;
}

export interface PublishedProgram extends Omit<ProgramWeek, 'charts'> {
  charts: PublishedChart[];
  /** Metadata compositions that moved by 5 points or more (TVD) since the previous week. */
  compositionShifts: CompositionShift[];
}

export interface PublishedWeek {
  week: WeekName;
  reports: number;
  programs: PublishedProgram[];
}

export interface FlaggedChange {
  week: WeekName;
  program: string;
  chart: string;
  bucket: string;
  previous: number;
  current: number;
  change: BucketChange;
  compositionShifts: CompositionShift[];
}

/** A flagged version comparison (see VersionComparison). */
export interface FlaggedComparison {
  week: WeekName;
  program: string;
  chart: string;
  bucket: string;
  newest: string;
  previous: string;
  /** The bucket's share in the newest and in the previous group. */
  newestShare: number;
  previousShare: number;
  change: BucketChange;
}

const COMPOSITION_SHIFT = 0.05;

/**
 * Whether the chart's counts add up to a published total: a metadata chart's
 * values (nearly) partition its n reports; a counter chart where every active
 * system has exactly one bucket adds up to nActive.
 */
function isExclusive(c: Omit<ChartEstimate, 'breakdowns'>): boolean {
  return c.kind === 'metadata' || (c.kind === 'counter' && c.nActive > 0 && c.buckets.reduce((a, b) => a + b.x, 0) === c.nActive);
}

/** The published bucket with the fewest reports (or events), of those with any. */
function smallest(buckets: PublishedBucket[], by: (b: PublishedBucket) => number): PublishedBucket | null {
  return buckets.filter((b) => by(b) > 0).reduce<PublishedBucket | null>((m, b) => (m === null || by(b) < by(m) ? b : m), null);
}

/** Applies the small-cell rule with threshold k (k = 1 turns it off), to the buckets and to the breakdowns. */
export function applySmallCells(chart: ChartEstimate, opts: SmallCellOptions): PublishedChart {
  const { breakdowns, ...c } = chart;
  const out = applyToBuckets(c, opts);
  if (breakdowns && !opts.suppressComplements) out.breakdowns = publishBreakdowns(breakdowns, opts.minCell);
  return out;
}

function applyToBuckets(c: Omit<ChartEstimate, 'breakdowns'>, opts: SmallCellOptions): PublishedChart {
  const k = opts.minCell;
  const buckets: PublishedBucket[] = c.buckets.map((b) => ({ ...b, status: 'published' }));
  for (const b of buckets) if (k > 1 && b.events > 0 && (b.maxEvents ?? 0) > b.events / 2) b.eventsHidden = 'dominance';
  if (k <= 1) return { ...c, buckets, other: null };
  const small = buckets.filter((b) => b.x >= 1 && b.x < k);
  if (small.length === 0) return { ...c, buckets, other: null };
  for (const b of small) b.status = 'grouped';
  const x = small.reduce((a, b) => a + b.x, 0);
  const suppressed = x < k;
  const other: OtherGroup = {
    label: `other (each < ${k})`,
    members: small.map((b) => b.bucket),
    x: suppressed ? null : x,
    share: suppressed || c.n === 0 ? null : Math.min(1, x / c.n),
    ci: suppressed ? null : wilson(Math.min(x, c.n), c.n),
    suppressed,
  };
  if (suppressed && opts.suppressComplements) {
    const shown = () => buckets.filter((b) => b.status === 'published');
    if (isExclusive(c)) {
      const next = smallest(shown(), (b) => b.x);
      if (next) next.status = 'hidden';
      else if (c.kind === 'counter') return { ...c, buckets, other, nActiveHidden: true };
    } else if (c.kind === 'counter') {
      // Event shares add up to 1 (and the mean compositions too): one more bucket's event figures go.
      const next = smallest(
        shown().filter((b) => !b.eventsHidden),
        (b) => b.events,
      );
      if (next) next.eventsHidden = 'complementary';
    }
  }
  return { ...c, buckets, other };
}

/** A breakdown group with the small-cell rule of buckets applied inside it (k > 1). */
function publishGroup(g: BreakdownGroupEstimate, k: number, members?: string[]): PublishedBreakdownGroup {
  const small = k > 1 ? g.buckets.filter((b) => b.x >= 1 && b.x < k) : [];
  const buckets = g.buckets.map((b): PublishedBreakdownBucket => (small.includes(b) ? { bucket: b.bucket, status: 'grouped' } : { ...b, status: 'published' }));
  let other: OtherGroup | null = null;
  if (small.length > 0) {
    const x = small.reduce((a, b) => a + b.x, 0);
    const suppressed = x < k;
    other = {
      label: `other (each < ${k})`,
      members: small.map((b) => b.bucket),
      x: suppressed ? null : x,
      share: suppressed ? null : Math.min(1, x / g.n),
      ci: suppressed ? null : wilson(Math.min(x, g.n), g.n),
      suppressed,
    };
  }
  return { group: g.group, n: g.n, ...(members ? { members } : {}), suppressed: false, buckets, other };
}

/** The label of the group that holds the breakdown groups of fewer than k installations. */
function smallGroupsLabel(k: number): string {
  return `other (each n < ${k})`;
}

/** Applies the small-cell rule to a chart's breakdowns (docs/methodology.md §7); k = 1 turns it off. */
function publishBreakdowns(breakdowns: BreakdownEstimate[], k: number): PublishedBreakdown[] {
  return breakdowns.map(({ by, groups }) => {
    const small = k > 1 ? groups.filter((g) => g.n < k) : [];
    const out = groups.filter((g) => !small.includes(g)).map((g) => publishGroup(g, k));
    if (small.length > 0) {
      const members = small.map((g) => g.group);
      const n = small.reduce((a, g) => a + g.n, 0);
      if (n < k) out.push({ group: smallGroupsLabel(k), n: null, members, suppressed: true, buckets: [], other: null });
      else {
        const buckets = small[0]!.buckets.map((b, i) => {
          const x = small.reduce((a, g) => a + g.buckets[i]!.x, 0);
          return { bucket: b.bucket, x, share: x / n, ci: wilson(x, n) };
        });
        out.push(publishGroup({ group: smallGroupsLabel(k), n, buckets }, k, members));
      }
    }
    return { by, groups: out };
  });
}

/** The buckets of a chart that are not published on their own (grouped or hidden). */
function withheld(c: PublishedChart): PublishedBucket[] {
  return c.buckets.filter((b) => b.status !== 'published');
}

/**
 * The skew compositions a program publishes. Under the default policy, all
 * of them. With suppressComplements, a dimension's composition gives each
 * category's count (its sample share times n, or its ratio to any other
 * category), so it is published only when it tells no more than the chart
 * does: every bucket the chart withholds falls in no category, or all of
 * them in one category and their sum is published anyway (a group of k or
 * more, or an exclusive chart's total minus the published counts).
 * Otherwise the dimension is left out.
 */
export function publishedSkew(skew: DimensionSkew[], charts: PublishedChart[], opts: SmallCellOptions): DimensionSkew[] {
  if (!opts.suppressComplements) return skew;
  return skew.filter((d) => {
    const chart = charts.find((c) => c.chart === d.dimension && c.kind === 'metadata') ?? charts.find((c) => c.chart === d.dimension);
    if (!chart) return true;
    const listed = new Set(d.categories.map((c) => c.category));
    const target = (b: string): string | null => (listed.has(b) ? b : listed.has(OTHER) ? OTHER : null);
    const targets = new Set(withheld(chart).map((b) => target(b.bucket)));
    if (targets.size === 0 || (targets.size === 1 && targets.has(null))) return true;
    const sumPublished = (chart.other !== null && !chart.other.suppressed) || (isExclusive(chart) && !chart.nActiveHidden);
    return targets.size === 1 && sumPublished;
  });
}

function publishProgram(p: ProgramWeek, cells: SmallCellOptions): PublishedProgram {
  const charts = p.charts.map((c) => applySmallCells(c, cells));
  return { ...p, charts, skew: publishedSkew(p.skew, charts, cells), compositionShifts: [] };
}

function isShownBucket(b: PublishedBucket | undefined): boolean {
  return b !== undefined && b.status === 'published';
}

function metaComposition(p: ProgramWeek, chart: string): Map<string, number> | null {
  const c = p.charts.find((x) => x.chart === chart);
  if (!c || c.n === 0) return null;
  // Fractional composition: each report's values share one unit.
  return new Map(c.buckets.map((b) => [b.bucket, b.composition?.estimate ?? 0]));
}

function tvd(a: Map<string, number>, b: Map<string, number>): number {
  const keys = new Set([...a.keys(), ...b.keys()]);
  let s = 0;
  for (const k of keys) s += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0));
  return s / 2;
}

/** What publishWeeks needs to know of the weeks besides their estimates. */
export interface PublishOptions {
  /** Weeks that are provisional or incomplete: never the later week of a test. */
  untested?: ReadonlySet<WeekName>;
  /**
   * Also keep grouped buckets out of the tests, so that no change gives a
   * withheld figure away (for archives that are not public). A hidden bucket
   * (complementary suppression) is never tested either way. Default: the
   * small-cell options' suppressComplements.
   */
  protectWithheld?: boolean;
}

/** Whether a bucket can be tested: published in one of the weeks, and no withheld figure read back from the difference. */
function testable(b: PublishedBucket, pb: PublishedBucket, protectWithheld: boolean): boolean {
  if (b.status === 'hidden' || pb.status === 'hidden') return false;
  if (protectWithheld && (b.status !== 'published' || pb.status !== 'published')) return false;
  return isShownBucket(b) || isShownBucket(pb);
}

/** The buckets of a chart to compare with the week before: every bucket of either week, a missing one as a true 0 (in the current week's chart, so its change is published). */
function comparedBuckets(c: PublishedChart, pc: PublishedChart, seen: readonly string[], seenBefore: readonly string[]): [PublishedBucket, PublishedBucket][] {
  const now = new Map(c.buckets.map((b) => [b.bucket, b]));
  const before = new Map(pc.buckets.map((b) => [b.bucket, b]));
  const names = [...seen, ...seenBefore.filter((b) => !seen.includes(b))];
  return names.map((name) => {
    let b = now.get(name);
    if (!b) {
      b = { ...zeroBucket(name, c.n), status: 'published' };
      c.buckets.push(b);
    }
    return [b, before.get(name) ?? { ...zeroBucket(name, pc.n), status: 'published' }];
  });
}

/**
 * Publishes every week: small cells, changes against the previous week,
 * composition shifts, and the list of flagged changes. The weeks in
 * `options.untested` get UntestedChange on every bucket.
 */
export function publishWeeks(
  weeks: { week: WeekName; estimates: WeekEstimates }[],
  cells: SmallCellOptions,
  options: PublishOptions = {},
): { weeks: PublishedWeek[]; flagged: FlaggedChange[]; comparisons: FlaggedComparison[] } {
  const out: PublishedWeek[] = weeks.map(({ week, estimates }) => ({
    week,
    reports: estimates.reports,
    programs: estimates.programs.map((p) => publishProgram(p, cells)),
  }));
  const comparisons = out.flatMap((w, wi) => compareVersions(w, weeks[wi]!.estimates, options.untested?.has(w.week) ?? false));
  const flagged: FlaggedChange[] = [];
  for (let w = 1; w < out.length; w++) {
    const cur = out[w]!;
    const prev = out[w - 1]!;
    const untested = options.untested?.has(cur.week) ?? false;
    const comparisons: Comparison[] = [];
    const targets: { program: PublishedProgram; chart: PublishedChart; bucket: PublishedBucket; previous: PublishedBucket }[] = [];
    cur.programs.forEach((p, pi) => {
      const pp = prev.programs[pi]!;
      const curRaw = weeks[w]!.estimates.programs[pi]!;
      const prevRaw = weeks[w - 1]!.estimates.programs[pi]!;
      for (const dimension of ['GOOS', 'Version', 'GoVersion'] as const) {
        const a = metaComposition(curRaw, dimension);
        const b = metaComposition(prevRaw, dimension);
        if (a && b) {
          const d = tvd(a, b);
          if (d >= COMPOSITION_SHIFT) p.compositionShifts.push({ dimension, tvd: d });
        }
      }
      p.charts.forEach((c, ci) => {
        const pc = pp.charts[ci]!;
        // The buckets of the estimates, not of the published chart, which holds true zeros added here.
        const seen = curRaw.charts[ci]!.buckets.map((b) => b.bucket);
        const seenBefore = prevRaw.charts[ci]!.buckets.map((b) => b.bucket);
        for (const [b, pb] of comparedBuckets(c, pc, seen, seenBefore)) {
          if (untested) {
            b.change = UNTESTED_CHANGE;
            continue;
          }
          const ok = testable(b, pb, options.protectWithheld ?? cells.suppressComplements);
          comparisons.push({
            current: { x: b.x, n: c.n, published: ok && isShownBucket(b) },
            previous: { x: pb.x, n: pc.n, published: ok && isShownBucket(pb) },
          });
          targets.push({ program: p, chart: c, bucket: b, previous: pb });
        }
      });
    });
    const results = flagChanges(comparisons);
    results.forEach((r, i) => {
      const t = targets[i]!;
      if (r.difference === null || r.interval === null || r.pValue === null || Number.isNaN(r.adjustedP)) {
        t.bucket.change = null;
        return;
      }
      const change: BucketChange = {
        difference: r.difference,
        ci: [r.interval[0], r.interval[1]],
        p: r.pValue,
        adjustedP: r.adjustedP,
        flagged: r.flag,
        failed: r.failed,
      };
      t.bucket.change = change;
      if (r.flag) {
        flagged.push({
          week: cur.week,
          program: t.program.program,
          chart: t.chart.chart,
          bucket: t.bucket.bucket,
          previous: t.previous.share,
          current: t.bucket.share,
          change,
          compositionShifts: t.program.compositionShifts,
        });
      }
    });
  }
  return { weeks: out, flagged, comparisons };
}

const VERSION_GROUP = /^v\d+\.\d+$/;

/** Sets every counter chart's versionComparison in a published week; returns the flagged ones. */
function compareVersions(week: PublishedWeek, raw: WeekEstimates, untested: boolean): FlaggedComparison[] {
  const targets: { program: string; chart: PublishedChart; bucket: string; newest: BreakdownGroupEstimate; previous: BreakdownGroupEstimate; i: number }[] = [];
  const tests: Comparison[] = [];
  week.programs.forEach((p, pi) => {
    p.charts.forEach((c, ci) => {
      const published = c.breakdowns?.find((b) => b.by === 'Version');
      const estimates = raw.programs[pi]!.charts[ci]!.breakdowns?.find((b) => b.by === 'Version');
      if (!published || !estimates) return;
      const shown = published.groups.filter((g) => !g.suppressed && !g.members && VERSION_GROUP.test(g.group));
      if (shown.length < 2) return;
      const [prevPub, newPub] = [shown.at(-2)!, shown.at(-1)!];
      const previous = estimates.groups.find((g) => g.group === prevPub.group)!;
      const newest = estimates.groups.find((g) => g.group === newPub.group)!;
      c.versionComparison = {
        newest: newest.group,
        previous: previous.group,
        ...(untested ? { status: 'provisional' as const } : {}),
        buckets: newest.buckets.map((b) => ({ bucket: b.bucket, change: null })),
      };
      if (untested) return;
      newest.buckets.forEach((b, i) => {
        const pb = previous.buckets[i]!;
        tests.push({
          current: { x: b.x, n: newest.n, published: newPub.buckets[i]!.status === 'published' },
          previous: { x: pb.x, n: previous.n, published: prevPub.buckets[i]!.status === 'published' },
        });
        targets.push({ program: p.program, chart: c, bucket: b.bucket, newest, previous, i });
      });
    });
  });
  const flagged: FlaggedComparison[] = [];
  flagChanges(tests).forEach((r, k) => {
    const t = targets[k]!;
    if (r.difference === null || r.interval === null || r.pValue === null || Number.isNaN(r.adjustedP)) return;
    const change: BucketChange = {
      difference: r.difference,
      ci: [r.interval[0], r.interval[1]],
      p: r.pValue,
      adjustedP: r.adjustedP,
      flagged: r.flag,
      failed: r.failed,
    };
    t.chart.versionComparison!.buckets[t.i]!.change = change;
    if (r.flag) {
      flagged.push({
        week: week.week,
        program: t.program,
        chart: t.chart.chart,
        bucket: t.bucket,
        newest: t.newest.group,
        previous: t.previous.group,
        newestShare: t.newest.buckets[t.i]!.share,
        previousShare: t.previous.buckets[t.i]!.share,
        change,
      });
    }
  });
  return flagged;
}
