/**
 * The fast parse path for lines written exactly as Go's encoding/json writes a
 * Report: fields in declaration order, no whitespace, map keys sorted. It
 * validates as it scans and returns null at the first thing it does not
 * expect, so the strict path (strict.ts) decides every other line; a line the
 * fast path accepts is one the strict path accepts with the same result.
 */
import type { Day } from '../lib/dates.ts';
import type { ProgramReport, Report } from './report.ts';

// JSON forbids raw control characters inside strings; lines never contain \n.
const CONTROL = /[\u0000-\u001f]/;

let s = '';
let i = 0;
// Position of the next backslash at or after the last string start; Infinity
// when none is left. Kept across fields so plain strings are checked in O(1).
let bsPos = Infinity;

function nextBackslash(from: number): number {
  if (bsPos < from) {
    const b = s.indexOf('\\', from);
    bsPos = b < 0 ? Infinity : b;
  }
  return bsPos;
}

/** Parses one line, or returns null when the strict path must decide. */
export function parseFast(line: string): Report | null {
  if (CONTROL.test(line)) return null;
  s = line;
  i = 0;
  const b = line.indexOf('\\');
  bsPos = b < 0 ? Infinity : b;
  if (!lit('{"Week":')) return null;
  const week = plainString();
  if (week === null || !lit(',"LastWeek":')) return null;
  const lastWeek = plainString();
  if (lastWeek === null || !lit(',"X":')) return null;
  const x = number();
  if (x === null || !lit(',"Programs":')) return null;
  const programs: ProgramReport[] = [];
  if (lit('null')) {
    // no programs
  } else if (lit('[')) {
    if (!lit(']')) {
      for (;;) {
        const p = programReport();
        if (p === null) return null;
        programs.push(p);
        if (lit(',')) continue;
        if (lit(']')) break;
        return null;
      }
    }
  } else return null;
  if (!lit(',"Config":')) return null;
  const config = plainString();
  if (config === null || !lit('}') || i !== s.length) return null;
  return { week: week as Day, lastWeek, x, programs, config };
}

function programReport(): ProgramReport | null {
  if (!lit('{"Program":')) return null;
  const program = plainString();
  if (program === null || !lit(',"Version":')) return null;
  const version = plainString();
  if (version === null || !lit(',"GoVersion":')) return null;
  const goVersion = plainString();
  if (goVersion === null || !lit(',"GOOS":')) return null;
  const goos = plainString();
  if (goos === null || !lit(',"GOARCH":')) return null;
  const goarch = plainString();
  if (goarch === null || !lit(',"Counters":')) return null;
  const counterNames: string[] = [];
  const counterValues: number[] = [];
  if (!countMap(counterNames, counterValues) || !lit(',"Stacks":')) return null;
  const stackNames: string[] = [];
  const stackValues: number[] = [];
  if (!countMap(stackNames, stackValues) || !lit('}')) return null;
  return { program, version, goVersion, goos, goarch, counterNames, counterValues, stackNames, stackValues };
}

/**
 * `null`, `{}` or `{"k":n,...}` with strictly increasing keys and integer
 * counts. Keys may hold escapes: stack names hold \n, and Go writes < > & as
 * \u003c \u003e \u0026 (histogram buckets such as `<10ms`).
 */
function countMap(names: string[], values: number[]): boolean {
  if (lit('null')) return true;
  if (!lit('{')) return false;
  if (lit('}')) return true;
  let prev: string | null = null;
  for (;;) {
    const key = anyString();
    if (key === null || (prev !== null && !(prev < key)) || !lit(':')) return false;
    const v = count();
    if (v < 0) return false;
    names.push(key);
    values.push(v);
    prev = key;
    if (lit(',')) continue;
    return lit('}');
  }
}

function lit(t: string): boolean {
  if (!s.startsWith(t, i)) return false;
  i += t.length;
  return true;
}

/** A string without escapes. */
function plainString(): string | null {
  if (s.charCodeAt(i) !== 0x22) return null;
  const end = s.indexOf('"', i + 1);
  if (end < 0) return null;
  if (nextBackslash(i + 1) < end) return null;
  const v = s.slice(i + 1, end);
  i = end + 1;
  return v;
}

/** A string that may hold escapes; JSON.parse checks and decodes them. */
function anyString(): string | null {
  if (s.charCodeAt(i) !== 0x22) return null;
  let j = i + 1;
  let escaped = false;
  for (;;) {
    const q = s.indexOf('"', j);
    if (q < 0) return null;
    const bs = nextBackslash(j);
    if (bs > q) {
      j = q;
      break;
    }
    escaped = true;
    j = bs + 2; // skip the escaped character; JSON.parse below rejects bad escapes
  }
  let v: string;
  if (escaped) {
    try {
      v = JSON.parse(s.slice(i, j + 1)) as string;
    } catch {
      return null;
    }
  } else v = s.slice(i + 1, j);
  i = j + 1;
  return v;
}

/** A JSON number (full grammar), or null. */
function number(): number | null {
  const start = i;
  let c = s.charCodeAt(i);
  if (c === 0x2d) c = s.charCodeAt(++i);
  if (c === 0x30) c = s.charCodeAt(++i);
  else if (c >= 0x31 && c <= 0x39) {
    do c = s.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39);
  } else return null;
  if (c === 0x2e) {
    c = s.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return null;
    do c = s.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39);
  }
  if (c === 0x65 || c === 0x45) {
    c = s.charCodeAt(++i);
    if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
    if (!(c >= 0x30 && c <= 0x39)) return null;
    do c = s.charCodeAt(++i);
    while (c >= 0x30 && c <= 0x39);
  }
  const v = Number(s.slice(start, i));
  // Overflow to Infinity is the strict path's to reject.
  return Number.isFinite(v) ? v : null;
}

/** A plain non-negative integer of at most 15 digits (always exact), else -1. */
function count(): number {
  let c = s.charCodeAt(i);
  if (c === 0x30) {
    c = s.charCodeAt(++i);
    return c >= 0x30 && c <= 0x39 ? -1 : endOfCount(0, c);
  }
  if (!(c >= 0x31 && c <= 0x39)) return -1;
  let v = 0;
  let digits = 0;
  do {
    v = v * 10 + (c - 0x30);
    digits++;
    c = s.charCodeAt(++i);
  } while (c >= 0x30 && c <= 0x39);
  return digits > 15 ? -1 : endOfCount(v, c);
}

function endOfCount(v: number, next: number): number {
  // A fraction or exponent is left to the strict path.
  return next === 0x2e || next === 0x65 || next === 0x45 ? -1 : v;
}
