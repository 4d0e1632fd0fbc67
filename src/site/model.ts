/**
 * What the pages show, derived from the site data: bucket order, the latest
 * final week, which buckets a chart draws, precision and denominator notes,
 * the week's largest moves, short names for stacks. Pure functions of the
 * loaded files (no I/O beyond the memoised readers in data.ts).
 */
import { newcombe } from '../estimate/changes.ts';
import { COUNTS_ONLY_BELOW, precisionNote } from '../estimate/sample-size.ts';
import { bucketOrderForChart, orderBuckets } from '../lib/order.ts';
import { formatCount } from '../render/format.ts';
import {
  type BucketFigure,
  type ChartEntry,
  type ChartFile,
  type ChartWeek,
  type CounterWeek,
  chartFile,
  isStackWeek,
  type ProgramEntry,
  type SiteIndex,
  siteIndex,
  type SkewNote,
  type StackWeek,
  type WeekInfo,
} from './data.ts';

export { COUNTS_ONLY_BELOW };

/** A chart together with its program, its loaded file and its buckets in canonical order. */
export interface ChartView {
  program: ProgramEntry;
  entry: ChartEntry;
  file: ChartFile;
  /** Canonical display order (histogram bounds, versions, config order); colours follow this index. */
  buckets: string[];
}

export interface SiteModel {
  index: SiteIndex;
  weeks: WeekInfo[];
  /** The newest week that is no longer provisional (the newest week when all are provisional). */
  latestFinal: WeekInfo | null;
  provisional: WeekInfo[];
  charts: ChartView[];
}

let cached: SiteModel | null = null;

export function siteModel(): SiteModel {
  if (cached) return cached;
  const index = siteIndex();
  const weeks = [...index.weeks].sort((a, b) => (a.week < b.week ? -1 : 1));
  const finals = weeks.filter((w) => !w.provisional);
  const charts = index.programs.flatMap((program) =>
    program.charts.map((entry): ChartView => {
      const file = chartFile(entry);
      return { program, entry, file, buckets: canonicalBuckets(entry, file) };
    }),
  );
  cached = { index, weeks, latestFinal: finals.at(-1) ?? weeks.at(-1) ?? null, provisional: weeks.filter((w) => w.provisional), charts };
  return cached;
}

/** The chart's buckets (config order, or every value seen) plus any seen only in the data, in canonical order. */
export function canonicalBuckets(entry: ChartEntry, file: ChartFile): string[] {
  const all = [...entry.buckets];
  for (const w of file.weeks) if (!isStackWeek(w)) for (const b of w.buckets) if (!all.includes(b.bucket)) all.push(b.bucket);
  return orderBuckets(all, bucketOrderForChart(entry.chart, entry.type, entry.program), { configOrder: entry.buckets });
}

export function chartsOf(model: SiteModel, program: ProgramEntry): ChartView[] {
  return model.charts.filter((c) => c.program === program);
}

export function findWeek(view: ChartView, week: string): ChartWeek | undefined {
  return view.file.weeks.find((w) => w.week === week);
}

export function counterWeeks(view: ChartView): CounterWeek[] {
  return view.file.weeks.filter((w): w is CounterWeek => !isStackWeek(w));
}

export function stackWeeks(view: ChartView): StackWeek[] {
  return view.file.weeks.filter(isStackWeek);
}

/** A week's figures in canonical bucket order (buckets absent that week are left out). */
export function orderedFigures(view: ChartView, week: CounterWeek): BucketFigure[] {
  const by = new Map(week.buckets.map((b) => [b.bucket, b]));
  return view.buckets.map((b) => by.get(b)).filter((b): b is BucketFigure => b !== undefined);
}

/** True when a week has too few eligible reports for shares: counts only. */
export function countsOnly(n: number): boolean {
  return n < COUNTS_ONLY_BELOW;
}

/** A figure whose count is below the small-cell limit and is not published. */
export function isSuppressed(b: BucketFigure): boolean {
  return b.suppressed === true || b.x === null;
}

/** Whether a share is shown for this figure in a week of `n` eligible reports. */
export function hasShare(b: BucketFigure, n: number): boolean {
  return !countsOnly(n) && !isSuppressed(b) && typeof b.share === 'number';
}

