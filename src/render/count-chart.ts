/**
 * Reports per week as vertical bars on a time axis, with a whole-number y
 * axis; provisional weeks (still receiving uploads) are hatched and lighter.
 */
import { scaleLinear } from 'd3-scale';
import { isDay, toDate, toDay } from '../lib/dates.ts';
import { drawXAxis, drawYAxis, integerTicks, maxTickWidth, TICK_FONT, timeTicks, weekScale } from './axis.ts';
import { background, type ChartOptions, FONT_FAMILY, heading, PAD, resolveFrame, sentences } from './chart.ts';
import { formatCount } from './format.ts';
import { legend, type LegendItem } from './legend.ts';
import { truncateText } from './measure.ts';
import { el, svgRoot, text } from './svg.ts';

interface WeekReports {
  week: string;
  count: number;
  provisional?: boolean;
}

export interface CountChartData {
  title: string;
  subtitle?: string;
  weeks: readonly WeekReports[];
  /** Default: "reports per week". */
  yLabel?: string;
}

const LABEL_FONT = 12;
const DAY = 86_400_000;

/** Returns the SVG markup of a bar chart of report counts per week. */
export function countChart(data: CountChartData, options: ChartOptions = {}): string {
  const f = resolveFrame('count', data.title, options, (w) => Math.min(380, Math.max(260, Math.round(w * 0.3 + 140))));
  const { colours: c, width: W } = f;
  for (const d of data.weeks) if (!isDay(d.week)) throw new RangeError(`countChart: not a week name (YYYY-MM-DD): ${JSON.stringify(d.week)}`);
  const weeks = [...data.weeks].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));

  const head = heading(f, data.title, data.subtitle);
  const yLabel = data.yLabel ?? 'reports per week';
  const plotTop = head.height + PAD + LABEL_FONT + 16;
  const xAxisH = 6 + TICK_FONT + 6;
  const hasProvisional = weeks.some((w) => w.provisional);
  const patternId = `${f.id}-hatch`;
  const items: LegendItem[] = hasProvisional
    ? [
        { kind: 'bar', label: 'final', fill: c.count },
        { kind: 'bar', label: 'provisional (uploads still arriving)', fill: c.count, patternId },
      ]
    : [];
  const legendH = legend(items, PAD, 0, W - 2 * PAD, c.text).height;
  const height = Math.max(f.height, plotTop + 80 + xAxisH + (legendH > 0 ? legendH + 8 : 0) + PAD);
  const plotBottom = height - PAD - (legendH > 0 ? legendH + 8 : 0) - xAxisH;

  const max = Math.max(1, ...weeks.map((w) => w.count));
  const y = scaleLinear().domain([0, max]).nice().range([plotBottom, plotTop]);
  const yTicks = integerTicks(y, plotBottom - plotTop, formatCount);
  const plotLeft = PAD + maxTickWidth(yTicks) + 6;
  const plotRight = W - PAD - 4;
  const first = weeks[0] ? +toDate(toDay(weeks[0].week)) : 0;
  const last = weeks.at(-1) ? +toDate(toDay(weeks.at(-1)!.week)) : first;
  const x = weekScale(first, last, plotLeft, plotRight);
  const step = x(new Date(first + 7 * DAY)) - x(new Date(first));
  const barW = Math.max(1, step * (step > 6 ? 0.8 : 0.9));

  let body = background(f, height) + head.svg;
  body += el(
    'defs',
    {},
    el(
      'pattern',
      { id: patternId, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      el('rect', { width: 6, height: 6, fill: c.count, 'fill-opacity': 0.35 }) + el('line', { x1: 0, x2: 0, y1: 0, y2: 6, stroke: c.count, 'stroke-width': 3 }),
    ),
  );
  body += text(truncateText(yLabel, W - 2 * PAD, LABEL_FONT), {
    x: PAD,
    y: head.height + PAD + LABEL_FONT,
    fill: c.muted,
    'font-size': LABEL_FONT,
    class: 'axis-title',
  });
  body += drawYAxis(yTicks, (v) => y(v), plotLeft, plotRight, c);
  if (weeks.length > 0) body += drawXAxis(timeTicks(x, 0, W), (v) => x(new Date(v)), plotBottom, c);
  else
    body += text('no data', { x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2, 'text-anchor': 'middle', fill: c.muted, 'font-size': LABEL_FONT });

  let bars = '';
  for (const w of weeks) {
    const cx = x(toDate(toDay(w.week)));
    const top = y(Math.max(0, w.count));
    bars += el(
      'rect',
      {
        class: w.provisional ? 'bar provisional' : 'bar',
        x: cx - barW / 2,
        y: top,
        width: barW,
        height: plotBottom - top,
        fill: w.provisional ? `url(#${patternId})` : c.count,
      },
      `<title>${w.week}: ${formatCount(w.count)} reports${w.provisional ? ' (provisional)' : ''}</title>`,
    );
  }
  body += el('g', { class: 'bars' }, bars);
  body += legend(items, PAD, plotBottom + xAxisH + 8, W - 2 * PAD, c.text).svg;

  return svgRoot({
    id: f.id,
    width: W,
    height,
    title: data.title,
    desc: describe(weeks, yLabel),
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-count',
    body,
  });
}

function describe(weeks: readonly WeekReports[], yLabel: string): string {
  if (weeks.length === 0) return `Bar chart of ${yLabel}. No data.`;
  const finals = weeks.filter((w) => !w.provisional);
  const lastFinal = finals.at(-1);
  const provisional = weeks.filter((w) => w.provisional);
  const max = weeks.reduce((a, b) => (b.count > a.count ? b : a));
  const min = weeks.reduce((a, b) => (b.count < a.count ? b : a));
  return sentences([
    `Bar chart of ${yLabel}, ${weeks.length} week${weeks.length === 1 ? '' : 's'} from ${weeks[0]!.week} to ${weeks.at(-1)!.week}.`,
    lastFinal && `Latest final week ${lastFinal.week}: ${formatCount(lastFinal.count)} reports.`,
    provisional.length > 0 && `Provisional (uploads still arriving): ${provisional.map((w) => `${w.week} ${formatCount(w.count)}`).join('; ')}.`,
    weeks.length > 1 && `Highest ${formatCount(max.count)} in week ${max.week}; lowest ${formatCount(min.count)} in week ${min.week}.`,
  ]);
}
