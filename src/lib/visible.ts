/**
 * Names with their invisible characters shown. A name from an archive or a
 * config may hold bidirectional controls (U+202A–U+202E, U+2066–U+2069,
 * U+200E, U+200F, U+061C), which reorder the text around them, or other
 * characters that draw nothing: control characters, zero-width and other
 * format characters, line and paragraph separators, lone surrogates and the
 * noncharacters U+FFFE and U+FFFF. Pages and chart images show each as its
 * code point in angle brackets, `<U+202E>`, so a name can neither hide part
 * of itself nor rearrange what is shown beside it. Tab, line feed and
 * carriage return are whitespace and stay.
 */

/** Control (Cc, but tab, LF and CR), format (Cf), surrogate (Cs), line and paragraph separators (Zl, Zp), U+FFFE, U+FFFF. */
const INVISIBLE = /(?![\t\n\r])\p{Cc}|\p{Cf}|\p{Cs}|\p{Zl}|\p{Zp}|[\uFFFE\uFFFF]/gu;
const ONE_INVISIBLE = new RegExp(`^(?:${INVISIBLE.source})$`, 'u');

/** `U+202E`: the code point of one character (or of a lone surrogate), four hex digits at least. */
export function codePointName(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Whether one character (a code point, or a lone surrogate) is one that revealInvisible replaces. */
export function isInvisible(ch: string): boolean {
  return ONE_INVISIBLE.test(ch);
}

/**
 * Per UTF-16 code unit: 0 visible, 1 invisible, 2 a surrogate (invisible
 * alone; a pair is one code point, looked up with ONE_INVISIBLE). Made once,
 * from the same pattern, on first use.
 */
let units: Uint8Array | null = null;

function unitTable(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) t[c] = c >= 0xd800 && c <= 0xdfff ? 2 : ONE_INVISIBLE.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
}

/**
 * Code units that are not plain text: anything but tab, line feed, carriage
 * return and printable ASCII. The pattern finds the next one in native code;
 * the table then says what it is. Pages and labels are mostly ASCII, so this
 * skips most of a page at once.
 */
const NOT_PLAIN = /[^\t\n\r\x20-\x7e]/g;

/** Whether `s` holds a character revealInvisible replaces. */
function hasInvisible(s: string): boolean {
  const table = (units ??= unitTable());
  NOT_PLAIN.lastIndex = 0;
  for (let m = NOT_PLAIN.exec(s); m !== null; m = NOT_PLAIN.exec(s)) {
    const i = m.index;
    const c = s.charCodeAt(i);
    const t = table[c]!;
    if (t === 0) continue;
    if (t === 1) return true;
    const d = c <= 0xdbff ? s.charCodeAt(i + 1) : Number.NaN;
    // A lone surrogate is invisible; a pair is one code point.
    if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
    if (ONE_INVISIBLE.test(s.slice(i, i + 2))) return true;
    NOT_PLAIN.lastIndex = i + 2;
  }
  return false;
}

/**
 * `s` with every invisible character replaced by `marker` of its code point
 * name: `<U+202E>` as plain text by default; HTML passes an escaped marker.
 */
export function revealInvisible(s: string, marker: (name: string) => string = (name) => `<${name}>`): string {
  return hasInvisible(s) ? s.replace(INVISIBLE, (ch) => marker(codePointName(ch))) : s;
}

/** The marker revealInvisible writes for `ch` (for width estimates). */
export function invisibleMarker(ch: string): string {
  return `<${codePointName(ch)}>`;
}
