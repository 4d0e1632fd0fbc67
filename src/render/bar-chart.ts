/**
 * One week's buckets as horizontal bars: the share with its 95% interval as a
 * whisker, a value label such as "42.1% (40.8–43.4)", and optionally a second,
 * hollow marker per bar for an adjusted (e.g. reweighted) value. One row per
 * bucket, so labels never overlap; on narrow charts the label and value sit
 * on a line above each bar. A provisional week's bars are hollow. Each bar
 * carries a `<title>` with its figures.
 */
import { type ScaleLinear, scaleLinear } from 'd3-scale';
import { clamp01 } from '../lib/clamp.ts';
import { percentTicks, type Tick, TICK_FONT } from './axis.ts';
import { background, type ChartOptions, FONT_FAMILY, heading, listSome, PAD, resolveFrame, sentences } from './chart.ts';
import { formatCount, formatPct, formatShareWithInterval } from './format.ts';
import { legend, type LegendItem } from './legend.ts';
import { markerPath } from './marks.ts';
import { textWidth, truncateText } from './measure.ts';
import { distinctStyles, neutralStyle } from './palette.ts';
import { el, escapeXml, num as fmt, svgRoot, text } from './svg.ts';

export interface BarDatum {
  bucket: string;
  /** Display name (default: the bucket name). */
  label?: string;
  /** Share in [0, 1]; null when there is no estimate (too few reports, no data). */
  estimate: number | null;
  lower?: number | null;
  upper?: number | null;
  /** A second estimate of the same share (e.g. adjusted for opt-in skew), drawn as a hollow diamond. */
  adjusted?: number | null;
}

export interface BarChartData {
  title: string;
  subtitle?: string;
  /** The week shown, for the summary. */
  week?: string;
  /** True when the week is still receiving uploads. */
  provisional?: boolean;
  /** Bars top to bottom, in the order given. */
  bars: readonly BarDatum[];
  /** The chart's canonical bucket list (colours follow the index here); default: the bar order. */
  buckets?: readonly string[];
  /**
   * The buckets drawn as lines in the chart shown with this one: their bars
   * take the same colours, every other bar is grey. Default: every bar gets
   * its own colour.
   */
  coloured?: readonly string[];
  /** Eligible reports of the week, for the bars' hover text. */
  n?: number;
  /** Legend text of the adjusted marker (default "adjusted"). */
  adjustedLabel?: string;
  /** Default: "share of reporting installations (%)". */
  xLabel?: string;
  /** `auto` (default): 0 to a rounded maximum of the data; `full`: 0–100 %. */
  xDomain?: 'full' | 'auto';
  /**
   * `share` (default): estimates are shares in [0, 1]. `count`: estimates are
   * whole counts (for samples too small for shares), drawn without intervals
   * on a count axis; the x label defaults to "eligible reports".
   */
  scale?: 'share' | 'count';
}

const LABEL_FONT = 12;
/** Value labels are the size of bucket labels (both inherit LABEL_FONT from their group); VALUE_FONT sizes their columns. */
const VALUE_FONT = LABEL_FONT;
const WIDE = 560;

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The value label: the share with its interval, and the second marker's figure after "◇" when there is one. */
function valueText(b: BarDatum, count: boolean): string {
  if (!finite(b.estimate)) return 'no data';
  if (count) return formatCount(b.estimate);
  return `${formatShareWithInterval(b.estimate, b.lower, b.upper)}${finite(b.adjusted) ? ` ◇ ${formatPct(b.adjusted)}` : ''}`;
}

/** Whole-number ticks about `spacing` px apart, for the count scale. */
function countTicks(x: ScaleLinear<number, number>, length: number, spacing: number): Tick[] {
  const n = Math.max(2, Math.min(10, Math.floor(length / spacing)));
  return x
    .ticks(n)
    .filter((v) => Number.isInteger(v))
    .map((v) => ({ value: v, label: formatCount(v) }));
}

