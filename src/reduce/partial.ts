/**
 * The per-day partial aggregate: everything the estimates need from one
 * archive file, as sums that add up across days. It is what the day reducer
 * writes to `<cache>/partials/<spec>/<day>.<sha256>.json` and what a week's
 * estimates are computed from.
 *
 * Layout (DayPartial, below; every field is documented where it is declared):
 *
 *     DayPartial   the day, its file hash, the spec and pipeline version it was made under,
 *                  the Ledger (what happened to every line) and, per program,
 *     ProgramPartial   reports counted, then per chart:
 *       meta     the four metadata charts (Version, GOOS, GOARCH, GoVersion)  -> ChartPartial
 *       charts   counter charts of the upload config                          -> ChartPartial
 *       stacks   stack charts: stack text -> reports holding it and their events,
 *                and stack text -> Version group -> reports holding it
 *       strata   with a reference population: counts per stratum cell (skew adjustment)
 *       breakdowns   per dimension (Version, GOOS, GoVersion), group and counter chart:
 *                    eligible reports n and, per bucket, reports x -> BreakdownCell
 *     ChartPartial  eligible reports n, those with events nPos, ΣT, ΣT² and,
 *                   per bucket, its BucketSums (with, on counter charts, a
 *                   histogram of the per-report counts: histogram.ts)
 *
 * Every number is a sum over reports (or, for BucketSums.max, a maximum; a
 * histogram's entries are report counts per bin, summed bin by bin), so
 * the partial of a week is the sum of its days' partials; a removed
 * re-upload is subtracted, which sums allow.
 *
 * Merging: an aggregate of several days is the set of their partials (keyed
 * by day), and its totals are summed in day order. Merging is set union, so
 * it is associative, commutative and idempotent exactly (floating-point sums
 * are always taken in the same order, whatever the merge order), and a
 * rebuild replaces only the days whose file changed.
 *
 * Every object keyed by a name (program, chart, bucket, metadata value,
 * stack, cell key, breakdown group, ledger reason and detail) is made without a prototype
 * (lib/dict.ts); partials read back from the cache are only iterated by
 * their own entries. A change to this format bumps PIPELINE_VERSION
 * (spec.ts), so cached partials of the old format are not read.
 */
import type { Day } from '../lib/dates.ts';
import { dict } from '../lib/dict.ts';
import type { RejectedLines } from '../parse/rejects.ts';
import { mergeHist } from './histogram.ts';
import { type BreakdownDimension, METADATA_CHARTS, type MetadataChart } from './spec.ts';

/**
 * Sums over a chart's eligible reports i for one bucket, with c = the
 * bucket's count in report i and T = the chart's total in report i. For a
 * metadata chart c is 1 for each value a report names and T the number of
 * distinct values it names (usually 1).
 */
export interface BucketSums {
  /** Reports with c > 0. */
  reports: number;
  /** Σc: the bucket's events. */
  sum: number;
  /** Σc². */
  sumSq: number;
  /** Σc·T. */
  sumTimesTotal: number;
  /** Σ c/T over reports with T > 0: the bucket's fraction of each report's events. */
  sumFraction: number;
  /** Σ (c/T)². */
  sumFractionSq: number;
  /** The largest c of one report; merged by max, not sum (an upper bound once a re-upload is removed). */
  max: number;
  /**
   * Counter charts only: the reports with c > 0 by count, in fixed log-spaced
   * bins (four per doubling), stored as flat [bin, reports, ...] pairs, bins
   * ascending (histogram.ts). Merged by adding equal bins; its reports add up
   * to `reports`. Absent on metadata charts, where c is always 1.
   */
  hist?: number[];
}

export function emptyBucketSums(): BucketSums {
  return { reports: 0, sum: 0, sumSq: 0, sumTimesTotal: 0, sumFraction: 0, sumFractionSq: 0, max: 0 };
}

export interface ChartPartial {
  /** Eligible reports. */
  n: number;
  /** Eligible reports with T > 0. */
  nPos: number;
  /** ΣT and ΣT². */
  tot: number;
  tot2: number;
  buckets: Record<string, BucketSums>;
}

