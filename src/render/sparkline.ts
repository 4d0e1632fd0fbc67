/**
 * A word-sized line of one bucket's share over weeks, for small multiples:
 * no axes; the y scale spans the line's own range (so a change shows), the
 * interval band, a dashed provisional tail, gaps for weeks without data, and
 * a dot on the week the text beside it names (default: the latest point).
 * The numbers are in `<desc>`; the dot has a `<title>`.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { area, line } from 'd3-shape';
import { addDays, type Day, isDay, toDate, toDay } from '../lib/dates.ts';
import { FONT_FAMILY, type ChartOptions, resolveFrame, sentences } from './chart.ts';
import { formatPct, formatShareWithInterval } from './format.ts';
import { markerPath } from './marks.ts';
import { textWidth } from './measure.ts';
import { bucketStyle } from './palette.ts';
import { el, escapeXml, svgRoot, text } from './svg.ts';
import type { WeekEstimate } from './types.ts';

export interface SparklineData {
  /** Accessible name, e.g. "vscode: share of reporting installations by week". */
  title: string;
  bucket: string;
  /** Display name for the summary (default: the bucket name). */
  label?: string;
  points: readonly WeekEstimate[];
  /** The chart's canonical bucket list (colour follows the index here). */
  buckets?: readonly string[];
  provisionalFrom?: string | null;
  /** Top of the y scale as a share, with 0 at the bottom; pass the same value to every sparkline of a small multiple so they compare. Default: the line's own range. */
  yMax?: number;
  /** The week the dot marks (the week the text beside the line names); default: the latest point. */
  markWeek?: string;
  /** Print the latest value at the right end. */
  showValue?: boolean;
}

const DAY = 86_400_000;
const VALUE_FONT = 11;

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function byWeekOf(pts: readonly WeekEstimate[], week: string): WeekEstimate | undefined {
  return pts.find((p) => p.week === week);
}

/**
 * The y domain of a line on its own scale: its lowest to highest value, at
 * least a tenth of its level tall (so noise around a steady share stays
 * small), centred on the data.
 */
function ownRange(pts: readonly WeekEstimate[]): [number, number] {
  if (pts.length === 0) return [0, 1];
  const lo = Math.min(...pts.map((p) => (finite(p.lower) ? p.lower : p.estimate!)));
  const hi = Math.max(...pts.map((p) => (finite(p.upper) ? p.upper : p.estimate!)));
  const span = Math.max(hi - lo, 0.1 * hi, 0.002);
  const mid = (lo + hi) / 2;
  const bottom = Math.max(0, mid - span / 2);
  return [bottom, bottom + span];
}

