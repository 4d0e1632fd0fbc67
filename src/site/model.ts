/**
 * What the pages show, derived from the site data: bucket order, the latest
 * final week, which buckets a chart draws, precision and denominator notes,
 * the week's flagged changes, short names for stacks. Pure functions of the
 * loaded files (no I/O beyond the memoised readers in data.ts).
 */
import type { Interval } from '../estimate/intervals.ts';
import { zForConfidence } from '../estimate/normal.ts';
import { COUNTS_ONLY_BELOW, precisionNote } from '../estimate/sample-size.ts';
import type { AdjustmentInfo } from '../estimate/weekly.ts';
import { formatCount } from '../render/format.ts';
import type { DimensionSkew } from '../skew/skew.ts';
import type {
  ChartFile,
  ChartWeek,
  CounterChartWeek,
  FullBucket,
  IndexChart,
  IndexFile,
  IndexProgram,
  ProgramFileWeek,
  PublicBucket,
  PublishedStack,
  ShownBucket,
  StackChartWeek,
  WeekInfo,
} from '../sitedata/schema.ts';
import { createHash } from 'node:crypto';
import { own } from '../lib/dict.ts';
import { METADATA_CHARTS } from '../reduce/spec.ts';
import { isStackWeek, readChart, readProgram, siteIndex } from './data.ts';
import { skewNote } from './words.ts';

/** A chart together with its program, its loaded file and its buckets in canonical order. */
export interface ChartView {
  program: IndexProgram;
  entry: IndexChart;
  file: ChartFile;
  /** Canonical display order (histogram bounds, versions, config order), as the site data gives it; colours follow this index. */
  buckets: string[];
}

export interface SiteModel {
  index: IndexFile;
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
  const charts = index.programs.flatMap((program) =>
    program.charts.map((entry): ChartView => {
      const file = readChart(entry);
      return { program, entry, file, buckets: entry.buckets };
    }),
  );
  const latestFinal = weeks.find((w) => w.week === index.latestFinalWeek) ?? weeks.at(-1) ?? null;
  cached = { index, weeks, latestFinal, provisional: weeks.filter((w) => w.provisional), charts };
  return cached;
}

export function chartsOf(model: SiteModel, program: IndexProgram): ChartView[] {
  return model.charts.filter((c) => c.program === program);
}

export function findWeek(view: ChartView, week: string): ChartWeek | undefined {
  return view.file.weeks.find((w) => w.week === week);
}

export function counterWeeks(view: ChartView): CounterChartWeek[] {
  return view.file.weeks.filter((w): w is CounterChartWeek => !isStackWeek(w));
}

export function stackWeeks(view: ChartView): StackChartWeek[] {
  return view.file.weeks.filter(isStackWeek);
}

/** A week's figures in canonical bucket order (buckets absent that week are left out). */
export function orderedFigures(view: ChartView, week: CounterChartWeek): PublicBucket[] {
  const by = new Map(week.buckets.map((b) => [b.bucket, b]));
  return view.buckets.map((b) => by.get(b)).filter((b): b is PublicBucket => b !== undefined);
}

/** True when a week has too few eligible reports for shares: counts only. */
export function countsOnly(n: number): boolean {
  return n < COUNTS_ONLY_BELOW;
}

/** A bucket merged into the week's "other (each < k)" group. */
export function isGrouped(b: PublicBucket): boolean {
  return b.status === 'grouped';
}

/** A bucket with its count and share published (not grouped, not hidden). */
export function isPublished(b: PublicBucket): b is ShownBucket {
  return b.status === 'published';
}

/** The bucket when its event figures (events, mean, event share, composition) are published, else null. */
export function withEvents(b: PublicBucket | undefined): FullBucket | null {
  return b !== undefined && b.status === 'published' && !b.eventsHidden ? b : null;
}

/** The bucket when its share is shown in a week of `n` eligible reports, else null. */
export function withShare(b: PublicBucket, n: number): ShownBucket | null {
  return !countsOnly(n) && isPublished(b) ? b : null;
}

const seenMemo = new WeakMap<ChartView, string[]>();

