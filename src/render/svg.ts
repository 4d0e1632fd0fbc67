/**
 * String helpers shared by the charts: XML escaping, number rounding and
 * element builders. Charts are assembled as strings (no DOM) so they render
 * at build time and the same bytes come out for the same input.
 */
import { fnv1a32 } from '../lib/random.ts';
import { revealInvisible } from '../lib/visible.ts';

/**
 * Escapes text for XML content and attribute values. Invisible characters
 * (bidi controls, control characters XML 1.0 forbids, zero-width characters)
 * are shown as `<U+202E>` first (src/lib/visible.ts), as on the pages.
 */
export function escapeXml(s: string): string {
  const r = revealInvisible(s);
  return MARKUP.test(r) ? r.replace(MARKUP_ALL, (c) => XML_ESCAPES.get(c)!) : r;
}

const MARKUP = /[&<>"']/;
const MARKUP_ALL = /[&<>"']/g;
const XML_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
]);

/** A coordinate rounded to at most `digits` (default 3) decimals, without a trailing `.0` or a `-0`. */
export function num(x: number, digits = 3): string {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

export type AttrValue = string | number | null | undefined | false;

/** Serialises attributes in the given order; null/undefined/false are skipped, numbers rounded, strings escaped. */
export function attrs(a: Readonly<Record<string, AttrValue>>): string {
  let out = '';
  // for-in visits the own keys in the order Object.entries gives, without building the pairs.
  for (const k in a) {
    const v = a[k];
    if (v === null || v === undefined || v === false) continue;
    out += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** An element; `content` is trusted markup (escape text with `escapeXml` first). */
export function el(name: string, a: Readonly<Record<string, AttrValue>>, content?: string): string {
  return content === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${content}</${name}>`;
}

/** A `<text>` element holding escaped `text`. */
export function text(s: string, a: Readonly<Record<string, AttrValue>>): string {
  return el('text', a, escapeXml(s));
}

/** Deterministic short hash (FNV-1a, 32 bit) for default element ids. */
export function hashId(s: string): string {
  return fnv1a32(s).toString(36);
}

/** Makes a caller-supplied id safe as an XML id (letters, digits, `-`, `_`, starting with a letter). */
export function safeId(s: string): string {
  const cleaned = s.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `c-${cleaned}`;
}

/**
 * The outer `<svg>` with accessible name and description; width/height plus
 * viewBox so it scales fluidly. A null `fontFamily` (inline charts of the
 * `css` theme) leaves the font and the fluid sizing to the page's CSS, which
 * sets both for `svg.chart`; standalone files carry them.
 */
export function svgRoot(o: {
  id: string;
  width: number;
  height: number;
  title: string;
  desc: string;
  fontFamily: string | null;
  className: string;
  body: string;
}): string {
  const titleId = `${o.id}-title`;
  const descId = `${o.id}-desc`;
  return (
    `<svg${attrs({
      xmlns: 'http://www.w3.org/2000/svg',
      id: o.id,
      class: o.className,
      width: o.width,
      height: o.height,
      viewBox: `0 0 ${num(o.width)} ${num(o.height)}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      'font-family': o.fontFamily,
      style: o.fontFamily === null ? null : 'max-width:100%;height:auto',
    })}>` +
    `<title id="${titleId}">${escapeXml(o.title)}</title>` +
    `<desc id="${descId}">${escapeXml(o.desc)}</desc>` +
    o.body +
    `</svg>\n`
  );
}
