/**
 * Canonical ordering of a chart's buckets, so that every page, table and
 * legend lists them the same way (and colours, assigned by position, stay put).
 *
 * Recognised forms:
 * - histogram bounds: an optional comparison (`<`, `<=`, `>`, `>=`, `=`), a
 *   number and an optional unit (`<10ms`, `>=5s`, `<1KB`, `<=100`, `>1000`,
 *   `10%`), or a range `10-99`; ordered by the bound in base units
 *   (seconds, bytes), then by the comparison (`<5` before `<=5` before `5`
 *   before `>=5` before `>5`);
 * - program versions and Go versions, in the order of versions.ts (Go's
 *   semver, and go/version: `go1.20rc1` < `go1.20` < `go1.21` (language
 *   version) < `go1.21rc1` < `go1.21.0`);
 * - dotted numbers, compared part by part: `1.16` < `1.20` < `1.100`;
 * - anything else: config order when given, else alphabetical (by code
 *   point after case folding, never locale-dependent).
 *
 * `devel` (and `devel ...` toolchain strings) sort after every version, and a
 * bucket named `other` sorts last in every order except config order.
 */
import { own } from './dict.ts';

import { compareKeys, goVersionKey, semverKey, type VersionKey } from './versions.ts';

/** How to order a chart's buckets; `auto` picks from the buckets themselves. */
export type BucketOrderKind = 'auto' | 'histogram' | 'version' | 'goversion' | 'number' | 'config' | 'alphabetical';

export interface OrderOptions {
  /** The chart config's bucket order, used for `config` and as `auto`'s fallback. */
  configOrder?: readonly string[];
}

type Key = VersionKey;

const UNIT_SCALE: Readonly<Record<string, readonly [family: number, scale: number]>> = {
  '': [0, 1],
  '%': [0, 1],
  k: [0, 1e3],
  K: [0, 1e3],
  ns: [1, 1e-9],
  us: [1, 1e-6],
  µs: [1, 1e-6], // U+00B5 micro sign
  μs: [1, 1e-6], // U+03BC Greek mu
  ms: [1, 1e-3],
  s: [1, 1],
  sec: [1, 1],
  m: [1, 60],
  min: [1, 60],
  h: [1, 3600],
  d: [1, 86400],
  B: [2, 1],
  KB: [2, 1e3],
  kB: [2, 1e3],
  MB: [2, 1e6],
  GB: [2, 1e9],
  TB: [2, 1e12],
  KiB: [2, 1024],
  MiB: [2, 1024 ** 2],
  GiB: [2, 1024 ** 3],
  TiB: [2, 1024 ** 4],
};

const OP_RANK: Readonly<Record<string, number>> = { '<': 0, '<=': 1, '≤': 1, '': 2, '=': 2, '==': 2, '>=': 3, '≥': 3, '>': 4 };

const NUM = String.raw`(\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?`;
const BOUND_RE = new RegExp(String.raw`^\s*(<=|>=|==|<|>|=|≤|≥)?\s*(-?${NUM})\s*([A-Za-zµμ%]*)\s*$`);
const RANGE_RE = new RegExp(String.raw`^\s*(${NUM})\s*([A-Za-zµμ%]*)\s*(?:-|–|\.\.)\s*(${NUM})\s*([A-Za-zµμ%]*)\s*$`);

/** Histogram key: [unit family, value in base units, comparison rank, range end]. */
function histogramKey(s: string): Key | null {
  const b = BOUND_RE.exec(s);
  if (b) {
    const unit = own(UNIT_SCALE, b[4] ?? '');
    if (!unit) return null;
    return [unit[0], Number(b[2]) * unit[1], OP_RANK[b[1] ?? '']!, 0];
  }
  const r = RANGE_RE.exec(s);
  if (r) {
    // `10-99ms`: the unit may be written once, after the upper end.
    const u2 = own(UNIT_SCALE, r[6] ?? '');
    const u1 = r[3] ? own(UNIT_SCALE, r[3]) : u2;
    if (!u1 || !u2 || u1[0] !== u2[0]) return null;
    return [u1[0], Number(r[1]) * u1[1], OP_RANK['>=']!, Number(r[4]) * u2[1]];
  }
  return null;
}

const DOTTED_RE = /^\d+(?:\.\d+)*$/;

function numberKey(s: string): Key | null {
  if (!DOTTED_RE.test(s)) return null;
  // Pad to a fixed length so [1,2] and [1,2,0] compare by parts, then by text.
  const parts = s.split('.').map(Number);
  while (parts.length < 6) parts.push(-1);
  return parts;
}

