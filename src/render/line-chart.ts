/**
 * Share of reporting installations per bucket over week bins: one line per
 * bucket (each its own colour) with its 95% interval band, provisional weeks
 * apart from the final ones (dashed, hollow points, over a shaded region),
 * ▲/▼ at flagged changes, and end-of-line labels of the latest final week
 * dodged apart (or a legend when the chart is too narrow or crowded). Every
 * point carries a `<title>` with its figures, for hovering without scripts.
 */
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { clamp01 } from '../lib/clamp.ts';
import { addDays, type Day, isDay, toDate, toDay } from '../lib/dates.ts';
import { drawXAxis, drawYAxis, maxTickWidth, percentTicks, TICK_FONT, timeTicks, weekFrame, weekScale } from './axis.ts';
import { background, type ChartOptions, FONT_FAMILY, heading, listSome, PAD, resolveFrame, sentences } from './chart.ts';
import { formatCount, formatPct, formatShareWithInterval } from './format.ts';
import { dodge } from './labels.ts';
import { legend, type LegendItem } from './legend.ts';
import { changeMarkerPath, markerPath } from './marks.ts';
import { textWidth, truncateText } from './measure.ts';
import { distinctStyles, type SeriesStyle } from './palette.ts';
import { el, escapeXml, num, svgRoot, text } from './svg.ts';
import type { ChangeMarker, LineSeries, WeekEstimate } from './types.ts';

export interface LineChartData {
  title: string;
  /** Shown under the title when headings are drawn. */
  subtitle?: string;
  series: readonly LineSeries[];
  /** The chart's canonical bucket list (colours follow the index here); default: the series order. */
  buckets?: readonly string[];
  /**
   * The buckets coloured on the page (a superset of the series), so that a
   * narrower variant drawing fewer series keeps each one's colour; the
   * series never share a colour while there are at most 8 of these.
   */
  coloured?: readonly string[];
  /** Extra weeks for the x axis (e.g. every week on the page), so series share one time range. */
  weeks?: readonly string[];
  /** First provisional week; it and every later week are drawn as provisional. */
  provisionalFrom?: string | null;
  changes?: readonly ChangeMarker[];
  /** Default: "share of reporting installations (%)". */
  yLabel?: string;
  /** `full` (default): 0–100 %; `auto`: 0 to a rounded maximum of the data. */
  yDomain?: 'full' | 'auto';
}

const LABEL_FONT = 12;
const LABEL_GAP = 15;
/** Decimals of line and band coordinates: 0.1 px is invisible and keeps inline charts small. */
const PATH_DIGITS = 1;

interface Prepared {
  s: LineSeries;
  label: string;
  style: SeriesStyle;
  /** Aligned with the week grid; undefined where the week has no estimate. */
  values: (WeekEstimate | undefined)[];
  /** The point the end label names: the latest final week with data, else the latest week. */
  last: { i: number; p: WeekEstimate } | null;
}

/** A point's hover text: bucket, week, share with interval, eligible reports (n). */
export function pointTitle(label: string, p: WeekEstimate, provisional: boolean): string {
  const n = typeof p.n === 'number' ? `, n = ${formatCount(p.n)}` : '';
  return `${label} · ${p.week}${provisional ? ' (provisional)' : ''}: ${formatShareWithInterval(p.estimate!, p.lower, p.upper)}${n}`;
}

function checkWeek(w: string): Day {
  if (!isDay(w)) throw new RangeError(`lineChart: not a week name (YYYY-MM-DD): ${JSON.stringify(w)}`);
  return w;
}

