/** The static paths of the chart routes, shared by the pages and the file writer (src/site/files.ts). */
import type { ChartWeek } from '../sitedata/schema.ts';
import { type ChartView, siteModel } from './model.ts';

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
