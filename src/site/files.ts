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
import { place } from '../lib/place.ts';
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

/** What the writer wrote: the counts by extension, each file's site path and SHA-256 (in `siteFiles()` order), and how many were taken from a kept site. */
export interface WrittenFiles {
  counts: FileCounts;
  hashes: [string, string][];
  kept: number;
}

/** Files of a kept site to take as they are when each still has the SHA-256 given: the site folder, and [site path, hash] pairs. */
export interface KeptFiles {
  dir: string;
  files: [string, string][];
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The file `path` of the kept site, placed at `to` when its bytes still have the hash `want`; false when not (or not there). */
async function takeKept(kept: KeptFiles, path: string, want: string, to: string): Promise<boolean> {
  const from = join(kept.dir, path);
  const bytes = await readFile(from).catch(() => null);
  if (bytes === null || sha256(bytes) !== want) return false;
  await place(from, to);
  return true;
}

/**
 * Writes every file of `siteFiles()` under `outDir` (a few writes in flight);
 * returns the counts by extension and the SHA-256 of each file written, taken
 * from the bytes in memory (the kept copy of the site records them without
 * reading the files again, src/cli/site-output.ts).
 *
 * A file `kept` lists (those of the chart-week pages a rebuild takes from the
 * last site, src/cli/site-output.ts reusableFiles) is taken from that site
 * instead, once its bytes are checked against the hash listed; one that
 * differs or is gone is made here like any other.
 */
export async function writeSiteFiles(outDir: string, kept: KeptFiles | null = null): Promise<WrittenFiles> {
  const list = siteFiles();
  const dirs = [...new Set(list.map((f) => dirname(join(outDir, f.path))))].sort();
  for (const d of dirs) await mkdir(d, { recursive: true });
  const counts: FileCounts = new Map();
  const hashes: [string, string][] = new Array(list.length);
  const keptHash = new Map(kept?.files ?? []);
  let taken = 0;
  let next = 0;
  const lane = async () => {
    while (next < list.length) {
      const i = next++;
      const f = list[i]!;
      const to = join(outDir, f.path);
      const want = keptHash.get(f.path);
      if (want !== undefined && (await takeKept(kept!, f.path, want, to))) {
        hashes[i] = [f.path, want];
        taken++;
      } else {
        const bytes = await f.bytes();
        await writeFile(to, bytes);
        hashes[i] = [f.path, sha256(bytes)];
      }
      const ext = /\.([a-z0-9]+)$/i.exec(f.path)?.[1]?.toLowerCase() ?? 'other';
      counts.set(ext, (counts.get(ext) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  return { counts, hashes, kept: taken };
}
