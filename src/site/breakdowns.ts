/**
 * What the pages show of a chart's breakdowns (the week by program version,
 * OS and Go version) and of its version comparison: per dimension the
 * groups as published (small groups already merged by the pipeline), the
 * buckets drawn (the largest of the week, at most a budget's worth) and
 * those left out, per bucket one row per group; the comparison of the
 * newest version group against the one before it as sentences. Pure
 * functions of the loaded site data.
 */
import type { BucketChange, FlaggedComparison, PublishedBreakdown, PublishedBreakdownGroup } from '../estimate/publish.ts';
import { formatCount, formatPct, formatPctNumber, formatPoints, shareDigits } from '../render/format.ts';
import type { BreakdownDimension } from '../reduce/spec.ts';
import type { ChartWeek, CounterChartWeek } from '../sitedata/schema.ts';
import { dotPanel } from '../render/dot-panel.ts';
import { flaggedComparisons, isStackWeek } from './data.ts';
import { type ChartView, counterWeeks, isPublished } from './model.ts';

/** The week when it has breakdowns (a counter chart's week, breakdowns published), else null. */
export function withBreakdowns(week: ChartWeek): CounterChartWeek | null {
  return !isStackWeek(week) && (week.breakdowns?.length ?? 0) > 0 ? week : null;
}

/** True when some week of the chart has breakdowns: it then has breakdown downloads. */
export function chartHasBreakdowns(view: ChartView): boolean {
  return counterWeeks(view).some((w) => withBreakdowns(w) !== null);
}

/** What each dimension is called on the pages, in a sentence (DimensionView.title is the heading). */
const DIMENSION_TITLES: ReadonlyMap<BreakdownDimension, string> = new Map([
  ['Version', 'by program version'],
  ['GOOS', 'by OS'],
  ['GoVersion', 'by Go version'],
]);

/** One group's figure for one bucket. */
export interface GroupCell {
  group: string;
  /** Eligible reports of the group; null for a group of small groups under k (shown as "< k"). */
  n: number | null;
  /** The groups of fewer than k installations merged into this row. */
  members?: string[];
  /**
   * `published`: x, share and interval; `grouped`: the bucket is in the
   * group's "other (each < k)"; `suppressed`: the row (a group of small
   * groups, or the group's small-cell group) is under k and has no figures;
   * `none`: the group has no small cells (the panel of "other (each < k)").
   */
  status: 'published' | 'grouped' | 'suppressed' | 'none';
  x?: number;
  share?: number;
  ci?: readonly [number, number];
}

/** One bucket (or a group's small-cell group) across the groups of a dimension. */
export interface BucketPanel {
  bucket: string;
  /** True for the panel of the groups' "other (each < k)" rows. */
  other: boolean;
  cells: GroupCell[];
  /** The panel as SVG (fitBreakdowns). */
  svg?: string;
}

export interface DimensionView {
  by: BreakdownDimension;
  /** The heading, `By OS`. */
  title: string;
  /** The same in a sentence, `by OS`. */
  phrase: string;
  groups: PublishedBreakdownGroup[];
  panels: BucketPanel[];
  /** Buckets reported this week that are not drawn (the budget), in the chart's order. */
  leftOut: string[];
}

export interface BreakdownWeekView {
  week: string;
  provisional: boolean;
  minCell: number;
  dimensions: DimensionView[];
  /** Buckets drawn in every dimension (the same in each), in the chart's order. */
  drawn: string[];
}

/**
 * The buckets a week's breakdowns draw: those reported in the week (x > 0,
 * or grouped as small cells), the `max` with the largest share of the week's
 * installations (ties in the chart's order), listed in the chart's order (or,
 * `byRank`, largest first).
 */