/** Every 7th day from the first to the last week, plus any off-grid week given (so gaps are explicit). */
function weekGrid(weeks: readonly string[]): Day[] {
  const sorted = [...new Set(weeks.map(checkWeek))].sort();
  if (sorted.length === 0) return [];
  const grid = new Set<Day>();
  for (let w = sorted[0]!; w <= sorted.at(-1)!; w = addDays(w, 7)) grid.add(w);
  for (const w of sorted) grid.add(w);
  return [...grid].sort();
}

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Returns the SVG markup of a line chart of shares over weeks. */
export function lineChart(data: LineChartData, options: ChartOptions = {}): string {
  const f = resolveFrame('line', data.title, options, (w) => Math.min(480, Math.max(300, Math.round(w * 0.5 + 120))));
  const { colours: c, width: W } = f;

  const grid = weekGrid([...(data.weeks ?? []), ...data.series.flatMap((s) => s.points.map((p) => p.week))]);
  const index = new Map<string, number>(grid.map((w, i) => [w, i]));
  const provisionalFrom = data.provisionalFrom ? checkWeek(data.provisionalFrom) : null;
  const isProvisional = (i: number) => provisionalFrom !== null && grid[i]! >= provisionalFrom;

  const canonical = data.buckets ?? data.series.map((s) => s.bucket);
  const extras = data.series.map((s) => s.bucket).filter((b) => !canonical.includes(b));
  const palette = [...new Set([...(data.coloured ?? []), ...data.series.map((s) => s.bucket)])];
  const paletteStyles = distinctStyles(palette, canonical, f.theme, extras);
  const styles = data.series.map((s) => paletteStyles[palette.indexOf(s.bucket)]!);
  const prepared: Prepared[] = data.series.map((s, k) => {
    const values = new Array<WeekEstimate | undefined>(grid.length).fill(undefined);
    for (const p of s.points) if (finite(p.estimate)) values[index.get(p.week)!] = p;
    let last: Prepared['last'] = null;
    for (let i = values.length - 1; i >= 0 && !last; i--) if (values[i] && !isProvisional(i)) last = { i, p: values[i]! };
    for (let i = values.length - 1; i >= 0 && !last; i--) if (values[i]) last = { i, p: values[i]! };
    return { s, label: s.label ?? s.bucket, style: styles[k]!, values, last };
  });

  // Vertical layout: heading, axis title, plot, x-axis labels, legend.
  const head = heading(f, data.title, data.subtitle);
  const yLabel = data.yLabel ?? 'share of reporting installations (%)';
  const plotTop = head.height + PAD + LABEL_FONT + 14;
  const xAxisH = 6 + TICK_FONT + 6;

  const maxValue = Math.max(0, ...prepared.flatMap((p) => p.values.map((v) => (v ? Math.max(v.estimate!, finite(v.upper) ? v.upper : 0) : 0))));
  const y = scaleLinear().domain([0, data.yDomain === 'auto' ? Math.min(1, Math.max(0.01, maxValue * 1.05)) : 1]);
  if (data.yDomain === 'auto') y.nice();

  const hasProvisional = provisionalFrom !== null && grid.some((_, i) => isProvisional(i));
  const hasBands = prepared.some((p) => p.values.some((v) => v && finite(v.lower) && finite(v.upper)));
  const changes = (data.changes ?? []).filter((m) => index.has(m.week));
  const keyItems: LegendItem[] = [];
  const keyColour = c.muted;
  if (hasBands) keyItems.push({ kind: 'band', label: '95% interval', colour: keyColour });
  if (hasProvisional) keyItems.push({ kind: 'region', label: 'provisional (uploads still arriving)', fill: c.provisional, stroke: keyColour });
  if (changes.length > 0) keyItems.push({ kind: 'change', label: 'significant change', colour: keyColour });

  // End labels need horizontal room and enough height for one row per series.
  const endLabelText = (p: Prepared) => (p.last ? `${p.label} ${formatPct(p.last.p.estimate!)}` : p.label);
  const labelMax = Math.min(220, Math.round(W * 0.28));
  const labelled = prepared.filter((p) => p.last);
  const labelWidth = Math.min(labelMax, Math.max(0, ...labelled.map((p) => textWidth(endLabelText(p), LABEL_FONT))));
  const plotHeightWith = (legendH: number) => f.height - PAD - (legendH > 0 ? legendH + 8 : 0) - xAxisH - plotTop;
  const keyOnly = legend(keyItems, PAD, 0, W - 2 * PAD, c.text);
  let useEndLabels = W >= 520 && labelled.length > 0 && labelled.length * LABEL_GAP <= plotHeightWith(keyOnly.height) + 8;
  const seriesItems: LegendItem[] = useEndLabels
    ? []
    : prepared.map((p) => ({ kind: 'series', label: p.label, colour: p.style.colour, marker: p.style.marker }));
  const legendItems = [...seriesItems, ...keyItems];
  const legendH = legend(legendItems, PAD, 0, W - 2 * PAD, c.text).height;
  // Without a given height the plot gets a height suited to the width; a given height is kept unless the plot would be too short.
  const wantPlot = options.height === undefined ? Math.min(340, Math.max(170, Math.round(W * 0.42))) : 80;
  let height = f.height;
  if (options.height === undefined || plotHeightWith(legendH) < wantPlot) height += wantPlot - plotHeightWith(legendH);
  const plotBottom = height - PAD - (legendH > 0 ? legendH + 8 : 0) - xAxisH;
  useEndLabels &&= labelled.length * LABEL_GAP <= plotBottom - plotTop + 8;

  const yTicks = percentTicks(y, plotBottom - plotTop);
  const plotLeft = PAD + maxTickWidth(yTicks) + 6;
  const plotRight = W - PAD - (useEndLabels ? labelWidth + 17 : 4);
  y.range([plotBottom, plotTop]);

  const first = grid[0] ?? toDay('1970-01-04');
  const lastWeek = grid.at(-1) ?? first;
  const x = weekScale(+toDate(first), +toDate(lastWeek), plotLeft, plotRight);
  const xw = (i: number) => x(toDate(grid[i]!));
  const step = grid.length > 1 ? (plotRight - plotLeft) / ((+toDate(lastWeek) - +toDate(first)) / (7 * 86_400_000) + 1) : plotRight - plotLeft;
  const showAllPoints = step >= 16;

  let body = background(f, height) + head.svg;
  const titleY = head.height + PAD + LABEL_FONT;
  const yTitle = truncateText(yLabel, W - 2 * PAD, LABEL_FONT);
  body += text(yTitle, { x: PAD, y: titleY, fill: c.muted, 'font-size': LABEL_FONT, class: 'axis-title' });

  // Provisional region, from half a week before the first provisional week to the right edge,
  // named above the plot (beside the axis title) where no data is drawn.
  if (hasProvisional) {
    const i0 = grid.findIndex((_, i) => isProvisional(i));
    const rx = Math.max(plotLeft, xw(i0) - step / 2);
    const room = plotRight - (PAD + textWidth(yTitle, LABEL_FONT) + 12);
    const name = ['provisional', 'prov.'].find((n) => textWidth(n, TICK_FONT) <= room);
    body += el(
      'g',
      { class: 'provisional' },
      el('rect', { x: rx, y: plotTop, width: plotRight - rx, height: plotBottom - plotTop, fill: c.provisional }) +
        (name ? text(name, { x: plotRight, y: titleY, 'text-anchor': 'end', fill: c.muted, 'font-size': TICK_FONT }) : ''),
    );
  }

  body += drawYAxis(yTicks, (v) => y(v), plotLeft, plotRight, c);
  if (grid.length > 0) body += drawXAxis(timeTicks(x, 0, W), (v) => x(new Date(v)), plotBottom, c);
  if (prepared.every((p) => !p.last))
    body += text('no data', { x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2, 'text-anchor': 'middle', fill: c.muted, 'font-size': LABEL_FONT });

  // Bands under all lines; then lines; then points and markers on top.
  const yv = (v: number) => y(clamp01(v));
  let bands = '';
  let lines = '';
  let points = '';
  for (const [k, p] of prepared.entries()) {
    const { colour, marker } = p.style;
    const cls = `series series-${k}`;
    const hasInterval = (v: WeekEstimate | undefined): v is WeekEstimate => !!v && finite(v.lower) && finite(v.upper);
    // Final and provisional weeks get separate bands, so the provisional ones stand apart.
    const bandOf = (part: (i: number) => boolean) =>
      area<WeekEstimate | undefined>()
        .digits(PATH_DIGITS)
        .defined((v, i) => hasInterval(v) && part(i))
        .x((_, i) => xw(i))
        .y0((v) => yv(v!.upper!))
        .y1((v) => yv(v!.lower!))(p.values);
    const bandPath = [bandOf((i) => !isProvisional(i)), hasProvisional ? bandOf(isProvisional) : null].filter(Boolean).join('');
    let whiskers = '';
    p.values.forEach((v, i) => {
      // A lone interval has no area to fill: show it as a whisker.
      if (hasInterval(v) && !hasInterval(p.values[i - 1]) && !hasInterval(p.values[i + 1]))
        whiskers += el('line', { x1: xw(i), x2: xw(i), y1: yv(v.lower!), y2: yv(v.upper!), stroke: colour, 'stroke-opacity': 0.45, 'stroke-width': 3 });
    });
    if (bandPath) bands += el('path', { class: `band ${cls}`, d: bandPath, fill: colour, 'fill-opacity': 0.2 });
    bands += whiskers;

    const solid = line<WeekEstimate | undefined>()
      .digits(PATH_DIGITS)
      .defined((v, i) => !!v && (provisionalFrom === null || !isProvisional(i)))
      .x((_, i) => xw(i))
      .y((v) => yv(v!.estimate!))(p.values);
    const dashed = line<WeekEstimate | undefined>()
      .digits(PATH_DIGITS)
      .defined((v, i) => !!v && isProvisional(i))
      .x((_, i) => xw(i))
      .y((v) => yv(v!.estimate!))(p.values);
    if (solid)
      lines += el('path', {
        class: `line ${cls}`,
        d: solid,
        fill: 'none',
        stroke: colour,
        'stroke-width': 2,
        'stroke-linejoin': 'round',
        'stroke-linecap': 'round',
      });
    if (dashed && provisionalFrom !== null && p.values.some((v, i) => v && isProvisional(i)))
      lines += el('path', {
        class: `line provisional-line ${cls}`,
        d: dashed,
        fill: 'none',
        stroke: colour,
        'stroke-width': 2,
        'stroke-dasharray': '4 3',
        'stroke-linejoin': 'round',
      });

    // One element per point, for its <title>; final circles are zero-length segments with a round cap, styled by their group.
    let provPts = '';
    const finalPts = new Map<number, string>();
    p.values.forEach((v, i) => {
      if (!v) return;
      const px = xw(i);
      const py = yv(v.estimate!);
      const title = `<title>${escapeXml(pointTitle(p.label, v, isProvisional(i)))}</title>`;
      if (isProvisional(i)) {
        provPts += `<path d="${markerPath(marker, px, py, 3.5)}">${title}</path>`;
        return;
      }
      const isolated = !p.values[i - 1] && !p.values[i + 1];
      if (!(showAllPoints || isolated || i === p.last?.i)) return;
      const r = showAllPoints || isolated ? 3 : 2.5;
      const d = marker === 'circle' ? `M${num(px, PATH_DIGITS)},${num(py, PATH_DIGITS)}h0` : markerPath(marker, px, py, r);
      finalPts.set(r, `${finalPts.get(r) ?? ''}<path d="${d}">${title}</path>`);
    });
    let pts = provPts ? el('g', { class: 'point provisional-point', fill: c.provisional, stroke: colour, 'stroke-width': 1.5 }, provPts) : '';
    for (const [r, paths] of finalPts)
      pts +=
        marker === 'circle'
          ? el('g', { class: 'point', fill: 'none', stroke: colour, 'stroke-width': 2 * r, 'stroke-linecap': 'round' }, paths)
          : el('g', { class: 'point', fill: colour }, paths);
    points += el('g', { class: cls }, pts);
  }

  // Change markers point away from the line, outlined in the background colour to stand off it.
  let marks = '';
  const byBucket = new Map(prepared.map((p) => [p.s.bucket, p]));
  for (const m of changes) {
    const p = byBucket.get(m.bucket);
    const v = p?.values[index.get(m.week)!];
    if (!p || !v) continue;
    const tip = `${p.label}: significant ${m.direction === 'up' ? 'increase' : 'decrease'} in week ${m.week}${m.note ? ` (${m.note})` : ''}`;
    marks += el(
      'path',
      {
        class: `change change-${m.direction}`,
        d: changeMarkerPath(m.direction, xw(index.get(m.week)!), yv(v.estimate!), 10, 6),
        fill: p.style.colour,
        stroke: c.background,
        'stroke-width': 1,
      },
      `<title>${escapeXml(tip)}</title>`,
    );
  }

  // End-of-line labels, dodged to keep LABEL_GAP apart, with a leader line when moved.
  let labels = '';
  if (useEndLabels) {
    const targets = labelled.map((p) => yv(p.last!.p.estimate!));
    const placed = dodge(targets, LABEL_GAP, plotTop, plotBottom);
    labelled.forEach((p, k) => {
      const ty = targets[k]!;
      const ly = placed[k]!;
      const moved = Math.abs(ly - ty) > 0.5;
      let g = '';
      if (moved)
        g += el('path', {
          d: `M${num(plotRight + 2)},${num(ty)}L${num(plotRight + 12)},${num(ly)}`,
          fill: 'none',
          stroke: p.style.colour,
          'stroke-width': 1,
          class: 'leader',
        });
      g += text(truncateText(endLabelText(p), labelWidth, LABEL_FONT), { x: plotRight + 15, y: ly, dy: '0.35em', fill: c.text, 'font-size': LABEL_FONT });
      labels += el('g', { class: `end-label series-${prepared.indexOf(p)}` }, g);
    });
  }

  const frame = weekFrame(
    { left: plotLeft, top: plotTop, right: plotRight, bottom: plotBottom },
    grid,
    grid.map((_, i) => xw(i)),
    prepared.map((p) => p.s.bucket),
  );
  body +=
    el('g', { class: 'bands' }, bands) +
    el('g', { class: 'lines' }, lines) +
    el('g', { class: 'points' }, points) +
    el('g', { class: 'changes' }, marks) +
    labels +
    frame;
  body += legend(legendItems, PAD, plotBottom + xAxisH + 8, W - 2 * PAD, c.text).svg;

  return svgRoot({
    id: f.id,
    width: W,
    height,
    title: data.title,
    desc: describe(data, grid, prepared, provisionalFrom, changes),
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-line',
    body,
  });
}

