/**
 * The shapes of the site data: what the pipeline hands the site-data stage
 * (SiteData) and the files it writes, which the pages read (src/site/data.ts).
 * The pipeline and the site are always built together, so the pages read the
 * files with these types.
 *
 *   index.json                 IndexFile: build facts, weeks, programs and their charts
 *   estimates.csv, stacks.csv, breakdowns.csv  columns in tables.ts
 *   quality.json               QualityFile
 *   charts/<program>/<chart>.json   ChartFile: one chart over all weeks
 *   programs/<program>.json    ProgramFile: per week, reports, opt-in skew, adjustment
 *   changes.json               ChangesFile
 *   config/chart-config.txt, config/upload-config.json, config/reference.json   the inputs as read
 */
import type {
  FlaggedChange,
  FlaggedComparison,
  PublishedBreakdown,
  PublishedBucket,
  PublishedChart,
  PublishedProgram,
  PublishedWeek,
  SmallCellPolicy,
} from '../estimate/publish.ts';
import type { ReleaseGroup } from '../estimate/release.ts';
import type { ChartKind, StackChartEstimate, StackEstimate } from '../estimate/weekly.ts';
import type { Day, WeekName } from '../lib/dates.ts';
import type { SuspectDay } from '../pipeline/suspect.ts';
import type { Ledger } from '../reduce/partial.ts';
import type { Reference } from '../skew/reference.ts';

export interface ConfigFile {
  location: string;
  sha256: string;
  text: string;
}

export interface BuildInfo {
  source: string;
  asOf: Day;
  from: Day;
  to: Day;
  finalityDays: number;
  pipelineVersion: number;
  spec: string;
  sampleRate: number;
  chartConfig: ConfigFile;
  uploadConfig: ConfigFile;
  /** The reference population, when the build compares against one. */
  reference: (ConfigFile & ReferenceInfo) | null;
}

/** What the site tells about the reference population (the shares as given stay in config/reference.json). */
export type ReferenceInfo = Pick<Reference, 'source' | 'date' | 'size' | 'dimensions'>;

export interface WeekInfo {
  week: WeekName;
  /** Days of the bin the build looked at (days after --as-of are not). */
  days: Day[];
  present: Day[];
  /** Days the source has no file for (folder) or answers 404 (HTTP). */
  absent: Day[];
  /** Days that could not be fetched or read (--allow-missing). */
  missing: Day[];
  /** Absent days where reports were expected (the rule in pipeline/suspect.ts, docs/methodology.md §1). */
  suspectDays: Day[];
  /** False when a day of the week is missing or suspect: the week then stays provisional for good. */
  complete: boolean;
  /** True until the week is final: within --finality days of --as-of, fewer than 7 days looked at, or incomplete. */
  provisional: boolean;
  reports: number;
}

export interface ChartInfo {
  program: string;
  chart: string;
  slug: string;
  kind: ChartKind;
  /** Display type from the chart config. */
  type: string;
  title: string;
  description: string;
  issues: string[];
  /** Counter expression in the upload config ("" for metadata charts). */
  expression: string;
  rate: number;
  minVersion: string;
  /** Buckets in canonical display order (config buckets, or every value seen for metadata charts); pages list and colour them in this order. */
  buckets: string[];
  /** True when the chart config has a record for it. */
  inChartConfig: boolean;
}

export interface ProgramInfo {
  program: string;
  slug: string;
  versions: string[];
  charts: ChartInfo[];
}

export interface DayQuality {
  day: Day;
  status: 'present' | 'absent' | 'missing' | 'unreadable';
  origin: string;
  error: string | null;
  sha256: string | null;
  ledger: Ledger | null;
}

/** A chart record of the chart config that the upload config does not collect. */
export interface NotCollected {
  program: string;
  chart: string;
  title: string;
  /** Line of the record in the chart config. */
  line: number;
}

/** One week bin: what the build knows of it, and its estimates as published. */
export interface SiteWeek {
  info: WeekInfo;
  /**
   * Small-cell rule applied, changes computed. Every week made in this build
   * has it; a kept week has it only when the week after it is made (whose
   * changes and withheld cells it is compared with).
   */
  published?: PublishedWeek;
  /**
   * The week's chart weeks and digest are taken whole from the parts of the
   * last build (src/sitedata/parts.ts), which must keep them all.
   */
  kept?: boolean;
}