export function breakdownBuckets(view: ChartView, week: CounterChartWeek, max: number, byRank = false): { drawn: string[]; leftOut: string[] } {
  const share = new Map<string, number>();
  for (const b of week.buckets) {
    if (isPublished(b)) {
      if (b.x > 0) share.set(b.bucket, b.share);
    } else share.set(b.bucket, -1);
  }
  const seen = view.buckets.filter((b) => share.has(b));
  const ranked = [...seen].sort((a, b) => share.get(b)! - share.get(a)! || seen.indexOf(a) - seen.indexOf(b));
  const top = new Set(ranked.slice(0, Math.max(0, max)));
  if (byRank) return { drawn: ranked.filter((b) => top.has(b)), leftOut: ranked.filter((b) => !top.has(b)) };
  return { drawn: seen.filter((b) => top.has(b)), leftOut: seen.filter((b) => !top.has(b)) };
}

function cellOf(g: PublishedBreakdownGroup, bucket: string): GroupCell {
  const base = { group: g.group, n: g.n, ...(g.members ? { members: g.members } : {}) };
  if (g.suppressed || g.n === null) return { ...base, status: 'suppressed' };
  const b = g.buckets.find((x) => x.bucket === bucket);
  if (b?.status !== 'published') return { ...base, status: 'grouped' };
  return { ...base, status: 'published', x: b.x, share: b.share, ci: b.ci };
}

function otherCell(g: PublishedBreakdownGroup): GroupCell | null {
  const base = { group: g.group, n: g.n, ...(g.members ? { members: g.members } : {}) };
  if (g.suppressed || g.n === null) return { ...base, status: 'suppressed' };
  const o = g.other;
  if (!o) return null;
  if (o.suppressed || o.x === null || o.share === null || o.ci === null) return { ...base, status: 'suppressed' };
  return { ...base, status: 'published', x: o.x, share: o.share, ci: o.ci };
}

/** A dimension's panels: one per drawn bucket, then the groups' "other (each < k)" when a group has one. */
function dimensionView(bd: PublishedBreakdown, drawn: readonly string[], leftOut: string[]): DimensionView {
  const panels: BucketPanel[] = drawn.map((bucket) => ({ bucket, other: false, cells: bd.groups.map((g) => cellOf(g, bucket)) }));
  const label = bd.groups.find((g) => g.other)?.other?.label;
  if (label) {
    const cells = bd.groups.map((g) => otherCell(g) ?? { group: g.group, n: g.n, ...(g.members ? { members: g.members } : {}), status: 'none' as const });
    panels.push({ bucket: label, other: true, cells });
  }
  const phrase = DIMENSION_TITLES.get(bd.by) ?? `by ${bd.by}`;
  return { by: bd.by, title: `B${phrase.slice(1)}`, phrase, groups: bd.groups, panels, leftOut };
}

/** The week's breakdowns as the pages draw them, at most `max` buckets; null when the week has none (stack and metadata charts, withheld). */
export function breakdownWeek(view: ChartView, week: CounterChartWeek, max: number): BreakdownWeekView | null {
  const bds = week.breakdowns;
  if (!bds || bds.length === 0) return null;
  const { drawn, leftOut } = breakdownBuckets(view, week, max);
  return {
    week: week.week,
    provisional: week.provisional,
    minCell: view.file.minCell,
    drawn,
    dimensions: bds.map((bd) => dimensionView(bd, drawn, leftOut)),
  };
}

/** A cell's figures: `45.3% (42.1–48.5%), 439 of 970`, or why it has none. */
export function cellText(c: GroupCell, k: number): string {
  if (c.status === 'suppressed') return c.n === null ? `fewer than ${k} installations` : `fewer than ${k}`;
  if (c.status === 'grouped') return `fewer than ${k} (in other)`;
  if (c.status === 'none') return 'none';
  if (c.share === undefined || c.ci === undefined) return '—';
  const d = shareDigits(c.share, c.ci[0], c.ci[1]);
  return `${formatPct(c.share, d)} (${formatPctNumber(c.ci[0], d)}–${formatPctNumber(c.ci[1], d)}%), ${formatCount(c.x ?? 0)} of ${formatCount(c.n ?? 0)}`;
}

