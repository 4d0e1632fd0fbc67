/**
 * The site's charts: site data -> inputs of the render functions -> SVG
 * strings. Pages inline a wide and a narrow variant (CSS shows one), since
 * chart text does not grow or shrink with the page; standalone files and
 * PNGs use the light theme with the title drawn in.
 */
import { barChart, type BarDatum, countChart, lineChart, type LineSeries, panel, sparkline, svgToPng, type WeekEstimate } from '../render/index.ts';
import { type DistributionWeek, distributionChart, type EventShare } from '../render/distribution-chart.ts';
import { meanChart, type MeanWeek } from '../render/mean-chart.ts';
import { existsSync } from 'node:fs';
import { ImageCache, readImageManifest } from '../render/image-cache.ts';
import type { ChangeMarker } from '../render/types.ts';
import { BACKGROUND } from '../render/palette.ts';
import type { PngOptions } from '../render/png.ts';
import { formatCount, formatPct, formatPoints } from '../render/format.ts';
import type { ReleaseGroup } from '../estimate/release.ts';
import type { ChartWeek, CounterChartWeek, StackChartWeek } from '../sitedata/schema.ts';
import { trailingProvisionalStart } from '../lib/provisional.ts';
import { isStackWeek, siteIndex } from './data.ts';
import { weekRouteKey } from './routes.ts';
import {
  adjustmentOf,
  type ChartView,
  counterWeeks,
  countsOnly,
  isGrouped,
  isPublished,
  lineBuckets,
  orderedFigures,
  referenceSharesOf,
  seenBuckets,
  stackLabel,
  stackWeeks,
  withEvents,
  withShare,
} from './model.ts';
import { adjustedLabel } from './words.ts';

export const WIDE = 880;
const NARROW = 360;
/** Standalone week images: 600 px wide, rasterised at 2x (1200 px) for link previews. */
export const FILE_WIDTH = 600;
export const PNG_SCALE = 2;
/**
 * How the week PNG is drawn from `weekFileSvg`: at PNG_SCALE, on the light
 * theme's background (which the chart paints itself, so the pixels are the
 * same; an opaque background tells the encoder every pixel is opaque).
 */
export const FILE_PNG: Readonly<PngOptions> = { width: FILE_WIDTH * PNG_SCALE, background: BACKGROUND.light };
/** Most bars in one week's chart; the table lists every bucket. */
const MAX_BARS = 15;
const MAX_STACK_BARS = 10;

export interface Variants {
  wide: string;
  narrow: string;
}

interface RenderOpts {
  width: number;
  id?: string;
  theme?: 'css' | 'light' | 'dark';
  heading?: boolean;
}

function opts(o: RenderOpts) {
  return { width: o.width, theme: o.theme ?? 'css', ...(o.id ? { id: o.id } : {}), ...(o.heading === undefined ? {} : { heading: o.heading }) };
}

export function variants(id: string, render: (o: RenderOpts) => string): Variants {
  return { wide: render({ width: WIDE, id: `${id}-wide` }), narrow: render({ width: NARROW, id: `${id}-narrow` }) };
}

/** Most lines in one chart: fewer on narrow charts, where more would not be readable. */
function maxLines(width: number): number {
  return width < 600 ? 4 : MAX_LINES;
}

/** Most lines on a wide chart: six colours are told apart at a glance, and every bucket also has its own panel. */
export const MAX_LINES = 6;

/**
 * The buckets drawn in colour on a chart's pages (the lines of the wide
 * chart, chosen by the reference week); each keeps one colour in the lines,
 * the bars and the panels, and every other bucket is grey.
 */
function colouredBuckets(view: ChartView, reference: CounterChartWeek | undefined): string[] {
  return lineBuckets(view, reference, MAX_LINES);
}

/**
 * The first week of the trailing run of provisional weeks (uploads still
 * arriving), which charts draw apart. An incomplete week between final ones
 * (a day of the archive missing) is drawn in place: its pages, table and
 * the banner say it is incomplete.
 */
function firstProvisional(weeks: readonly ChartWeek[]): string | null {
  const i = trailingProvisionalStart(weeks);
  return i < weeks.length ? weeks[i]!.week : null;
}

/** One bucket's share in one week as a chart point; a gap when the week has no share to show. */
function point(w: CounterChartWeek, bucket: string): WeekEstimate {
  const found = w.buckets.find((x) => x.bucket === bucket);
  const b = found && withShare(found, w.n);
  if (!b) return { week: w.week, estimate: null };
  return { week: w.week, estimate: b.share, lower: b.ci[0], upper: b.ci[1], n: w.n };
}

