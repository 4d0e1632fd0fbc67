/**
 * Read access to the site data for Astro pages. Files are read once per
 * build and memoised; a missing data folder stops the build with one clear
 * message.
 *
 * The types mirror src/sitedata/write.ts. Fields marked "optional, newer
 * data" may be absent in site data written by an older pipeline; pages
 * render them when present and ignore them when absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { csvParseRows } from 'd3-dsv';

export const SITE_DATA_DIR = resolve(process.env.TELEMETRY_SITE_DATA ?? '.cache/site-data');

const memo = new Map<string, unknown>();

export function siteDataPath(rel: string): string {
  return join(SITE_DATA_DIR, rel);
}

export function readSiteText(rel: string): string {
  const p = siteDataPath(rel);
  if (!existsSync(p)) throw new Error(`site data not found: ${p} (run \`npm run data\` first, or build with \`npm run build\`)`);
  return readFileSync(p, 'utf8');
}

export function readSiteJson<T>(rel: string): T {
  if (!memo.has(rel)) memo.set(rel, JSON.parse(readSiteText(rel)));
  return memo.get(rel) as T;
}

export type Interval = readonly [number, number];
export type ChartKind = 'counter' | 'metadata' | 'stack';

/** A note about opt-in skew (optional, newer data). */
export interface SkewNote {
  level: string;
  text: string;
  dimension?: string;
}

export interface ConfigRef {
  location: string;
  sha256: string;
}

export interface BuildInfo {
  source: string;
  asOf: string;
  from: string;
  to: string;
  finalityDays: number;
  pipelineVersion: number;
  spec: string;
  sampleRate: number;
  chartConfig: ConfigRef;
  uploadConfig: ConfigRef;
}

export interface WeekInfo {
  week: string;
  days: string[];
  present: string[];
  absent: string[];
  missing: string[];
  provisional: boolean;
  reports: number;
}

export interface ChartEntry {
  program: string;
  chart: string;
  slug: string;
  kind: ChartKind;
  type: string;
  title: string;
  description: string;
  issues: string[];
  expression: string;
  rate: number;
  minVersion: string;
  buckets: string[];
  inChartConfig: boolean;
  file: string;
}

export interface ProgramEntry {
  program: string;
  slug: string;
  versions: string[];
  charts: ChartEntry[];
  /** programs/<program>.json: per-week skew and adjustment (newer data). */
  file?: string;
  skewNotes?: SkewNote[];
}

/** The sample's composition on one dimension against the reference population (newer data). */
export interface DimensionSkew {
  dimension: string;
  n: number;
  categories: { category: string; ratio: number; reference: number; sample: number }[];
  tvd: number;
  level: string;
  note: string | null;
}

/** How a program's adjusted estimates were weighted in one week (newer data). */
export interface AdjustmentInfo {
  label: string;
  method?: string;
  dims?: string[];
  nEff?: number;
  reports?: number;
  converged?: boolean;
  fallback?: string | null;
  [k: string]: unknown;
}

export interface ProgramWeekInfo {
  week: string;
  provisional: boolean;
  reports: number;
  skew?: DimensionSkew[];
  adjustment?: AdjustmentInfo | null;
  compositionShifts?: { dimension: string; tvd: number }[];
}

export interface ProgramFile {
  program: string;
  slug: string;
  weeks: ProgramWeekInfo[];
}

/** A flagged week-over-week change (changes.json, newer data). */
export interface FlaggedChange {
  week: string;
  program: string;
  chart: string;
  bucket: string;
  previous: number;
  current: number;
  change: ChangeFigure;
  compositionShifts?: { dimension: string; tvd: number }[];
}

export interface SiteIndex {
  build: BuildInfo & { minCell?: number; reference?: { source: string; date: string; size: number; location: string; sha256: string; dimensions: Record<string, Record<string, number>> } | null };
  latestFinalWeek?: string | null;
  weeks: WeekInfo[];
  programs: ProgramEntry[];
  notCollected: { program: string; chart: string; title: string; line: number }[];
  files: string[];
  skewNotes?: SkewNote[];
}

export interface DeltaFigure {
  estimate: number;
  se: number;
  interval: Interval;
  n: number;
}

/** A skew-adjusted share shown beside the raw one (optional, newer data). */
export interface AdjustedFigure {
  share: number;
  ci: Interval;
  nEff: number;
  /** What it is adjusted for; else the program week's adjustment label. */
  label?: string;
}

/** A week-over-week change of a bucket's share (optional, newer data). */
export interface ChangeFigure {
  difference: number;
  ci: Interval | null;
  flagged: boolean;
  p?: number;
  adjustedP?: number;
  failed?: string[];
}

