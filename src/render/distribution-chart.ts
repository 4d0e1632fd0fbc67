/**
 * A histogram counter as a distribution over time: per week a 100%-stacked
 * column of the share of events in each bucket (lowest bucket at the bottom),
 * and under it the week's median and 90th-percentile bucket as two lines on
 * an axis of buckets. A week whose shares are unknown (too few reports, no
 * events) leaves a gap; a part of the events not attributed to a shown
 * bucket (small buckets grouped, figures withheld) is drawn in grey at the
 * top. Provisional weeks are lighter and shaded, and their markers hollow.
 * Every column segment and marker carries a `<title>`.
 */
import { scaleLinear } from 'd3-scale';
import { isDay, toDate, toDay } from '../lib/dates.ts';
import { trailingProvisionalStart } from '../lib/provisional.ts';
import { drawXAxis, drawYAxis, maxTickWidth, percentTicks, TICK_FONT, timeTicks, weekScale } from './axis.ts';
import { background, type ChartOptions, FONT_FAMILY, heading, listSome, PAD, resolveFrame, sentences } from './chart.ts';
import { formatPct, formatShareWithInterval } from './format.ts';
import { legend, type LegendItem } from './legend.ts';
import { markerPath } from './marks.ts';
import { textWidth, truncateText } from './measure.ts';
import { bucketStyle, seriesStyle } from './palette.ts';
import { el, escapeXml, num, svgRoot, text } from './svg.ts';

/** One bucket's share of a week's events with its 95% interval. */
export interface EventShare {
  estimate: number;
  lower?: number | null;
  upper?: number | null;
}

export interface DistributionWeek {
  week: string;
  provisional?: boolean;
  /** Per bucket (in `buckets` order) its share of the week's events; null when not shown. All null: no distribution that week. */
  shares: readonly (EventShare | null)[];
  /** Index into `buckets` of the bucket holding the median event, or null when it cannot be told. */
  median: number | null;
  /** Index into `buckets` of the bucket holding the 90th-percentile event, or null. */
  p90: number | null;
}

export interface DistributionChartData {
  title: string;
  subtitle?: string;
  /** The histogram's buckets from lowest to highest. */
  buckets: readonly string[];
  weeks: readonly DistributionWeek[];
  /** Label of the grey remainder (default "not shown separately"). */
  remainderLabel?: string;
  /** A `<title>` on each week's column (default true; a narrow variant for phones, where nothing hovers, may leave them out). */
  hoverTitles?: boolean;
}

const LABEL_FONT = 12;
const DAY = 86_400_000;
const QUANTILE_ROW = 16;

function weekTitle(w: DistributionWeek): string {
  return `${w.week}${w.provisional ? ' (provisional)' : ''}`;
}

