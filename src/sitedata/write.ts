/**
 * Writes the site data: deterministic files (sorted keys, rounded numbers, no
 * clock) that the Astro pages read and users download.
 *
 *   index.json                 build facts, weeks, programs and their charts
 *   estimates.csv              one row per week, program, chart and bucket
 *   stacks.csv                 the most frequent stacks per week, program and stack chart
 *   quality.json               what happened to every day file and line
 *   charts/<program>/<chart>.json   one chart over all weeks
 *   config/chart-config.txt, config/upload-config.json   the configs as read
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { csvFormatRows } from 'd3-dsv';
import { zeroBucket, type ChartKind, type StackEstimate, type WeekEstimates } from '../estimate/weekly.ts';
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
] as const;

export const STACK_COLUMNS = ['week', 'program', 'chart', 'stack', 'x', 'n', 'share', 'ci95_low', 'ci95_high', 'events', 'provisional'] as const;

function num(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

export function chartFile(program: string, chart: string): string {
  return `charts/${slugify(program)}/${slugify(chart)}.json`;
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

  const chartIndex = new Map<string, ChartInfo>();
  for (const p of data.programs) for (const c of p.charts) chartIndex.set(`${p.program}\0${c.chart}`, c);

  // estimates.csv and stacks.csv
  const rows: string[][] = [[...ESTIMATE_COLUMNS]];
  const stackRows: string[][] = [[...STACK_COLUMNS]];
  for (const { info, estimates } of data.weeks) {
    for (const p of estimates.programs) {
      for (const c of p.charts) {
        const meta = chartIndex.get(`${p.program}\0${c.chart}`)!;
        const byBucket = new Map(c.buckets.map((b) => [b.bucket, b]));
        for (const bucket of meta.buckets) {
          const b = byBucket.get(bucket) ?? zeroBucket(bucket, c.n);
          rows.push([
            info.week,
            p.program,
            c.chart,
            bucket,
            String(b.x),
            String(c.n),
            num(b.share),
            num(b.ci[0]),
            num(b.ci[1]),
            String(info.provisional),
            c.kind,
            num(meta.rate),
            num(b.naiveShare),
            c.kind === 'counter' ? String(b.events) : '',
            num(b.meanEvents?.estimate),
            num(b.meanEvents?.interval[0]),
            num(b.meanEvents?.interval[1]),
            num(b.eventShare?.estimate),
            num(b.eventShare?.interval[0]),
            num(b.eventShare?.interval[1]),
          ]);
        }
      }
      for (const s of p.stacks) {
        for (const t of s.top) {
          stackRows.push([info.week, p.program, s.chart, t.stack, String(t.x), String(s.n), num(t.share), num(t.ci[0]), num(t.ci[1]), String(t.events), String(info.provisional)]);
        }
      }
    }
  }
  await put('estimates.csv', csvFormatRows(rows) + '\n');
  await put('stacks.csv', csvFormatRows(stackRows) + '\n');

  // One file per chart with every week.
  const byProgram = data.weeks.map(({ estimates }) => new Map(estimates.programs.map((p) => [p.program, p])));
  const writes: Promise<void>[] = [];
  for (const prog of data.programs) {
    for (const meta of prog.charts) {
      const weeks = data.weeks.map(({ info }, wi) => {
        const p = byProgram[wi]!.get(prog.program)!;
        if (meta.kind === 'stack') {
          const s = p.stacks.find((x) => x.chart === meta.chart)!;
          return { week: info.week, provisional: info.provisional, n: s.n, distinct: s.distinct, top: s.top as StackEstimate[] };
        }
        const c = p.charts.find((x) => x.chart === meta.chart)!;
        const byBucket = new Map(c.buckets.map((b) => [b.bucket, b]));
        return {
          week: info.week,
          provisional: info.provisional,
          n: c.n,
          nActive: c.nActive,
          programReports: p.reports,
          buckets: meta.buckets.map((b) => byBucket.get(b) ?? zeroBucket(b, c.n)),
        };
      });
      writes.push(put(chartFile(prog.program, meta.chart), stableJson({ ...meta, weeks }) + '\n'));
    }
  }
  await Promise.all(writes);

  await put('config/chart-config.txt', data.build.chartConfig.text);
  await put('config/upload-config.json', data.build.uploadConfig.text);
  await put('quality.json', stableJson({ days: data.quality }) + '\n');

  const { chartConfig, uploadConfig, ...build } = data.build;
  const index = {
    build: {
      ...build,
      chartConfig: { location: chartConfig.location, sha256: chartConfig.sha256 },
      uploadConfig: { location: uploadConfig.location, sha256: uploadConfig.sha256 },
    },
    weeks: data.weeks.map((w) => w.info),
    programs: data.programs.map((p) => ({ ...p, charts: p.charts.map((c) => ({ ...c, file: chartFile(p.program, c.chart) })) })),
    notCollected: data.notCollected,
    files: [...written, 'index.json'].sort(),
  };
  await put('index.json', stableJson(index) + '\n');
  return written;
}