function changeMarkers(view: ChartView, buckets: readonly string[]): ChangeMarker[] {
  const out: ChangeMarker[] = [];
  for (const w of counterWeeks(view))
    for (const b of w.buckets)
      if (buckets.includes(b.bucket) && isPublished(b) && b.change?.flagged === true && b.change.difference !== 0)
        out.push({ bucket: b.bucket, week: w.week, direction: b.change.difference > 0 ? 'up' : 'down', note: formatPoints(b.change.difference) });
  return out;
}

/** The share of each drawn bucket over every week, with interval bands. */
export function shareLineSvg(view: ChartView, reference: CounterChartWeek | undefined, o: RenderOpts): string {
  const weeks = counterWeeks(view);
  const drawn = lineBuckets(view, reference, maxLines(o.width));
  const series: LineSeries[] = drawn.map((bucket) => ({ bucket, points: weeks.map((w) => point(w, bucket)) }));
  return lineChart(
    {
      title: `${view.entry.title}: share of reporting installations by week`,
      subtitle: `${view.program.program} · 95% intervals`,
      series,
      buckets: view.buckets,
      coloured: colouredBuckets(view, reference),
      weeks: weeks.map((w) => w.week),
      provisionalFrom: firstProvisional(weeks),
      changes: changeMarkers(view, drawn),
      yDomain: 'auto',
    },
    opts(o),
  );
}

/**
 * The release view: each Version group's share of installations from the
 * week it was first seen on, with its 95% band (the Version chart's points),
 * the newest groups drawn when there are more than fit.
 */
export function releaseLineSvg(view: ChartView, release: readonly ReleaseGroup[], o: RenderOpts): string {
  const weeks = counterWeeks(view);
  const drawn = release.slice(-maxLines(o.width));
  const series: LineSeries[] = drawn.map((g) => ({ bucket: g.group, points: weeks.filter((w) => w.week >= g.firstWeek).map((w) => point(w, g.group)) }));
  return lineChart(
    {
      title: `${view.program.program}: share of installations on each version since it appeared`,
      subtitle: `${view.program.program} · 95% intervals`,
      series,
      buckets: view.buckets,
      coloured: release.slice(-MAX_LINES).map((g) => g.group),
      weeks: weeks.map((w) => w.week),
      provisionalFrom: firstProvisional(weeks),
      yDomain: 'full',
    },
    opts(o),
  );
}

/**
 * A histogram week's distribution of events: per bucket (in the chart's
 * order, lowest first) its share of the week's events with the 95% interval
 * when published, and the buckets holding the median and the 90th-percentile
 * event. A quantile is null when a bucket below it has no published event
 * share (grouped, withheld), because the cumulative share is then unknown.
 * Every share is null below 50 eligible reports or without events.
 */
export function eventDistribution(view: ChartView, w: CounterChartWeek): DistributionWeek {
  const by = new Map(w.buckets.map((b) => [b.bucket, b]));
  const shares = view.buckets.map((bucket): EventShare | null => {
    const e = countsOnly(w.n) ? null : withEvents(by.get(bucket))?.eventShare;
    return e ? { estimate: e.estimate, lower: e.interval[0], upper: e.interval[1] } : null;
  });
  const quantile = (q: number): number | null => {
    if (shares.every((s) => s === null)) return null;
    let cum = 0;
    for (let i = 0; i < shares.length; i++) {
      const s = shares[i];
      if (!s) return null;
      cum += s.estimate;
      if (cum >= q - 1e-9) return i;
    }
    return null;
  };
  return { week: w.week, provisional: w.provisional, shares, median: quantile(0.5), p90: quantile(0.9) };
}

/** A histogram counter's distribution of events over every week, with the median and 90th-percentile bucket. */
export function distributionSvg(view: ChartView, o: RenderOpts): string {
  return distributionChart(
    {
      title: `${view.entry.title}: distribution of events by week`,
      subtitle: `${view.program.program} · share of events in each bucket`,
      buckets: view.buckets,
      weeks: counterWeeks(view).map((w) => eventDistribution(view, w)),
      remainderLabel: `other (each < ${view.file.minCell}) or not shown`,
      hoverTitles: o.width >= 600,
    },
    opts(o),
  );
}