function describe(
  data: LineChartData,
  grid: readonly string[],
  prepared: readonly Prepared[],
  provisionalFrom: string | null,
  changes: readonly ChangeMarker[],
): string {
  if (grid.length === 0 || prepared.every((p) => !p.last))
    return sentences([`Line chart of ${data.yLabel ?? 'share of reporting installations'} by week.`, 'No data.']);
  const lastWeek = grid.at(-1)!;
  // The week the end labels name: the newest week of any series' label point.
  const named = prepared.reduce((w, p) => (p.last && grid[p.last.i]! > w ? grid[p.last.i]! : w), '');
  const latest = prepared
    .filter((p) => p.last)
    .map((p) => {
      const v = p.last!.p;
      const when = grid[p.last!.i] === named ? '' : ` in week ${grid[p.last!.i]}`;
      return `${p.label} ${formatShareWithInterval(v.estimate!, v.lower, v.upper)}${when}`;
    });
  const gaps = prepared.filter((p) => p.last && p.values.some((v, i) => !v && i < p.last!.i && p.values.slice(0, i).some(Boolean)));
  const labels = new Map(prepared.map((p) => [p.s.bucket, p.label]));
  return sentences([
    `Line chart of ${(data.yLabel ?? 'share of reporting installations').replace(/\s*\(%\)$/, '')} by week, ${grid.length} week${grid.length === 1 ? '' : 's'} from ${grid[0]} to ${lastWeek}, ${prepared.length} bucket${prepared.length === 1 ? '' : 's'}, with 95% intervals.`,
    `${provisionalFrom !== null && named >= provisionalFrom ? `Latest week ${named} (provisional)` : provisionalFrom !== null && lastWeek >= provisionalFrom ? `Latest final week ${named}` : `Latest week ${named}`}: ${listSome(latest, 12)}.`,
    provisionalFrom !== null && lastWeek >= provisionalFrom && `Weeks from ${provisionalFrom} are provisional: uploads are still arriving.`,
    gaps.length > 0 &&
      `Some weeks have no data for ${listSome(
        gaps.map((p) => p.label),
        5,
      )}.`,
    changes.length > 0 &&
      `Significant changes: ${listSome(
        changes.map((m) => `${labels.get(m.bucket) ?? m.bucket} ${m.direction} in week ${m.week}${m.note ? ` (${m.note})` : ''}`),
        8,
      )}.`,
  ]);
}
