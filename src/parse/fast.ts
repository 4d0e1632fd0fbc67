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
import { follow, intern, internChars, internedName, MAP_START, NO_ID, predictAt, rankOf, wasAdded } from './intern.ts';
import type { ProgramReport, Report } from './report.ts';
import { keepStack, knownStack } from './stack-names.ts';

// JSON forbids raw control characters inside strings; lines never contain \n.
// Tabs and carriage returns between tokens are left to the strict path too:
// between tokens the scanner takes spaces only, so any other character there
// ends the fast path. Inside strings each one is checked where it is made:
// values and stack names here, counter names when interned (intern.ts), and
// strings with escapes by JSON.parse.
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
    counterIds: [],
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
        if (!countMap(p.counterNames, p.counterValues, p.counterIds!)) return null;
      } else if (field === STACKS) {
        if (!countMap(p.stackNames, p.stackValues, null)) return null;
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

/** Ranks (intern.ts) of the current map's entries, in file order. */
let ranks = new Int32Array(64);

/**
 * `null`, `{}` or `{"k":n,...}` with distinct keys and integer counts, read
 * into names sorted by UTF-16 code units (the strict path's order; Go's
 * sorted keys need no moves). Keys may hold escapes: stack names hold \n,
 * and Go writes < > & as \u003c \u003e \u0026 (histogram buckets such as
 * `<10ms`). A repeated key is the strict path's to decide (JSON.parse keeps
 * the last value). Counter names (`ids` given) are interned and ordered by
 * rank, past the intern table's size as strings; stack names (long, many,
 * few a report) are ordered as strings.
 */
function countMap(names: string[], values: number[], ids: number[] | null): boolean {
  if (lit('null')) return true;
  if (!punct(LBRACE)) return false;
  if (punct(RBRACE)) return true;
  let sorted = true;
  let byRank = ids !== null;
  let n = 0;
  let prev = MAP_START;
  for (; ; n++) {
    ws();
    let q: number;
    let key: string;
    let id = ids && s.charCodeAt(i) === QUOTE ? predictAt(s, i + 1, prev) : NO_ID;
    if (id !== NO_ID) {
      // The name predicted is there, plain, up to a closing quote: that is the whole string.
      key = internedName(id);
      q = i + 1 + key.length;
      ids!.push(id);
    } else {
      q = stringEnd();
      if (q < 0) return false;
      if (ids) {
        if (escapedString) {
          const decoded = decode(q);
          if (decoded === null) return false;
          key = decoded;
          id = intern(key);
        } else {
          id = internChars(s, i + 1, q);
          if (id === NO_ID) {
            key = s.slice(i + 1, q);
            if (CONTROL.test(key)) return false;
          } else key = internedName(id);
        }
        ids.push(id);
      } else {
        const known = knownStack(s, i + 1, q);
        if (known !== null) key = known;
        else {
          const decoded = escapedString ? decode(q) : s.slice(i + 1, q);
          if (decoded === null || (!escapedString && CONTROL.test(decoded))) return false;
          keepStack(s, i + 1, q, decoded);
          key = decoded;
        }
      }
    }
    if (ids) {
      follow(prev, id);
      prev = id;
    }
    i = q + 1;
    if (!punct(COLON)) return false;
    const v = count();
    if (v < 0) return false;
    names.push(key);
    values.push(v);
    if (byRank) {
      if (id === NO_ID) byRank = false;
      else {
        if (wasAdded()) for (let k = 0; k < n; k++) ranks[k] = rankOf(ids![k]!);
        if (n === ranks.length) {
          const bigger = new Int32Array(2 * n);
          bigger.set(ranks);
          ranks = bigger;
        }
        const r = rankOf(id);
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
  return byRank ? sortByRank(names, values, ids!, n + 1) : sortByName(names, values, ids);
}

/** Insertion sort of the entries by their ranks; false when a name repeats. */
function sortByRank(names: string[], values: number[], ids: number[], n: number): boolean {
  for (let j = 1; j < n; j++) {
    const r = ranks[j]!;
    const name = names[j]!;
    const v = values[j]!;
    const id = ids[j]!;
    let k = j;
    while (k > 0 && ranks[k - 1]! > r) {
      ranks[k] = ranks[k - 1]!;
      names[k] = names[k - 1]!;
      values[k] = values[k - 1]!;
      ids[k] = ids[k - 1]!;
      k--;
    }
    if (k > 0 && ranks[k - 1] === r) return false;
    ranks[k] = r;
    names[k] = name;
    values[k] = v;
    ids[k] = id;
  }
  return true;
}

/** Sorts the entries (and their ids, when given) by name; false when a name repeats. */
function sortByName(names: string[], values: number[], ids: number[] | null): boolean {
  const order = names.map((_, k) => k).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const sortedNames = order.map((k) => names[k]!);
  const sortedValues = order.map((k) => values[k]!);
  const sortedIds = ids && order.map((k) => ids[k]!);
  for (let k = 1; k < sortedNames.length; k++) if (sortedNames[k - 1] === sortedNames[k]) return false;
  for (let k = 0; k < sortedNames.length; k++) {
    names[k] = sortedNames[k]!;
    values[k] = sortedValues[k]!;
    if (ids) ids[k] = sortedIds![k]!;
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
  if (CONTROL.test(v)) return null;
  i = end + 1;
  return v;
}

/** Whether the string stringEnd() found last holds escapes. */
let escapedString = false;

/** The position of the closing quote of a string that may hold escapes, starting at the position; -1 for none. */
function stringEnd(): number {
  if (s.charCodeAt(i) !== QUOTE) return -1;
  let j = i + 1;
  escapedString = false;
  for (;;) {
    const q = s.indexOf('"', j);
    if (q < 0) return -1;
    const bs = nextBackslash(j);
    if (bs > q) return q;
    escapedString = true;
    j = bs + 2; // skip the escaped character; decode() rejects bad escapes
  }
}

/** The string from the position to its closing quote `q`, escapes decoded by JSON.parse; null when one is bad. */
function decode(q: number): string | null {
  try {
    return JSON.parse(s.slice(i, q + 1)) as string;
  } catch {
    return null;
  }
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
