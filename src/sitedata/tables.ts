/**
 * estimates.csv and stacks.csv: their columns, in order, and their rows, one
 * object per row keyed by column name. Rows are read off the chart files
 * (ChartFile), so a chart's rows in the site-wide CSV, in the chart's CSV
 * downloads and in its JSON file are the same figures by construction.
 *
 * estimates.csv has one row per week, program, chart and bucket shown or
 * withheld (grouped buckets are in the "other" row); stacks.csv one row per
 * listed stack; breakdowns.csv one row per week, counter chart, dimension,
 * group and bucket shown (grouped buckets are in the group's "other" row). The column lists are a published contract (see README).
 */
import { figure, FIGURE_DIGITS, N_EFF_DIGITS } from './figures.ts';
import { from, op, type ColumnTable } from 'arquero';
import { formatRecords } from '../lib/csv.ts';
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
  'events_median',
  'events_p90',
  'mean_approximate',
] as const;

export const STACK_COLUMNS = ['week', 'program', 'chart', 'stack', 'x', 'n', 'share', 'ci95_low', 'ci95_high', 'events', 'provisional'] as const;

export const BREAKDOWN_COLUMNS = [
  'week',
  'program',
  'chart',
  'bucket',
  'by',
  'group',
  'x',
  'n',
  'share',
  'ci95_low',
  'ci95_high',
  'provisional',
  'small_cell',
] as const;

export type BreakdownRow = Record<(typeof BREAKDOWN_COLUMNS)[number], string>;

export type EstimateRow = Record<(typeof ESTIMATE_COLUMNS)[number], string>;
export type StackRow = Record<(typeof STACK_COLUMNS)[number], string>;

/** A number as a CSV cell: absent figures are empty cells. */
function cell(v: number | boolean | null | undefined, digits = FIGURE_DIGITS): string {
  return v === null || v === undefined ? '' : typeof v === 'number' ? String(figure(v, digits)) : String(v);
}

/** A row of the chart's week with every figure empty. Rows are filled in place: spreading one object into another of 34 keys is slow in V8. */
function emptyRow(chart: ChartFile, week: CounterChartWeek, bucket: string): EstimateRow {
  return {
    week: week.week,
    program: chart.program,
    chart: chart.chart,
    bucket,
    x: '',
    n: String(week.n),
    share: '',
    ci95_low: '',
    ci95_high: '',
    provisional: String(week.provisional),
    kind: chart.kind,
    rate: cell(chart.rate),
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
    events_median: '',
    events_p90: '',
    mean_approximate: '',
  };
}

/** A bucket's row: a withheld bucket has its status and no figures; a bucket whose events are hidden has no event figures. */
function bucketRow(chart: ChartFile, week: CounterChartWeek, b: PublicBucket): EstimateRow {
  const r = emptyRow(chart, week, b.bucket);
  if (b.status !== 'published') {
    r.small_cell = b.status;
    return r;
  }
  r.x = String(b.x);
  r.share = cell(b.share);
  r.ci95_low = cell(b.ci[0]);
  r.ci95_high = cell(b.ci[1]);
  r.naive_share = cell(b.naiveShare);
  if (!b.eventsHidden) {
    if (chart.kind === 'counter') r.events = String(b.events);
    r.mean_events = cell(b.meanEvents?.estimate);
    r.mean_events_ci95_low = cell(b.meanEvents?.interval[0]);
    r.mean_events_ci95_high = cell(b.meanEvents?.interval[1]);
    r.event_share = cell(b.eventShare?.estimate);
    r.event_share_ci95_low = cell(b.eventShare?.interval[0]);
    r.event_share_ci95_high = cell(b.eventShare?.interval[1]);
    r.events_median = cell(b.eventsMedian);
    r.events_p90 = cell(b.eventsP90);
    r.mean_approximate = b.meanApproximate ? String(b.meanApproximate.length > 0) : '';
  }
  r.adj_share = cell(b.adjusted?.share);
  r.adj_ci95_low = cell(b.adjusted?.ci[0]);
  r.adj_ci95_high = cell(b.adjusted?.ci[1]);
  r.n_eff = cell(b.adjusted?.nEff, N_EFF_DIGITS);
  if (b.change?.status === 'provisional') {
    // The week is provisional or incomplete: its changes are not tested.
    r.change_flagged = 'provisional';
    return r;
  }
  const ch = b.change;
  r.change = cell(ch?.difference);
  r.change_ci95_low = cell(ch?.ci[0]);
  r.change_ci95_high = cell(ch?.ci[1]);
  r.change_p = cell(ch?.p);
  r.change_p_adjusted = cell(ch?.adjustedP);
  r.change_flagged = cell(ch?.flagged);
  return r;
}

