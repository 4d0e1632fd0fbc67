/**
 * Writes the site data: deterministic files (sorted keys, rounded numbers, no
 * clock) that the Astro pages read and users download.
 *
 *   index.json                 build facts, weeks, programs and their charts
 *   estimates.csv              one row per week, program, chart and bucket
 *   stacks.csv                 the most frequent stacks per week, program and stack chart
 *   quality.json               what happened to every day file and line
 *   charts/<program>/<chart>.json   one chart over all weeks
 *   programs/<program>.json    per week: reports, opt-in skew, how adjusted estimates were weighted
 *   changes.json               every flagged week-over-week change
 *   config/chart-config.txt, config/upload-config.json, config/reference.json   the inputs as read
 *
 * Everything published follows the small-cell rule (estimate/publish.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FlaggedChange, OtherGroup, PublishedBucket, PublishedChart, PublishedProgram, PublishedWeek } from '../estimate/publish.ts';
import { zeroBucket, type ChartKind, type StackChartEstimate, type WeekEstimates } from '../estimate/weekly.ts';
import { formatCsv } from '../lib/csv.ts';
import type { Day, WeekName } from '../lib/dates.ts';
import type { Ledger } from '../reduce/partial.ts';
import type { Reference } from '../skew/reference.ts';
import { round } from '../lib/round.ts';

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
  absent: Day[];
  missing: Day[];
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
  /** Buckets in display order (config buckets, or every value seen for metadata charts). */
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

export interface SiteData {
  build: BuildInfo;
  weeks: { info: WeekInfo; estimates: WeekEstimates }[];
  /** The same weeks as published: small-cell rule applied, changes computed. */
  published: PublishedWeek[];
  flagged: FlaggedChange[];
  /** The small-cell threshold k. */
  minCell: number;
  programs: ProgramInfo[];
  quality: DayQuality[];
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

type EventFigure = 'events' | 'meanEvents' | 'eventShare' | 'composition';

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

/** A bucket as a chart file has it. */
export type PublicBucket = ShownBucket | WithheldBucket;

/** One week of a counter or metadata chart. */
export interface CounterChartWeek extends Pick<WeekInfo, 'week' | 'provisional'>, Pick<PublishedChart, 'n' | 'nActive' | 'other'> {
  /** Reports of the program in the week. */
  programReports: number;
  /** Some adjusted share differs from the raw one by more than the raw interval's half-width. */
  sensitive: boolean;
  /** Every bucket of the chart, in the order of ChartInfo.buckets. */
  buckets: PublicBucket[];
}

/** One week of a stack chart: the most frequent stacks seen by at least k installations. */
export interface StackChartWeek extends Pick<WeekInfo, 'week' | 'provisional'>, Pick<StackChartEstimate, 'n' | 'distinct' | 'top'> {
  /** Distinct stacks not listed (beyond the top list, or below k). */
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
export interface ProgramFileWeek extends Pick<WeekInfo, 'week' | 'provisional'>, Pick<PublishedProgram, 'reports' | 'skew' | 'adjustment' | 'compositionShifts'> {}

/** programs/<program>.json */
export interface ProgramFile extends Pick<ProgramInfo, 'program' | 'slug'> {
  weeks: ProgramFileWeek[];
}

/** quality.json */
export interface QualityFile {
  days: DayQuality[];
}

/** changes.json */
export interface ChangesFile {
  /** The small-cell threshold k. */
  minCell: number;
  changes: FlaggedChange[];
}

/**
 * The one rounding policy of the site data. Estimates keep full precision;
 * every figure is rounded here, as it is written: fractions (shares,
 * intervals, ratios, means, p-values) to 6 decimals, effective sample sizes
 * (`nEff`, `n_eff`) to 1; whole numbers are written as they are.
 */
export const FIGURE_DIGITS = 6;
export const N_EFF_DIGITS = 1;

/** A figure as written: whole numbers unchanged, any other number rounded to `digits` (never -0). */
export function figure(v: number, digits = FIGURE_DIGITS): number {
  return Number.isInteger(v) ? v : round(v, digits);
}

/** An object with an effective sample size, rounded to N_EFF_DIGITS. */
function withNEff<T extends { nEff: number }>(v: T): T;
function withNEff<T extends { nEff: number }>(v: T | null | undefined): T | null | undefined;
function withNEff<T extends { nEff: number }>(v: T | null | undefined): T | null | undefined {
  return v && { ...v, nEff: figure(v.nEff, N_EFF_DIGITS) };
}

/**
 * JSON with object keys sorted at every level, so bytes never depend on
 * insertion order; otherwise exactly JSON.stringify's output. Keys are names
 * from the inputs, so only each object's own keys are written (a key list
 * given to JSON.stringify would read an absent `__proto__` from
 * Object.prototype and write it into every object).
 */
export function stableJson(value: unknown): string {
  return jsonValue(value) ?? 'null';
}

function jsonValue(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(figure(v)) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined; // undefined, functions and symbols are left out, as JSON.stringify does
  }
  if (v === null) return 'null';
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return jsonValue(toJSON.call(v));
  if (Array.isArray(v)) return `[${v.map((x) => jsonValue(x) ?? 'null').join(',')}]`;
  const o = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(o).sort()) {
    const s = jsonValue(o[k]);
    if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
  }
  return `{${parts.join(',')}}`;
}

