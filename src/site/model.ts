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
  type AdjustmentInfo,
  type ProgramEntry,
  programFile,
  type ProgramWeekInfo,
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
  const named = index.latestFinalWeek ? weeks.find((w) => w.week === index.latestFinalWeek) : undefined;
  cached = { index, weeks, latestFinal: named ?? finals.at(-1) ?? weeks.at(-1) ?? null, provisional: weeks.filter((w) => w.provisional), charts };
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

/** A bucket merged into the week's "other (each < k)" group. */
export function isGrouped(b: BucketFigure): boolean {
  return b.status === 'grouped';
}

/** A bucket whose count is not published: below the small-cell limit, or hidden so a suppressed group cannot be recovered. */
export function isSuppressed(b: BucketFigure): boolean {
  return b.status === 'hidden' || b.suppressed === true || (b.status === undefined && (b.x === null || b.x === undefined));
}

/** A published count, or null. */
export function countOf(b: BucketFigure): number | null {
  return (b.status ?? 'published') === 'published' && !isSuppressed(b) && typeof b.x === 'number' ? b.x : null;
}

/** Whether a share is shown for this figure in a week of `n` eligible reports. */
export function hasShare(b: BucketFigure, n: number): b is BucketFigure & { share: number; ci: readonly [number, number]; x: number } {
  return !countsOnly(n) && countOf(b) !== null && typeof b.share === 'number' && Array.isArray(b.ci);
}

/** The small-cell threshold k (10 when the data does not say). */
export function minCell(view: ChartView): number {
  return view.file.minCell ?? 10;
}

/** What a table shows instead of a count that is not published. */
export function hiddenCount(b: BucketFigure, k: number): string {
  if (b.status === 'hidden') return 'hidden';
  if (b.status === 'grouped') return 'grouped';
  return `<${k}`;
}

const seenMemo = new WeakMap<ChartView, string[]>();

