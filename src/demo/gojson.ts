/**
 * Writes reports exactly as Go's encoding/json writes golang.org/x/telemetry's
 * `Report` struct: fields in declaration order, map keys sorted by byte order,
 * nil maps as `null`, and `<`, `>`, `&`, U+2028, U+2029 escaped as `\u003c`
 * and so on (Go's HTML-safe default). Numbers: counts are int64; `X` uses
 * JavaScript's shortest round-trip form, which equals Go's for values in (0, 1)
 * (both switch to exponent form below 1e-6 and write `1e-7`, not `1e-07`).
 */

/** One program's counters within a report, in Go's field names. */
export interface GoProgramReport {
  Program: string;
  Version: string;
  GoVersion: string;
  GOOS: string;
  GOARCH: string;
  /** `null` is a nil map (older clients write it for an empty map). */
  Counters: Record<string, number> | null;
  Stacks: Record<string, number> | null;
}

/** A report in Go's field names; `JSON.parse` of an archive line has this shape. */
export interface GoReport {
  Week: string;
  LastWeek: string;
  X: number;
  Programs: GoProgramReport[];
  Config: string;
}

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/**
 * A string literal as Go writes it. JSON.stringify already matches Go for
 * quotes, backslashes, \n, \r, \t, \b, \f and other control characters
 * (Go 1.22+ writes \b and \f in short form too); only the HTML-safe escapes
 * differ.
 */
export function goString(s: string): string {
  let j = cache.get(s);
  if (j !== undefined) return j;
  j = JSON.stringify(s);
  HTML_UNSAFE.lastIndex = 0;
  if (HTML_UNSAFE.test(j)) j = j.replace(HTML_UNSAFE, (c) => ESCAPES[c]!);
  // Counter names, versions and stacks repeat on almost every line: remember them.
  if (cache.size < 100_000 && s.length < 2048) cache.set(s, j);
  return j;
}
const cache = new Map<string, string>();

/** Byte-order comparison of ASCII/BMP strings (UTF-16 order equals UTF-8 byte order outside surrogates). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A `map[string]int64` as Go writes it: `null` for nil, keys sorted. */
export function goCountMap(m: Record<string, number> | null): string {
  if (m === null) return 'null';
  const keys = Object.keys(m).sort(byteOrder);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += goString(keys[i]!) + ':' + String(m[keys[i]!]);
  }
  return out + '}';
}

function goProgramReport(p: GoProgramReport): string {
  return (
    '{"Program":' +
    goString(p.Program) +
    ',"Version":' +
    goString(p.Version) +
    ',"GoVersion":' +
    goString(p.GoVersion) +
    ',"GOOS":' +
    goString(p.GOOS) +
    ',"GOARCH":' +
    goString(p.GOARCH) +
    ',"Counters":' +
    goCountMap(p.Counters) +
    ',"Stacks":' +
    goCountMap(p.Stacks) +
    '}'
  );
}

/** One archive line for `r`, without the trailing newline. */
export function goReportLine(r: GoReport): string {
  let programs = '';
  for (let i = 0; i < r.Programs.length; i++) programs += (i > 0 ? ',' : '') + goProgramReport(r.Programs[i]!);
  return (
    '{"Week":' +
    goString(r.Week) +
    ',"LastWeek":' +
    goString(r.LastWeek) +
    ',"X":' +
    goFloat(r.X) +
    ',"Programs":[' +
    programs +
    ']' +
    ',"Config":' +
    goString(r.Config) +
    '}'
  );
}

/** A float64 as Go's encoder writes it, for the values the archive holds (finite). */
export function goFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`Go's encoder rejects ${x}`);
  // Go uses 'e' format below 1e-6 and at or above 1e21, like JavaScript, and trims e-07 to e-7.
  return String(x);
}