interface StackPartial {
  /** Eligible reports. */
  n: number;
  /** Stack text -> [reports with it, Σ count]. */
  stacks: Record<string, [number, number]>;
  /**
   * Stack text -> Version group (major.minor, as the Version chart groups
   * them) -> reports holding the stack in a program report of that group. A
   * report with the stack in program reports of two groups counts in both.
   * Empty for the Go toolchain, which has no Version.
   */
  versions: Record<string, Record<string, number>>;
}

/** Counts of the reports in one stratum cell (one category per stratum dimension). */
export interface StratumCell {
  /** Reports of the program. */
  n: number;
  /** Counter chart -> eligible reports and, per bucket, reports with it. */
  charts: Record<string, { n: number; x: Record<string, number> }>;
  /** Metadata chart -> value -> reports with it. */
  meta: Record<string, Record<string, number>>;
}

export interface Strata {
  /** The stratum dimensions, in the order of the parts of a cell key. */
  dims: string[];
  /** Cell key (categories joined by CELL_SEPARATOR; "" for unknown) -> counts. */
  cells: Record<string, StratumCell>;
}

export const CELL_SEPARATOR = '\u001f';

/**
 * One counter chart of one breakdown group (docs/methodology.md §2): n is
 * the chart's eligible reports that have a program report in the group,
 * eligibility taken over those program reports (X <= min(SampleRate, Rate),
 * and one of them runs a version that can carry the chart); x, per bucket,
 * those whose program reports in the group have a count of it. A report with
 * program reports in two groups counts in both, each with its own counters.
 */
export interface BreakdownCell {
  n: number;
  /** Bucket -> reports with it; buckets without any are left out. */
  x: Record<string, number>;
}

/** Dimension -> group (as the metadata chart groups values) -> counter chart -> cell; empty groups and charts are left out. */
export type Breakdowns = Partial<Record<BreakdownDimension, Record<string, Record<string, BreakdownCell>>>>;

export interface ProgramPartial {
  /** Reports of the program counted in its estimates. */
  reports: number;
  meta: Record<MetadataChart, ChartPartial>;
  charts: Record<string, ChartPartial>;
  stacks: Record<string, StackPartial>;
  /** Present when the build has a reference population with dimensions for the program. */
  strata?: Strata;
  breakdowns: Breakdowns;
}

/** What happened to every line of one day file; `rejected` and `examples` are parse's (parse/rejects.ts). */
export interface Ledger extends RejectedLines {
  bytes: number;
  lines: number;
  /** Reports counted, once each. */
  accepted: number;
  /** Lines repeating an earlier report's X with identical bytes (a re-upload), not counted again. */
  duplicates: number;
  /** Lines repeating an earlier X with different content: the last one read replaced the earlier one. */
  duplicatesDiffering: number;
  /** Parts of accepted reports left out of the estimates: reason -> detail -> count. */
  excluded: Record<string, Record<string, number>>;
}

export interface DayPartial {
  pipelineVersion: number;
  spec: string;
  day: Day;
  sha256: string;
  ledger: Ledger;
  /** Accepted reports with X <= SampleRate. */
  reports: number;
  programs: Record<string, ProgramPartial>;
}

/** Several days' partials; merge is union. */
type Aggregate = ReadonlyMap<Day, DayPartial>;

export function aggregateOf(parts: Iterable<DayPartial>): Aggregate {
  let agg: Aggregate = new Map();
  for (const p of parts) agg = merge(agg, new Map([[p.day, p]]));
  return agg;
}

/** Union of two aggregates. The same day twice must be the same partial (same file and spec). */
export function merge(a: Aggregate, b: Aggregate): Aggregate {
  const out = new Map(a);
  for (const [day, p] of b) {
    const q = out.get(day);
    if (q && (q.sha256 !== p.sha256 || q.spec !== p.spec)) {
      throw new Error(`cannot merge two different partials of ${day} (files ${q.sha256.slice(0, 12)} and ${p.sha256.slice(0, 12)})`);
    }
    out.set(day, q ?? p);
  }
  return out;
}

export interface Totals {
  days: Day[];
  reports: number;
  programs: Record<string, ProgramPartial>;
}