/** Returns the SVG markup of a sparkline (default 120×32 px). */
export function sparkline(data: SparklineData, options: ChartOptions = {}): string {
  const f = resolveFrame('spark', `${data.bucket}\u0000${data.title}`, { heading: false, ...options, width: options.width ?? 120 }, () => 32);
  const { colours: c, width: W, height: H } = f;
  for (const p of data.points) if (!isDay(p.week)) throw new RangeError(`sparkline: not a week name (YYYY-MM-DD): ${JSON.stringify(p.week)}`);
  const pts = data.points.filter((p) => finite(p.estimate)).sort((a, b) => (a.week < b.week ? -1 : 1));
  const style = bucketStyle(data.bucket, data.buckets ?? [data.bucket], f.theme);
  const provisional = (w: string) => !!data.provisionalFrom && w >= data.provisionalFrom;

  // Weekly grid from first to last point; missing weeks stay undefined so the line breaks there.
  const grid: Day[] = [];
  if (pts.length > 0) for (let w = toDay(pts[0]!.week); w <= pts.at(-1)!.week; w = addDays(w, 7)) grid.push(w);
  const byWeek = new Map<string, (typeof pts)[number]>(pts.map((p) => [p.week, p]));
  const values = grid.map((w) => byWeek.get(w));

  const last = pts.at(-1);
  const marked = (data.markWeek && byWeekOf(pts, data.markWeek)) || last;
  const valueText = data.showValue && marked ? formatPct(marked.estimate!) : '';
  const right = W - 4 - (valueText ? textWidth(valueText, VALUE_FONT) + 4 : 0);
  const y = scaleLinear()
    .domain(data.yMax === undefined ? ownRange(pts) : [0, data.yMax])
    .range([H - 3, 3])
    .clamp(true);
  const t0 = grid[0] ? +toDate(grid[0]) : 0;
  const t1 = grid.at(-1) ? +toDate(grid.at(-1)!) : t0 + 7 * DAY;
  const x = scaleUtc()
    .domain([new Date(t0), new Date(t1 === t0 ? t0 + 7 * DAY : t1)])
    .range([3, right - 3]);
  const xi = (i: number) => x(toDate(grid[i]!));

  let body = el('rect', { width: W, height: H, fill: f.theme === 'css' ? 'none' : c.background });
  const band = area<WeekEstimate | undefined>()
    .digits(1)
    .defined((v) => !!v && finite(v.lower) && finite(v.upper))
    .x((_, i) => xi(i))
    .y0((v) => y(v!.upper!))
    .y1((v) => y(v!.lower!))(values);
  if (band) body += el('path', { class: 'band', d: band, fill: style.colour, 'fill-opacity': 0.2 });
  const firstProv = grid.findIndex(provisional);
  const solid = line<WeekEstimate | undefined>()
    .digits(1)
    .defined((v, i) => !!v && !provisional(grid[i]!))
    .x((_, i) => xi(i))
    .y((v) => y(v!.estimate!))(values);
  if (solid) body += el('path', { class: 'line', d: solid, fill: 'none', stroke: style.colour, 'stroke-width': 1.5, 'stroke-linejoin': 'round' });
  if (firstProv >= 0) {
    const dashed = line<WeekEstimate | undefined>()
      .digits(1)
      .defined((v, i) => !!v && i >= firstProv - 1)
      .x((_, i) => xi(i))
      .y((v) => y(v!.estimate!))(values);
    if (dashed)
      body += el('path', { class: 'line provisional-line', d: dashed, fill: 'none', stroke: style.colour, 'stroke-width': 1.5, 'stroke-dasharray': '3 2' });
  }
  // Isolated weeks have no segment to draw: mark them.
  values.forEach((v, i) => {
    if (v && !values[i - 1] && !values[i + 1] && i !== values.length - 1)
      body += el('path', { d: markerPath('circle', xi(i), y(v.estimate!), 1.5), fill: style.colour });
  });
  if (marked) {
    const lx = xi(grid.indexOf(toDay(marked.week)));
    const ly = y(marked.estimate!);
    const tip = `${data.label ?? data.bucket}, week ${marked.week}${provisional(marked.week) ? ' (provisional)' : ''}: ${formatShareWithInterval(marked.estimate!, marked.lower, marked.upper)}`;
    body += el(
      'path',
      {
        class: 'last point',
        d: markerPath('circle', lx, ly, 2.5),
        fill: provisional(marked.week) ? c.background : style.colour,
        stroke: style.colour,
        'stroke-width': 1.2,
      },
      `<title>${escapeXml(tip)}</title>`,
    );
    if (valueText) body += text(valueText, { x: W - 2, y: H / 2, dy: '0.35em', 'text-anchor': 'end', fill: c.text, 'font-size': VALUE_FONT });
  }

  const label = data.label ?? data.bucket;
  const min = pts.length > 0 ? pts.reduce((a, b) => (b.estimate! < a.estimate! ? b : a)) : undefined;
  const max = pts.length > 0 ? pts.reduce((a, b) => (b.estimate! > a.estimate! ? b : a)) : undefined;
  const desc =
    !last || !min || !max || !pts[0]
      ? `${label}: no data.`
      : sentences([
          `${label}, ${pts.length} week${pts.length === 1 ? '' : 's'} from ${pts[0].week} to ${last.week}:`,
          marked && marked !== last
            ? `week ${marked.week} ${formatShareWithInterval(marked.estimate!, marked.lower, marked.upper)} (marked); latest ${formatPct(last.estimate!)}${provisional(last.week) ? ' (provisional)' : ''};`
            : `latest ${formatShareWithInterval(last.estimate!, last.lower, last.upper)}${provisional(last.week) ? ' (provisional)' : ''};`,
          pts.length > 1 &&
            `first ${formatPct(pts[0].estimate!)}; low ${formatPct(min.estimate!)} in week ${min.week}; high ${formatPct(max.estimate!)} in week ${max.week}.`,
        ]);
  return svgRoot({
    id: f.id,
    width: W,
    height: H,
    title: data.title,
    desc,
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-sparkline',
    body,
  });
}
