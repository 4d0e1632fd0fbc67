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

/**
 * Elements whose text is left as it is, markup that is not running text and
 * preformatted text: from an opening tag to the first closing tag of its name
 * (in any case). An opening tag never closed is read as text.
 */
const OPENING = /<(svg|script|style|pre|textarea|title)\b/gi;
const DAY = /\b\d{4}-\d{2}-\d{2}\b/g;
const HAS_DAY = /\b\d{4}-\d{2}-\d{2}\b/;

/**
 * Dates in the text of a page are kept on one line (`<span class="nw">`):
 * browsers may break a line after a hyphen, which splits 2026-11-15 into
 * "2026-" and "11-15". Only text between tags changes, never an attribute.
 */
export function keepDatesWhole(html: string): string {
  let out = '';
  let from = 0;
  OPENING.lastIndex = 0;
  for (let m = OPENING.exec(html); m !== null; m = OPENING.exec(html)) {
    const close = closingTag(m[1]!);
    close.lastIndex = m.index + m[0].length;
    const end = close.exec(html);
    if (end === null) {
      OPENING.lastIndex = m.index + 1;
      continue;
    }
    out += wrapDates(html.slice(from, m.index)) + html.slice(m.index, end.index + end[0].length);
    from = end.index + end[0].length;
    OPENING.lastIndex = from;
  }
  return from === 0 ? wrapDates(html) : out + wrapDates(html.slice(from));
}

/** The closing tag of each OPENING name. */
const CLOSING = new Map<string, RegExp>();
function closingTag(name: string): RegExp {
  const key = name.toLowerCase();
  let re = CLOSING.get(key);
  if (!re) CLOSING.set(key, (re = new RegExp(`</${key}>`, 'gi')));
  return re;
}

/**
 * Each date of `part` that stands in text between tags (after a `>` with no
 * `<` since, and before a `<`) wrapped in `<span class="nw">`. Visits the
 * dates only, not every run of text.
 */
function wrapDates(part: string): string {
  if (!HAS_DAY.test(part)) return part;
  let out = '';
  let last = 0;
  DAY.lastIndex = 0;
  for (let m = DAY.exec(part); m !== null; m = DAY.exec(part)) {
    const at = m.index;
    if (part.lastIndexOf('>', at) > part.lastIndexOf('<', at) && part.indexOf('<', at) !== -1) {
      out += `${part.slice(last, at)}<span class="nw">${m[0]}</span>`;
      last = at + m[0].length;
    }
  }
  return last === 0 ? part : out + part.slice(last);
}

export const onRequest: MiddlewareHandler = async (_context, next) => {
  const response = await next();
  if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return response;
  const html = await response.text();
  // As UTF-8 bytes: the same bytes a string body becomes, without the Fetch API's own pass over the text.
  return new Response(Buffer.from(keepDatesWhole(revealInvisible(html, htmlMarker)), 'utf8'), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};
