/**
 * Weekly estimates for one week bin: per program and chart, per bucket the
 * share of eligible reporting installations with the bucket (Wilson 95%),
 * mean events per system and share of events (delta method; an upper bound
 * when the bucket has no events), the median and 90th percentile of events
 * among systems with the bucket (from the partials' histogram) with the
 * mean's "approximate" marker, and the per-system mean composition. Stack
 * counters give every stack seen, most frequent first, with the share of
 * eligible reports that hold them. Counter charts are also broken down by
 * program Version, GOOS and GoVersion: per group, each bucket's share of the
 * group's eligible reports (Wilson 95%; docs/methodology.md §9).
 */
import type { Breakdowns, ChartPartial, ProgramPartial, Totals } from '../reduce/partial.ts';
import { BREAKDOWN_DIMENSIONS, type BreakdownDimension } from '../reduce/spec.ts';
import { bucketOrderForChart, orderBuckets } from '../lib/order.ts';
import type { MetadataChart } from '../reduce/spec.ts';
import type { Reference } from '../skew/reference.ts';
import { dimensionSkew, type DimensionSkew } from '../skew/skew.ts';
import { adjustProgram, type AdjustedShare, type Adjustment } from './adjust.ts';
import type { ChartSpec, ProgramSpec, ReduceSpec } from '../reduce/spec.ts';
import { METADATA_CHARTS } from '../reduce/spec.ts';
import type { Interval } from './intervals.ts';
import { wilson } from './intervals.ts';
import {
  type ApproximateReason,
  approximateMarker,
  type DeltaEstimate,
  meanEvents,
  meanOfRatios,
  ratioOfTotals,
  top1PercentShareOfHist,
  zeroEventShare,
  zeroMeanEvents,
} from './means.ts';
import { histQuantile } from '../reduce/histogram.ts';
import { dict, own } from '../lib/dict.ts';
import { goVersionKey, semverKey } from '../lib/versions.ts';

export type ChartKind = 'counter' | 'metadata' | 'stack';

export interface BucketEstimate {
  bucket: string;
  /** Eligible reports with the bucket. */
  x: number;
  /** Share x/n of eligible reports, with its Wilson 95% interval. */
  share: number;
  ci: Interval;
  /** x divided by every report of the program, ignoring sampling rates (what a raw count dashboard shows). */
  naiveShare: number;
  /** Σ counts over eligible reports. */
  events: number;
  /** Mean events per eligible system, delta-method interval; null for metadata charts or n < 2. */
  meanEvents: DeltaEstimate | null;
  /** Share of all the chart's events, delta-method (ratio of totals); null when there are none. */
  eventShare: DeltaEstimate | null;
  /** Mean over systems with any event of the bucket's fraction of their events. */
  composition: DeltaEstimate | null;
  /** The largest count one system contributed (an upper bound after re-uploads replaced a report). */
  maxEvents?: number;
  /**
   * Counter charts: the median and 90th percentile of events per installation
   * among the eligible installations with the bucket (x of them), read from
   * the partials' histogram (within 9.05%, reduce/histogram.ts); null when x = 0.
   */
  eventsMedian?: number | null;
  eventsP90?: number | null;
  /**
   * Counter charts: why meanEvents' interval is approximate (fewer than 500
   * eligible installations; the top 1% of them holding more than half of the
   * events); empty when it is not; null when there is no mean.
   */
  meanApproximate?: ApproximateReason[] | null;
  /** The skew-adjusted share (see ProgramWeek.adjustment), when the build has a reference. */
  adjusted?: AdjustedShare | null;
}

/** A bucket's share among one breakdown group's eligible reports, with its Wilson 95% interval. */
export interface BreakdownBucketEstimate {
  bucket: string;
  x: number;
  share: number;
  ci: Interval;
}

/** One group of a breakdown: its eligible reports and every bucket of the chart. */
export interface BreakdownGroupEstimate {
  group: string;
  n: number;
  buckets: BreakdownBucketEstimate[];
}

/** A counter chart broken down by one dimension: its groups with any eligible report, in version order (GOOS alphabetically). */
export interface BreakdownEstimate {
  by: BreakdownDimension;
  groups: BreakdownGroupEstimate[];
}

export interface ChartEstimate {
  program: string;
  chart: string;
  kind: ChartKind;
  /** Eligible reports: the denominator of every share. */
  n: number;
  /** Eligible reports with any event in the chart. */
  nActive: number;
  buckets: BucketEstimate[];
  /** True when some bucket's adjusted share differs from the raw one by more than the raw interval's half-width. */
  sensitive?: boolean;
  /** Counter charts: the chart by program Version (not for the toolchain), GOOS and GoVersion. */
  breakdowns?: BreakdownEstimate[];
}