/** Buckets seen (x > 0, or suppressed small cells) in at least one week. */
export function seenBuckets(view: ChartView): string[] {
  const seen = new Set<string>();
  for (const w of counterWeeks(view)) for (const b of w.buckets) if (isSuppressed(b) || (b.x ?? 0) > 0) seen.add(b.bucket);
  return view.buckets.filter((b) => seen.has(b));
}

/**
 * The buckets drawn as lines: at most `max`, those with the largest share in
 * the reference week (ties and missing shares by canonical order), shown in
 * canonical order so colours and legends stay put.
 */
export function lineBuckets(view: ChartView, reference: CounterWeek | undefined, max = 8): string[] {
  const seen = seenBuckets(view);
  if (seen.length <= max) return seen;
  const share = new Map((reference?.buckets ?? []).map((b) => [b.bucket, b.share ?? -1]));
  const top = new Set([...seen].sort((a, b) => (share.get(b) ?? -1) - (share.get(a) ?? -1) || seen.indexOf(a) - seen.indexOf(b)).slice(0, max));
  return seen.filter((b) => top.has(b));
}

/** The chart's week entry for the site's latest final week, else its newest week. */
export function referenceWeek(model: SiteModel, view: ChartView): ChartWeek | undefined {
  return (model.latestFinal && findWeek(view, model.latestFinal.week)) ?? view.file.weeks.at(-1);
}

/** The margin of error in words (design/statistics.md §6, precision note). */
export function precisionSentence(n: number): string {
  if (n === 0) return 'No eligible reports this week.';
  const note = precisionNote(n);
  const reports = `${formatCount(n)} eligible report${n === 1 ? '' : 's'}`;
  if (note.kind === 'countsOnly') return `Based on ${reports}: too few for shares (fewer than ${COUNTS_ONLY_BELOW}), so only counts are shown.`;
  const m = note.marginPoints < 1 ? note.marginPoints.toFixed(2) : note.marginPoints.toFixed(1);
  if (note.kind === 'none') return `Based on ${reports}; every share is within ±${m} points of the true share with 99% confidence.`;
  return `Based on ${reports}; the true share is within ±${m} points with 99% confidence (±1 point needs ${formatCount(note.threshold)}).`;
}

function rateText(r: number): string {
  return String(Math.round(r * 1e6) / 1e6);
}

/** What the shares are shares of, including a rate below 1 and a minimum version. */
export function denominatorSentence(entry: ChartEntry, sampleRate: number): string {
  const who = `reports of ${entry.program}`;
  const parts: string[] = [];
  if (entry.kind === 'metadata') {
    parts.push(`Shares are of all ${who} in the week (each installation counts once, in every value it reported).`);
  } else if (entry.rate < sampleRate) {
    const frac = Math.round((100 * entry.rate) / sampleRate);
    parts.push(
      `This counter is collected at rate ${rateText(entry.rate)}: its shares are of the ${who} with X ≤ ${rateText(entry.rate)} (about ${frac}% of uploaded reports), not of all reports.`,
    );
  } else {
    parts.push(`Shares are of all ${who} in the week that could carry this counter.`);
  }
  if (entry.minVersion) parts.push(`Only reports from version ${entry.minVersion} or later count, since earlier versions do not have the counter.`);
  return parts.join(' ');
}

/** A change between two weeks of one bucket, from the data when it has one, else computed (Newcombe interval). */
export interface Move {
  view: ChartView;
  bucket: string;
  from: number;
  to: number;
  difference: number;
  ci: readonly [number, number] | null;
  /** True when the pipeline flagged it as significant (multiple-comparison adjusted). */
  flagged: boolean | null;
  score: number;
}

function previousWeek(view: ChartView, week: string): CounterWeek | undefined {
  const ws = counterWeeks(view);
  const i = ws.findIndex((w) => w.week === week);
  return i > 0 ? ws[i - 1] : undefined;
}