/**
 * One histogram week as bars: the share of events in each bucket with its
 * 95% interval and the cumulative share in the label, or (`composition`) the
 * average installation's share of its own events in each bucket, the view
 * in which a few very busy installations do not dominate.
 */
export function histogramBarSvg(view: ChartView, w: CounterChartWeek, what: 'events' | 'composition', o: RenderOpts): string {
  const counts = countsOnly(w.n);
  const by = new Map(w.buckets.map((b) => [b.bucket, b]));
  let cum = 0;
  let cumKnown = true;
  const bars: BarDatum[] = view.buckets.map((bucket) => {
    const b = by.get(bucket);
    const full = counts ? null : withEvents(b);
    const est = full ? (what === 'events' ? full.eventShare : full.composition) : null;
    if (!est) {
      cumKnown = false;
      return { bucket, label: b && !isPublished(b) ? `${bucket} (${b.status})` : bucket, estimate: null };
    }
    cum += est.estimate;
    const label = what === 'events' && cumKnown ? `${bucket} (≤ ${formatPct(Math.min(1, cum), cum >= 0.995 ? 0 : 1)} cum.)` : bucket;
    return { bucket, label, estimate: est.estimate, lower: est.interval[0], upper: est.interval[1] };
  });
  return barChart(
    {
      title: what === 'events' ? `${view.entry.title}: share of events` : `${view.entry.title}: the average installation`,
      subtitle: weekSubtitle(view, w),
      week: w.week,
      provisional: w.provisional,
      bars,
      buckets: view.buckets,
      xLabel: what === 'events' ? 'share of all events in the week (%)' : "mean share of an installation's own events (%)",
    },
    opts(o),
  );
}

/** True for a counter chart with one bucket, whose share is 100% by construction: its chart is events per installation. */
export function isSingleBucket(view: ChartView): boolean {
  return view.entry.kind === 'counter' && view.buckets.length === 1;
}

/**
 * Mean events per installation by week, with its 95% band, for a
 * single-bucket counter: every week, or the weeks up to `upTo` (a week's
 * permalink image, which later weeks then never change).
 */
export function meanSvg(view: ChartView, o: RenderOpts, upTo?: string): string {
  const bucket = view.buckets[0]!;
  return meanChart(
    {
      title: `${view.entry.title}: events per installation by week${upTo ? `, to week ${upTo}` : ''}`,
      subtitle: `${view.program.program} · mean with 95% interval`,
      weeks: counterWeeks(view)
        .filter((w) => upTo === undefined || w.week <= upTo)
        .map((w): MeanWeek => {
          const b = countsOnly(w.n) ? null : withEvents(w.buckets.find((x) => x.bucket === bucket));
          const m = b?.meanEvents;
          return m
            ? {
                week: w.week,
                provisional: w.provisional,
                mean: m.estimate,
                lower: m.interval[0],
                upper: m.interval[1],
                n: m.n,
                median: b.eventsMedian ?? null,
                p90: b.eventsP90 ?? null,
              }
            : { week: w.week, provisional: w.provisional, mean: null };
        }),
      yLabel: `${bucket} events per installation`,
    },
    opts(o),
  );
}

/** Stacks identified across weeks by their full text; the reference week's top stacks are drawn. */
export function stackLineSvg(view: ChartView, reference: StackChartWeek | undefined, o: RenderOpts): string {
  const weeks = stackWeeks(view);
  const top = (reference?.top ?? []).slice(0, Math.min(5, maxLines(o.width)));
  const series: LineSeries[] = top.map((s, k) => ({
    bucket: s.stack,
    label: `#${k + 1} ${stackLabel(s.stack)}`,
    points: weeks.map((w) => {
      const f = w.top.find((t) => t.stack === s.stack);
      if (countsOnly(w.n)) return { week: w.week, estimate: null };
      // A stack missing from a week's top list was rarer than the list's last entry: no point rather than a guess.
      return f ? { week: w.week, estimate: f.share, lower: f.ci[0], upper: f.ci[1], n: w.n } : { week: w.week, estimate: null };
    }),
  }));
  return lineChart(
    {
      title: `${view.entry.title}: share of reporting installations with each stack`,
      subtitle: `${view.program.program} · top stacks of week ${reference?.week ?? ''} · 95% intervals`,
      series,
      buckets: top.map((s) => s.stack),
      weeks: weeks.map((w) => w.week),
      provisionalFrom: firstProvisional(weeks),
      yDomain: 'auto',
    },
    opts(o),
  );
}