/** Everything the site data holds, as plain values. */
export interface SiteData {
  build: BuildInfo;
  weeks: SiteWeek[];
  flagged: FlaggedChange[];
  /** Flagged version comparisons (none with suppress-complements). */
  comparisons: FlaggedComparison[];
  /** The small-cell threshold k. */
  minCell: number;
  /** The small-cell policy: grouping only, or complementary suppression too. */
  smallCells: SmallCellPolicy;
  programs: ProgramInfo[];
  quality: DayQuality[];
  /** Days without reports where reports were expected. */
  suspect: SuspectDay[];
  /** Chart records the upload config does not collect (listed on the config page). */
  notCollected: NotCollected[];
}

// The shapes of the files written, shared with the pages that read them (src/site/data.ts).

/** A config as the index names it; its text is a file of its own under config/. */
export type ConfigRef = Omit<ConfigFile, 'text'>;

/** index.json `build`. */
export interface IndexBuild extends Omit<BuildInfo, 'chartConfig' | 'uploadConfig' | 'reference'> {
  /** The small-cell threshold k. */
  minCell: number;
  /** The small-cell policy: `group` (public archives) or `suppress-complements`. */
  smallCells: SmallCellPolicy;
  /**
   * Whether the breakdowns (by Version, GOOS, GoVersion) are published:
   * `withheld` with suppress-complements, where breakdowns.csv has its header
   * only and the chart files have no `breakdowns`.
   */
  breakdowns: 'published' | 'withheld';
  chartConfig: ConfigRef;
  uploadConfig: ConfigRef;
  reference: (ConfigRef & ReferenceInfo) | null;
}

export interface IndexChart extends ChartInfo {
  /** charts/<program>/<chart>.json */
  file: string;
}

export interface IndexProgram extends Omit<ProgramInfo, 'charts'> {
  /** programs/<program>.json */
  file: string;
  charts: IndexChart[];
}

/** index.json */
export interface IndexFile {
  build: IndexBuild;
  /** The newest week that is no longer provisional; null while every week is. */
  latestFinalWeek: WeekName | null;
  weeks: WeekInfo[];
  programs: IndexProgram[];
  notCollected: NotCollected[];
  /** Every file written, index.json included, sorted. */
  files: string[];
}

type EventFigure = 'events' | 'meanEvents' | 'eventShare' | 'composition' | 'eventsMedian' | 'eventsP90' | 'meanApproximate';

/** A published bucket with every figure. */
export type FullBucket = PublishedBucket & { status: 'published'; eventsHidden?: undefined };

/** A published bucket whose event figures are withheld (see PublishedBucket.eventsHidden). */
export type EventsHiddenBucket = Omit<PublishedBucket, EventFigure | 'status' | 'eventsHidden'> & {
  status: 'published';
  eventsHidden: NonNullable<PublishedBucket['eventsHidden']>;
};

/** A published bucket: its count and share are shown. */
export type ShownBucket = FullBucket | EventsHiddenBucket;

/** A grouped or hidden bucket: its name and status only, so its count cannot be read back. */
export interface WithheldBucket {
  bucket: string;
  status: Exclude<PublishedBucket['status'], 'published'>;
}

/**
 * A bucket as a chart file has it. A shown bucket's `change` is, from the
 * week before: a tested change (difference, ci, p, adjustedP, flagged,
 * failed); `{ "status": "provisional", "flagged": false }` when this week is
 * provisional or incomplete, so nothing was tested ("provisional, not
 * tested"); null when the bucket could not be tested (published in neither
 * week, or fewer than 50 eligible reports in one); absent in the first week.
 * A value that appears or vanishes is tested against a true 0.
 */
export type PublicBucket = ShownBucket | WithheldBucket;

