/** A legend laid out in rows that wrap at the chart's width. */
import { changeMarkerPath, markerPath } from './marks.ts';
import { textWidth, truncateText } from './measure.ts';
import type { MarkerShape } from './palette.ts';
import { el, num, text } from './svg.ts';

const LEGEND_FONT = 12;
const ROW = 20;
const SWATCH = 24;
const SWATCH_GAP = 6;
const ITEM_GAP = 16;

export type LegendItem =
  | { kind: 'series'; label: string; colour: string; marker: MarkerShape }
  | { kind: 'band'; label: string; colour: string }
  | { kind: 'whisker'; label: string; colour: string }
  /** Shaded provisional weeks, with a dashed line and hollow point in `stroke`. */
  | { kind: 'region'; label: string; fill: string; stroke: string }
  | { kind: 'change'; label: string; colour: string }
  | { kind: 'bar'; label: string; fill: string; patternId?: string; stroke?: string }
  | { kind: 'marker'; label: string; colour: string; shape: MarkerShape; hollow: boolean; background: string };

function swatch(item: LegendItem, x: number, cy: number): string {
  switch (item.kind) {
    case 'series':
      return (
        el('line', { x1: x, x2: x + SWATCH, y1: cy, y2: cy, stroke: item.colour, 'stroke-width': 2 }) +
        el('path', { d: markerPath(item.marker, x + SWATCH / 2, cy, 3.5), fill: item.colour })
      );
    case 'band':
      return (
        el('rect', { x, y: cy - 6, width: SWATCH, height: 12, fill: item.colour, 'fill-opacity': 0.22 }) +
        el('line', { x1: x, x2: x + SWATCH, y1: cy, y2: cy, stroke: item.colour, 'stroke-width': 2 })
      );
    case 'whisker':
      return el('path', {
        d: `M${num(x + 2)},${num(cy)}H${num(x + SWATCH - 2)}M${num(x + 2)},${num(cy - 5)}V${num(cy + 5)}M${num(x + SWATCH - 2)},${num(cy - 5)}V${num(cy + 5)}`,
        fill: 'none',
        stroke: item.colour,
        'stroke-width': 1.5,
      });
    case 'region':
      return (
        el('rect', { x, y: cy - 8, width: SWATCH, height: 16, fill: item.fill }) +
        el('line', { x1: x + 2, x2: x + SWATCH - 2, y1: cy, y2: cy, stroke: item.stroke, 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }) +
        el('path', { d: markerPath('circle', x + SWATCH / 2, cy, 3), fill: item.fill, stroke: item.stroke, 'stroke-width': 1.5 })
      );
    case 'change':
      return el('path', { d: changeMarkerPath('up', x + 6, cy + 4, 9, 0) + changeMarkerPath('down', x + 18, cy - 4, 9, 0), fill: item.colour });
    case 'bar':
      return el('rect', {
        x,
        y: cy - 6,
        width: SWATCH,
        height: 12,
        fill: item.patternId ? `url(#${item.patternId})` : item.fill,
        stroke: item.stroke,
        'stroke-width': item.stroke ? 1.5 : undefined,
      });
    case 'marker':
      return el('path', {
        d: markerPath(item.shape, x + SWATCH / 2, cy, 4),
        fill: item.hollow ? item.background : item.colour,
        stroke: item.colour,
        'stroke-width': 1.5,
      });
  }
}

/** Renders `items` from (x, y) (top-left) within `width`; returns the markup and the height used. */
export function legend(items: readonly LegendItem[], x: number, y: number, width: number, textColour: string): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  let out = '';
  let cx = x;
  let row = 0;
  const maxLabel = Math.max(20, width - SWATCH - SWATCH_GAP);
  for (const item of items) {
    const label = truncateText(item.label, maxLabel, LEGEND_FONT);
    const w = SWATCH + SWATCH_GAP + textWidth(label, LEGEND_FONT);
    if (cx > x && cx + w > x + width) {
      row++;
      cx = x;
    }
    const cy = y + row * ROW + ROW / 2;
    out += el(
      'g',
      { class: 'legend-item' },
      swatch(item, cx, cy) + text(label, { x: cx + SWATCH + SWATCH_GAP, y: cy, dy: '0.35em', fill: textColour, 'font-size': LEGEND_FONT }),
    );
    cx += w + ITEM_GAP;
  }
  return { svg: el('g', { class: 'legend' }, out), height: (row + 1) * ROW };
}
