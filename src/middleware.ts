/**
 * Every page passes through here once, at build time: invisible characters
 * in its HTML (bidi controls and the like, from names in the archive or the
 * configs) are shown as `&lt;U+202E&gt;`, the same marker the chart images
 * draw (src/lib/visible.ts), so no name can reorder the text of a page.
 * Astro has escaped the markup already; the marker is plain escaped text, so
 * it is safe in text and in attribute values alike. Other responses (CSV,
 * JSON, SVG, PNG downloads) are passed on unchanged.
 */
import type { MiddlewareHandler } from 'astro';
import { revealInvisible } from './lib/visible.ts';

const htmlMarker = (name: string) => `&lt;${name}&gt;`;

export const onRequest: MiddlewareHandler = async (_context, next) => {
  const response = await next();
  if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return response;
  const html = await response.text();
  return new Response(revealInvisible(html, htmlMarker), { status: response.status, statusText: response.statusText, headers: response.headers });
};