/** Buckets seen (x > 0, or grouped or hidden small cells) in at least one week, in canonical order. */
export function seenBuckets(view: ChartView): string[] {
  let out = seenMemo.get(view);
  if (!out) {
    const seen = new Set<string>();
    for (const w of counterWeeks(view)) for (const b of w.buckets) if (!isPublished(b) || b.x > 0) seen.add(b.bucket);
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
export function lineBuckets(view: ChartView, reference: CounterChartWeek | undefined, max = 8): string[] {
  const seen = seenBuckets(view);
  if (seen.length <= max) return seen;
  const share = new Map((reference?.buckets ?? []).map((b) => [b.bucket, isPublished(b) ? b.share : -1]));
  const top = new Set([...seen].sort((a, b) => (share.get(b) ?? -1) - (share.get(a) ?? -1) || seen.indexOf(a) - seen.indexOf(b)).slice(0, max));
  return seen.filter((b) => top.has(b));
}

/** The chart's week entry for the site's latest final week, else its newest week. */
export function referenceWeek(model: SiteModel, view: ChartView): ChartWeek | undefined {
  return (model.latestFinal && findWeek(view, model.latestFinal.week)) ?? view.file.weeks.at(-1);
}

/**
 * The precision note (docs/methodology.md §4), the one sentence of a page at
 * 99%, labelled as such: a worst-case margin for each share on its own.
 */
export function precisionSentence(n: number): string {
  if (n === 0) return 'No eligible reports this week.';
  const note = precisionNote(n);
  const reports = `${formatCount(n)} eligible report${n === 1 ? '' : 's'}`;
  if (note.kind === 'countsOnly') return `Based on ${reports}: too few for shares (fewer than ${COUNTS_ONLY_BELOW}), so only counts are shown.`;
  const m = note.marginPoints < 1 ? note.marginPoints.toFixed(2) : note.marginPoints.toFixed(1);
  const head = `Precision note (99% confidence): based on ${reports}, each share is within ±${m} points of its true value with 99% confidence`;
  if (note.kind === 'none') return `${head}.`;
  return `${head} (±1 point needs ${formatCount(note.threshold)} reports).`;
}

/** The worst-case 95% margin in a few words, for digests, at the level of the rest of the page: `2,971 eligible reports · each share ±1.8 points (95%)`. */
export function precisionShort(n: number): string {
  if (n === 0) return 'no eligible reports';
  const reports = `${formatCount(n)} eligible report${n === 1 ? '' : 's'}`;
  if (countsOnly(n)) return `${reports}: counts only`;
  const m = (100 * zForConfidence(0.95) * 0.5) / Math.sqrt(n);
  return `${reports} · each share ±${m < 1 ? m.toFixed(2) : m.toFixed(1)} points (95%)`;
}

function rateText(r: number): string {
  return String(Math.round(r * 1e6) / 1e6);
}

/** What the shares are shares of, including a rate below 1 and a minimum version. */
export function denominatorSentence(entry: IndexChart, sampleRate: number): string {
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

/** A change of one bucket's share from the week before that the pipeline flagged as significant. */
export interface Move {
  view: ChartView;
  bucket: string;
  from: number;
  to: number;
  difference: number;
  ci: Interval;
  /** Metadata dimensions of the program whose mix moved the same week ("sample composition changed"). */
  shifts: string[];
}

function previousWeek(view: ChartView, week: string): CounterChartWeek | undefined {
  const ws = counterWeeks(view);
  const i = ws.findIndex((w) => w.week === week);
  return i > 0 ? ws[i - 1] : undefined;
}

/** The flagged changes into `week`, largest first. */
export function moves(model: SiteModel, week: string, limit = 8): Move[] {
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
      const now = withShare(b, cur.n);
      const then = before.get(b.bucket);
      const was = then && withShare(then, prev.n);
      if (!now?.change?.flagged || !was) continue;
      out.push({ view, bucket: b.bucket, from: was.share, to: now.share, difference: now.change.difference, ci: now.change.ci, shifts });
    }
  }
  return out.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference)).slice(0, limit);
}

