/**
 * One bucket's share over weeks on its own scale, for small multiples where
 * every bucket of a chart is visible however small: a zero-based y axis up to
 * the bucket's own maximum (labelled at 0 and the top), the interval band,
 * final weeks solid, provisional weeks apart (shaded, dashed, hollow points),
 * and a dot on the week the page names. Every point carries a `<title>`.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { area, line } from 'd3-shape';
import { addDays, type Day, isDay, toDate } from '../lib/dates.ts';
import { type ChartOptions, FONT_FAMILY, resolveFrame, sentences } from './chart.ts';
import { formatPct, formatShareWithInterval } from './format.ts';
import { pointTitle } from './line-chart.ts';
import { markerPath } from './marks.ts';
import { textWidth } from './measure.ts';
import { distinctStyles, neutralStyle } from './palette.ts';
import { el, escapeXml, num, svgRoot, text } from './svg.ts';
import type { WeekEstimate } from './types.ts';

export interface PanelData {
  /** Accessible name, e.g. "zed: share of reporting installations by week". */
  title: string;
  bucket: string;
  /** Display name (default: the bucket name). */
  label?: string;
  points: readonly WeekEstimate[];
  /** Every week of the chart, so the panels of one chart share their time axis. */
  weeks?: readonly string[];
  /** The chart's canonical bucket list (colours follow the index here). */
  buckets?: readonly string[];
  /** The buckets drawn in colour in the chart beside the panels; a panel of any other bucket is grey. Default: coloured. */
  coloured?: readonly string[];
  provisionalFrom?: string | null;
  /** The week the dot marks (the week the page names); default: the latest final week with data. */
  markWeek?: string;
  /** Draw the interval band (default true); the points' titles give the interval either way. */
  band?: boolean;
}