/** Returns the SVG markup of a horizontal bar chart of one week's shares. */
export function barChart(data: BarChartData, options: ChartOptions = {}): string {
  const f = resolveFrame('bar', data.title, options, () => 0);
  const { colours: c, width: W } = f;
  const wide = W >= WIDE;
  const count = data.scale === 'count';
  // Counts carry no interval and are not clamped to [0, 1].
  const input = count ? data.bars.map((b) => ({ ...b, lower: null, upper: null, adjusted: null })) : data.bars;
  const clampX = count ? (v: number) => Math.max(0, v) : clamp01;
  const canonical = data.buckets ?? input.map((b) => b.bucket);
  const extras = input.map((b) => b.bucket).filter((b) => !canonical.includes(b));
  const colouredBuckets = data.coloured ?? input.map((b) => b.bucket);
  const colouredStyles = distinctStyles(colouredBuckets, canonical, f.theme, extras);
  const styleOf = new Map(colouredBuckets.map((b, k) => [b, colouredStyles[k]!]));
  const grey = neutralStyle(f.theme);
  const bars = input.map((b) => ({ b, label: b.label ?? b.bucket, value: valueText(b, count), style: styleOf.get(b.bucket) ?? grey }));
  const hollow = data.provisional === true;

  const head = heading(f, data.title, data.subtitle);
  const xLabel = data.xLabel ?? (count ? 'eligible reports with the bucket' : 'share of reporting installations (%)');
  const top = head.height + PAD + LABEL_FONT + 10;

  const maxValue = Math.max(
    0,
    ...input.map((b) => Math.max(finite(b.estimate) ? b.estimate : 0, finite(b.upper) ? b.upper : 0, finite(b.adjusted) ? b.adjusted : 0)),
  );
  const x = scaleLinear().domain([0, count ? Math.max(1, maxValue) : data.xDomain === 'full' ? 1 : Math.min(1, Math.max(0.01, maxValue * 1.02))]);
  if (count || data.xDomain !== 'full') x.nice();

  // Columns: labels | bars | values (wide); or full-width bars under a label line (narrow).
  const valueW = Math.max(0, ...bars.map((r) => textWidth(r.value, VALUE_FONT)));
  const labelW = wide ? Math.min(Math.round(W * 0.3), Math.max(0, ...bars.map((r) => textWidth(r.label, LABEL_FONT)))) : 0;
  const plotLeft = wide ? PAD + labelW + 10 : PAD;
  // Wide: each value label follows its own row's marks; the plot is as wide as lets every label fit.
  const reach = (b: BarDatum) => Math.max(finite(b.estimate) ? b.estimate : 0, finite(b.upper) ? b.upper : 0, finite(b.adjusted) ? b.adjusted : 0);
  const domainMax = x.domain()[1]!;
  let plotRight = W - PAD - 6;
  if (wide) {
    for (const r of bars) {
      const frac = Math.min(1, reach(r.b) / domainMax);
      const room = W - PAD - 8 - textWidth(r.value, VALUE_FONT) - plotLeft;
      if (frac > 0) plotRight = Math.min(plotRight, plotLeft + room / frac);
      else plotRight = Math.min(plotRight, W - PAD - 6);
    }
  }
  x.range([plotLeft, plotRight]);
  const rowH = wide ? 26 : 42;
  const barH = wide ? 14 : 12;
  const barOffset = wide ? (rowH - barH) / 2 : LABEL_FONT + 8;
  const plotBottom = top + Math.max(1, bars.length) * rowH;

  const hasAdjusted = input.some((b) => finite(b.adjusted));
  const hasIntervals = input.some((b) => finite(b.lower) && finite(b.upper));
  const items: LegendItem[] = [];
  if (hollow && bars.some((r) => finite(r.b.estimate)))
    items.push({ kind: 'bar', label: 'provisional (uploads still arriving)', fill: c.background, stroke: c.muted });
  if (hasIntervals) items.push({ kind: 'whisker', label: '95% interval', colour: c.text });
  if (hasAdjusted)
    items.push({ kind: 'marker', label: data.adjustedLabel ?? 'adjusted', colour: c.text, shape: 'diamond', hollow: true, background: c.background });
  const xAxisH = 6 + TICK_FONT + 6;
  const legendY = plotBottom + xAxisH + 8;
  const leg = legend(items, PAD, legendY, W - 2 * PAD, c.text);
  const height = Math.max(options.height ?? 0, legendY + leg.height + PAD);

  let body = background(f, height) + head.svg;
  body += text(truncateText(xLabel, W - 2 * PAD, LABEL_FONT), {
    x: wide ? plotLeft : PAD,
    y: head.height + PAD + LABEL_FONT,
    fill: c.muted,
    'font-size': LABEL_FONT,
    class: 'axis-title',
  });

  // Vertical grid and tick labels below the last row.
  let axis = '';
  for (const t of count ? countTicks(x, plotRight - plotLeft, 64) : percentTicks(x, plotRight - plotLeft, 64)) {
    const xx = x(t.value);
    axis += el('line', { x1: xx, x2: xx, y1: top, y2: plotBottom, stroke: t.value === 0 ? c.axis : c.grid });
    axis += text(t.label, { x: xx, y: plotBottom + 6 + TICK_FONT, 'text-anchor': 'middle', fill: c.muted, 'font-size': TICK_FONT });
  }
  body += el('g', { class: 'axis axis-x' }, axis);

  let rows = '';
  bars.forEach((r, k) => {
    const y0 = top + k * rowH;
    const by = y0 + barOffset;
    const cy = by + barH / 2;
    const { b } = r;
    let g = '';
    if (wide) {
      g += text(truncateText(r.label, labelW, LABEL_FONT), {
        x: plotLeft - 10,
        y: cy,
        dy: '0.35em',
        'text-anchor': 'end',
      });
      g += text(r.value, {
        x: x(count ? reach(b) : Math.min(1, reach(b))) + 8,
        y: cy,
        dy: '0.35em',
        fill: finite(b.estimate) ? undefined : c.muted,
      });
    } else {
      const labelRoom = W - 2 * PAD - valueW - 10;
      g += text(truncateText(r.label, labelRoom, LABEL_FONT), { x: PAD, y: y0 + LABEL_FONT + 2 });
      g += text(r.value, { x: W - PAD, y: y0 + LABEL_FONT + 2, 'text-anchor': 'end', fill: finite(b.estimate) ? undefined : c.muted });
    }
    if (finite(b.estimate)) {
      const w = Math.max(0, x(clampX(b.estimate)) - plotLeft);
      const tip = `<title>${escapeXml(barTitle(r.label, b, count, data.week, data.n, hollow))}</title>`;
      g += hollow
        ? el(
            'rect',
            {
              class: 'bar provisional-bar',
              x: plotLeft + 0.75,
              y: by + 0.75,
              width: Math.max(0, w - 1.5),
              height: barH - 1.5,
              fill: r.style.colour,
              'fill-opacity': 0.12,
              stroke: r.style.colour,
              'stroke-width': 1.5,
            },
            tip,
          )
        : el('rect', { class: 'bar', x: plotLeft, y: by, width: w, height: barH, fill: r.style.colour, 'fill-opacity': 0.85 }, tip);
      if (finite(b.lower) && finite(b.upper)) {
        const x0 = x(clamp01(b.lower));
        const x1 = x(clamp01(b.upper));
        // Outlined in the background colour so the whisker reads over the bar and over the grid.
        const whisker = `M${fmt(x0)},${fmt(cy)}H${fmt(x1)}M${fmt(x0)},${fmt(cy - 5)}V${fmt(cy + 5)}M${fmt(x1)},${fmt(cy - 5)}V${fmt(cy + 5)}`;
        g += el('path', { class: 'whisker-halo', d: whisker, fill: 'none', stroke: c.background, 'stroke-width': 3.5, 'stroke-linecap': 'round' });
        g += el('path', { class: 'whisker', d: whisker, fill: 'none', stroke: c.text, 'stroke-width': 1.5 });
      }
    }
    if (finite(b.adjusted)) {
      g += el('path', {
        class: 'adjusted',
        d: markerPath('diamond', x(clamp01(b.adjusted)), cy, 4.5),
        fill: c.background,
        stroke: c.text,
        'stroke-width': 1.5,
      });
    }
    rows += el('g', { class: `row series-${k}` }, g);
  });
  if (bars.length === 0) body += text('no data', { x: PAD, y: top + LABEL_FONT + 4, fill: c.muted, 'font-size': LABEL_FONT });
  // Row text takes its colour and size from the group.
  body += el('g', { class: 'bars', fill: c.text, 'font-size': LABEL_FONT }, rows) + leg.svg;

  return svgRoot({
    id: f.id,
    width: W,
    height,
    title: data.title,
    desc: describe({ ...data, bars: input }),
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-bar',
    body,
  });
}