/** Returns the SVG markup of the distribution chart. Throws RangeError on a week name that is not `YYYY-MM-DD`. */
export function distributionChart(data: DistributionChartData, options: ChartOptions = {}): string {
  const f = resolveFrame('distribution', data.title, options, () => 0);
  const { colours: c, width: W } = f;
  for (const d of data.weeks) if (!isDay(d.week)) throw new RangeError(`distributionChart: not a week name (YYYY-MM-DD): ${JSON.stringify(d.week)}`);
  const weeks = [...data.weeks].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  const buckets = data.buckets;
  const remainderLabel = data.remainderLabel ?? 'not shown separately';
  const hoverTitles = data.hoverTitles ?? true;
  const styles = buckets.map((b) => bucketStyle(b, buckets, f.theme));
  const grey = seriesStyle(0, f.theme, true).colour;
  const medianColour = c.text;
  const p90Colour = c.count;

  const head = heading(f, data.title, data.subtitle);
  const top = head.height + PAD + LABEL_FONT + 10;
  const stackH = Math.max(140, Math.min(240, Math.round(W * 0.3)));
  const stackBottom = top + stackH;
  const y = scaleLinear().domain([0, 1]).range([stackBottom, top]);
  const yTicks = percentTicks(y, stackH, 40);
  const labelW = Math.min(Math.round(W * 0.28), Math.max(0, ...buckets.map((b) => textWidth(b, TICK_FONT))));
  const plotLeft = PAD + Math.max(maxTickWidth(yTicks), labelW) + 8;
  const plotRight = W - PAD - 4;
  const qTop = stackBottom + 6 + TICK_FONT + 6 + 22 + LABEL_FONT;
  const qBottom = qTop + Math.max(1, buckets.length) * QUANTILE_ROW;
  const qy = (i: number) => qBottom - (i + 0.5) * QUANTILE_ROW;

  const first = weeks[0] ? +toDate(toDay(weeks[0].week)) : 0;
  const last = weeks.at(-1) ? +toDate(toDay(weeks.at(-1)!.week)) : first;
  const x = weekScale(first, last, plotLeft, plotRight);
  const step = weeks.length > 1 ? x(new Date(first + 7 * DAY)) - x(new Date(first)) : plotRight - plotLeft;
  const colW = Math.max(1, step * (step > 6 ? 0.82 : 0.92));
  const cx = (w: DistributionWeek) => x(toDate(toDay(w.week)));

  const items: LegendItem[] = buckets.map((b, i) => ({ kind: 'bar', label: b, fill: styles[i]!.colour }));
  const hasRemainder = weeks.some((w) => remainder(w) > 0.0005);
  if (hasRemainder) items.push({ kind: 'bar', label: remainderLabel, fill: grey });
  items.push({ kind: 'marker', label: 'median bucket', colour: medianColour, shape: 'circle', hollow: false, background: c.background });
  items.push({ kind: 'marker', label: '90th-percentile bucket', colour: p90Colour, shape: 'square', hollow: false, background: c.background });
  const hasProvisional = weeks.some((w) => w.provisional);
  if (hasProvisional) items.push({ kind: 'region', label: 'provisional (uploads still arriving)', fill: c.provisional, stroke: c.text });
  const xAxisH = 6 + TICK_FONT + 6;
  const legendY = qBottom + xAxisH + 10;
  const leg = legend(items, PAD, legendY, W - 2 * PAD, c.text);
  const height = Math.max(options.height ?? 0, legendY + leg.height + PAD);

  let body = background(f, height) + head.svg;
  body += text(truncateText('share of events (%), lowest bucket at the bottom', W - 2 * PAD, LABEL_FONT), {
    x: PAD,
    y: head.height + PAD + LABEL_FONT,
    fill: c.muted,
    'font-size': LABEL_FONT,
    class: 'axis-title',
  });
  // Provisional shading behind both panels.
  // Shade the trailing run of provisional weeks (an incomplete week between final ones is marked by its own lighter column).
  const firstProv = weeks[trailingProvisionalStart(weeks)];
  if (firstProv) {
    const x0 = cx(firstProv) - step / 2;
    body += el('rect', { class: 'provisional-region', x: x0, y: top, width: Math.max(0, plotRight - x0), height: qBottom - top, fill: c.provisional });
  }
  body += drawYAxis(yTicks, (v) => y(v), plotLeft, plotRight, c);

  // One path per bucket holding its segment of every week (compact), then one hover target per week whose
  // <title> lists the week's shares, so hovering works without JavaScript.
  const segs = buckets.map(() => '');
  let rest = '';
  let cols = '';
  const x0 = (w: DistributionWeek) => num(cx(w) - colW / 2, 2);
  const rectPath = (w: DistributionWeek, yTop: number, yBottom: number) =>
    `M${x0(w)},${num(yTop, 2)}h${num(colW, 2)}v${num(Math.max(0, yBottom - yTop), 2)}h${num(-colW, 2)}z`;
  for (const w of weeks) {
    if (w.shares.every((s) => s === null)) continue;
    let acc = 0;
    const parts: string[] = [];
    w.shares.forEach((s, i) => {
      if (!s || !(s.estimate > 0)) return;
      const yBottom = y(Math.min(1, acc));
      acc += s.estimate;
      segs[i] += rectPath(w, y(Math.min(1, acc)), yBottom);
      parts.push(`${buckets[i]} ${formatShareWithInterval(s.estimate, s.lower, s.upper)}`);
    });
    const r = remainder(w);
    if (r > 0.0005) {
      rest += rectPath(w, y(1), y(Math.min(1, acc)));
      parts.push(`${remainderLabel} ${formatPct(r)}`);
    }
    cols += el(
      'rect',
      {
        class: w.provisional ? 'column provisional' : 'column',
        'data-week': w.week,
        x: x0(w),
        y: top,
        width: num(colW, 2),
        height: stackH,
        fill: 'transparent',
      },
      hoverTitles
        ? `<title>${escapeXml(`${weekTitle(w)}, share of events: ${parts.join('; ')}${w.median === null ? '' : `; median in ${buckets[w.median]}`}${w.p90 === null ? '' : `, 90th percentile in ${buckets[w.p90]}`}`)}</title>`
        : undefined,
    );
  }
  const final = weeks.filter((w) => !w.provisional);
  let segments = '';
  segs.forEach((d, i) => {
    if (d) segments += el('path', { class: `segments series-${i}`, 'data-bucket': buckets[i], d, fill: styles[i]!.colour, 'fill-opacity': 0.9 });
  });
  if (rest) segments += el('path', { class: 'segments remainder', 'data-bucket': remainderLabel, d: rest, fill: grey, 'fill-opacity': 0.9 });
  body += el('g', { class: 'columns' }, segments);
  // Provisional weeks are washed out by a veil in the background colour over their columns.
  const veil = weeks
    .filter((w) => w.provisional && !w.shares.every((s) => s === null))
    .map((w) => rectPath(w, y(1), y(0)))
    .join('');
  if (veil && final.length < weeks.length) body += el('path', { class: 'provisional-veil', d: veil, fill: c.background, 'fill-opacity': 0.5 });
  body += el('g', { class: 'hover' }, cols);

  // Quantile panel: bucket rows, median and p90 lines.
  body += text(truncateText('median and 90th-percentile bucket of events', W - 2 * PAD, LABEL_FONT), {
    x: PAD,
    y: qTop - 8,
    fill: c.muted,
    'font-size': LABEL_FONT,
    class: 'axis-title',
  });
  let rows = '';
  buckets.forEach((b, i) => {
    rows += el('line', { x1: plotLeft, x2: plotRight, y1: qy(i), y2: qy(i), stroke: c.grid });
    rows += text(truncateText(b, plotLeft - PAD - 8, TICK_FONT), {
      x: plotLeft - 6,
      y: qy(i),
      dy: '0.32em',
      'text-anchor': 'end',
      fill: c.muted,
      'font-size': TICK_FONT,
    });
  });
  body += el('g', { class: 'axis axis-buckets' }, rows);
  // Each quantile as compound paths: solid line between final weeks, dashed into provisional ones, filled
  // markers for final weeks and hollow ones for provisional weeks (the hover columns' titles name the buckets).
  for (const [key, colour, shape, r] of [
    ['median', medianColour, 'circle', 3.5],
    ['p90', p90Colour, 'square', 3.2],
  ] as const) {
    let solid = '';
    let dashed = '';
    let filled = '';
    let hollow = '';
    let prev: { x: number; y: number } | null = null;
    for (const w of weeks) {
      const idx = w[key];
      if (idx === null || idx < 0 || idx >= buckets.length) {
        prev = null;
        continue;
      }
      const px = cx(w);
      const py = qy(idx) + (key === 'median' ? -2.5 : 2.5);
      const seg = prev ? `M${num(prev.x, 1)},${num(prev.y, 1)}L${num(px, 1)},${num(py, 1)}` : '';
      if (w.provisional) {
        dashed += seg;
        hollow += markerPath(shape, px, py, r);
      } else {
        solid += seg;
        filled += markerPath(shape, px, py, r);
      }
      prev = { x: px, y: py };
    }
    let g = '';
    if (solid) g += el('path', { class: 'line', d: solid, fill: 'none', stroke: colour, 'stroke-width': 1.75 });
    if (dashed) g += el('path', { class: 'line provisional-line', d: dashed, fill: 'none', stroke: colour, 'stroke-width': 1.75, 'stroke-dasharray': '4 3' });
    if (filled) g += el('path', { class: 'marks', d: filled, fill: colour });
    if (hollow) g += el('path', { class: 'marks provisional', d: hollow, fill: c.background, stroke: colour, 'stroke-width': 1.5 });
    body += el('g', { class: `quantile quantile-${key}` }, g);
  }
  if (weeks.length > 0) body += drawXAxis(timeTicks(x, 0, W), (v) => x(new Date(v)), qBottom, c);
  body += leg.svg;

  return svgRoot({
    id: f.id,
    width: W,
    height,
    title: data.title,
    desc: describe(data, weeks),
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-distribution',
    body,
  });
}

