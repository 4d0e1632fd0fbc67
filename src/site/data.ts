/**
 * Read access to the site data for Astro pages. Files are read once per
 * build and memoised; a missing data folder stops the build with one clear
 * message. The files' types are those of src/sitedata/schema.ts: the
 * pipeline and the site are always built together.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
  ChangesFile,
  ChartFile,
  ChartWeek,
  DayQuality,
  IndexChart,
  IndexFile,
  IndexProgram,
  ProgramFile,
  QualityFile,
  StackChartWeek,
} from '../sitedata/schema.ts';

const SITE_DATA_DIR = resolve(process.env.TELEMETRY_SITE_DATA ?? '.cache/site-data');

const memo = new Map<string, unknown>();

export function siteDataPath(rel: string): string {
  return join(SITE_DATA_DIR, rel);
}

export function readSiteText(rel: string): string {
  const p = siteDataPath(rel);
  if (!existsSync(p)) throw new Error(`site data not found: ${p} (run \`npm run data\` first, or build with \`npm run build\`)`);
  return readFileSync(p, 'utf8');
}

function readSiteJson<T>(rel: string): T {
  if (!memo.has(rel)) memo.set(rel, JSON.parse(readSiteText(rel)));
  return memo.get(rel) as T;
}

export function siteIndex(): IndexFile {
  return readSiteJson<IndexFile>('index.json');
}

export function readChart(entry: IndexChart): ChartFile {
  return readSiteJson<ChartFile>(entry.file);
}

export function readProgram(entry: IndexProgram): ProgramFile {
  return readSiteJson<ProgramFile>(entry.file);
}

export function qualityDays(): DayQuality[] {
  return readSiteJson<QualityFile>('quality.json').days;
}

/** Absent days where reports were expected; their weeks are incomplete. */
export function suspectDays(): QualityFile['suspect'] {
  return readSiteJson<QualityFile>('quality.json').suspect;
}

export function isStackWeek(w: ChartWeek): w is StackChartWeek {
  return 'top' in w;
}

/** The flagged version comparisons of every week (changes.json). */
export function flaggedComparisons(): ChangesFile['comparisons'] {
  return readSiteJson<ChangesFile>('changes.json').comparisons;
}
