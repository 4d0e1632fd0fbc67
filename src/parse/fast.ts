/**
 * The fast parse path: a scanner for the one shape a Report line has. It
 * takes fields in any order, whitespace between tokens and map keys in any
 * order (Go's encoding/json writes fields in declaration order, no
 * whitespace and sorted keys; other encoders do not), validates as it scans,
 * and returns null at the first thing it does not expect: an unknown or
 * repeated field, a missing required one, a repeated map key, an escape in a
 * field's string value, a count that is not a plain integer of at most 15
 * digits, anything else JSON.parse would read differently. The strict path
 * (strict.ts) decides every such line; a line the fast path accepts is one
 * the strict path accepts with the same result.
 */
import type { Day } from '../lib/dates.ts';
import type { ProgramReport, Report } from './report.ts';

// JSON forbids raw control characters inside strings; lines never contain \n.
// Tabs and carriage returns between tokens are left to the strict path too.
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

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

// Bits of the fields seen in an object, to find a repeated or missing field.
const WEEK = 1;
const LAST_WEEK = 2;
const X = 4;
const PROGRAMS = 8;
const CONFIG = 16;
const REQUIRED_REPORT = WEEK | X | PROGRAMS;

const PROGRAM = 1;
const VERSION = 2;
const GO_VERSION = 4;
const GOOS = 8;
const GOARCH = 16;
const COUNTERS = 32;
const STACKS = 64;
const REQUIRED_PROGRAM = PROGRAM | VERSION | GO_VERSION | GOOS | GOARCH;

/** Parses one line, or returns null when the strict path must decide. */
export function parseFast(line: string): Report | null {
  if (CONTROL.test(line)) return null;
  s = line;
  i = 0;
  const b = line.indexOf('\\');
  bsPos = b < 0 ? Infinity : b;
  if (!punct(LBRACE)) return null;
  let seen = 0;
  let week = '';
  let lastWeek = '';
  let x = 0;
  let config = '';
  let programs: ProgramReport[] = [];
  if (!punct(RBRACE)) {
    for (;;) {
      const field = reportField();
      if (field < 0 || seen & field) return null;
      seen |= field;
      if (field === X) {
        const v = number();
        if (v === null) return null;
        x = v;
      } else if (field === PROGRAMS) {
        const v = programList();
        if (v === null) return null;
        programs = v;
      } else {
        const v = plainString();
        if (v === null) return null;
        if (field === WEEK) week = v;
        else if (field === LAST_WEEK) lastWeek = v;
        else config = v;
      }
      if (punct(COMMA)) continue;
      if (punct(RBRACE)) break;
      return null;
    }
  }
  ws();
  if ((seen & REQUIRED_REPORT) !== REQUIRED_REPORT || i !== s.length) return null;
  return { week: week as Day, lastWeek, x, programs, config };
}

/** The next field name of a report and its colon, as a bit; -1 for anything else. */
function reportField(): number {
  ws();
  if (s.charCodeAt(i) !== QUOTE) return -1;
  let f: number;
  switch (s.charCodeAt(i + 1)) {
    case 0x57: // W
      f = take('"Week"') ? WEEK : -1;
      break;
    case 0x4c: // L
      f = take('"LastWeek"') ? LAST_WEEK : -1;
      break;
    case 0x58: // X
      f = take('"X"') ? X : -1;
      break;
    case 0x50: // P
      f = take('"Programs"') ? PROGRAMS : -1;
      break;
    case 0x43: // C
      f = take('"Config"') ? CONFIG : -1;
      break;
    default:
      return -1;
  }
  if (f < 0 || !punct(COLON)) return -1;
  ws();
  return f;
}