export interface StackEstimate {
  stack: string;
  x: number;
  share: number;
  ci: Interval;
  events: number;
  /**
   * The Version groups (major.minor) the stack was seen in, newest first,
   * with the reports holding it in a program report of the group; absent for
   * the Go toolchain. A report seen in two groups counts in both.
   */
  versions?: StackVersion[];
}

export interface StackVersion {
  group: string;
  x: number;
}

export interface StackChartEstimate {
  program: string;
  chart: string;
  n: number;
  /** Distinct stacks seen. */
  distinct: number;
  /** Every stack seen, most frequent first (the site data decides which are published). */
  top: StackEstimate[];
}

/** How a program's adjusted estimates were weighted: the adjustment without its shares (those sit on the buckets). */
export type AdjustmentInfo = Omit<Adjustment, 'charts'>;

export interface ProgramWeek {
  program: string;
  reports: number;
  charts: ChartEstimate[];
  stacks: StackChartEstimate[];
  /** Sample composition against the reference, per dimension (empty without a reference). */
  skew: DimensionSkew[];
  /** How the adjusted estimates were weighted; null without a reference or with too few reports. */
  adjustment: AdjustmentInfo | null;
}

export interface WeekEstimates {
  reports: number;
  programs: ProgramWeek[];
}

/**
 * Version of what estimateWeek returns; part of the week cache's key, so a
 * change of the estimates (not of the partials) re-estimates cached weeks.
 */
export const ESTIMATE_VERSION = 2;

function estimateChart(
  program: string,
  programReports: number,
  chart: string,
  kind: ChartKind,
  part: ChartPartial | undefined,
  bucketOrder: string[],
): ChartEstimate {
  const n = part?.n ?? 0;
  const buckets = bucketOrder.map((bucket): BucketEstimate => {
    const s = own(part?.buckets, bucket);
    const x = s ? s.reports : 0;
    const sum = s ? s.sum : 0;
    const counter = kind === 'counter';
    // No events of the bucket: an upper bound, not the delta method's [0, 0] (means.ts).
    const none = sum === 0;
    const chartSums = { n, tot: part?.tot ?? 0, tot2: part?.tot2 ?? 0 };
    const mean = !counter ? null : none ? zeroMeanEvents(chartSums) : meanEvents({ n, sum, sumSq: s ? s.sumSq : 0 });
    const hist = s?.hist ?? [];
    return {
      bucket,
      x,
      share: n > 0 ? x / n : 0,
      ci: wilson(x, n),
      naiveShare: programReports > 0 ? x / programReports : 0,
      events: counter ? sum : 0,
      meanEvents: mean,
      eventShare:
        counter && part && part.tot > 0
          ? none
            ? zeroEventShare(chartSums)
            : ratioOfTotals({ n, sumP: sum, sumN: part.tot, sumP2: s ? s.sumSq : 0, sumN2: part.tot2, sumPN: s ? s.sumTimesTotal : 0 })
          : null,
      composition: part && part.nPos > 0 ? meanOfRatios({ n: part.nPos, sum: s ? s.sumFraction : 0, sumSq: s ? s.sumFractionSq : 0 }) : null,
      ...(counter
        ? {
            maxEvents: s ? s.max : 0,
            eventsMedian: histQuantile(hist, 0.5),
            eventsP90: histQuantile(hist, 0.9),
            meanApproximate: mean ? approximateMarker(n, top1PercentShareOfHist(hist, n, sum)).reasons : null,
          }
        : {}),
    };
  });
  return { program, chart, kind, n, nActive: part?.nPos ?? 0, buckets };
}

/** The breakdowns of one counter chart: per dimension the program has, per group with eligible reports, every bucket. */
function estimateBreakdowns(
  program: string,
  chart: string,
  breakdowns: Breakdowns | undefined,
  dims: readonly BreakdownDimension[],
  bucketOrder: string[],
): BreakdownEstimate[] {
  return dims.map((by): BreakdownEstimate => {
    const groups = breakdowns?.[by];
    const cells = Object.entries(groups ?? {}).flatMap(([group, charts]) => {
      const cell = own(charts, chart);
      return cell && cell.n > 0 ? [[group, cell] as const] : [];
    });
    const byGroup = new Map(cells);
    return {
      by,
      groups: orderBuckets([...byGroup.keys()], bucketOrderForChart(by, '', program)).map((group): BreakdownGroupEstimate => {
        const cell = byGroup.get(group)!;
        return {
          group,
          n: cell.n,
          buckets: bucketOrder.map((bucket) => {
            const x = own(cell.x, bucket) ?? 0;
            return { bucket, x, share: x / cell.n, ci: wilson(x, cell.n) };
          }),
        };
      }),
    };
  });
}

/**
 * The estimate of a bucket no eligible report had this week (a metadata value
 * seen only in other weeks): x = 0 with Wilson's upper bound.
 */
