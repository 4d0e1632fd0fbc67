/**
 * A word-sized line of counts per week, for table rows: no axes, its own
 * data range (0 to the largest count), a dot on the last week, a gap where a
 * week has no figure. About 300 bytes, so a table can carry one per row. The
 * label is the accessible name; counts and weeks are in the row's text.
 */
import { el, num } from './svg.ts';

export interface MicrolineData {
  /** Counts per week, oldest first; null for a week without a figure. */
  values: readonly (number | null)[];
  /** The accessible name, e.g. "installations per week, 2026-05-03 to 2026-11-15: peak 12". */
  label: string;
}

const W = 72;
const H = 18;
const PADDING = 2;

/** The SVG markup of a microline; colours come from the page (currentColor). */
export function microline(data: MicrolineData): string {
  const n = data.values.length;
  const max = Math.max(1, ...data.values.map((v) => v ?? 0));
  const x = (i: number) => (n <= 1 ? W / 2 : PADDING + (i * (W - 2 * PADDING)) / (n - 1));
  const y = (v: number) => H - PADDING - (v / max) * (H - 2 * PADDING);
  let d = '';
  let pen = false;
  data.values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${num(x(i), 1)},${num(y(v), 1)}`;
    pen = true;
  });
  const lastIndex = data.values.length - 1;
  const last = data.values[lastIndex];
  const dot = last === null || last === undefined ? '' : el('circle', { cx: num(x(lastIndex), 1), cy: num(y(last), 1), r: 2, fill: 'currentColor' });
  return el(
    'svg',
    { class: 'microline', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': data.label },
    el('path', { d, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.25 }) + dot,
  );
}
