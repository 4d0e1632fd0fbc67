/** Per-chart and per-week downloads, cut from the site-wide files so the numbers are the same bytes. */
import { formatCsv } from '../lib/csv.ts';
import { type ChartWeek, stableJson } from '../sitedata/write.ts';
import { csvByChart, csvKey } from './data.ts';
import type { ChartView } from './model.ts';
import { chartWeekPath } from './urls.ts';

function source(view: ChartView): 'estimates.csv' | 'stacks.csv' {
  return view.entry.kind === 'stack' ? 'stacks.csv' : 'estimates.csv';
}

/** The rows of estimates.csv (stacks.csv for stack charts) for the chart, in the given weeks. */
export function chartCsv(view: ChartView, weeks: readonly string[]): string {
  const t = csvByChart(source(view));
  const rows = weeks.flatMap((w) => t.groups.get(csvKey(w, view.program.program, view.entry.kind, view.entry.chart)) ?? []);
  return formatCsv([t.header, ...rows]);
}

/** The chart's description and one week's entry of its JSON file. */
export function chartWeekJson(view: ChartView, week: ChartWeek): string {
  const { weeks: _all, ...meta } = view.file;
  return (
    stableJson({
      ...meta,
      permalink: chartWeekPath(view.program, view.entry, week.week),
      week,
    }) + '\n'
  );
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const JSON_TYPE = 'application/json';
export const SVG_TYPE = 'image/svg+xml';
export const PNG_TYPE = 'image/png';
