/**
 * Colours for charts: a colour-blind-safe categorical palette (Okabe & Ito,
 * "Color Universal Design", 2008) tuned per page theme so every colour keeps
 * at least 3:1 contrast (WCAG 2 non-text contrast) against that theme's
 * background, plus the neutral colours of axes, text and shading.
 *
 * A bucket's style comes from its index in the chart's canonical bucket list
 * (see `orderBuckets`), never from its rank in one week, so it keeps its
 * colour on every page and every week. The series drawn together in one chart
 * never share a colour (`distinctStyles`): a bucket whose colour is taken
 * moves to the first free one. Dashes are never a series style; they mean
 * "provisional" only.
 */

/** `css`: CSS custom properties that the page CSS defines (inline SVG in pages); `light`/`dark`: literal colours (files, PNG). */
export type Theme = 'css' | 'light' | 'dark';
export type LiteralTheme = Exclude<Theme, 'css'>;

/** Page backgrounds the palettes are checked against. */
export const BACKGROUND: Readonly<Record<LiteralTheme, string>> = { light: '#ffffff', dark: '#15171c' };

/**
 * Okabe–Ito in palette order (orange, sky blue, bluish green, yellow, blue,
 * vermillion, reddish purple, black). On white the light hues are darkened
 * (yellow becomes olive); on the dark page blue is lightened and black is
 * replaced by a light grey.
 */
export const CATEGORICAL: Readonly<Record<LiteralTheme, readonly string[]>> = {
  light: ['#b87800', '#2a8fc1', '#009e73', '#8c8600', '#0072b2', '#d55e00', '#bb6898', '#000000'],
  dark: ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#2680c1', '#d55e00', '#cc79a7', '#e0e0e0'],
};

/** The grey of an `other` bucket (and of anything not in the canonical list when asked). */
export const OTHER: Readonly<Record<LiteralTheme, string>> = { light: '#7d8590', dark: '#8b949e' };

/** Neutral roles. `muted` is for secondary text (>= 4.5:1), `axis` for lines (>= 3:1). */
export interface NeutralColours {
  background: string;
  text: string;
  muted: string;
  axis: string;
  grid: string;
  /** Shading behind provisional weeks. */
  provisional: string;
  /** Bars of the reports-per-week chart. */
  count: string;
}

export const NEUTRAL: Readonly<Record<LiteralTheme, NeutralColours>> = {
  light: { background: '#ffffff', text: '#1f2328', muted: '#57606a', axis: '#6e7781', grid: '#e4e7eb', provisional: '#eef1f4', count: '#0072b2' },
  dark: { background: '#15171c', text: '#e6edf3', muted: '#9da7b3', axis: '#8b949e', grid: '#2a2f38', provisional: '#232832', count: '#56b4e9' },
};

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

/** How one series is drawn. `colour` is a literal colour or, for the `css` theme, a `var(...)` of the page CSS. */
export interface SeriesStyle {
  colour: string;
  marker: MarkerShape;
}

/** The CSS custom property that carries palette colour `i` (0..7). */
export function seriesVar(i: number): string {
  return `--chart-series-${i}`;
}

/**
 * The style of palette slot `index`: colour `index % 8`, and past 8 a
 * different point marker per round of 8. Indexes past 31 repeat. `other:
 * true` gives the neutral grey.
 */
export function seriesStyle(index: number, theme: Theme, other = false): SeriesStyle {
  if (other) return { colour: theme === 'css' ? 'var(--chart-other)' : OTHER[theme], marker: 'circle' };
  const i = ((index % SLOTS) + SLOTS) % SLOTS;
  const c = i % 8;
  const colour = theme === 'css' ? `var(${seriesVar(c)})` : CATEGORICAL[theme][c]!;
  return { colour, marker: MARKERS[Math.floor(i / 8)]! };
}

const SLOTS = 8 * MARKERS.length;

/** The neutral style of a bucket that is not one of a chart's highlighted series. */
export function neutralStyle(theme: Theme): SeriesStyle {
  return seriesStyle(0, theme, true);
}

/** True for a bucket drawn in the neutral grey: `other`, and small-cell groups such as `other (each < 10)`. */
function isOtherBucket(bucket: string): boolean {
  const b = bucket.toLowerCase();
  return b === 'other' || b.startsWith('other (');
}

