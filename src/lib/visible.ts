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
 * `s` with every invisible character replaced by `marker` of its code point
 * name: `<U+202E>` as plain text by default; HTML passes an escaped marker.
 */
export function revealInvisible(s: string, marker: (name: string) => string = (name) => `<${name}>`): string {
  return s.replace(INVISIBLE, (ch) => marker(codePointName(ch)));
}

/** The marker revealInvisible writes for `ch` (for width estimates). */
export function invisibleMarker(ch: string): string {
  return `<${codePointName(ch)}>`;
}