/** The next field name of a program report and its colon, as a bit; -1 for anything else. */
function programField(): number {
  ws();
  if (s.charCodeAt(i) !== QUOTE) return -1;
  let f: number;
  switch (s.charCodeAt(i + 1)) {
    case 0x50: // P
      f = take('"Program"') ? PROGRAM : -1;
      break;
    case 0x56: // V
      f = take('"Version"') ? VERSION : -1;
      break;
    case 0x47: // G
      f = take('"GoVersion"') ? GO_VERSION : take('"GOOS"') ? GOOS : take('"GOARCH"') ? GOARCH : -1;
      break;
    case 0x43: // C
      f = take('"Counters"') ? COUNTERS : -1;
      break;
    case 0x53: // S
      f = take('"Stacks"') ? STACKS : -1;
      break;
    default:
      return -1;
  }
  if (f < 0 || !punct(COLON)) return -1;
  ws();
  return f;
}

/** `null` or `[report, ...]`. */
function programList(): ProgramReport[] | null {
  const programs: ProgramReport[] = [];
  if (lit('null')) return programs;
  if (!punct(LBRACKET)) return null;
  if (punct(RBRACKET)) return programs;
  for (;;) {
    const p = programReport();
    if (p === null) return null;
    programs.push(p);
    if (punct(COMMA)) continue;
    if (punct(RBRACKET)) return programs;
    return null;
  }
}

function programReport(): ProgramReport | null {
  if (!punct(LBRACE)) return null;
  const p: ProgramReport = {
    program: '',
    version: '',
    goVersion: '',
    goos: '',
    goarch: '',
    counterNames: [],
    counterValues: [],
    stackNames: [],
    stackValues: [],
  };
  let seen = 0;
  if (!punct(RBRACE)) {
    for (;;) {
      const field = programField();
      if (field < 0 || seen & field) return null;
      seen |= field;
      if (field === COUNTERS) {
        if (!countMap(p.counterNames, p.counterValues, true)) return null;
      } else if (field === STACKS) {
        if (!countMap(p.stackNames, p.stackValues, false)) return null;
      } else {
        const v = plainString();
        if (v === null) return null;
        if (field === PROGRAM) p.program = v;
        else if (field === VERSION) p.version = v;
        else if (field === GO_VERSION) p.goVersion = v;
        else if (field === GOOS) p.goos = v;
        else p.goarch = v;
      }
      if (punct(COMMA)) continue;
      if (punct(RBRACE)) break;
      return null;
    }
  }
  return (seen & REQUIRED_PROGRAM) === REQUIRED_PROGRAM ? p : null;
}

/**
 * Counter names seen so far, each with its rank in their sorted order, so
 * map keys are ordered by comparing integers: comparing two long strings
 * that share a prefix (`go/platform/host/darwin/...`) costs far more. Names
 * repeat on nearly every line; past MAX_RANKED distinct names the others
 * are compared as strings. Ranks change when a name is added, never their
 * order.
 */
const rankOf = new Map<string, number>();
const ranked: string[] = [];
const MAX_RANKED = 4096;
/** Ranks of the current map's entries, in file order. */
let ranks = new Int32Array(64);