/** Week-over-week moves of every bucket into `week`, largest first (shares published both weeks, n ≥ 50 both). */
export function moves(model: SiteModel, week: string, limit = 8): Move[] {
  const out: Move[] = [];
  for (const view of model.charts) {
    if (view.entry.kind === 'stack') continue;
    const cur = findWeek(view, week);
    if (!cur || isStackWeek(cur)) continue;
    const prev = previousWeek(view, week);
    if (!prev || countsOnly(cur.n) || countsOnly(prev.n)) continue;
    const before = new Map(prev.buckets.map((b) => [b.bucket, b]));
    for (const b of cur.buckets) {
      const p = before.get(b.bucket);
      if (!p || !hasShare(b, cur.n) || !hasShare(p, prev.n) || b.x === null || p.x === null) continue;
      let difference: number;
      let ci: readonly [number, number] | null;
      let flagged: boolean | null = null;
      if (b.change && typeof b.change.difference === 'number') {
        difference = b.change.difference;
        ci = b.change.ci ?? null;
        flagged = b.change.flagged === true;
      } else {
        const d = newcombe(b.x, cur.n, p.x, prev.n);
        difference = d.difference;
        ci = d.interval;
      }
      const half = ci ? (ci[1] - ci[0]) / 2 : 0;
      const score = half > 0 ? Math.abs(difference) / half : 0;
      // Only moves of at least one point whose interval excludes zero.
      if (Math.abs(difference) < 0.01 || !ci || (ci[0] <= 0 && ci[1] >= 0)) continue;
      out.push({ view, bucket: b.bucket, from: p.share!, to: b.share!, difference, ci, flagged, score: (flagged ? 1000 : 0) + score });
    }
  }
  return out.sort((a, b) => b.score - a.score || Math.abs(b.difference) - Math.abs(a.difference)).slice(0, limit);
}

/** Skew notes to show for a chart: the chart's own, then its week's (newer data only). */
export function skewNotesOf(...lists: (SkewNote[] | undefined)[]): SkewNote[] {
  const seen = new Set<string>();
  const out: SkewNote[] = [];
  for (const l of lists) for (const n of l ?? []) if (n && typeof n.text === 'string' && !seen.has(n.text)) (seen.add(n.text), out.push(n));
  return out;
}

/** Reports per week of one program, from any of its non-stack charts. */
export function programReports(model: SiteModel, program: ProgramEntry): { week: string; count: number; provisional: boolean }[] {
  const view = chartsOf(model, program).find((c) => c.entry.kind !== 'stack');
  if (!view) return [];
  return counterWeeks(view).map((w) => ({ week: w.week, count: w.programReports, provisional: w.provisional }));
}

const FRAME_NOISE = /^(runtime\.|<autogenerated>|internal\/|golang\.org\/x\/tools\/gopls\/internal\/util\/bug\.|golang\.org\/x\/telemetry)/;

/** The frame that tells stacks apart: the first after the counter name and after helper frames common to every stack. */
export function stackLabel(stack: string): string {
  const lines = stack.split('\n');
  const frames = lines.slice(1).filter((l) => l.trim() !== '');
  const frame = frames.find((f) => !FRAME_NOISE.test(f)) ?? frames[0] ?? lines[0] ?? '';
  // Keep the function name and offset: the last path element.
  const short = frame.slice(frame.lastIndexOf('/') + 1);
  return short.length > 0 ? short : '(empty stack)';
}

/** Previous and next weeks of the chart, for week-by-week navigation. */
export function neighbours(view: ChartView, week: string): { prev?: string; next?: string } {
  const ws = view.file.weeks.map((w) => w.week);
  const i = ws.indexOf(week);
  const out: { prev?: string; next?: string } = {};
  if (i > 0) out.prev = ws[i - 1]!;
  if (i >= 0 && i < ws.length - 1) out.next = ws[i + 1]!;
  return out;
}

/** The first day of a week bin (its Monday). */
export function weekStart(w: WeekInfo | undefined, week: string): string {
  return w?.days[0] ?? week;
}

/** Day when a provisional week becomes final: its Sunday plus the finality period. */
export function finalOn(week: string, finalityDays: number): string {
  const d = new Date(`${week}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + finalityDays);
  return d.toISOString().slice(0, 10);
}
