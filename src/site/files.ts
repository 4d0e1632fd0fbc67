/**
 * The site's non-HTML files, written without Astro: every chart's
 * all-weeks.csv, all-weeks.svg and breakdowns.csv, every chart week's .csv,
 * .json, .svg and .png and its breakdowns.csv, and the site-data copies under
 * data/. The bytes come from the same functions the pages use (and the week
 * images from the prepared image cache, when there), so a file is the same
 * whether a page links to it or a test reads it. Astro builds the HTML pages,
 * site.css and site.js.
 *
 * Runs where the site data is TELEMETRY_SITE_DATA, as the Astro build does;
 * `npm run build` runs it on a worker thread beside `astro build`
 * (src/site/files-worker.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chartHasBreakdowns, withBreakdowns } from './breakdowns.ts';
import { shareLineSvg, stackLineSvg, WIDE, weekFileSvgCached, weekPngCached } from './charts.ts';
import { isStackWeek, siteDataPath, siteIndex } from './data.ts';
import { chartBreakdownCsv, chartCsv, chartWeekBreakdownCsv, chartWeekCsv, chartWeekJson } from './downloads.ts';
import { type ChartView, referenceWeek, siteModel } from './model.ts';
import { chartRoutes, chartWeekRoutes } from './routes.ts';
import { chartBreakdownPath, chartWeekBreakdownPath, chartWeekFile, dataPath } from './urls.ts';

/** One chart over every week as a standalone SVG (light theme, title drawn in): `all-weeks.svg`. */
function allWeeksSvg(view: ChartView): string {
  const ref = referenceWeek(siteModel(), view);
  const o = { width: WIDE, theme: 'light' as const, heading: true, id: 'chart' };
  return ref && isStackWeek(ref) ? stackLineSvg(view, ref, o) : shareLineSvg(view, ref, o);
}

/** A file to write: its site path (no leading slash) and how to make its bytes. */
interface SiteFile {
  path: string;
  bytes(): Promise<string | Buffer>;
}

const text = (path: string, make: () => string | Promise<string>): SiteFile => ({ path, bytes: async () => make() });

/** Every non-HTML file of the site, in a fixed order. */
function siteFiles(): SiteFile[] {
  const out: SiteFile[] = [];
  for (const { props } of chartRoutes()) {
    const { view } = props;
    const p = view.program;
    const c = view.entry;
    const base = `charts/${p.slug}/${c.slug}/`;
    out.push(text(`${base}all-weeks.csv`, () => chartCsv(view)));
    out.push(text(`${base}all-weeks.svg`, () => allWeeksSvg(view)));
    if (chartHasBreakdowns(view)) out.push(text(chartBreakdownPath(p, c), () => chartBreakdownCsv(view)));
  }
  for (const { props } of chartWeekRoutes()) {
    const { view, week } = props;
    const p = view.program;
    const c = view.entry;
    out.push(text(chartWeekFile(p, c, week.week, 'csv'), () => chartWeekCsv(view, week.week)));
    out.push(text(chartWeekFile(p, c, week.week, 'json'), () => chartWeekJson(view, week)));
    out.push(text(chartWeekFile(p, c, week.week, 'svg'), () => weekFileSvgCached(view, week)));
    out.push({ path: chartWeekFile(p, c, week.week, 'png'), bytes: () => weekPngCached(view, week) });
    if (withBreakdowns(week) !== null) out.push(text(chartWeekBreakdownPath(p, c, week.week), () => chartWeekBreakdownCsv(view, week.week)));
  }
  // Every site-data file is also a download under data/, byte for byte.
  for (const file of siteIndex().files) out.push({ path: dataPath(file), bytes: () => readFile(siteDataPath(file)) });
  return out;
}

/** Files written, by extension (csv, json, png, svg, txt, ...). */
export type FileCounts = Map<string, number>;

/** What the writer wrote: the counts by extension, and each file's site path and SHA-256 (in `siteFiles()` order). */
export interface WrittenFiles {
  counts: FileCounts;
  hashes: [string, string][];
}

/**
 * Writes every file of `siteFiles()` under `outDir` (a few writes in flight);
 * returns the counts by extension and the SHA-256 of each file written, taken
 * from the bytes in memory (the kept copy of the site records them without
 * reading the files again, src/cli/site-output.ts).
 */
export async function writeSiteFiles(outDir: string): Promise<WrittenFiles> {
  const list = siteFiles();
  const dirs = [...new Set(list.map((f) => dirname(join(outDir, f.path))))].sort();
  for (const d of dirs) await mkdir(d, { recursive: true });
  const counts: FileCounts = new Map();
  const hashes: [string, string][] = new Array(list.length);
  let next = 0;
  const lane = async () => {
    while (next < list.length) {
      const i = next++;
      const f = list[i]!;
      const bytes = await f.bytes();
      await writeFile(join(outDir, f.path), bytes);
      hashes[i] = [f.path, createHash('sha256').update(bytes).digest('hex')];
      const ext = /\.([a-z0-9]+)$/i.exec(f.path)?.[1]?.toLowerCase() ?? 'other';
      counts.set(ext, (counts.get(ext) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return { counts, hashes };
}