/** The program's week entry of programs/<program>.json. */
export function programWeek(program: IndexProgram, week: string): ProgramFileWeek | undefined {
  return readProgram(program).weeks.find((w) => w.week === week);
}

/** How a program's adjusted estimates were weighted in a week; null without a reference or with too few reports. */
export function adjustmentOf(program: IndexProgram, week: string): AdjustmentInfo | null {
  return programWeek(program, week)?.adjustment ?? null;
}

/**
 * The reference population's share of each category when the chart is itself
 * a dimension the week's reports are compared on (docs/methodology.md §6):
 * such a chart gets no adjusted values, so its table shows the reference
 * beside each sample share. Null otherwise. A metadata chart matches a
 * metadata dimension and a counter chart a chart dimension, never across.
 */
export function referenceSharesOf(view: ChartView, week: string): ReadonlyMap<string, number> | null {
  const ref = siteIndex().build.reference;
  if (!ref) return null;
  const chart = view.entry.chart;
  if ((view.entry.kind === 'metadata') !== (METADATA_CHARTS as readonly string[]).includes(chart)) return null;
  if (!programWeek(view.program, week)?.skew.some((d) => d.dimension === chart)) return null;
  const shares = own(ref.dimensions, chart);
  return shares ? new Map(Object.entries(shares)) : null;
}

/** A dimension on which a week's reports are skewed against the reference, with its note. */
export type SkewNote = DimensionSkew & { note: string };

/** The name of the build's reference population ("" without one). */
function referenceName(): string {
  return siteIndex().build.reference?.source ?? '';
}

/** A dimension's skew with its note worded (src/site/words.ts); null when it has none. */
function withNote(d: DimensionSkew): SkewNote | null {
  const note = skewNote(d, referenceName());
  return note === null ? null : { ...d, note };
}

/** The program's opt-in skew notes for a week. */
export function programSkewNotes(program: IndexProgram, week: string | undefined): SkewNote[] {
  if (!week) return [];
  return (programWeek(program, week)?.skew ?? []).map(withNote).filter((d): d is SkewNote => d !== null);
}

/** Reports per week of one program, from any of its non-stack charts. */
export function programReports(model: SiteModel, program: IndexProgram): { week: string; count: number; provisional: boolean }[] {
  const view = chartsOf(model, program).find((c) => c.entry.kind !== 'stack');
  if (!view) return [];
  return counterWeeks(view).map((w) => ({ week: w.week, count: w.programReports, provisional: w.provisional }));
}

const FRAME_NOISE = /^(runtime\.|<autogenerated>|internal\/|golang\.org\/x\/tools\/gopls\/internal\/util\/bug\.|golang\.org\/x\/telemetry)/;

/** Most Version groups named in a stack's row; the chart's JSON has them all. */
const STACK_VERSIONS_SHOWN = 4;

/**
 * A stack's Version groups in one week as a table cell, newest first:
 * "v0.17: 3, v0.16: 12", with "N more" past the first few, and the groups
 * left out under complementary suppression counted; null when the program
 * has no Version (the Go toolchain).
 */
export function stackVersionsText(s: PublishedStack): string | null {
  if (!s.versions) return null;
  // A no-break space keeps each group with its count when the cell wraps.
  const shown = s.versions.slice(0, STACK_VERSIONS_SHOWN).map((v) => `${v.group}:\u00a0${formatCount(v.x)}`);
  const more = s.versions.length - shown.length;
  if (more > 0) shown.push(`${more} more`);
  const hidden = s.versionsNotShown ?? 0;
  if (hidden > 0) shown.push(`${hidden} not published`);
  return shown.length > 0 ? shown.join(', ') : '—';
}

/** The frame that tells stacks apart: the first after the counter name and after helper frames common to every stack. */
const HTML_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&#39;'],
]);