function isDevel(s: string): boolean {
  return s === 'devel' || s.startsWith('devel ');
}

function isOther(s: string): boolean {
  return s.toLowerCase() === 'other';
}

/** Alphabetical, case-folded, then by code point; independent of the machine's locale. */
function compareText(a: string, b: string): number {
  const fa = a.toLowerCase();
  const fb = b.toLowerCase();
  if (fa !== fb) return fa < fb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

type Parser = (s: string) => Key | null;
const PARSERS: Readonly<Record<'histogram' | 'version' | 'goversion' | 'number', Parser>> = {
  histogram: histogramKey,
  version: semverKey,
  goversion: goVersionKey,
  number: numberKey,
};

/** Class rank then key, for the pairwise comparator (transitive by construction). */
function autoKey(s: string): Key {
  if (isOther(s)) return [9];
  if (isDevel(s)) return [8, s];
  const classes: [number, Parser][] = [
    [0, goVersionKey],
    [1, semverKey],
    [2, numberKey],
    [3, histogramKey],
  ];
  for (const [rank, parse] of classes) {
    const k = parse(s);
    if (k) return [rank, ...k];
  }
  return [7];
}

/**
 * Compares two bucket names on their own (no config order): Go versions,
 * then program versions, dotted numbers, histogram bounds, other text
 * (alphabetical), `devel`, `other`; inside a class by that class's order;
 * ties broken by the text so the order is total and deterministic.
 */
export function compareBuckets(a: string, b: string): number {
  return compareKeys(autoKey(a), autoKey(b)) || compareText(a, b);
}

function tail(s: string): number {
  return isOther(s) ? 2 : isDevel(s) ? 1 : 0;
}

/** Picks the kind that every bucket (besides `devel`/`other`) fits; `histogram` needs one bound that is not a bare number. */
export function detectBucketOrder(buckets: readonly string[], options: OrderOptions = {}): Exclude<BucketOrderKind, 'auto'> {
  const core = buckets.filter((b) => tail(b) === 0);
  const fallback = options.configOrder ? 'config' : 'alphabetical';
  if (core.length === 0) return fallback;
  if (core.every((b) => goVersionKey(b))) return 'goversion';
  if (core.every((b) => semverKey(b))) return 'version';
  if (core.every((b) => numberKey(b))) return 'number';
  if (core.every((b) => histogramKey(b))) return 'histogram';
  return fallback;
}

/**
 * Returns the buckets (deduplicated) in their canonical order for `kind`
 * (default `auto`). For a parsed kind, names that do not parse follow the
 * parsed ones in config order (else alphabetically), then `devel`, then
 * `other`. For `config`, buckets missing from the config follow it
 * alphabetically.
 */
export function orderBuckets(buckets: readonly string[], kind: BucketOrderKind = 'auto', options: OrderOptions = {}): string[] {
  const unique = [...new Set(buckets)];
  const k = kind === 'auto' ? detectBucketOrder(unique, options) : kind;
  const configIndex = new Map<string, number>();
  (options.configOrder ?? []).forEach((b, i) => {
    if (!configIndex.has(b)) configIndex.set(b, i);
  });
  const byConfigThenText = (a: string, b: string): number => {
    const ia = configIndex.get(a) ?? Infinity;
    const ib = configIndex.get(b) ?? Infinity;
    if (ia !== ib) return ia < ib ? -1 : 1;
    return compareText(a, b);
  };
  if (k === 'config') return unique.sort(byConfigThenText);
  if (k === 'alphabetical') return unique.sort((a, b) => tail(a) - tail(b) || compareText(a, b));
  const parse = PARSERS[k];
  const keys = new Map(unique.map((b) => [b, tail(b) === 0 ? parse(b) : null]));
  return unique.sort((a, b) => {
    const ta = tail(a);
    const tb = tail(b);
    if (ta !== tb) return ta - tb;
    const ka = keys.get(a) ?? null;
    const kb = keys.get(b) ?? null;
    if (ka && kb) return compareKeys(ka, kb) || compareText(a, b);
    if (ka) return -1;
    if (kb) return 1;
    return byConfigThenText(a, b);
  });
}

/**
 * The order kind for a chart: the Version chart of a toolchain program
 * (`cmd/...`) holds Go versions; GoVersion holds Go versions; histogram
 * charts order by bound; the rest is detected from the buckets.
 */
export function bucketOrderForChart(chart: string, chartType: string, program = ''): BucketOrderKind {
  if (chart === 'GoVersion') return 'goversion';
  if (chart === 'Version') return program.startsWith('cmd/') ? 'goversion' : 'version';
  if (chartType === 'histogram') return 'histogram';
  return 'auto';
}