const TICK = 11;
const DAY = 86_400_000;

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Returns the SVG markup of one small-multiple panel (default 220×72 px). */
export function panel(data: PanelData, options: ChartOptions = {}): string {
  const f = resolveFrame('panel', `${data.bucket}\u0000${data.title}`, { heading: false, ...options, width: options.width ?? 220 }, () => 72);
  const { colours: c, width: W, height: H } = f;
  const weeks = [...(data.weeks ?? []), ...data.points.map((p) => p.week)];
  for (const w of weeks) if (!isDay(w)) throw new RangeError(`panel: not a week name (YYYY-MM-DD): ${JSON.stringify(w)}`);
  const sorted = [...new Set(weeks)].sort() as Day[];
  const grid: Day[] = [];
  if (sorted.length > 0) for (let w = sorted[0]!; w <= sorted.at(-1)!; w = addDays(w, 7)) grid.push(w);
  const byWeek = new Map(data.points.filter((p) => finite(p.estimate)).map((p) => [p.week, p]));
  const values = grid.map((w) => byWeek.get(w));
  const provisional = (w: string) => !!data.provisionalFrom && w >= data.provisionalFrom;
  const label = data.label ?? data.bucket;
  const canonical = data.buckets ?? [data.bucket];
  const coloured = data.coloured ?? [data.bucket];
  const k = coloured.indexOf(data.bucket);
  const style = k >= 0 ? distinctStyles(coloured, canonical, f.theme)[k]! : neutralStyle(f.theme);

  const present = values.filter((v): v is WeekEstimate => !!v);
  const top = Math.max(0, ...present.map((v) => Math.max(v.estimate!, data.band !== false && finite(v.upper) ? v.upper : 0)));
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 0.01])
    .nice(3)
    .range([H - TICK / 2 - 2, TICK / 2 + 2]);
  const yMax = y.domain()[1]!;
  const topLabel = Number.isInteger(Math.round(yMax * 1e6) / 1e4) ? `${Math.round(yMax * 100)}%` : formatPct(yMax);
  const left = Math.ceil(textWidth(topLabel, TICK)) + 6;
  const t0 = grid[0] ? +toDate(grid[0]) : 0;
  const t1 = grid.at(-1) ? +toDate(grid.at(-1)!) : t0;
  const x = scaleUtc()
    .domain([new Date(t0), new Date(t1 === t0 ? t0 + 7 * DAY : t1)])
    .range([left + 3, W - 4]);
  const xi = (i: number) => x(toDate(grid[i]!));

  let body = f.theme === 'css' ? '' : el('rect', { width: W, height: H, fill: c.background });
  const firstProv = grid.findIndex(provisional);
  if (firstProv >= 0) {
    const rx = firstProv > 0 ? (xi(firstProv - 1) + xi(firstProv)) / 2 : left;
    body += el('rect', { class: 'provisional', x: rx, y: y(yMax), width: W - rx, height: y(0) - y(yMax), fill: c.provisional });
  }
  for (const [v, t] of [
    [0, '0%'],
    [yMax, topLabel],
  ] as const) {
    body += el('line', { x1: left, x2: W, y1: y(v), y2: y(v), stroke: v === 0 ? c.axis : c.grid });
    body += text(t, { x: left - 4, y: y(v), dy: '0.35em', 'text-anchor': 'end', fill: c.muted, 'font-size': TICK });
  }
  if (data.band !== false) {
    const band = area<WeekEstimate | undefined>()
      .digits(1)
      .defined((v) => !!v && finite(v.lower) && finite(v.upper))
      .x((_, i) => xi(i))
      .y0((v) => y(v!.upper!))
      .y1((v) => y(v!.lower!))(values);
    if (band) body += el('path', { class: 'band', d: band, fill: style.colour, 'fill-opacity': 0.2 });
  }
  const solid = line<WeekEstimate | undefined>()
    .digits(1)
    .defined((v, i) => !!v && !provisional(grid[i]!))
    .x((_, i) => xi(i))
    .y((v) => y(v!.estimate!))(values);
  if (solid) body += el('path', { class: 'line', d: solid, fill: 'none', stroke: style.colour, 'stroke-width': 1.5, 'stroke-linejoin': 'round' });
  const dashed = line<WeekEstimate | undefined>()
    .digits(1)
    .defined((v, i) => !!v && provisional(grid[i]!))
    .x((_, i) => xi(i))
    .y((v) => y(v!.estimate!))(values);
  if (dashed && values.filter((v, i) => v && provisional(grid[i]!)).length > 1)
    body += el('path', { class: 'line provisional-line', d: dashed, fill: 'none', stroke: style.colour, 'stroke-width': 1.5, 'stroke-dasharray': '3 2' });

  let lastFinal = -1;
  values.forEach((v, i) => {
    if (v && !provisional(grid[i]!)) lastFinal = i;
  });
  const markAt = data.markWeek ? grid.indexOf(data.markWeek as Day) : lastFinal;
  const mark = markAt >= 0 ? values[markAt] : undefined;
  // Final points are zero-length segments with a round cap; provisional ones hollow circles; styles sit on their group.
  let finalPts = '';
  let provPts = '';
  values.forEach((v, i) => {
    if (!v) return;
    const prov = provisional(grid[i]!);
    const isolated = !values[i - 1] && !values[i + 1];
    if (!(prov || isolated || i === markAt)) return;
    const title = `<title>${escapeXml(pointTitle(label, v, prov))}</title>`;
    if (prov) provPts += `<path d="${markerPath('circle', xi(i), y(v.estimate!), 2.2)}">${title}</path>`;
    else finalPts += `<path d="M${num(xi(i), 1)},${num(y(v.estimate!), 1)}h0" stroke-width="${i === markAt ? 6 : 3}">${title}</path>`;
  });
  let points = '';
  if (finalPts) points += el('g', { class: 'point', fill: 'none', stroke: style.colour, 'stroke-linecap': 'round' }, finalPts);
  if (provPts) points += el('g', { class: 'point provisional-point', fill: c.background, stroke: style.colour, 'stroke-width': 1.2 }, provPts);
  body += points;
  // A bucket can have no share to draw in any week (grouped or hidden as a small cell): say so rather than show an empty frame.
  if (present.length === 0)
    body += text('no share in these weeks', {
      class: 'no-data',
      x: (left + W) / 2,
      y: H / 2,
      dy: '0.35em',
      'text-anchor': 'middle',
      fill: c.muted,
      'font-size': TICK,
    });

  const desc =
    present.length === 0
      ? `${label}: no data.`
      : sentences([
          `${label}, from 0 to ${topLabel}, ${present.length} week${present.length === 1 ? '' : 's'};`,
          mark && `week ${mark.week}: ${formatShareWithInterval(mark.estimate!, mark.lower, mark.upper)}.`,
        ]);
  return svgRoot({
    id: f.id,
    width: W,
    height: H,
    title: data.title,
    desc,
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-panel',
    body,
  });
}