/** Bytes `text` takes in a page once escaped as HTML text, for the pages' byte budgets. */
export function htmlBytes(text: string): number {
  return Buffer.byteLength(text.replace(/[&<>"']/g, (c) => HTML_ESCAPES.get(c)!));
}

export function stackLabel(stack: string): string {
  const lines = stack.split('\n');
  const frames = lines.slice(1).filter((l) => l.trim() !== '');
  if (frames.length === 0) return lines[0] || '(empty stack)';
  const frame = frames.find((f) => !FRAME_NOISE.test(f)) ?? frames[0]!;
  // Keep the function name and offset: the last path element.
  const short = frame.slice(frame.lastIndexOf('/') + 1);
  return short.length > 0 ? short : '(empty stack)';
}

/**
 * A stack's anchor on every page that lists it: `stack-` and the first 12 hex
 * digits of the SHA-256 of its full text, so a bug report can link to one
 * stack of a week's page, and the link stays right as weeks are added.
 */
export function stackAnchor(stack: string): string {
  return `stack-${createHash('sha256').update(stack).digest('hex').slice(0, 12)}`;
}

/** A listed stack over the chart's weeks. */
export interface StackHistory {
  /** The first and last week the stack was listed in. */
  first: string;
  last: string;
  /** Installations (reports) with the stack per week, oldest first; null for a week with no eligible reports (or, with complementary suppression, where the stack is not listed). */
  perWeek: (number | null)[];
}

const stackMemo = new WeakMap<ChartView, Map<string, StackHistory>>();

/**
 * Every listed stack of a stack chart with the weeks it was seen and its
 * installations per week: over every week of the chart (kept for the next
 * call), or with `upTo` (a permalink, frozen at its week) over the weeks up
 * to that one (made anew: a site has one such history per stack chart and week).
 */
export function stackHistories(view: ChartView, upTo?: string): Map<string, StackHistory> {
  const memo = upTo === undefined ? stackMemo.get(view) : undefined;
  if (memo) return memo;
  const out = new Map<string, StackHistory>();
  const weeks = stackWeeks(view).filter((w) => upTo === undefined || w.week <= upTo);
  // With complementary suppression a stack missing from a week may be one seen by fewer than k: unknown, not 0.
  const absent = siteIndex().build.smallCells === 'suppress-complements' ? null : 0;
  weeks.forEach((w, i) => {
    for (const s of w.top) {
      let h = out.get(s.stack);
      if (!h) {
        h = { first: w.week, last: w.week, perWeek: weeks.map((x) => (x.n > 0 ? absent : null)) };
        out.set(s.stack, h);
      }
      h.last = w.week;
      h.perWeek[i] = s.x;
    }
  });
  if (upTo === undefined) stackMemo.set(view, out);
  return out;
}

/** Previous and next weeks of the chart, for week-by-week navigation. */
export function neighbours(view: ChartView, week: string): { prev?: string; next?: string } {
  const ws: string[] = view.file.weeks.map((w) => w.week);
  const i = ws.indexOf(week);
  const out: { prev?: string; next?: string } = {};
  if (i > 0) out.prev = ws[i - 1]!;
  if (i >= 0 && i < ws.length - 1) out.next = ws[i + 1]!;
  return out;
}

/**
 * Why a week is incomplete (it then stays provisional for good), in words;
 * null for a complete week. Suspect days are absent days between days with
 * reports where reports were expected (see the data-quality page).
 */
export function incompleteReason(info: Pick<WeekInfo, 'complete' | 'missing' | 'suspectDays'>): string | null {
  if (info.complete) return null;
  const parts: string[] = [];
  if (info.suspectDays.length > 0)
    parts.push(
      `${info.suspectDays.length === 1 ? 'day' : 'days'} ${info.suspectDays.join(', ')} ${info.suspectDays.length === 1 ? 'has' : 'have'} no reports although the days around ${info.suspectDays.length === 1 ? 'it' : 'them'} have many`,
    );
  if (info.missing.length > 0) parts.push(`${info.missing.length === 1 ? 'day' : 'days'} ${info.missing.join(', ')} could not be read`);
  return parts.join(', and ');
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
        out.push(
          ...lines.slice(i, i + p),
          `    … the ${p === 1 ? 'frame' : `${p} frames`} above repeat${p === 1 ? 's' : ''} ${reps - 1} more time${reps === 2 ? '' : 's'} …`,
        );
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