/** A bar's hover text: bucket, week, share with interval (or count), eligible reports. */
function barTitle(label: string, b: BarDatum, count: boolean, week: string | undefined, n: number | undefined, provisional: boolean): string {
  const when = week ? `, week ${week}${provisional ? ' (provisional)' : ''}` : '';
  const figure = count ? `${formatCount(b.estimate!)} eligible reports with the bucket` : formatShareWithInterval(b.estimate!, b.lower, b.upper);
  return `${label}${when}: ${figure}${typeof n === 'number' ? ` of ${formatCount(n)} eligible reports` : ''}`;
}

function describe(data: BarChartData): string {
  const adjustedLabel = data.adjustedLabel ?? 'adjusted';
  const count = data.scale === 'count';
  const marked = !count && data.bars.some((b) => finite(b.adjusted));
  const items = data.bars.map((b) => {
    const label = b.label ?? b.bucket;
    if (!finite(b.estimate)) return `${label} no data`;
    if (count) return `${label} ${formatCount(b.estimate)}`;
    return `${label} ${formatShareWithInterval(b.estimate, b.lower, b.upper)}${finite(b.adjusted) ? `, ◇ ${formatPct(b.adjusted)}` : ''}`;
  });
  const what = (data.xLabel ?? (count ? 'eligible reports with the bucket' : 'share of reporting installations')).replace(/\s*\(%\)$/, '');
  return sentences([
    `Bar chart of ${what}${data.week ? ` in week ${data.week}` : ''}${data.provisional ? ' (provisional: uploads still arriving)' : ''}, ${data.bars.length} bucket${data.bars.length === 1 ? '' : 's'}${count ? ' (counts only: too few reports for shares)' : ', with 95% intervals'}:`,
    marked && `Hollow diamonds (◇): ${adjustedLabel}.`,
    items.length > 0 ? `${listSome(items, 20)}.` : 'No data.',
  ]);
}