/** One week of a counter or metadata chart. */
export interface CounterChartWeek extends Pick<WeekInfo, 'week' | 'provisional'>, Pick<PublishedChart, 'n' | 'other'> {
  /** Eligible reports with any event in the chart; null when it would give a withheld group away (suppress-complements). */
  nActive: number | null;
  /** Reports of the program in the week. */
  programReports: number;
  /** Some adjusted share differs from the raw one by more than the raw interval's half-width. */
  sensitive: boolean;
  /** Every bucket of the chart, in the order of ChartInfo.buckets. */
  buckets: PublicBucket[];
  /**
   * Counter charts, unless withheld (IndexBuild.breakdowns): the week by
   * program Version (not for the Go toolchain), GOOS and GoVersion, in that
   * order: `[{ by, groups: [{ group, n, suppressed, members?, buckets: [{
   * bucket, status, x, share, ci }], other }] }]`. Groups in version order
   * (GOOS alphabetically), those of fewer than k installations merged into
   * the last group, "other (each n < k)" (with `members`; `suppressed`, n
   * null and no buckets when its n is below k too). In a group, every bucket
   * of the chart in its order: a bucket of 1 to k-1 installations of the
   * group has its name and `status: "grouped"` only, and is counted in the
   * group's `other` (an OtherGroup, as the chart's). The same rows as
   * breakdowns.csv.
   */
  breakdowns?: PublishedBreakdown[];
  /**
   * Counter charts with two Version groups of k or more installations
   * (unless breakdowns are withheld): the newest against the one before it,
   * `{ newest, previous, status?, buckets: [{ bucket, change }] }`, change
   * as a bucket's (difference newest minus previous, ci, p, adjustedP,
   * flagged, failed) or null when not tested; `status: "provisional"` when
   * the week is provisional or incomplete and nothing was tested.
   */
  versionComparison?: PublishedChart['versionComparison'];
}

/**
 * One listed stack of a week: `{ stack, x, share, ci, events, versions? }`.
 * `versions` (not for the Go toolchain): the program Version groups
 * (major.minor) the stack was seen in that week, versions newest first, then
 * `devel` and `unknown`, as `[{ group, x }]`, x the reports holding the stack
 * in a program report of the group (a report seen in two groups counts in
 * both). Every group is listed whatever its count, as stacks are; with
 * suppress-complements a group of fewer than k is left out, and so is the
 * smallest other one when only one would be, and `versionsNotShown` counts
 * them.
 */
export interface PublishedStack extends StackEstimate {
  versionsNotShown?: number;
}

/** One week of a stack chart: every stack, most frequent first (with suppress-complements, those seen by at least k installations). */
export interface StackChartWeek extends Pick<WeekInfo, 'week' | 'provisional'>, Pick<StackChartEstimate, 'n' | 'distinct'> {
  top: PublishedStack[];
  /** Distinct stacks not listed (with suppress-complements, those seen by fewer than k installations; otherwise 0). */
  notShown: number;
}

export type ChartWeek = CounterChartWeek | StackChartWeek;

/** charts/<program>/<chart>.json */
export interface ChartFile extends ChartInfo {
  /** The small-cell threshold k. */
  minCell: number;
  weeks: ChartWeek[];
}

/** One week of programs/<program>.json. */
export interface ProgramFileWeek
  extends Pick<WeekInfo, 'week' | 'provisional'>,
    Pick<PublishedProgram, 'reports' | 'skew' | 'adjustment' | 'compositionShifts'> {}

/** programs/<program>.json */
export interface ProgramFile extends Pick<ProgramInfo, 'program' | 'slug'> {
  weeks: ProgramFileWeek[];
  /**
   * Not for the Go toolchain (no Version chart): the release view, from the
   * Version chart's published shares (estimate/release.ts). Per Version group
   * seen, in version order: `{ group, firstWeek, milestones: [{ threshold,
   * status, week, weeks }], latest: { week, provisional, share, ci } | null }`.
   * A milestone (threshold 0.25, then 0.5) is `reached` in the first final
   * week whose point estimate is at least the threshold, `weeks` after
   * `firstWeek`; `never` when a newer version reached it first; else `not yet`
   * (week and weeks null).
   */
  release?: ReleaseGroup[];
}

/** quality.json */
export interface QualityFile {
  days: DayQuality[];
  /** Absent days where reports were expected (their weeks are incomplete), with the figures of the rule. */
  suspect: SuspectDay[];
}

/** changes.json */
export interface ChangesFile {
  /** The small-cell threshold k. */
  minCell: number;
  /** Every flagged change, values that appear or vanish included; none into a provisional or incomplete week. */
  changes: FlaggedChange[];
  /**
   * Every flagged version comparison: per week, program, counter chart and
   * bucket, the newest Version group against the one before it (none in a
   * provisional or incomplete week, none when breakdowns are withheld).
   */
  comparisons: FlaggedComparison[];
}