export const ESTIMATE_COLUMNS = [
  'week',
  'program',
  'chart',
  'bucket',
  'x',
  'n',
  'share',
  'ci95_low',
  'ci95_high',
  'provisional',
  'kind',
  'rate',
  'naive_share',
  'events',
  'mean_events',
  'mean_events_ci95_low',
  'mean_events_ci95_high',
  'event_share',
  'event_share_ci95_low',
  'event_share_ci95_high',
  'adj_share',
  'adj_ci95_low',
  'adj_ci95_high',
  'n_eff',
  'small_cell',
  'change',
  'change_ci95_low',
  'change_ci95_high',
  'change_p',
  'change_p_adjusted',
  'change_flagged',
] as const;

export const STACK_COLUMNS = ['week', 'program', 'chart', 'stack', 'x', 'n', 'share', 'ci95_low', 'ci95_high', 'events', 'provisional'] as const;

function num(v: number | null | undefined, digits = FIGURE_DIGITS): string {
  return v === null || v === undefined ? '' : String(figure(v, digits));
}

/** The file of a chart, from the slugs the build handed out (unique per program, see SlugSet). */
export function chartFile(program: Pick<ProgramInfo, 'slug'>, chart: Pick<ChartInfo, 'slug'>): string {
  return `charts/${program.slug}/${chart.slug}.json`;
}

export function programFile(program: Pick<ProgramInfo, 'slug'>): string {
  return `programs/${program.slug}.json`;
}

/** A bucket as published: grouped and hidden buckets carry their name and status only. */
function publicBucket(b: PublishedBucket): PublicBucket {
  const { status, eventsHidden, events, meanEvents, eventShare, composition, ...figures } = b;
  if (status !== 'published') return { bucket: b.bucket, status };
  if (figures.adjusted) figures.adjusted = withNEff(figures.adjusted);
  if (eventsHidden) return { ...figures, status, eventsHidden };
  return { ...figures, status, events, meanEvents, eventShare, composition };
}

function estimateRow(week: WeekInfo, p: PublishedProgram, c: PublishedChart, meta: ChartInfo, b: PublishedBucket): string[] {
  const shown = b.status === 'published';
  const events = shown && !b.eventsHidden;
  const ch = shown ? b.change : null;
  return [
    week.week,
    p.program,
    c.chart,
    b.bucket,
    shown ? String(b.x) : '',
    String(c.n),
    shown ? num(b.share) : '',
    shown ? num(b.ci[0]) : '',
    shown ? num(b.ci[1]) : '',
    String(week.provisional),
    c.kind,
    num(meta.rate),
    shown ? num(b.naiveShare) : '',
    events && c.kind === 'counter' ? String(b.events) : '',
    events ? num(b.meanEvents?.estimate) : '',
    events ? num(b.meanEvents?.interval[0]) : '',
    events ? num(b.meanEvents?.interval[1]) : '',
    events ? num(b.eventShare?.estimate) : '',
    events ? num(b.eventShare?.interval[0]) : '',
    events ? num(b.eventShare?.interval[1]) : '',
    shown ? num(b.adjusted?.share) : '',
    shown ? num(b.adjusted?.ci[0]) : '',
    shown ? num(b.adjusted?.ci[1]) : '',
    shown ? num(b.adjusted?.nEff, N_EFF_DIGITS) : '',
    shown ? '' : b.status,
    num(ch?.difference),
    num(ch?.ci[0]),
    num(ch?.ci[1]),
    num(ch?.p),
    num(ch?.adjustedP),
    ch ? String(ch.flagged) : '',
  ];
}

function otherRow(week: WeekInfo, p: PublishedProgram, c: PublishedChart, meta: ChartInfo, o: OtherGroup): string[] {
  const row = new Array<string>(ESTIMATE_COLUMNS.length).fill('');
  row[0] = week.week;
  row[1] = p.program;
  row[2] = c.chart;
  row[3] = o.label;
  row[4] = num(o.x);
  row[5] = String(c.n);
  row[6] = num(o.share);
  row[7] = num(o.ci?.[0]);
  row[8] = num(o.ci?.[1]);
  row[9] = String(week.provisional);
  row[10] = c.kind;
  row[11] = num(meta.rate);
  row[24] = o.suppressed ? 'suppressed' : 'other';
  return row;
}

/**
 * Writes every file into `out`, a fresh folder (the pipeline stages it beside
 * the output and swaps it in when complete, src/cli/output.ts), so no file of
 * a previous build can linger.
 */
