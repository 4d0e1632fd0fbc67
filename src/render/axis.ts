/**
 * Axes drawn by hand as SVG lines and text from d3-scale ticks (d3-axis needs
 * a DOM). Tick counts follow the space available, so a 360 px chart gets
 * fewer, non-overlapping labels than a 1280 px one.
 */
import { type ScaleLinear, type ScaleTime, scaleUtc } from 'd3-scale';
import { utcMonth, utcSunday, utcYear } from 'd3-time';
import { utcFormat } from 'd3-time-format';
import { textWidth } from './measure.ts';
import { el, num, text } from './svg.ts';

const HALF_WEEK = 3.5 * 86_400_000;

/**
 * The time scale of a chart of weeks: from half a week before the first week
 * (epoch ms) to half a week after the last, onto [left, right], so each week
 * sits in the middle of its own slot.
 */
export function weekScale(first: number, last: number, left: number, right: number): ScaleTime<number, number> {
  return scaleUtc()
    .domain([new Date(first - HALF_WEEK), new Date(last + HALF_WEEK)])
    .range([left, right]);
}

export const TICK_FONT = 11;

export interface Tick {
  value: number;
  label: string;
}

const fmtYear = utcFormat('%Y');
const fmtMonth = utcFormat('%b');
const fmtMonthYear = utcFormat('%b %Y');
const fmtDay = utcFormat('%b %-d');
const fmtDayYear = utcFormat('%b %-d, %Y');

/** Labels for date ticks: years at Jan 1, months at month starts, else `Mon D`; the first tick names its year. */
function dateLabels(dates: readonly Date[]): string[] {
  return dates.map((d, i) => {
    const isYear = +utcYear.floor(d) === +d;
    const isMonth = +utcMonth.floor(d) === +d;
    if (isYear) return fmtYear(d);
    if (isMonth) return i === 0 ? fmtMonthYear(d) : fmtMonth(d);
    const yearChanged = i > 0 && dates[i - 1]!.getUTCFullYear() !== d.getUTCFullYear();
    return i === 0 || yearChanged ? fmtDayYear(d) : fmtDay(d);
  });
}

function fits(xs: readonly number[], labels: readonly string[], minGap: number, lo: number, hi: number): boolean {
  for (let i = 0; i < xs.length; i++) {
    const w = textWidth(labels[i]!, TICK_FONT);
    // Middle-anchored; the outermost labels may not spill far outside the chart.
    if (xs[i]! - w / 2 < lo || xs[i]! + w / 2 > hi) return false;
    if (i > 0) {
      const prev = xs[i - 1]! + textWidth(labels[i - 1]!, TICK_FONT) / 2;
      if (xs[i]! - w / 2 - prev < minGap) return false;
    }
  }
  return true;
}

/**
 * Ticks for a time axis of weekly data: Sundays (every 1, 2 or 4 weeks) on
 * short spans, otherwise d3's month/quarter/year ticks; the densest set whose
 * labels do not overlap and stay within [lo, hi] (the chart's edges).
 */
export function timeTicks(x: ScaleTime<number, number>, lo: number, hi: number): Tick[] {
  const [d0, d1] = x.domain() as [Date, Date];
  const candidates: Date[][] = [];
  const weeks = (+d1 - +d0) / (7 * 86_400_000);
  if (weeks <= 20) for (const k of [1, 2, 4]) candidates.push(utcSunday.every(k)!.range(d0, new Date(+d1 + 1)));
  const [r0, r1] = x.range() as [number, number];
  for (let n = Math.max(2, Math.floor((r1 - r0) / 50)); n >= 1; n--) candidates.push(x.ticks(n));
  for (const dates of candidates) {
    if (dates.length === 0) continue;
    const labels = dateLabels(dates);
    const xs = dates.map((d) => x(d));
    if (fits(xs, labels, 12, lo, hi)) return dates.map((d, i) => ({ value: +d, label: labels[i]! }));
  }
  // Nothing fits (a very narrow chart): label the last date only.
  const last = x.ticks(1).at(-1) ?? d1;
  return [{ value: +last, label: dateLabels([last])[0]! }];
}

/** Ticks for a percentage axis over a domain of shares, about one per `spacing` px; labels are percentage numbers without `%`. */
export function percentTicks(y: ScaleLinear<number, number>, length: number, spacing = 36): Tick[] {
  const count = Math.max(2, Math.min(10, Math.floor(length / spacing)));
  const values = y.ticks(count);
  const step = values.length > 1 ? values[1]! - values[0]! : 1;
  const digits = Math.max(0, Math.ceil(-Math.log10(step * 100) - 1e-9));
  return values.map((v) => ({ value: v, label: (v * 100).toFixed(digits) }));
}

/** Whole-number ticks with thousands separators (for counts). */
export function integerTicks(y: ScaleLinear<number, number>, plotHeight: number, fmt: (n: number) => string): Tick[] {
  const count = Math.max(3, Math.min(10, Math.floor(plotHeight / 36)));
  return y
    .ticks(count)
    .filter((v) => Number.isInteger(v))
    .map((v) => ({ value: v, label: fmt(v) }));
}

/** Horizontal grid lines and left-side tick labels for a vertical value axis. */
export function drawYAxis(
  ticks: readonly Tick[],
  y: (v: number) => number,
  left: number,
  right: number,
  colours: { grid: string; muted: string; axis: string },
): string {
  let out = '';
  for (const t of ticks) {
    const yy = y(t.value);
    out += el('line', { x1: left, x2: right, y1: yy, y2: yy, stroke: t.value === 0 ? colours.axis : colours.grid, 'stroke-width': 1 });
    out += text(t.label, { x: left - 6, y: yy, dy: '0.32em', 'text-anchor': 'end', fill: colours.muted, 'font-size': TICK_FONT });
  }
  return el('g', { class: 'axis axis-y' }, out);
}

/** Tick marks and labels under a horizontal axis at `y0`. */
export function drawXAxis(ticks: readonly Tick[], x: (v: number) => number, y0: number, colours: { muted: string; axis: string }): string {
  let out = '';
  for (const t of ticks) {
    const xx = x(t.value);
    out += el('line', { x1: xx, x2: xx, y1: y0, y2: y0 + 4, stroke: colours.axis });
    out += text(t.label, { x: xx, y: y0 + 6 + TICK_FONT, 'text-anchor': 'middle', fill: colours.muted, 'font-size': TICK_FONT });
  }
  return el('g', { class: 'axis axis-x' }, out);
}

/**
 * The plot box and the x of every week, for the page script's crosshair and
 * range bar (an unfilled rect, nothing drawn); `series` names the drawn lines.
 */
export function weekFrame(
  box: { left: number; top: number; right: number; bottom: number },
  weeks: readonly string[],
  xs: readonly number[],
  series?: readonly string[],
): string {
  if (weeks.length === 0) return '';
  return el('rect', {
    class: 'hover-frame',
    x: box.left,
    y: box.top,
    width: Math.max(0, box.right - box.left),
    height: Math.max(0, box.bottom - box.top),
    fill: 'none',
    'data-weeks': weeks.join(','),
    'data-x': xs.map((x) => num(x, 1)).join(','),
    ...(series ? { 'data-series': JSON.stringify(series) } : {}),
  });
}

/** Width of the widest tick label, for the left margin. */
export function maxTickWidth(ticks: readonly Tick[]): number {
  return Math.max(0, ...ticks.map((t) => textWidth(t.label, TICK_FONT)));
}
