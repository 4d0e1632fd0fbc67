/**
 * Events per installation over time, for a counter with a single bucket
 * (such as compile/invocations), where a share would be a flat 100%: the
 * mean per installation per week with its 95% band, and, when given, the
 * median and 90th percentile among installations with events as thinner
 * lines. Weeks without a mean leave a gap; provisional weeks are shaded,
 * dashed and hollow. Every point carries a `<title>`.
 */
import { format } from 'd3-format';
import { type ScaleLinear, scaleLinear } from 'd3-scale';
import { area as d3area, line as d3line } from 'd3-shape';
import { isDay, toDate, toDay } from '../lib/dates.ts';
import { trailingProvisionalStart } from '../lib/provisional.ts';
import { drawXAxis, drawYAxis, maxTickWidth, type Tick, TICK_FONT, timeTicks, weekFrame, weekScale } from './axis.ts';
import { background, type ChartOptions, FONT_FAMILY, heading, PAD, resolveFrame, sentences } from './chart.ts';
import { formatCount } from './format.ts';
import { legend, type LegendItem } from './legend.ts';
import { markerPath } from './marks.ts';
import { truncateText } from './measure.ts';
import { seriesStyle } from './palette.ts';
import { el, escapeXml, svgRoot, text } from './svg.ts';

export interface MeanWeek {
  week: string;
  provisional?: boolean;
  /** Mean events per eligible installation; null: no estimate that week. */
  mean: number | null;
  lower?: number | null;
  upper?: number | null;
  /** Median events among installations with events, when known. */
  median?: number | null;
  /** 90th percentile among installations with events, when known. */
  p90?: number | null;
  /** Eligible installations the mean rests on. */
  n?: number;
}

export interface MeanChartData {
  title: string;
  subtitle?: string;
  weeks: readonly MeanWeek[];
  /** Default: "events per installation". */
  yLabel?: string;
}

const LABEL_FONT = 12;
const DAY = 86_400_000;

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A number for titles: 3 significant digits, thousands separators. */
const fmtValue = format(',.3~r');

function valueTicks(y: ScaleLinear<number, number>, length: number): Tick[] {
  const count = Math.max(2, Math.min(8, Math.floor(length / 40)));
  const tickFormat = y.tickFormat(count, ',f');
  return y.ticks(count).map((v) => ({ value: v, label: tickFormat(v) }));
}