/** The share of a week's events not in a shown bucket (0 when the week has no distribution). */
function remainder(w: DistributionWeek): number {
  if (w.shares.every((s) => s === null)) return 0;
  const shown = w.shares.reduce((a, s) => a + (s ? s.estimate : 0), 0);
  return Math.max(0, 1 - shown);
}

function describe(data: DistributionChartData, weeks: readonly DistributionWeek[]): string {
  const withData = weeks.filter((w) => w.shares.some((s) => s !== null));
  const lastFinal = [...withData].reverse().find((w) => !w.provisional);
  const name = (i: number | null) => (i === null ? 'unknown' : (data.buckets[i] ?? 'unknown'));
  return sentences([
    `Stacked columns of the share of events in each bucket (${data.buckets.join(', ')}), ${weeks.length} week${weeks.length === 1 ? '' : 's'}${weeks[0] ? ` from ${weeks[0].week} to ${weeks.at(-1)!.week}` : ''}, with the median and 90th-percentile bucket per week.`,
    lastFinal &&
      `Latest final week ${lastFinal.week}: ${listSome(
        lastFinal.shares.flatMap((s, i) => (s ? [`${data.buckets[i]} ${formatShareWithInterval(s.estimate, s.lower, s.upper)}`] : [])),
        20,
      )}; median in ${name(lastFinal.median)}, 90th percentile in ${name(lastFinal.p90)}.`,
    withData.length === 0 && 'No week has enough data for a distribution.',
  ]);
}
