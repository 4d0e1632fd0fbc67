/** Point markers and change markers as SVG path data (no font glyphs, so PNGs need no symbol font). */
import type { MarkerShape } from './palette.ts';
import { num } from './svg.ts';

/** Path data for a marker of `shape` centred on (x, y) with radius `r` (equal visual area across shapes). */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  switch (shape) {
    case 'circle':
      return `M${num(x - r)},${num(y)}a${num(r)},${num(r)} 0 1,0 ${num(2 * r)},0a${num(r)},${num(r)} 0 1,0 ${num(-2 * r)},0Z`;
    case 'square': {
      const s = r * 0.886;
      return `M${num(x - s)},${num(y - s)}h${num(2 * s)}v${num(2 * s)}h${num(-2 * s)}Z`;
    }
    case 'triangle': {
      const s = r * 1.3;
      return `M${num(x)},${num(y - s)}L${num(x + s * 0.866)},${num(y + s * 0.5)}L${num(x - s * 0.866)},${num(y + s * 0.5)}Z`;
    }
    case 'diamond': {
      const s = r * 1.25;
      return `M${num(x)},${num(y - s)}L${num(x + s)},${num(y)}L${num(x)},${num(y + s)}L${num(x - s)},${num(y)}Z`;
    }
  }
}

/** ▲ (up) or ▼ (down) with its base at distance `offset` from (x, y), pointing away from the point. */
export function changeMarkerPath(direction: 'up' | 'down', x: number, y: number, size: number, offset: number): string {
  const h = size * 0.866;
  if (direction === 'up') {
    const base = y - offset;
    return `M${num(x)},${num(base - h)}L${num(x + size / 2)},${num(base)}L${num(x - size / 2)},${num(base)}Z`;
  }
  const base = y + offset;
  return `M${num(x)},${num(base + h)}L${num(x + size / 2)},${num(base)}L${num(x - size / 2)},${num(base)}Z`;
}
