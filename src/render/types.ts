/**
 * Plain inputs of the chart functions. Shares are proportions in [0, 1]
 * (charts show them as percentages); weeks are week-bin names (`YYYY-MM-DD`,
 * the bin's Sunday); bucket names and labels are untrusted text.
 */

/** One bucket's estimate for one week; `estimate: null` means no data that week (drawn as a gap). */
export interface WeekEstimate {
  week: string;
  estimate: number | null;
  /** 95% interval bounds; omitted or null when there is no interval. */
  lower?: number | null;
  upper?: number | null;
  /** Eligible reports of the week (the denominator), for the point's hover text. */
  n?: number;
}

/** One bucket over time. */
export interface LineSeries {
  bucket: string;
  /** Display name (default: the bucket name). */
  label?: string;
  points: readonly WeekEstimate[];
}

/** A flagged significant week-over-week change, drawn as ▲ or ▼ at that week's point. */
export interface ChangeMarker {
  bucket: string;
  week: string;
  direction: 'up' | 'down';
  /** Extra words for the summary and tooltip, e.g. "+3.1 points". */
  note?: string;
}