/** A cell as the table shows it (n has a column of its own): `45.3% (42.1–48.5)`, `<10`, `none`. */
export function cellShare(c: GroupCell, k: number): string {
  if (c.status === 'suppressed' || c.status === 'grouped') return `<${k}`;
  if (c.status === 'none') return 'none';
  if (c.share === undefined || c.ci === undefined) return '—';
  const d = shareDigits(c.share, c.ci[0], c.ci[1]);
  return `${formatPct(c.share, d)} (${formatPctNumber(c.ci[0], d)}–${formatPctNumber(c.ci[1], d)})`;
}

/** A signed number of points without the unit: `−1.1`, `+0.47`. */
function signedPoints(v: number, digits: number): string {
  const s = formatPctNumber(Math.abs(v), digits);
  return /^0(\.0+)?$/.test(s) ? s : `${v < 0 ? '−' : '+'}${s}`;
}

/** One bucket of a version comparison. */
export interface ComparisonLine {
  bucket: string;
  newest: string;
  previous: string;
  /** Shares in each group; null when the group has the bucket only in its small-cell group. */
  newestShare: number | null;
  previousShare: number | null;
  change: BucketChange;
  /** `gopls/bug: v0.17 0.4% vs v0.16 1.2%, −0.8 points (−1.1 to −0.5)`. */
  text: string;
}

/** The text of one comparison: `vscode: v0.22 80.1% vs v0.21 62.6%, +17.5 points (+14.0 to +20.9)`. */
export function comparisonText(
  bucket: string,
  newest: string,
  newestShare: number | null,
  previous: string,
  previousShare: number | null,
  change: BucketChange,
  k: number,
): string {
  const share = (s: number | null) => (s === null ? `fewer than ${k}` : formatPct(s, shareDigits(s)));
  const d = shareDigits(Math.abs(change.difference), Math.abs(change.ci[0]), Math.abs(change.ci[1]));
  return `${bucket}: ${newest} ${share(newestShare)} vs ${previous} ${share(previousShare)}, ${formatPoints(change.difference)} (${signedPoints(change.ci[0], d)} to ${signedPoints(change.ci[1], d)})`;
}

export interface ComparisonView {
  week: string;
  newest: string;
  previous: string;
  /** Provisional or incomplete week: nothing was tested. */
  untested: boolean;
  /** Every tested bucket, flagged first, then by the size of the difference. */
  lines: (ComparisonLine & { flagged: boolean })[];
  /** Buckets that could not be tested (small cells in both, or too few reports). */
  notTested: string[];
}

/**
 * A week's version comparison: every tested bucket with its sentence,
 * flagged ones first. The shares of a flagged comparison are those of
 * changes.json; the others come from the week's Version breakdown.
 */
export function comparisonView(
  view: ChartView,
  week: CounterChartWeek,
  flaggedAll: readonly FlaggedComparison[] = flaggedComparisons(),
): ComparisonView | null {
  const vc = week.versionComparison;
  if (!vc) return null;
  const k = view.file.minCell;
  const version = week.breakdowns?.find((b) => b.by === 'Version');
  const groupShare = (group: string, bucket: string): number | null => {
    const b = version?.groups.find((g) => g.group === group)?.buckets.find((x) => x.bucket === bucket);
    return b && b.status === 'published' ? b.share : null;
  };
  const flagged = new Map(
    flaggedAll.filter((c) => c.week === week.week && c.program === view.entry.program && c.chart === view.entry.chart).map((c) => [c.bucket, c]),
  );
  const lines: ComparisonView['lines'] = [];
  const notTested: string[] = [];
  for (const { bucket, change } of vc.buckets) {
    if (!change) {
      notTested.push(bucket);
      continue;
    }
    const f = flagged.get(bucket);
    const newestShare = f ? f.newestShare : groupShare(vc.newest, bucket);
    const previousShare = f ? f.previousShare : groupShare(vc.previous, bucket);
    lines.push({
      bucket,
      newest: vc.newest,
      previous: vc.previous,
      newestShare,
      previousShare,
      change,
      flagged: change.flagged,
      text: comparisonText(bucket, vc.newest, newestShare, vc.previous, previousShare, change, k),
    });
  }
  lines.sort((a, b) => Number(b.flagged) - Number(a.flagged) || Math.abs(b.change.difference) - Math.abs(a.change.difference));
  return { week: week.week, newest: vc.newest, previous: vc.previous, untested: vc.status === 'provisional', lines, notTested };
}

