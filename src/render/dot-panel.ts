/**
 * One bucket of one week across groups of installations (program versions,
 * OSes, Go versions): a row per group with its share as a dot and its 95%
 * interval as a whisker, on the panel's own scale from 0 to a rounded
 * maximum. A row without a share (a group of fewer than k installations, a
 * bucket grouped as a small cell in the group) says why in muted text. A
 * provisional week's dots are hollow. Every dot carries a `<title>` with its
 * figures, so the panel reads without scripts; the description is short,
 * since the page gives the figures as a table beside the panels.
 */
import { scaleLinear } from 'd3-scale';
import { clamp01 } from '../lib/clamp.ts';
import { type ChartOptions, FONT_FAMILY, resolveFrame } from './chart.ts';
import { formatPct, formatShareWithInterval } from './format.ts';
import { textWidth, truncateText } from './measure.ts';
import { el, escapeXml, num, svgRoot, text } from './svg.ts';

export interface DotRow {
  /** The group's name, drawn at the left of its row. */
  label: string;
  /** Share in [0, 1]; null when the row has no share (then `note` says why). */
  estimate: number | null;
  lower?: number | null;
  upper?: number | null;
  /** Muted text in place of the dot when there is no share, e.g. "< 10 installations". */
  note?: string;
  /** The dot's hover text (default: label and share with interval). */
  title?: string;
}

export interface DotPanelData {
  /** Accessible name of the panel. */
  title: string;
  rows: readonly DotRow[];
  /** Hollow dots: the week is provisional. */
  provisional?: boolean;
}

const FONT = 11;
const ROW = 18;
/** Widest group label (px) before it is cut with `…`: `other (each n < 10)` fits. */
const MAX_LABEL = 110;

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Returns the SVG markup of one bucket's dots across groups (default 240 px wide). */
export function dotPanel(data: DotPanelData, options: ChartOptions = {}): string {
  const rows = data.rows;
  const height = 6 + Math.max(1, rows.length) * ROW + FONT + 8;
  const f = resolveFrame('dots', data.title, { heading: false, ...options, width: options.width ?? 240 }, () => height);
  const { colours: c, width: W } = f;
  const labelW = Math.min(MAX_LABEL, Math.ceil(Math.max(0, ...rows.map((r) => textWidth(r.label, FONT)))));
  const left = labelW + 8;
  const right = W - 6;
  const top = 6;
  const bottom = top + Math.max(1, rows.length) * ROW;
  const reach = Math.max(0, ...rows.map((r) => Math.max(finite(r.estimate) ? r.estimate : 0, finite(r.upper) ? r.upper : 0)));
  const x = scaleLinear()
    .domain([0, Math.min(1, Math.max(0.01, reach))])
    .nice(3)
    .range([left + 4, right - 4]);
  const xMax = Math.min(1, x.domain()[1]!);
  x.domain([0, xMax]);
  const maxLabel = Number.isInteger(Math.round(xMax * 1e6) / 1e4) ? `${Math.round(xMax * 100)}%` : formatPct(xMax);

  let body = f.theme === 'css' ? '' : el('rect', { width: W, height, fill: c.background });
  let axis = '';
  for (const [v, label, anchor] of [
    [0, '0%', 'start'],
    [xMax, maxLabel, 'end'],
  ] as const) {
    axis += el('line', { x1: x(v), x2: x(v), y1: top, y2: bottom, stroke: v === 0 ? c.axis : c.grid });
    axis += text(label, { x: x(v), y: bottom + FONT + 3, 'text-anchor': anchor, fill: c.muted });
  }
  body += el('g', { class: 'axis', 'font-size': FONT }, axis);

  // Labels and notes sit on their row's middle (0.35em below it at 11 px); anchors and colours are set on their groups.
  let labels = '';
  let notes = '';
  let dots = '';
  rows.forEach((r, i) => {
    const cy = top + i * ROW + ROW / 2;
    const base = num(cy + 4, 1);
    labels += `<text x="${num(labelW)}" y="${base}">${escapeXml(truncateText(r.label, labelW, FONT))}</text>`;
    if (!finite(r.estimate)) {
      if (r.note) notes += `<text x="${num(left + 6)}" y="${base}">${escapeXml(truncateText(r.note, right - left - 6, FONT))}</text>`;
      return;
    }
    const cx = num(x(clamp01(r.estimate)), 1);
    const whisker = finite(r.lower) && finite(r.upper) ? `<path d="M${num(x(clamp01(r.lower)), 1)},${num(cy, 1)}H${num(x(clamp01(r.upper)), 1)}"/>` : '';
    const title = r.title ?? `${r.label}: ${formatShareWithInterval(r.estimate, r.lower, r.upper)}`;
    dots += `<g><title>${escapeXml(title)}</title>${whisker}<circle cx="${cx}" cy="${num(cy, 1)}" r="3.5"/></g>`;
  });
  body += el('g', { class: 'labels', fill: c.text, 'font-size': FONT, 'text-anchor': 'end' }, labels);
  if (notes) body += el('g', { class: 'notes', fill: c.muted, 'font-size': FONT }, notes);
  // Whiskers and dots take their styles from the group; a provisional week's dots are hollow.
  if (dots)
    body += el(
      'g',
      {
        class: data.provisional ? 'dots provisional-point' : 'dots',
        stroke: c.text,
        'stroke-width': 1.5,
        fill: data.provisional ? c.background : c.text,
      },
      dots,
    );

  // The figures are in the dots' titles and in the table the page gives beside the panels; the description says what is drawn.
  const shown = rows.filter((r) => finite(r.estimate)).length;
  const desc = `${shown} of ${rows.length} group${rows.length === 1 ? '' : 's'} with a share, from 0 to ${maxLabel}${data.provisional ? ' (provisional)' : ''}.`;
  return svgRoot({
    id: f.id,
    width: W,
    height,
    title: data.title,
    desc,
    fontFamily: f.theme === 'css' ? null : FONT_FAMILY,
    className: 'chart chart-dots',
    body,
  });
}