/** The buckets drawn as bars for a week: seen in some week, and the MAX_BARS largest when there are more. */
export function barBuckets(view: ChartView, week: CounterChartWeek): string[] {
  const seen = new Set(seenBuckets(view));
  const figs = orderedFigures(view, week).filter((b) => seen.has(b.bucket) && !isGrouped(b));
  if (figs.length <= MAX_BARS) return figs.map((b) => b.bucket);
  const key = (b: (typeof figs)[number]) => (!isPublished(b) ? 0 : countsOnly(week.n) ? b.x : b.share);
  const top = new Set(
    [...figs]
      .sort((a, b) => key(b) - key(a))
      .slice(0, MAX_BARS)
      .map((b) => b.bucket),
  );
  return figs.filter((b) => top.has(b.bucket)).map((b) => b.bucket);
}

function weekSubtitle(view: ChartView, w: ChartWeek): string {
  return `${view.program.program} · week ending ${w.week} · ${formatCount(w.n)} eligible reports${w.provisional ? ' · provisional' : ''}`;
}

/**
 * One week's buckets as bars with interval whiskers (counts only below 50
 * eligible reports); the small-cell group last. Bars take the colours of the
 * lines chosen by `reference` (default: this week).
 */
export function weekBarSvg(view: ChartView, w: ChartWeek, o: RenderOpts, reference?: CounterChartWeek): string {
  if (isStackWeek(w)) return stackBarSvg(view, w, o);
  // A single bucket is 100% by construction: its week is the mean per installation up to that week.
  if (isSingleBucket(view)) return meanSvg(view, o, w.week);
  // A histogram's week is its distribution of events; prevalence stays in the table.
  if (view.entry.type === 'histogram' && !countsOnly(w.n) && w.buckets.some((b) => withEvents(b)?.eventShare)) return histogramBarSvg(view, w, 'events', o);
  const counts = countsOnly(w.n);
  const k = view.file.minCell;
  const shown = new Set(barBuckets(view, w));
  // A chart that is itself a reference dimension has no adjusted values: its marker is the reference share instead.
  const hasAdjusted = orderedFigures(view, w).some((b) => isPublished(b) && !!b.adjusted);
  const referenceShares = hasAdjusted ? null : referenceSharesOf(view, w.week);
  const bars: BarDatum[] = orderedFigures(view, w)
    .filter((b) => shown.has(b.bucket) && !isGrouped(b))
    .map((b) => {
      if (!isPublished(b)) return { bucket: b.bucket, label: `${b.bucket} (${b.status})`, estimate: null };
      if (counts) return { bucket: b.bucket, estimate: b.x };
      return { bucket: b.bucket, estimate: b.share, lower: b.ci[0], upper: b.ci[1], adjusted: b.adjusted?.share ?? referenceShares?.get(b.bucket) ?? null };
    });
  const other = w.other;
  if (other) {
    const label = other.suppressed || other.x === null ? `${other.label} (<${k})` : other.label;
    if (counts || other.share === null || !other.ci) bars.push({ bucket: other.label, label, estimate: counts ? other.x : null });
    else bars.push({ bucket: other.label, label, estimate: other.share, lower: other.ci[0], upper: other.ci[1] });
  }
  const marked = bars.some((b) => typeof b.adjusted === 'number');
  const adjusted = marked ? adjustmentOf(view.program, w.week) : null;
  const markerLabel = !marked
    ? undefined
    : referenceShares
      ? `reference share (${siteIndex().build.reference?.source ?? 'reference'})`
      : adjustedLabel(adjusted);
  return barChart(
    {
      title: view.entry.title,
      subtitle: weekSubtitle(view, w),
      week: w.week,
      provisional: w.provisional,
      bars,
      buckets: view.buckets,
      coloured: colouredBuckets(view, reference ?? w),
      n: w.n,
      ...(markerLabel ? { adjustedLabel: markerLabel } : {}),
      ...(counts ? { scale: 'count' as const } : {}),
    },
    opts(o),
  );
}

function stackBarSvg(view: ChartView, w: StackChartWeek, o: RenderOpts): string {
  const top = w.top.slice(0, MAX_STACK_BARS);
  const counts = countsOnly(w.n);
  const bars: BarDatum[] = top.map((s, k) => {
    const label = `#${k + 1} ${stackLabel(s.stack)}`;
    return counts ? { bucket: s.stack, label, estimate: s.x } : { bucket: s.stack, label, estimate: s.share, lower: s.ci[0], upper: s.ci[1] };
  });
  return barChart(
    {
      title: view.entry.title,
      subtitle: weekSubtitle(view, w),
      week: w.week,
      provisional: w.provisional,
      bars,
      buckets: top.map((s) => s.stack),
      n: w.n,
      xLabel: counts ? 'eligible reports with the stack' : 'share of reporting installations with the stack (%)',
      ...(counts ? { scale: 'count' as const } : {}),
    },
    opts(o),
  );
}

