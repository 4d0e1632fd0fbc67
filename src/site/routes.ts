/** The static paths of the chart routes, shared by the pages and the file writer (src/site/files.ts). */
import { readFileSync } from 'node:fs';
import type { ChartWeek } from '../sitedata/schema.ts';
import { type ChartView, siteModel } from './model.ts';
import { weekPageRoute } from './page-routes.ts';

export interface ChartProps {
  view: ChartView;
}

export interface ChartWeekProps {
  view: ChartView;
  week: ChartWeek;
}

export function chartRoutes(): { params: { program: string; chart: string }; props: ChartProps }[] {
  return siteModel().charts.map((view) => ({ params: { program: view.program.slug, chart: view.entry.slug }, props: { view } }));
}

export function chartWeekRoutes(): { params: { program: string; chart: string; week: string }; props: ChartWeekProps }[] {
  return siteModel().charts.flatMap((view) =>
    view.file.weeks.map((week) => ({ params: { program: view.program.slug, chart: view.entry.slug, week: week.week }, props: { view, week } })),
  );
}

/** A chart-week route's name in the image manifest (src/site/prerender.ts): `program/chart/week`. */
export function weekRouteKey(params: { program: string; chart: string; week: string }): string {
  return `${params.program}/${params.chart}/${params.week}`;
}

let skipped: ReadonlySet<string> | null = null;

/** The routes named in the JSON list at TELEMETRY_SKIP_PAGES, whose pages `npm run build` copies from the last site it built. */
function skippedRoutes(): ReadonlySet<string> {
  const file = process.env.TELEMETRY_SKIP_PAGES;
  skipped ??= new Set(file ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : []);
  return skipped;
}

/**
 * The chart-week routes Astro renders: every one but those named (as
 * `program/chart/week`) in the skip list (see skippedRoutes).
 */
export function chartWeekPageRoutes(): ReturnType<typeof chartWeekRoutes> {
  const skip = skippedRoutes();
  const all = chartWeekRoutes();
  return skip.size === 0 ? all : all.filter((r) => !skip.has(weekRouteKey(r.params)));
}

/** Whether Astro renders the page of week `week` (`/weeks/<week>/`): not when the skip list names it (as `weeks/<week>`). */
export function rendersWeekPage(week: string): boolean {
  return !skippedRoutes().has(weekPageRoute(week));
}
