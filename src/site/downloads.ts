/** Per-chart and per-week downloads, cut from the chart's own rows of the site-wide tables, so the numbers are the same bytes. */
import type { ColumnTable } from 'arquero';
import { stableJson } from '../sitedata/json.ts';
import type { ChartWeek } from '../sitedata/schema.ts';
import {
  BREAKDOWN_COLUMNS,
  breakdownRows,
  chartsTable,
  ESTIMATE_COLUMNS,
  estimateRows,
  rowsByWeek,
  rowsCsv,
  STACK_COLUMNS,
  stackRows,
  tableCsv,
} from '../sitedata/tables.ts';
import type { ChartView } from './model.ts';
import { chartWeekPath } from './urls.ts';

interface ChartTable {
  table: ColumnTable;
  weeks: Map<string, object[]>;
}

const tables = new WeakMap<ChartView, ChartTable>();

/** The chart's rows of estimates.csv (stacks.csv for a stack chart), built once per chart and grouped by week. */
function chartTable(view: ChartView): ChartTable {
  let t = tables.get(view);
  if (!t) {
    const table = view.entry.kind === 'stack' ? chartsTable(stackRows(view.file)) : chartsTable(estimateRows(view.file));
    t = { table, weeks: rowsByWeek(table) };
    tables.set(view, t);
  }
  return t;
}

function columns(view: ChartView) {
  return view.entry.kind === 'stack' ? STACK_COLUMNS : ESTIMATE_COLUMNS;
}

/** The chart's rows of estimates.csv (stacks.csv for stack charts), every week. */
export function chartCsv(view: ChartView): string {
  return tableCsv(chartTable(view).table, columns(view));
}

/** The chart's rows of estimates.csv (stacks.csv for stack charts) for one week. */
export function chartWeekCsv(view: ChartView, week: string): string {
  return rowsCsv(chartTable(view).weeks.get(week) ?? [], columns(view));
}

const breakdownTables = new WeakMap<ChartView, ChartTable>();

/** The chart's rows of breakdowns.csv (none for stack and metadata charts, or when withheld), built once per chart and grouped by week. */
function breakdownTable(view: ChartView): ChartTable {
  let t = breakdownTables.get(view);
  if (!t) {
    const table = chartsTable(breakdownRows(view.file));
    t = { table, weeks: rowsByWeek(table) };
    breakdownTables.set(view, t);
  }
  return t;
}

/** The chart's rows of breakdowns.csv, every week (the header only when it has none). */
export function chartBreakdownCsv(view: ChartView): string {
  return tableCsv(breakdownTable(view).table, BREAKDOWN_COLUMNS);
}

/** The chart's rows of breakdowns.csv for one week. */
export function chartWeekBreakdownCsv(view: ChartView, week: string): string {
  return rowsCsv(breakdownTable(view).weeks.get(week) ?? [], BREAKDOWN_COLUMNS);
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