/** The standalone image of a chart at one week (the `.svg` download and the source of the `.png`). */
export function weekFileSvg(view: ChartView, w: ChartWeek): string {
  return weekBarSvg(view, w, { width: FILE_WIDTH, theme: 'light', heading: true, id: 'chart' });
}

function weekPng(view: ChartView, w: ChartWeek): Buffer {
  return svgToPng(weekFileSvg(view, w), FILE_PNG);
}

/**
 * The images `npm run build` prepared for this build (src/site/prerender.ts):
 * the image cache TELEMETRY_IMAGE_CACHE and the manifest TELEMETRY_IMAGE_MANIFEST
 * naming each chart-week route's PNG and SVG in it, made from the same site data
 * by the same code. Without them, or for a file it lacks, the image is drawn here.
 */
const prepared =
  process.env.TELEMETRY_IMAGE_CACHE && process.env.TELEMETRY_IMAGE_MANIFEST && existsSync(process.env.TELEMETRY_IMAGE_MANIFEST)
    ? { cache: new ImageCache(process.env.TELEMETRY_IMAGE_CACHE), routes: readImageManifest(process.env.TELEMETRY_IMAGE_MANIFEST) }
    : null;

const routeOf = (view: ChartView, w: ChartWeek) => weekRouteKey({ program: view.program.slug, chart: view.entry.slug, week: w.week });

/** The `.svg` file of a chart week: `weekFileSvg`, read from the prepared images when they hold it. */
export async function weekFileSvgCached(view: ChartView, w: ChartWeek): Promise<string> {
  const keys = prepared?.routes.get(routeOf(view, w));
  const kept = keys ? await prepared!.cache.get(keys.svg, 'svg') : null;
  return kept ? kept.toString('utf8') : weekFileSvg(view, w);
}

/** The `.png` file of a chart week: `weekPng`, read from the prepared images when they hold it. */
export async function weekPngCached(view: ChartView, w: ChartWeek): Promise<Buffer> {
  const keys = prepared?.routes.get(routeOf(view, w));
  return (keys ? await prepared!.cache.get(keys.png) : null) ?? weekPng(view, w);
}

/** Width and height of an SVG string's root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return { width: Number(m?.[1] ?? 0), height: Number(m?.[2] ?? 0) };
}

export function reportsSvg(title: string, weeks: readonly { week: string; count: number; provisional: boolean }[], o: RenderOpts, yLabel?: string): string {
  return countChart({ title, weeks, ...(yLabel ? { yLabel } : {}) }, opts(o));
}

/** A word-sized share trend of one bucket on its own range, without bands (the interval is in the text beside it); the dot on `markWeek`. */
export function bucketSparkSvg(view: ChartView, bucket: string, id: string, markWeek?: string): string {
  const weeks = counterWeeks(view);
  return sparkline(
    {
      title: `${bucket}: share of reporting installations by week`,
      bucket,
      buckets: view.buckets,
      points: weeks.map((w) => {
        const p = point(w, bucket);
        return { week: p.week, estimate: p.estimate };
      }),
      provisionalFrom: firstProvisional(weeks),
      ...(markWeek ? { markWeek } : {}),
    },
    { width: 120, id },
  );
}

/** Every bucket seen, each on its own scale: one panel per bucket (one size; CSS lays them out in columns). */
export function bucketPanels(view: ChartView, reference: CounterChartWeek | undefined): { bucket: string; svg: string }[] {
  const weeks = counterWeeks(view);
  const coloured = colouredBuckets(view, reference);
  return seenBuckets(view).map((bucket, k) => ({
    bucket,
    svg: panel(
      {
        title: `${bucket}: share by week, on its own scale`,
        bucket,
        points: weeks.map((w) => point(w, bucket)),
        weeks: weeks.map((w) => w.week),
        buckets: view.buckets,
        coloured,
        provisionalFrom: firstProvisional(weeks),
        band: false,
        ...(reference ? { markWeek: reference.week } : {}),
      },
      { width: 170, height: 64, id: `panel-${k}` },
    ),
  }));
}
