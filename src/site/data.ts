/**
 * Read access to the site data for Astro pages. Files are read once per
 * build and memoised; a missing data folder stops the build with one clear
 * message. The files' types are those src/sitedata/write.ts writes them
 * with: the pipeline and the site are always built together.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCsv } from '../lib/csv.ts';
import type { ChartFile, ChartWeek, DayQuality, IndexChart, IndexFile, IndexProgram, ProgramFile, QualityFile, StackChartWeek } from '../sitedata/write.ts';

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

export function siteIndex(): IndexFile {
  return readSiteJson<IndexFile>('index.json');
}

export function chartFile(entry: IndexChart): ChartFile {
  return readSiteJson<ChartFile>(entry.file);
}

export function programFile(entry: IndexProgram): ProgramFile {
  return readSiteJson<ProgramFile>(entry.file);
}

export function qualityDays(): DayQuality[] {
  return readSiteJson<QualityFile>('quality.json').days;
}

export function isStackWeek(w: ChartWeek): w is StackChartWeek {
  return 'top' in w;
}

/** Rows of a CSV download grouped by a key of some columns; the header is kept for re-serialising subsets. */
export interface CsvTable {
  header: string[];
  groups: Map<string, string[][]>;
}

/**
 * estimates.csv (or stacks.csv) parsed once and grouped by week, program,
 * chart kind and chart, so per-chart and per-week downloads hold exactly the
 * rows of the full file. Names are read back as they were before the CSV
 * neutralised them (src/lib/csv.ts).
 */
export function csvByChart(rel: 'estimates.csv' | 'stacks.csv'): CsvTable {
  const key = `csv:${rel}`;
  if (!memo.has(key)) {
    const rows = parseCsv(readSiteText(rel));
    const header = rows.shift() ?? [];
    const iw = header.indexOf('week');
    const ip = header.indexOf('program');
    const ic = header.indexOf('chart');
    // stacks.csv holds stack charts only, and has no kind column.
    const ik = header.indexOf('kind');
    const groups = new Map<string, string[][]>();
    for (const r of rows) {
      if (r.length < header.length) continue;
      const k = csvKey(r[iw]!, r[ip]!, ik >= 0 ? r[ik]! : 'stack', r[ic]!);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(r);
    }
    memo.set(key, { header, groups } satisfies CsvTable);
  }
  return memo.get(key) as CsvTable;
}

export function csvKey(week: string, program: string, kind: string, chart: string): string {
  return `${week}\u0000${program}\u0000${kind}\u0000${chart}`;
}