/** The row of the week's "other" group: its count and share, or none when suppressed. */
function otherRow(chart: ChartFile, week: CounterChartWeek, o: NonNullable<CounterChartWeek['other']>): EstimateRow {
  const r = emptyRow(chart, week, o.label);
  r.x = cell(o.x);
  r.share = cell(o.share);
  r.ci95_low = cell(o.ci?.[0]);
  r.ci95_high = cell(o.ci?.[1]);
  r.small_cell = o.suppressed ? 'suppressed' : 'other';
  return r;
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

/**
 * The chart's rows of breakdowns.csv, week by week; in a week, dimension by
 * dimension (Version, GOOS, GoVersion), group by group in the file's order,
 * the group's shown buckets in the chart's order, then its "other" row
 * (small_cell `other`, or `suppressed` without figures). A group of small
 * groups whose n is below k is left out (the chart file lists it). None for
 * stack and metadata charts, nor when breakdowns are withheld.
 */
export function breakdownRows(chart: ChartFile): BreakdownRow[] {
  if (chart.kind !== 'counter') return [];
  return (chart.weeks as CounterChartWeek[]).flatMap((w) =>
    (w.breakdowns ?? []).flatMap((bd) =>
      bd.groups.flatMap((g) => {
        if (g.suppressed || g.n === null) return [];
        const row = (bucket: string, x: number | null, share: number | null, ci: readonly [number, number] | null, smallCell: string): BreakdownRow => ({
          week: w.week,
          program: chart.program,
          chart: chart.chart,
          bucket,
          by: bd.by,
          group: g.group,
          x: cell(x),
          n: String(g.n),
          share: cell(share),
          ci95_low: cell(ci?.[0]),
          ci95_high: cell(ci?.[1]),
          provisional: String(w.provisional),
          small_cell: smallCell,
        });
        const rows = g.buckets.flatMap((b) => (b.status === 'published' ? [row(b.bucket, b.x, b.share, b.ci, '')] : []));
        if (g.other) rows.push(row(g.other.label, g.other.x, g.other.share, g.other.ci, g.other.suppressed ? 'suppressed' : 'other'));
        return rows;
      }),
    ),
  );
}

type Columns = typeof ESTIMATE_COLUMNS | typeof STACK_COLUMNS | typeof BREAKDOWN_COLUMNS;

/**
 * The rows of charts as one table, week by week; within a week, charts in
 * the order given. `seq` (the row's place in the charts' own order) breaks
 * ties, so the order never rests on the sort being stable.
 */
export function chartsTable(rows: EstimateRow[] | StackRow[] | BreakdownRow[]): ColumnTable {
  // A table without rows has no columns to order by.
  if (rows.length === 0) return from([]);
  return from(rows)
    .derive({ seq: () => op.row_number() })
    .orderby('week', 'seq');
}

/** The table's rows grouped by week, each group in the table's order. */
export function rowsByWeek(table: ColumnTable): Map<string, object[]> {
  if (table.numRows() === 0) return new Map();
  return table.groupby('week').objects({ grouped: 'map' }) as unknown as Map<string, object[]>;
}

/** The table as CSV in the column order given, names neutralised (src/lib/csv.ts). */
export function tableCsv(table: ColumnTable, columns: Columns): string {
  return rowsCsv(table.numRows() > 0 ? table.objects() : [], columns);
}

/** Rows (objects keyed by column name) as CSV in the column order given, names neutralised (src/lib/csv.ts). */
export function rowsCsv(rows: readonly object[], columns: Columns): string {
  return formatRecords(columns, rows);
}