/** The rank of a counter name, adding it when new; -1 when the table is full. */
function rank(name: string): number {
  const r = rankOf.get(name);
  if (r !== undefined) return r;
  if (ranked.length >= MAX_RANKED) return -1;
  let lo = 0;
  let hi = ranked.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranked[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  ranked.splice(lo, 0, name);
  for (let k = lo; k < ranked.length; k++) rankOf.set(ranked[k]!, k);
  return -2 - lo; // new: the caller re-reads the ranks it holds
}

/**
 * `null`, `{}` or `{"k":n,...}` with distinct keys and integer counts, read
 * into names sorted by UTF-16 code units (the strict path's order; Go's
 * sorted keys need no moves). Keys may hold escapes: stack names hold \n,
 * and Go writes < > & as \u003c \u003e \u0026 (histogram buckets such as
 * `<10ms`). A repeated key is the strict path's to decide (JSON.parse keeps
 * the last value). Counter names are ordered by rank, stack names (long,
 * many, few a report) as strings.
 */
function countMap(names: string[], values: number[], counters: boolean): boolean {
  if (lit('null')) return true;
  if (!punct(LBRACE)) return false;
  if (punct(RBRACE)) return true;
  let sorted = true;
  let byRank = counters;
  let n = 0;
  for (; ; n++) {
    ws();
    const key = anyString();
    if (key === null || !punct(COLON)) return false;
    const v = count();
    if (v < 0) return false;
    names.push(key);
    values.push(v);
    if (byRank) {
      let r = rank(key);
      if (r < -1) {
        r = -2 - r;
        for (let k = 0; k < n; k++) ranks[k] = rankOf.get(names[k]!)!;
      }
      if (r < 0) byRank = false;
      else {
        if (n === ranks.length) {
          const bigger = new Int32Array(2 * n);
          bigger.set(ranks);
          ranks = bigger;
        }
        ranks[n] = r;
        if (n > 0 && !(ranks[n - 1]! < r)) sorted = false;
      }
    }
    if (!byRank && n > 0 && !(names[n - 1]! < key)) sorted = false;
    if (punct(COMMA)) continue;
    if (!punct(RBRACE)) return false;
    break;
  }
  if (sorted) return true;
  return byRank ? sortByRank(names, values, n + 1) : sortByName(names, values);
}

/** Insertion sort of the entries by their ranks; false when a name repeats. */
function sortByRank(names: string[], values: number[], n: number): boolean {
  for (let j = 1; j < n; j++) {
    const r = ranks[j]!;
    const name = names[j]!;
    const v = values[j]!;
    let k = j;
    while (k > 0 && ranks[k - 1]! > r) {
      ranks[k] = ranks[k - 1]!;
      names[k] = names[k - 1]!;
      values[k] = values[k - 1]!;
      k--;
    }
    if (k > 0 && ranks[k - 1] === r) return false;
    ranks[k] = r;
    names[k] = name;
    values[k] = v;
  }
  return true;
}

/** Sorts the entries by name; false when a name repeats. */
function sortByName(names: string[], values: number[]): boolean {
  const order = names.map((_, k) => k).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const sortedNames = order.map((k) => names[k]!);
  const sortedValues = order.map((k) => values[k]!);
  for (let k = 1; k < sortedNames.length; k++) if (sortedNames[k - 1] === sortedNames[k]) return false;
  for (let k = 0; k < sortedNames.length; k++) {
    names[k] = sortedNames[k]!;
    values[k] = sortedValues[k]!;
  }
  return true;
}

/** Skips spaces (JSON's other whitespace is declined with the control characters). */
function ws(): void {
  while (s.charCodeAt(i) === SPACE) i++;
}

/** Whitespace, then the character `c`. */
function punct(c: number): boolean {
  while (s.charCodeAt(i) === SPACE) i++;
  if (s.charCodeAt(i) !== c) return false;
  i++;
  return true;
}

function lit(t: string): boolean {
  ws();
  if (!s.startsWith(t, i)) return false;
  i += t.length;
  return true;
}

/** The text `t` at the position: taken. */
function take(t: string): boolean {
  if (!s.startsWith(t, i)) return false;
  i += t.length;
  return true;
}

/** A string without escapes. */
function plainString(): string | null {
  if (s.charCodeAt(i) !== QUOTE) return null;
  const end = s.indexOf('"', i + 1);
  if (end < 0) return null;
  if (nextBackslash(i + 1) < end) return null;
  const v = s.slice(i + 1, end);
  i = end + 1;
  return v;
}

/** A string that may hold escapes; JSON.parse checks and decodes them. */
function anyString(): string | null {
  if (s.charCodeAt(i) !== QUOTE) return null;
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

/** Whitespace, then a plain non-negative integer of at most 15 digits (always exact), else -1. */
function count(): number {
  ws();
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
