/**
 * estimates.csv and stacks.csv: their columns, in order, and their rows, one
 * object per row keyed by column name. Rows are read off the chart files
 * (ChartFile), so a chart's rows in the site-wide CSV, in the chart's CSV
 * downloads and in its JSON file are the same figures by construction.
 *
 * estimates.csv has one row per week, program, chart and bucket shown or
 * withheld (grouped buckets are in the "other" row); stacks.csv one row per
 * listed stack. The column lists are a published contract (see README).
 */
import { escape, from, op, type ColumnTable } from 'arquero';
import { formatCsv } from '../lib/csv.ts';
import type { ChartFile, CounterChartWeek, PublicBucket, StackChartWeek } from './schema.ts';

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
  'adj_share',
  'adj_ci95_low',
  'adj_ci95_high',
  'n_eff',
  'small_cell',
  'change',
  'change_ci95_low',
  'change_ci95_high',
  'change_p',
  'change_p_adjusted',
  'change_flagged',
] as const;

export const STACK_COLUMNS = ['week', 'program', 'chart', 'stack', 'x', 'n', 'share', 'ci95_low', 'ci95_high', 'events', 'provisional'] as const;

export type EstimateRow = Record<(typeof ESTIMATE_COLUMNS)[number], string>;
export type StackRow = Record<(typeof STACK_COLUMNS)[number], string>;

/** A number as a CSV cell: absent figures are empty cells. */
function cell(v: number | boolean | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

const NO_FIGURES: Omit<EstimateRow, 'week' | 'program' | 'chart' | 'bucket' | 'n' | 'provisional' | 'kind' | 'rate'> = {
  x: '',
  share: '',
  ci95_low: '',
  ci95_high: '',
  naive_share: '',
  events: '',
  mean_events: '',
  mean_events_ci95_low: '',
  mean_events_ci95_high: '',
  event_share: '',
  event_share_ci95_low: '',
  event_share_ci95_high: '',
  adj_share: '',
  adj_ci95_low: '',
  adj_ci95_high: '',
  n_eff: '',
  small_cell: '',
  change: '',
  change_ci95_low: '',
  change_ci95_high: '',
  change_p: '',
  change_p_adjusted: '',
  change_flagged: '',
};

function bucketRow(chart: ChartFile, week: CounterChartWeek, b: PublicBucket): EstimateRow {
  const row = { week: week.week, program: chart.program, chart: chart.chart, bucket: b.bucket, n: String(week.n), provisional: String(week.provisional), kind: chart.kind, rate: cell(chart.rate) };
  if (b.status !== 'published') return { ...row, ...NO_FIGURES, small_cell: b.status };
  const events = b.eventsHidden ? undefined : b;
  const ch = b.change;
  return {
    ...row,
    x: String(b.x),
    share: cell(b.share),
    ci95_low: cell(b.ci[0]),
    ci95_high: cell(b.ci[1]),
    naive_share: cell(b.naiveShare),
    events: events && chart.kind === 'counter' ? String(events.events) : '',
    mean_events: cell(events?.meanEvents?.estimate),
    mean_events_ci95_low: cell(events?.meanEvents?.interval[0]),
    mean_events_ci95_high: cell(events?.meanEvents?.interval[1]),
    event_share: cell(events?.eventShare?.estimate),
    event_share_ci95_low: cell(events?.eventShare?.interval[0]),
    event_share_ci95_high: cell(events?.eventShare?.interval[1]),
    adj_share: cell(b.adjusted?.share),
    adj_ci95_low: cell(b.adjusted?.ci[0]),
    adj_ci95_high: cell(b.adjusted?.ci[1]),
    n_eff: cell(b.adjusted?.nEff),
    small_cell: '',
    change: cell(ch?.difference),
    change_ci95_low: cell(ch?.ci[0]),
    change_ci95_high: cell(ch?.ci[1]),
    change_p: cell(ch?.p),
    change_p_adjusted: cell(ch?.adjustedP),
    change_flagged: cell(ch?.flagged),
  };
}

function otherRow(chart: ChartFile, week: CounterChartWeek, o: NonNullable<CounterChartWeek['other']>): EstimateRow {
  return {
    ...NO_FIGURES,
    week: week.week,
    program: chart.program,
    chart: chart.chart,
    bucket: o.label,
    x: cell(o.x),
    n: String(week.n),
    share: cell(o.share),
    ci95_low: cell(o.ci?.[0]),
    ci95_high: cell(o.ci?.[1]),
    provisional: String(week.provisional),
    kind: chart.kind,
    rate: cell(chart.rate),
    small_cell: o.suppressed ? 'suppressed' : 'other',
  };
}

/** The chart's rows of estimates.csv, week by week, buckets in the chart's order, then its "other" group; none for a stack chart. */
export function estimateRows(chart: ChartFile): EstimateRow[] {
  if (chart.kind === 'stack') return [];
  return (chart.weeks as CounterChartWeek[]).flatMap((w) => {
    const rows = w.buckets.filter((b) => b.status !== 'grouped').map((b) => bucketRow(chart, w, b));
    return w.other ? [...rows, otherRow(chart, w, w.other)] : rows;
  });
}

/** The chart's rows of stacks.csv (the stacks its file lists), week by week; none unless a stack chart. */
export function stackRows(chart: ChartFile): StackRow[] {
  if (chart.kind !== 'stack') return [];
  return (chart.weeks as StackChartWeek[]).flatMap((w) =>
    w.top.map((t) => ({
      week: w.week,
      program: chart.program,
      chart: chart.chart,
      stack: t.stack,
      x: String(t.x),
      n: String(w.n),
      share: cell(t.share),
      ci95_low: cell(t.ci[0]),
      ci95_high: cell(t.ci[1]),
      events: String(t.events),
      provisional: String(w.provisional),
    })),
  );
}

type Columns = typeof ESTIMATE_COLUMNS | typeof STACK_COLUMNS;

/**
 * The rows of charts as one table, week by week; within a week, charts in
 * the order given. `seq` (the row's place in the charts' own order) breaks
 * ties, so the order never rests on the sort being stable.
 */
export function chartsTable(rows: EstimateRow[] | StackRow[]): ColumnTable {
  // A table without rows has no columns to order by.
  if (rows.length === 0) return from([]);
  return from(rows)
    .derive({ seq: () => op.row_number() })
    .orderby('week', 'seq');
}

/** One week's rows of a table built by chartsTable (or of a chart's own table). */
export function weekCut(table: ColumnTable, week: string): ColumnTable {
  return table.filter(escape((d: { week: string }) => d.week === week));
}

/** The table as CSV in the column order given, names neutralised (src/lib/csv.ts). */
export function tableCsv(table: ColumnTable, columns: Columns): string {
  const values = columns.map((c) => (table.numRows() > 0 ? (table.array(c) as string[]) : []));
  const rows = Array.from({ length: table.numRows() }, (_, i) => values.map((v) => v[i]!));
  return formatCsv([[...columns], ...rows]);
}