/** Buckets seen (x > 0, or suppressed small cells) in at least one week, in canonical order. */
export function seenBuckets(view: ChartView): string[] {
  let out = seenMemo.get(view);
  if (!out) {
    const seen = new Set<string>();
    for (const w of counterWeeks(view)) for (const b of w.buckets) if (isSuppressed(b) || isGrouped(b) || (b.x ?? 0) > 0) seen.add(b.bucket);
    out = view.buckets.filter((b) => seen.has(b));
    seenMemo.set(view, out);
  }
  return out;
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

/** The precision note in a few words, for digests: `2,971 eligible reports · ±2.4 points (99%)`. */
export function precisionShort(n: number): string {
  if (n === 0) return 'no eligible reports';
  const note = precisionNote(n);
  const reports = `${formatCount(n)} eligible report${n === 1 ? '' : 's'}`;
  if (note.kind === 'countsOnly') return `${reports}: counts only`;
  return `${reports} · ±${note.marginPoints < 1 ? note.marginPoints.toFixed(2) : note.marginPoints.toFixed(1)} points (99%)`;
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

/** A change between two weeks of one bucket: the pipeline's (tested, multiple-comparison adjusted) or, in older data, computed here. */
export interface Move {
  view: ChartView;
  bucket: string;
  from: number;
  to: number;
  difference: number;
  ci: readonly [number, number] | null;
  /** True when the pipeline flagged it as significant; null when the data has no change tests. */
  flagged: boolean | null;
  /** Metadata dimensions of the program whose mix moved the same week ("sample composition changed"). */
  shifts: string[];
  score: number;
}

function previousWeek(view: ChartView, week: string): CounterWeek | undefined {
  const ws = counterWeeks(view);
  const i = ws.findIndex((w) => w.week === week);
  return i > 0 ? ws[i - 1] : undefined;
}

/** True when the site data carries the pipeline's week-over-week change tests. */
export function hasChangeTests(model: SiteModel): boolean {
  return model.charts.some((v) => counterWeeks(v).some((w) => w.buckets.some((b) => b.change !== undefined)));
}

/**
 * Changes into `week`: with change tests in the data, the flagged ones,
 * largest first; otherwise the moves of at least a point whose Newcombe
 * interval excludes zero, largest relative to their interval first.
 */
export function moves(model: SiteModel, week: string, limit = 8): Move[] {
  const tested = hasChangeTests(model);
  const out: Move[] = [];
  for (const view of model.charts) {
    if (view.entry.kind === 'stack') continue;
    const cur = findWeek(view, week);
    if (!cur || isStackWeek(cur)) continue;
    const prev = previousWeek(view, week);
    if (!prev) continue;
    const before = new Map(prev.buckets.map((b) => [b.bucket, b]));
    const shifts = (programWeek(view.program, week)?.compositionShifts ?? []).map((s) => s.dimension);
    for (const b of cur.buckets) {
      const p = before.get(b.bucket);
      if (!p || !hasShare(b, cur.n) || !hasShare(p, prev.n)) continue;
      if (tested) {
        if (!b.change?.flagged) continue;
        out.push({ view, bucket: b.bucket, from: p.share, to: b.share, difference: b.change.difference, ci: b.change.ci, flagged: true, shifts, score: Math.abs(b.change.difference) });
        continue;
      }
      const d = newcombe(b.x, cur.n, p.x, prev.n);
      const half = (d.interval[1] - d.interval[0]) / 2;
      if (Math.abs(d.difference) < 0.01 || (d.interval[0] <= 0 && d.interval[1] >= 0)) continue;
      out.push({ view, bucket: b.bucket, from: p.share, to: b.share, difference: d.difference, ci: d.interval, flagged: null, shifts, score: half > 0 ? Math.abs(d.difference) / half : 0 });
    }
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}

/** The program's week entry of programs/<program>.json (newer data), if any. */
export function programWeek(program: ProgramEntry, week: string): ProgramWeekInfo | undefined {
  return programFile(program)?.weeks.find((w) => w.week === week);
}

/** How a program's adjusted estimates were made in a week (newer data). */
export function adjustmentOf(program: ProgramEntry, week: string): AdjustmentInfo | null {
  return programWeek(program, week)?.adjustment ?? null;
}

/** The words for adjusted shares: the bucket's own label, the program week's, or a generic one. */
export function adjustedLabel(program: ProgramEntry, week: CounterWeek): string {
  return week.buckets.find((b) => b.adjusted?.label)?.adjusted?.label ?? adjustmentOf(program, week.week)?.label ?? 'adjusted for opt-in skew';
}

/** The program's opt-in skew notes for a week: from programs/<program>.json, or the index's skewNotes. */
export function programSkewNotes(program: ProgramEntry, week: string | undefined): SkewNote[] {
  const fromFile = week ? (programWeek(program, week)?.skew ?? []).filter((d) => d.note && d.level !== 'none').map((d) => ({ level: d.level, text: d.note!, dimension: d.dimension })) : [];
  return skewNotesOf(program.skewNotes, fromFile);
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
  if (frames.length === 0) return lines[0] || '(empty stack)';
  const frame = frames.find((f) => !FRAME_NOISE.test(f)) ?? frames[0]!;
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

/** Most frames shown of one stack; the full text is in the chart's JSON download. */
export const MAX_STACK_FRAMES = 40;

/**
 * Stack text for reading: runs of a repeated block of frames (deep
 * recursion) are shown once with a count, and very long stacks are cut in
 * the middle with a line saying how many frames were left out.
 */
export function displayStack(stack: string): string {
  const lines = stack.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let folded = false;
    for (let p = 1; p <= 32 && i + 2 * p <= lines.length; p++) {
      let reps = 1;
      while (i + (reps + 1) * p <= lines.length && sameBlock(lines, i, i + reps * p, p)) reps++;
      if (reps >= 3 && reps * p >= 8) {
        out.push(...lines.slice(i, i + p), `    … the ${p === 1 ? 'frame' : `${p} frames`} above repeat${p === 1 ? 's' : ''} ${reps - 1} more time${reps === 2 ? '' : 's'} …`);
        i += reps * p;
        folded = true;
        break;
      }
    }
    if (!folded) out.push(lines[i++]!);
  }
  if (out.length <= MAX_STACK_FRAMES) return out.join('\n');
  const head = out.slice(0, MAX_STACK_FRAMES - 10);
  const tail = out.slice(-10);
  return [...head, `    … ${out.length - head.length - tail.length} more lines …`, ...tail].join('\n');
}

function sameBlock(lines: readonly string[], a: number, b: number, p: number): boolean {
  for (let k = 0; k < p; k++) if (lines[a + k] !== lines[b + k]) return false;
  return true;
}