export async function writeSiteData(out: string, data: SiteData): Promise<string[]> {
  const written: string[] = [];
  const put = async (rel: string, text: string) => {
    const p = join(out, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, text);
    written.push(rel);
  };
  const k = data.minCell;

  const chartIndex = new Map<string, ChartInfo>();
  for (const p of data.programs) for (const c of p.charts) chartIndex.set(`${p.program}\0${c.kind}\0${c.chart}`, c);
  // Metadata values seen only in other weeks appear as true zeros.
  const full = (c: PublishedChart, meta: ChartInfo): PublishedBucket[] => {
    const byBucket = new Map(c.buckets.map((b) => [b.bucket, b]));
    return meta.buckets.map((b) => byBucket.get(b) ?? { ...zeroBucket(b, c.n), status: 'published' as const });
  };

  // estimates.csv and stacks.csv
  const rows: string[][] = [[...ESTIMATE_COLUMNS]];
  const stackRows: string[][] = [[...STACK_COLUMNS]];
  data.weeks.forEach(({ info }, wi) => {
    for (const p of data.published[wi]!.programs) {
      for (const c of p.charts) {
        const meta = chartIndex.get(`${p.program}\0${c.kind}\0${c.chart}`)!;
        for (const b of full(c, meta)) if (b.status !== 'grouped') rows.push(estimateRow(info, p, c, meta, b));
        if (c.other) rows.push(otherRow(info, p, c, meta, c.other));
      }
      for (const s of p.stacks) {
        for (const t of s.top) {
          if (t.x < k) continue;
          stackRows.push([info.week, p.program, s.chart, t.stack, String(t.x), String(s.n), num(t.share), num(t.ci[0]), num(t.ci[1]), String(t.events), String(info.provisional)]);
        }
      }
    }
  });
  await put('estimates.csv', formatCsv(rows));
  await put('stacks.csv', formatCsv(stackRows));

  // One file per chart, and one per program, with every week.
  const byProgram = data.published.map((w) => new Map(w.programs.map((p) => [p.program, p])));
  const writes: Promise<void>[] = [];
  for (const prog of data.programs) {
    for (const meta of prog.charts) {
      const weeks = data.weeks.map(({ info }, wi): ChartWeek => {
        const p = byProgram[wi]!.get(prog.program)!;
        if (meta.kind === 'stack') {
          const s = p.stacks.find((x) => x.chart === meta.chart)!;
          const top = s.top.filter((t) => t.x >= k);
          return { week: info.week, provisional: info.provisional, n: s.n, distinct: s.distinct, top, notShown: s.distinct - top.length } satisfies StackChartWeek;
        }
        const c = p.charts.find((x) => x.chart === meta.chart && x.kind === meta.kind)!;
        return {
          week: info.week,
          provisional: info.provisional,
          n: c.n,
          nActive: c.nActive,
          programReports: p.reports,
          sensitive: c.sensitive ?? false,
          buckets: full(c, meta).map(publicBucket),
          other: c.other,
        } satisfies CounterChartWeek;
      });
      const file: ChartFile = { ...meta, minCell: k, weeks };
      writes.push(put(chartFile(prog, meta), stableJson(file) + '\n'));
    }
    const file: ProgramFile = {
      program: prog.program,
      slug: prog.slug,
      weeks: data.weeks.map(({ info }, wi): ProgramFileWeek => {
        const p = byProgram[wi]!.get(prog.program)!;
        return { week: info.week, provisional: info.provisional, reports: p.reports, skew: p.skew, adjustment: withNEff(p.adjustment) ?? null, compositionShifts: p.compositionShifts };
      }),
    };
    writes.push(put(programFile(prog), stableJson(file) + '\n'));
  }
  // Every write has finished, or failed, before this returns: nothing is left writing into a folder the caller removes.
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;

  const changes: ChangesFile = { minCell: k, changes: data.flagged };
  await put('changes.json', stableJson(changes) + '\n');
  await put('config/chart-config.txt', data.build.chartConfig.text);
  await put('config/upload-config.json', data.build.uploadConfig.text);
  const quality: QualityFile = { days: data.quality };
  await put('quality.json', stableJson(quality) + '\n');

  const { chartConfig, uploadConfig, reference, ...build } = data.build;
  if (reference) await put('config/reference.json', reference.text);
  const finalWeeks = data.weeks.filter((w) => !w.info.provisional);
  const index: IndexFile = {
    build: {
      ...build,
      minCell: k,
      chartConfig: { location: chartConfig.location, sha256: chartConfig.sha256 },
      uploadConfig: { location: uploadConfig.location, sha256: uploadConfig.sha256 },
      reference: reference && { location: reference.location, sha256: reference.sha256, source: reference.source, date: reference.date, size: reference.size, dimensions: reference.dimensions },
    },
    latestFinalWeek: finalWeeks.at(-1)?.info.week ?? null,
    weeks: data.weeks.map((w) => w.info),
    programs: data.programs.map((p) => ({ ...p, file: programFile(p), charts: p.charts.map((c) => ({ ...c, file: chartFile(p, c) })) })),
    notCollected: data.notCollected,
    files: [...written, 'index.json'].sort(),
  };
  await put('index.json', stableJson(index) + '\n');
  return written;
}