/** A dot's hover text: `v0.22, vscode: 45.3% (42.1–48.5%), 439 of 970` (with "(provisional)" after the bucket in a provisional week). */
function dotTitle(c: GroupCell, bucket: string, provisional: boolean, k: number): string {
  return `${c.group}, ${bucket}${provisional ? ' (provisional)' : ''}: ${cellText(c, k)}`;
}

/** A panel as SVG: one row per group, the dot and interval of its share; rows without a share say why. */
function panelSvg(p: BucketPanel, bv: Pick<BreakdownWeekView, 'provisional' | 'minCell'>, title: string, id: string): string {
  const k = bv.minCell;
  return dotPanel(
    {
      title,
      provisional: bv.provisional,
      rows: p.cells.map((c) =>
        c.status === 'published' && c.share !== undefined && c.ci
          ? { label: c.group, estimate: c.share, lower: c.ci[0], upper: c.ci[1], title: dotTitle(c, p.bucket, bv.provisional, k) }
          : { label: c.group, estimate: null, note: c.status === 'none' ? 'none' : c.n === null ? `< ${k} installations` : `< ${k}` },
      ),
    },
    { id },
  );
}

/** Bytes of page markup besides a panel's SVG: its list item and name, and its column of the table (per group). */
const PANEL_WRAP = 90;
const TABLE_CELL = 36;
/** Bytes of a dimension besides its panels: heading, notes, table frame, and per group its row head. */
const DIMENSION_FRAME = 900;
const TABLE_ROW = 60;

/**
 * The week's breakdowns drawn within `budget` bytes of page markup: every
 * panel is rendered (SVG, id `<id>-<dimension>-<i>`), then buckets are kept
 * largest share first while their panels and table columns fit, at least
 * one (the groups' small-cell panel and the frame are always kept). A chart
 * with one bucket draws none: its share is 100% in every group, and the
 * table gives each group's n. Null when the week has no breakdowns.
 */
export function fitBreakdowns(view: ChartView, week: CounterChartWeek, budget: number, id: string): BreakdownWeekView | null {
  const full = breakdownWeek(view, week, view.buckets.length === 1 ? 0 : Number.POSITIVE_INFINITY);
  if (!full) return null;
  const cost = new Map<string, number>();
  let fixed = 0;
  for (const d of full.dimensions) {
    fixed += DIMENSION_FRAME + d.groups.length * TABLE_ROW;
    d.panels.forEach((p, i) => {
      p.svg = panelSvg(p, full, `${view.entry.title}, ${d.phrase}, week ${full.week}: ${p.bucket}`, `${id}-${d.by}-${i}`);
      const bytes = Buffer.byteLength(p.svg) + PANEL_WRAP + 2 * Buffer.byteLength(p.bucket) + d.groups.length * TABLE_CELL;
      if (p.other) fixed += bytes;
      else cost.set(p.bucket, (cost.get(p.bucket) ?? 0) + bytes);
    });
  }
  const { drawn: ranked } = breakdownBuckets(view, week, Number.POSITIVE_INFINITY, true);
  const keep = new Set<string>();
  let left = budget - fixed;
  for (const b of ranked) {
    if (!cost.has(b)) continue;
    if (keep.size > 0 && cost.get(b)! > left) break;
    keep.add(b);
    left -= cost.get(b)!;
  }
  const drawn = full.drawn.filter((b) => keep.has(b));
  const leftOut = view.buckets.length === 1 ? [] : full.drawn.filter((b) => !keep.has(b));
  return {
    ...full,
    drawn,
    dimensions: full.dimensions.map((d) => ({ ...d, panels: d.panels.filter((p) => p.other || keep.has(p.bucket)), leftOut })),
  };
}