/** Sums an aggregate, in day order so the floating-point result never depends on merge order. */
export function totals(agg: Aggregate): Totals {
  const days = [...agg.keys()].sort();
  const programs = dict<ProgramPartial>();
  let reports = 0;
  for (const day of days) {
    const p = agg.get(day)!;
    reports += p.reports;
    for (const [name, prog] of Object.entries(p.programs)) {
      const into = (programs[name] ??= emptyProgram());
      into.reports += prog.reports;
      for (const k of METADATA_CHARTS) addChart(into.meta[k], prog.meta[k]);
      for (const [c, chart] of Object.entries(prog.charts)) addChart((into.charts[c] ??= emptyChart()), chart);
      for (const [c, st] of Object.entries(prog.stacks)) {
        const t = (into.stacks[c] ??= { n: 0, stacks: dict(), versions: dict() });
        t.n += st.n;
        for (const [k, v] of Object.entries(st.stacks)) {
          const e = (t.stacks[k] ??= [0, 0]);
          e[0] += v[0];
          e[1] += v[1];
        }
        for (const [k, groups] of Object.entries(st.versions)) {
          const e = (t.versions[k] ??= dict());
          for (const [g, r] of Object.entries(groups)) e[g] = (e[g] ?? 0) + r;
        }
      }
      if (prog.strata) addStrata((into.strata ??= { dims: prog.strata.dims, cells: dict() }), prog.strata);
      addBreakdowns(into.breakdowns, prog.breakdowns);
    }
  }
  return { days, reports, programs };
}

function addStrata(into: Strata, s: Strata) {
  for (const [key, cell] of Object.entries(s.cells)) {
    const t = (into.cells[key] ??= { n: 0, charts: dict(), meta: dict() });
    t.n += cell.n;
    for (const [c, ch] of Object.entries(cell.charts)) {
      const tc = (t.charts[c] ??= { n: 0, x: dict() });
      tc.n += ch.n;
      for (const [b, x] of Object.entries(ch.x)) tc.x[b] = (tc.x[b] ?? 0) + x;
    }
    for (const [m, values] of Object.entries(cell.meta)) {
      const tm = (t.meta[m] ??= dict());
      for (const [v, x] of Object.entries(values)) tm[v] = (tm[v] ?? 0) + x;
    }
  }
}

/** Adds breakdown cells into `into`, cell by cell. */
function addBreakdowns(into: Breakdowns, b: Breakdowns) {
  for (const [dim, groups] of Object.entries(b) as [BreakdownDimension, Record<string, Record<string, BreakdownCell>>][]) {
    const tg = (into[dim] ??= dict());
    for (const [group, charts] of Object.entries(groups)) {
      const tc = (tg[group] ??= dict());
      for (const [chart, cell] of Object.entries(charts)) {
        const t = (tc[chart] ??= { n: 0, x: dict() });
        t.n += cell.n;
        for (const [bucket, x] of Object.entries(cell.x)) t.x[bucket] = (t.x[bucket] ?? 0) + x;
      }
    }
  }
}

export function emptyChart(): ChartPartial {
  return { n: 0, nPos: 0, tot: 0, tot2: 0, buckets: dict() };
}

export function emptyProgram(): ProgramPartial {
  return {
    reports: 0,
    meta: { Version: emptyChart(), GOOS: emptyChart(), GOARCH: emptyChart(), GoVersion: emptyChart() },
    charts: dict(),
    stacks: dict(),
    breakdowns: {},
  };
}

function addChart(into: ChartPartial, c: ChartPartial) {
  into.n += c.n;
  into.nPos += c.nPos;
  into.tot += c.tot;
  into.tot2 += c.tot2;
  for (const [b, s] of Object.entries(c.buckets)) {
    const t = (into.buckets[b] ??= emptyBucketSums());
    t.reports += s.reports;
    t.sum += s.sum;
    t.sumSq += s.sumSq;
    t.sumTimesTotal += s.sumTimesTotal;
    t.sumFraction += s.sumFraction;
    t.sumFractionSq += s.sumFractionSq;
    t.max = Math.max(t.max, s.max);
    if (s.hist) t.hist = t.hist ? mergeHist(t.hist, s.hist) : [...s.hist];
  }
}

export function emptyLedger(): Ledger {
  return { bytes: 0, lines: 0, accepted: 0, duplicates: 0, duplicatesDiffering: 0, rejected: dict(), examples: dict(), excluded: dict() };
}
