/**
 * Every page passes through here once, at build time: invisible characters
 * in its HTML (bidi controls and the like, from names in the archive or the
 * configs) are shown as `&lt;U+202E&gt;`, the same marker the chart images
 * draw (src/lib/visible.ts), so no name can reorder the text of a page.
 * Astro has escaped the markup already; the marker is plain escaped text, so
 * it is safe in text and in attribute values alike. Dates in the text are
 * kept whole on one line. Other responses (CSV, JSON, SVG, PNG downloads)
 * are passed on unchanged.
 */
import type { MiddlewareHandler } from 'astro';
import { revealInvisible } from './lib/visible.ts';

const htmlMarker = (name: string) => `&lt;${name}&gt;`;

/** Elements whose text is left as it is: markup that is not running text, and preformatted text. */
const VERBATIM = /(<(svg|script|style|pre|textarea|title)\b[\s\S]*?<\/\2>)/i;
const DAY = /\b\d{4}-\d{2}-\d{2}\b/g;
const HAS_DAY = /\b\d{4}-\d{2}-\d{2}\b/;

/**
 * Dates in the text of a page are kept on one line (`<span class="nw">`):
 * browsers may break a line after a hyphen, which splits 2026-11-15 into
 * "2026-" and "11-15". Only text between tags changes, never an attribute.
 */
export function keepDatesWhole(html: string): string {
  return html
    .split(VERBATIM)
    .map((part, i) => {
      // split() with two groups yields [text, element, tag name, text, ...]: only the text parts change.
      if (i % 3 !== 0) return i % 3 === 1 ? part : '';
      return part.replace(/>([^<]+)</g, (m, t: string) => (HAS_DAY.test(t) ? `>${t.replace(DAY, '<span class="nw">$&</span>')}<` : m));
    })
    .join('');
}

export const onRequest: MiddlewareHandler = async (_context, next) => {
  const response = await next();
  if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return response;
  const html = await response.text();
  return new Response(keepDatesWhole(revealInvisible(html, htmlMarker)), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};