/** Returns the SVG markup of the mean-per-installation chart. Throws RangeError on a week name that is not `YYYY-MM-DD`. */
export function meanChart(data: MeanChartData, options: ChartOptions = {}): string {
  const f = resolveFrame('mean', data.title, options, (w) => Math.min(420, Math.max(280, Math.round(w * 0.35 + 120))));
  const { colours: c, width: W } = f;
  for (const d of data.weeks) if (!isDay(d.week)) throw new RangeError(`meanChart: not a week name (YYYY-MM-DD): ${JSON.stringify(d.week)}`);
  const weeks = [...data.weeks].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  const main = seriesStyle(0, f.theme);
  const hasMedian = weeks.some((w) => finite(w.median));
  const hasP90 = weeks.some((w) => finite(w.p90));
  const hasProvisional = weeks.some((w) => w.provisional);

  const head = heading(f, data.title, data.subtitle);
  const yLabel = data.yLabel ?? 'events per installation';
  const plotTop = head.height + PAD + LABEL_FONT + 14;
  const items: LegendItem[] = [{ kind: 'band', label: 'mean per installation, 95% interval', colour: main.colour }];
  if (hasMedian) items.push({ kind: 'series', label: 'median (installations with events)', colour: c.text, marker: 'square' });
  if (hasP90) items.push({ kind: 'series', label: '90th percentile', colour: c.muted, marker: 'triangle' });
  if (hasProvisional) items.push({ kind: 'region', label: 'provisional (uploads still arriving)', fill: c.provisional, stroke: c.text });
  const legendH = legend(items, PAD, 0, W - 2 * PAD, c.text).height;
  const xAxisH = 6 + TICK_FONT + 6;
  const height = Math.max(f.height, plotTop + 100 + xAxisH + legendH + 8 + PAD);
  const plotBottom = height - PAD - legendH - 8 - xAxisH;

  const max = Math.max(0, ...weeks.flatMap((w) => [w.mean, w.upper, w.median, w.p90].filter(finite)));
  const y = scaleLinear()
    .domain([0, max > 0 ? max * 1.05 : 1])
    .nice()
    .range([plotBottom, plotTop]);
  const yTicks = valueTicks(y, plotBottom - plotTop);
  const plotLeft = PAD + maxTickWidth(yTicks) + 8;
  const plotRight = W - PAD - 4;
  const first = weeks[0] ? +toDate(toDay(weeks[0].week)) : 0;
  const last = weeks.at(-1) ? +toDate(toDay(weeks.at(-1)!.week)) : first;
  const x = weekScale(first, last, plotLeft, plotRight);
  const xw = (w: MeanWeek) => x(toDate(toDay(w.week)));

  let body = background(f, height) + head.svg;
  body += text(truncateText(yLabel, W - 2 * PAD, LABEL_FONT), {
    x: PAD,
    y: head.height + PAD + LABEL_FONT,
    fill: c.muted,
    'font-size': LABEL_FONT,
    class: 'axis-title',
  });
  // The trailing run of provisional weeks is shaded and dashed; an incomplete week between final ones gets a hollow point.
  const tail = trailingProvisionalStart(weeks);
  const firstProv = tail < weeks.length ? tail : -1;
  if (firstProv >= 0) {
    const x0 = xw(weeks[firstProv]!) - (weeks.length > 1 ? (x(new Date(first + 7 * DAY)) - x(new Date(first))) / 2 : 8);
    body += el(
      'g',
      { class: 'provisional' },
      el('rect', {
        class: 'provisional-region',
        x: x0,
        y: plotTop,
        width: Math.max(0, plotRight - x0),
        height: plotBottom - plotTop,
        fill: c.provisional,
      }),
    );
  }
  body += drawYAxis(yTicks, (v) => y(v), plotLeft, plotRight, c);
  if (weeks.length > 0) body += drawXAxis(timeTicks(x, 0, W), (v) => x(new Date(v)), plotBottom, c);

  const band = d3area<MeanWeek>()
    .defined((w) => finite(w.lower) && finite(w.upper))
    .x(xw)
    .y0((w) => y(w.lower!))
    .y1((w) => y(w.upper!));
  body += el('g', { class: 'bands' }, el('path', { class: 'band', d: band(weeks) ?? '', fill: main.colour, 'fill-opacity': 0.18 }));
  const lineFor = (get: (w: MeanWeek) => number | null | undefined, colour: string, width: number, cls: string) => {
    const solid = d3line<MeanWeek>()
      .defined((w, i) => finite(get(w)) && (firstProv < 0 || i < firstProv))
      .x(xw)
      .y((w) => y(get(w)!));
    let out = el('path', { class: cls, d: solid(weeks) ?? '', fill: 'none', stroke: colour, 'stroke-width': width });
    // Into and through provisional weeks: dashed, from the last final point.
    if (firstProv >= 0) {
      const tail = weeks.slice(Math.max(0, firstProv - 1));
      const dashed = d3line<MeanWeek>()
        .defined((w) => finite(get(w)))
        .x(xw)
        .y((w) => y(get(w)!));
      out += el('path', {
        class: `${cls} provisional-line`,
        d: dashed(tail) ?? '',
        fill: 'none',
        stroke: colour,
        'stroke-width': width,
        'stroke-dasharray': '4 3',
      });
    }
    return out;
  };
  body += el(
    'g',
    { class: 'lines' },
    (hasP90 ? lineFor((w) => w.p90, c.muted, 1.25, 'line p90') : '') +
      (hasMedian ? lineFor((w) => w.median, c.text, 1.25, 'line median') : '') +
      lineFor((w) => w.mean, main.colour, 2, 'line mean'),
  );

  let points = '';
  for (const w of weeks) {
    if (!finite(w.mean)) continue;
    const extra = [finite(w.median) ? `median ${fmtValue(w.median)}` : null, finite(w.p90) ? `90th percentile ${fmtValue(w.p90)}` : null]
      .filter(Boolean)
      .join(', ');
    const t = `${w.week}${w.provisional ? ' (provisional)' : ''}: mean ${fmtValue(w.mean)} events per installation${finite(w.lower) && finite(w.upper) ? ` (${fmtValue(w.lower)}–${fmtValue(w.upper)})` : ''}${extra ? `; ${extra}` : ''}${w.n !== undefined ? `; n = ${formatCount(w.n)}` : ''}`;
    points += el(
      'path',
      {
        class: 'point',
        d: markerPath('circle', xw(w), y(w.mean), 3),
        fill: w.provisional ? c.background : main.colour,
        stroke: main.colour,
        'stroke-width': 1.5,
      },
      `<title>${escapeXml(t)}</title>`,
    );
  }
  body += el('g', { class: 'points' }, points);
  body += weekFrame(
    { left: plotLeft, top: plotTop, right: plotRight, bottom: plotBottom },
    weeks.map((w) => w.week),
    weeks.map(xw),
  );
  body += legend(items, PAD, plotBottom + xAxisH + 8, W - 2 * PAD, c.text).svg;

  return svgRoot({
    id: f.id,
    width: W,
    height,
    title: data.title,
    desc: describe(weeks, yLabel),
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-mean',
    body,
  });
}

function describe(weeks: readonly MeanWeek[], yLabel: string): string {
  const withMean = weeks.filter((w) => finite(w.mean));
  const lastFinal = [...withMean].reverse().find((w) => !w.provisional);
  return sentences([
    `Line chart of ${yLabel} with 95% band, ${weeks.length} week${weeks.length === 1 ? '' : 's'}${weeks[0] ? ` from ${weeks[0].week} to ${weeks.at(-1)!.week}` : ''}.`,
    lastFinal &&
      `Latest final week ${lastFinal.week}: mean ${fmtValue(lastFinal.mean!)}${finite(lastFinal.lower) && finite(lastFinal.upper) ? ` (${fmtValue(lastFinal.lower)}–${fmtValue(lastFinal.upper)})` : ''}${finite(lastFinal.median) ? `, median ${fmtValue(lastFinal.median)}` : ''}${finite(lastFinal.p90) ? `, 90th percentile ${fmtValue(lastFinal.p90)}` : ''}.`,
    withMean.length === 0 && 'No week has a mean.',
  ]);
}