export function zeroBucket(bucket: string, n: number): BucketEstimate {
  return { bucket, x: 0, share: 0, ci: wilson(0, n), naiveShare: 0, events: 0, meanEvents: null, eventShare: null, composition: null };
}

/** Metadata buckets seen, in a stable order (the caller may reorder for display). */
/** A stack's Version groups with reports: versions newest first, then `devel` and `unknown`. */
function stackVersions(groups: Readonly<Record<string, number>> | undefined): StackVersion[] {
  const entries = Object.entries(groups ?? {}).filter(([, x]) => x > 0);
  const by = new Map(entries);
  const names = entries.map(([g]) => g);
  const versions = orderBuckets(
    names.filter((g) => semverKey(g) !== null || goVersionKey(g) !== null),
    'version',
  ).reverse();
  const rest = names.filter((g) => !versions.includes(g)).sort();
  return [...versions, ...rest].map((group) => ({ group, x: by.get(group)! }));
}

function metadataValues(part: ChartPartial | undefined): string[] {
  return Object.keys(part?.buckets ?? {}).sort();
}

function adjustmentInfo(a: Adjustment): AdjustmentInfo {
  const { charts, ...rest } = a;
  return rest;
}

/** Sample composition on a reference dimension: fractional shares of a metadata field, or a chart's per-system mean composition. */
function composition(prog: ProgramPartial, dim: string): { shares: Record<string, number>; n: number } | null {
  const part = (METADATA_CHARTS as readonly string[]).includes(dim) ? prog.meta[dim as MetadataChart] : own(prog.charts, dim);
  if (!part) return null;
  const n = (METADATA_CHARTS as readonly string[]).includes(dim) ? part.n : part.nPos;
  if (!(n > 0)) return null;
  const shares = dict<number>();
  for (const [b, st] of Object.entries(part.buckets)) if (st.sumFraction > 0) shares[b] = st.sumFraction / n;
  return { shares, n };
}

export function estimateWeek(totals: Totals, spec: ReduceSpec, reference: Reference | null = null): WeekEstimates {
  const programs = spec.programs.map((p: ProgramSpec): ProgramWeek => {
    const prog = own(totals.programs, p.program);
    const reports = prog?.reports ?? 0;
    const skew: DimensionSkew[] = [];
    let adjustment: Adjustment | null = null;
    if (reference && prog) {
      for (const dim of Object.keys(reference.dimensions).sort()) {
        if (!p.strata.includes(dim)) continue;
        const c = composition(prog, dim);
        if (c) skew.push(dimensionSkew(dim, c.shares, c.n, own(reference.dimensions, dim)!));
      }
      if (prog.strata) adjustment = adjustProgram(prog.strata, reference, p);
    }
    const charts: ChartEstimate[] = [];
    for (const m of METADATA_CHARTS) {
      if (m === 'Version' && p.toolchain) continue;
      charts.push(estimateChart(p.program, reports, m, 'metadata', prog?.meta[m], metadataValues(prog?.meta[m])));
    }
    const dims = BREAKDOWN_DIMENSIONS.filter((d) => !(d === 'Version' && p.toolchain));
    for (const c of p.counters) {
      const chart = estimateChart(p.program, reports, c.chart, 'counter', own(prog?.charts, c.chart), c.buckets);
      chart.breakdowns = estimateBreakdowns(p.program, c.chart, prog?.breakdowns, dims, c.buckets);
      charts.push(chart);
    }
    const stacks = p.stacks.map((c: ChartSpec): StackChartEstimate => {
      const st = own(prog?.stacks, c.chart);
      const n = st?.n ?? 0;
      const entries = Object.entries(st?.stacks ?? {}).filter(([, v]) => v[0] > 0);
      // Most reports first; ties broken by events, then by text, so the order is stable.
      entries.sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return {
        program: p.program,
        chart: c.chart,
        n,
        distinct: entries.length,
        top: entries.map(([stack, [x, events]]) => ({
          stack,
          x,
          share: n > 0 ? x / n : 0,
          ci: wilson(Math.min(x, n), n),
          events,
          ...(p.toolchain ? {} : { versions: stackVersions(own(st?.versions, stack)) }),
        })),
      };
    });
    if (adjustment) {
      for (const c of charts) {
        const adj = own(adjustment.charts, c.chart);
        if (!adj) continue;
        for (const b of c.buckets) b.adjusted = own(adj, b.bucket) ?? null;
        c.sensitive = c.buckets.some((b) => b.adjusted && Math.abs(b.adjusted.share - b.share) > (b.ci[1] - b.ci[0]) / 2);
      }
    }
    return { program: p.program, reports, charts, stacks, skew, adjustment: adjustment && adjustmentInfo(adjustment) };
  });
  return { reports: totals.reports, programs };
}
