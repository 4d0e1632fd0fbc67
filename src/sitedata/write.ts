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
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { csvFormatRows } from 'd3-dsv';
import type { FlaggedChange, OtherGroup, PublishedBucket, PublishedChart, PublishedProgram, PublishedWeek } from '../estimate/publish.ts';
import { zeroBucket, type ChartKind, type WeekEstimates } from '../estimate/weekly.ts';
import type { Day, WeekName } from '../lib/dates.ts';
import type { Ledger } from '../reduce/partial.ts';
import { slugify } from './slug.ts';

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
  reference: (ConfigFile & { source: string; date: string; size: number; dimensions: Record<string, Record<string, number>> }) | null;
}

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
  notCollected: { program: string; chart: string; title: string; line: number }[];
}

/** JSON with object keys sorted at every level, so bytes never depend on insertion order. */
export function stableJson(value: unknown): string {
  // JSON.stringify writes object keys in the order of a key-list replacer:
  // listing every key once, sorted, gives sorted output at native speed.
  const keys = new Set<string>();
  collectKeys(value, keys);
  return JSON.stringify(value, [...keys].sort());
}

function collectKeys(v: unknown, keys: Set<string>): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) collectKeys(x, keys);
    return;
  }
  for (const k in v as object) {
    keys.add(k);
    collectKeys((v as Record<string, unknown>)[k], keys);
  }
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

function num(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

export function chartFile(program: string, chart: string): string {
  return `charts/${slugify(program)}/${slugify(chart)}.json`;
}

export function programFile(program: string): string {
  return `programs/${slugify(program)}.json`;
}

/** A bucket as published: grouped and hidden buckets carry their name and status only. */
function publicBucket(b: PublishedBucket): Partial<PublishedBucket> & { bucket: string; status: PublishedBucket['status'] } {
  if (b.status !== 'published') return { bucket: b.bucket, status: b.status };
  if (!b.eventsHidden) return b;
  const { events: _e, meanEvents: _m, eventShare: _s, composition: _c, ...rest } = b;
  return rest;
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
    shown ? num(b.adjusted?.nEff) : '',
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

export async function writeSiteData(out: string, data: SiteData): Promise<string[]> {
  // Old files of a previous build must not linger.
  await rm(out, { recursive: true, force: true });
  const written: string[] = [];
  const put = async (rel: string, text: string) => {
    const p = join(out, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, text);
    written.push(rel);
  };
  const k = data.minCell;

  const chartIndex = new Map<string, ChartInfo>();
  for (const p of data.programs) for (const c of p.charts) chartIndex.set(`${p.program}\0${c.chart}`, c);
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
        const meta = chartIndex.get(`${p.program}\0${c.chart}`)!;
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
  await put('estimates.csv', csvFormatRows(rows) + '\n');
  await put('stacks.csv', csvFormatRows(stackRows) + '\n');

  // One file per chart, and one per program, with every week.
  const byProgram = data.published.map((w) => new Map(w.programs.map((p) => [p.program, p])));
  const writes: Promise<void>[] = [];
  for (const prog of data.programs) {
    for (const meta of prog.charts) {
      const weeks = data.weeks.map(({ info }, wi) => {
        const p = byProgram[wi]!.get(prog.program)!;
        if (meta.kind === 'stack') {
          const s = p.stacks.find((x) => x.chart === meta.chart)!;
          const top = s.top.filter((t) => t.x >= k);
          return { week: info.week, provisional: info.provisional, n: s.n, distinct: s.distinct, top, notShown: s.distinct - top.length };
        }
        const c = p.charts.find((x) => x.chart === meta.chart)!;
        return {
          week: info.week,
          provisional: info.provisional,
          n: c.n,
          nActive: c.nActive,
          programReports: p.reports,
          sensitive: c.sensitive ?? false,
          buckets: full(c, meta).map(publicBucket),
          other: c.other,
        };
      });
      writes.push(put(chartFile(prog.program, meta.chart), stableJson({ ...meta, minCell: k, weeks }) + '\n'));
    }
    const weeks = data.weeks.map(({ info }, wi) => {
      const p = byProgram[wi]!.get(prog.program)!;
      return { week: info.week, provisional: info.provisional, reports: p.reports, skew: p.skew, adjustment: p.adjustment, compositionShifts: p.compositionShifts };
    });
    writes.push(put(programFile(prog.program), stableJson({ program: prog.program, slug: prog.slug, weeks }) + '\n'));
  }
  await Promise.all(writes);

  await put('changes.json', stableJson({ minCell: k, changes: data.flagged }) + '\n');
  await put('config/chart-config.txt', data.build.chartConfig.text);
  await put('config/upload-config.json', data.build.uploadConfig.text);
  await put('quality.json', stableJson({ days: data.quality }) + '\n');

  const { chartConfig, uploadConfig, reference, ...build } = data.build;
  if (reference) await put('config/reference.json', reference.text);
  const finalWeeks = data.weeks.filter((w) => !w.info.provisional);
  const index = {
    build: {
      ...build,
      minCell: k,
      chartConfig: { location: chartConfig.location, sha256: chartConfig.sha256 },
      uploadConfig: { location: uploadConfig.location, sha256: uploadConfig.sha256 },
      reference: reference && { location: reference.location, sha256: reference.sha256, source: reference.source, date: reference.date, size: reference.size, dimensions: reference.dimensions },
    },
    latestFinalWeek: finalWeeks.at(-1)?.info.week ?? null,
    weeks: data.weeks.map((w) => w.info),
    programs: data.programs.map((p) => ({ ...p, file: programFile(p.program), charts: p.charts.map((c) => ({ ...c, file: chartFile(p.program, c.chart) })) })),
    notCollected: data.notCollected,
    files: [...written, 'index.json'].sort(),
  };
  await put('index.json', stableJson(index) + '\n');
  return written;
}
