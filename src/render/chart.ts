/** Options and frame pieces shared by every chart. */
import { truncateText, wrapText } from './measure.ts';
import { neutral, type NeutralColours, type Theme } from './palette.ts';
import { el, hashId, safeId, text } from './svg.ts';

/**
 * Pages use the system UI font; resvg finds none of the named ones (it loads
 * only the bundled DejaVu files) and falls through to `sans-serif`, which
 * `svgToPng` maps to DejaVu Sans.
 */
export const FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

export interface ChartOptions {
  /** Width in px (default 720). Render at the width the chart is shown: text does not grow when scaled. */
  width?: number;
  /** Total height in px including heading and legend (a default follows from the width). */
  height?: number;
  /** `css` (default) for inline SVG themed by the page's custom properties; `light`/`dark` for files and PNG. */
  theme?: Theme;
  /** Id of the `<svg>`, prefix of inner ids; must be unique on a page. Default: a hash of the chart's title and kind. */
  id?: string;
  /** Draw the title (and subtitle) inside the SVG. Default: true for `light`/`dark` (standalone files), false for `css`. */
  heading?: boolean;
}

export interface Frame {
  width: number;
  height: number;
  theme: Theme;
  id: string;
  heading: boolean;
  colours: NeutralColours;
}

const TITLE_FONT = 15;
const SUBTITLE_FONT = 12;
export const PAD = 12;

/** Resolves options to concrete values; `kind` and `title` seed the default id. */
export function resolveFrame(kind: string, title: string, o: ChartOptions, defaultHeight: (width: number) => number): Frame {
  const width = Math.max(40, Math.round(o.width ?? 720));
  const theme = o.theme ?? 'css';
  return {
    width,
    height: Math.max(16, Math.round(o.height ?? defaultHeight(width))),
    theme,
    id: safeId(o.id ?? `${kind}-${hashId(`${kind}\u0000${title}`)}`),
    heading: o.heading ?? theme !== 'css',
    colours: neutral(theme),
  };
}

/** A full-size background for standalone themes (files and PNG are not transparent); none for `css`. */
export function background(f: Frame, height: number): string {
  return f.theme === 'css' ? '' : el('rect', { width: f.width, height, fill: f.colours.background });
}

/** The visible title and subtitle; returns the markup and the height used (0 when headings are off). */
export function heading(f: Frame, title: string, subtitle: string | undefined): { svg: string; height: number } {
  if (!f.heading) return { svg: '', height: 0 };
  const max = f.width - 2 * PAD;
  let svg = '';
  let height = PAD;
  for (const line of wrapText(title, max, TITLE_FONT, true, 2)) {
    svg += text(line, { x: PAD, y: height + TITLE_FONT, 'font-size': TITLE_FONT, 'font-weight': 'bold', fill: f.colours.text });
    height += TITLE_FONT + 4;
  }
  height += 2;
  if (subtitle) {
    svg += text(truncateText(subtitle, max, SUBTITLE_FONT), { x: PAD, y: height + SUBTITLE_FONT, 'font-size': SUBTITLE_FONT, fill: f.colours.muted });
    height += SUBTITLE_FONT + 6;
  }
  return { svg: el('g', { class: 'heading' }, svg), height: height + 6 };
}

/** Joins summary sentences for `<desc>`. */
export function sentences(parts: readonly (string | null | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' ');
}

/** Lists at most `max` items, then "and N more". */
export function listSome(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join('; ');
  return `${items.slice(0, max).join('; ')}; and ${items.length - max} more`;
}