/**
 * Small cells (newer data): buckets seen by fewer than k installations are
 * grouped into one "other (each < k)" row; a group below k is suppressed.
 */
export interface OtherGroup {
  label: string;
  members: string[];
  x: number | null;
  share: number | null;
  ci: Interval | null;
  suppressed: boolean;
}

export interface BucketFigure {
  bucket: string;
  /** published (default); grouped into the week's `other`; hidden so a suppressed group cannot be recovered (newer data). */
  status?: 'published' | 'grouped' | 'hidden';
  /** Eligible reports with the bucket; absent or null when not published. */
  x?: number | null;
  share?: number | null;
  ci?: Interval | null;
  naiveShare?: number | null;
  events?: number | null;
  meanEvents?: DeltaFigure | null;
  eventShare?: DeltaFigure | null;
  composition?: DeltaFigure | null;
  adjusted?: AdjustedFigure | null;
  change?: ChangeFigure | null;
  /** Small-cell handling (optional, newer data). */
  suppressed?: boolean;
  members?: string[];
}

export interface CounterWeek {
  week: string;
  provisional: boolean;
  n: number;
  nActive: number;
  programReports: number;
  buckets: BucketFigure[];
  other?: OtherGroup | null;
  /** Some adjusted share differs from the raw one by more than the raw interval's half-width (newer data). */
  sensitive?: boolean;
  skewNotes?: SkewNote[];
}

export interface StackFigure {
  stack: string;
  x: number;
  share: number;
  ci: Interval;
  events: number;
}

export interface StackWeek {
  week: string;
  provisional: boolean;
  n: number;
  distinct: number;
  top: StackFigure[];
  /** Stacks seen but not listed (beyond the top list, or below the small-cell limit). */
  notShown?: number;
}

export type ChartWeek = CounterWeek | StackWeek;

export interface ChartFile extends Omit<ChartEntry, 'file'> {
  weeks: ChartWeek[];
  /** The small-cell threshold k (newer data). */
  minCell?: number;
  skewNotes?: SkewNote[];
}

export interface Ledger {
  bytes: number;
  lines: number;
  accepted: number;
  duplicates: number;
  duplicatesDiffering: number;
  rejected: Record<string, number>;
  examples: Record<string, { line: number; text: string }[]>;
  excluded: Record<string, Record<string, number>>;
}

export interface DayQuality {
  day: string;
  status: 'present' | 'absent' | 'missing' | 'unreadable';
  origin: string;
  error: string | null;
  sha256: string | null;
  ledger: Ledger | null;
}

export function siteIndex(): SiteIndex {
  return readSiteJson<SiteIndex>('index.json');
}

export function chartFile(entry: Pick<ChartEntry, 'file'>): ChartFile {
  return readSiteJson<ChartFile>(entry.file);
}

export function programFile(entry: ProgramEntry): ProgramFile | null {
  return entry.file && existsSync(siteDataPath(entry.file)) ? readSiteJson<ProgramFile>(entry.file) : null;
}

export function flaggedChanges(): FlaggedChange[] | null {
  return existsSync(siteDataPath('changes.json')) ? readSiteJson<{ changes: FlaggedChange[] }>('changes.json').changes : null;
}

export function qualityDays(): DayQuality[] {
  return readSiteJson<{ days: DayQuality[] }>('quality.json').days;
}

export function isStackWeek(w: ChartWeek): w is StackWeek {
  return 'top' in w;
}

/** Rows of a CSV download grouped by a key of some columns; the header is kept for re-serialising subsets. */
export interface CsvTable {
  header: string[];
  groups: Map<string, string[][]>;
}

/**
 * estimates.csv (or stacks.csv) parsed once and grouped by week, program and
 * chart, so per-chart and per-week downloads hold exactly the rows of the
 * full file.
 */
export function csvByChart(rel: 'estimates.csv' | 'stacks.csv'): CsvTable {
  const key = `csv:${rel}`;
  if (!memo.has(key)) {
    const rows = csvParseRows(readSiteText(rel));
    const header = rows.shift() ?? [];
    const iw = header.indexOf('week');
    const ip = header.indexOf('program');
    const ic = header.indexOf('chart');
    const groups = new Map<string, string[][]>();
    for (const r of rows) {
      if (r.length < header.length) continue;
      const k = csvKey(r[iw]!, r[ip]!, r[ic]!);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(r);
    }
    memo.set(key, { header, groups } satisfies CsvTable);
  }
  return memo.get(key) as CsvTable;
}

export function csvKey(week: string, program: string, chart: string): string {
  return `${week}\u0000${program}\u0000${chart}`;
}
