/**
 * Every URL the site links to, built from the configured base path so the
 * site works under a GitHub Pages project URL (`/repo/`) as well as at `/`.
 * Stable URLs use the slugs from index.json and week names (the bin's Sunday).
 */

/** The base path with exactly one trailing slash, e.g. `/` or `/telemetry/`. */
// Astro sets import.meta.env; the file writer (src/site/files.ts) runs outside it, with TELEMETRY_BASE.
const BASE: string = (import.meta.env?.BASE_URL ?? process.env.TELEMETRY_BASE ?? '/').replace(/\/*$/, '/');

/** A site path (no leading slash) under the base: `href('methodology/')` -> `/telemetry/methodology/`. */
export function href(path = ''): string {
  return BASE + path.replace(/^\/+/, '');
}

interface Slugged {
  slug: string;
}

export const programPath = (p: Slugged) => `programs/${p.slug}/`;
export const chartPath = (p: Slugged, c: Slugged) => `charts/${p.slug}/${c.slug}/`;
export const chartWeekPath = (p: Slugged, c: Slugged, week: string) => `charts/${p.slug}/${c.slug}/${week}/`;
export const chartWeekFile = (p: Slugged, c: Slugged, week: string, ext: 'svg' | 'png' | 'csv' | 'json') => `charts/${p.slug}/${c.slug}/${week}.${ext}`;
/** A chart's rows of breakdowns.csv: every week beside its all-weeks.csv, one week beside the week's permalink page. */
export const chartBreakdownPath = (p: Slugged, c: Slugged) => `charts/${p.slug}/${c.slug}/breakdowns.csv`;
export const chartWeekBreakdownPath = (p: Slugged, c: Slugged, week: string) => `charts/${p.slug}/${c.slug}/${week}/breakdowns.csv`;
export const weekPath = (week: string) => `weeks/${week}/`;
export const dataPath = (file: string) => `data/${file}`;

/**
 * The site's absolute origin and base (e.g. `https://owner.github.io/repo/`)
 * when known at build time: Astro's `site` option or TELEMETRY_SITE_URL.
 * Link previews (Open Graph) and release-note snippets need absolute URLs.
 */
function siteUrl(astroSite: URL | undefined): string | null {
  const raw = astroSite?.href ?? process.env.TELEMETRY_SITE_URL ?? '';
  if (!/^https?:\/\//i.test(raw)) return null;
  try {
    const u = new URL(raw);
    // The base path is part of every site path; keep the origin only, then add BASE.
    return `${u.origin}${BASE}`;
  } catch {
    return null;
  }
}

/** An absolute URL for a site path when the site URL is known, else the base-relative path. */
export function absolute(path: string, astroSite: URL | undefined): { url: string; isAbsolute: boolean } {
  const root = siteUrl(astroSite);
  return root ? { url: root + path.replace(/^\/+/, ''), isAbsolute: true } : { url: href(path), isAbsolute: false };
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is shown as text. */
export function safeHttpUrl(s: string): string | null {
  if (!/^https?:\/\//i.test(s.trim())) return null;
  try {
    const u = new URL(s.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