/**
 * The style of `bucket` given the chart's canonical bucket list: its index
 * there; a bucket missing from the list comes after it, in the order given by
 * `extras` (the missing buckets in display order), so output stays
 * deterministic. `other` is grey.
 */
export function bucketStyle(bucket: string, canonical: readonly string[], theme: Theme, extras: readonly string[] = []): SeriesStyle {
  if (isOtherBucket(bucket)) return seriesStyle(0, theme, true);
  return seriesStyle(canonicalIndex(bucket, canonical, extras), theme);
}

function canonicalIndex(bucket: string, canonical: readonly string[], extras: readonly string[]): number {
  const i = canonical.indexOf(bucket);
  return i >= 0 ? i : canonical.length + Math.max(extras.indexOf(bucket), 0);
}

/**
 * Styles for `buckets` drawn together in one chart, aligned with them: no two
 * share a colour while there are at most 8 (past 8, no two share colour and
 * marker). A bucket keeps the colour of its canonical index when it is free;
 * buckets earlier in the canonical list choose first, and a bucket whose
 * colour is taken gets the first free one, so a chart of at most 8 buckets
 * looks the same on every page. `other` buckets are grey.
 */
export function distinctStyles(buckets: readonly string[], canonical: readonly string[], theme: Theme, extras: readonly string[] = []): SeriesStyle[] {
  const out: SeriesStyle[] = buckets.map(() => seriesStyle(0, theme, true));
  const order = buckets
    .map((b, k) => ({ k, i: canonicalIndex(b, canonical, extras), other: isOtherBucket(b) }))
    .filter((e) => !e.other)
    .sort((a, b) => a.i - b.i || a.k - b.k);
  const used = new Set<number>();
  for (const e of order) {
    let slot = ((e.i % 8) + 8) % 8;
    for (let round = 0; used.has(slot) && round < MARKERS.length; round++) {
      const free = Array.from({ length: 8 }, (_, c) => round * 8 + c).find((s) => !used.has(s));
      if (free !== undefined) slot = free;
    }
    used.add(slot);
    out[e.k] = seriesStyle(slot, theme);
  }
  return out;
}

/**
 * Neutral role colours for a theme; for `css`, the custom properties that
 * `chartThemeCss()` defines on every page (without fallbacks: inline charts
 * only appear on pages that carry the site's CSS, and the bytes add up).
 */
export function neutral(theme: Theme): NeutralColours {
  if (theme !== 'css') return NEUTRAL[theme];
  return {
    background: 'var(--chart-background)',
    text: 'var(--chart-text)',
    muted: 'var(--chart-muted)',
    axis: 'var(--chart-axis)',
    grid: 'var(--chart-grid)',
    provisional: 'var(--chart-provisional)',
    count: 'var(--chart-count)',
  };
}

function declarations(theme: LiteralTheme): string {
  const n = NEUTRAL[theme];
  const lines = [
    `--chart-background:${n.background}`,
    `--chart-text:${n.text}`,
    `--chart-muted:${n.muted}`,
    `--chart-axis:${n.axis}`,
    `--chart-grid:${n.grid}`,
    `--chart-provisional:${n.provisional}`,
    `--chart-count:${n.count}`,
    `--chart-other:${OTHER[theme]}`,
    ...CATEGORICAL[theme].map((c, i) => `${seriesVar(i)}:${c}`),
  ];
  return lines.join(';');
}

/**
 * CSS that defines the custom properties used by `theme: 'css'` charts, for
 * the site's stylesheet: light values on `:root`, dark values under
 * `prefers-color-scheme: dark` and on `[data-theme="dark"]`.
 */
export function chartThemeCss(): string {
  return (
    `:root{${declarations('light')}}\n` +
    `@media (prefers-color-scheme: dark){:root:not([data-theme="light"]){${declarations('dark')}}}\n` +
    `[data-theme="dark"]{${declarations('dark')}}\n`
  );
}

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const lin = (h: string) => {
    const v = parseInt(h, 16) / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(m[1]!) + 0.7152 * lin(m[2]!) + 0.0722 * lin(m[3]!);
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
