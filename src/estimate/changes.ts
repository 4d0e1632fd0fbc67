/**
 * Week-over-week change in a proportion (docs/methodology.md §5): the
 * Newcombe hybrid score interval for p₁ − p₂, the pooled score test,
 * false-discovery-rate adjustment across the build, and the flag rule.
 * The two weeks are treated as independent samples; because the same
 * installations recur, that makes the interval conservative.
 */
import { type Interval, wilsonWithZ } from './intervals.ts';
import { twoSidedPValue, zForConfidence } from './normal.ts';

function checkSample(x: number, n: number, which: string): void {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`${which}: n must be a positive integer, got ${n}`);
  if (!(Number.isInteger(x) && x >= 0 && x <= n)) throw new RangeError(`${which}: x must be an integer in [0, n], got ${x}`);
}

/** A difference of two proportions with its interval. */
export interface DifferenceEstimate {
  /** d = p̂₁ − p̂₂. */
  difference: number;
  interval: Interval;
}

/**
 * Newcombe (1998) hybrid score interval, method 10, for p₁ − p₂, built from
 * the Wilson intervals (l₁,u₁), (l₂,u₂) at `conf` (no continuity correction):
 * [d − √((p̂₁−l₁)² + (u₂−p̂₂)²), d + √((u₁−p̂₁)² + (p̂₂−l₂)²)].
 * Throws RangeError unless both n are positive integers and 0 <= x <= n.
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, conf = 0.95): DifferenceEstimate {
  checkSample(x1, n1, 'sample 1');
  checkSample(x2, n2, 'sample 2');
  const z = zForConfidence(conf);
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilsonWithZ(x1, n1, z);
  const [l2, u2] = wilsonWithZ(x2, n2, z);
  const d = p1 - p2;
  const lower = d - Math.hypot(p1 - l1, u2 - p2);
  const upper = d + Math.hypot(u1 - p1, p2 - l2);
  return { difference: d, interval: [Math.max(-1, lower), Math.min(1, upper)] };
}

/**
 * Two-sided p-value of the pooled score test of p₁ = p₂:
 * z = d / √(p̄(1−p̄)(1/n₁ + 1/n₂)), p = 2(1 − Φ(|z|)), accurate for small p.
 * When both samples are all 0 or all 1 there is no evidence of change: p = 1.
 */
export function scoreTestPValue(x1: number, n1: number, x2: number, n2: number): number {
  checkSample(x1, n1, 'sample 1');
  checkSample(x2, n2, 'sample 2');
  const pooled = (x1 + x2) / (n1 + n2);
  const v = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (v <= 0) return 1;
  return twoSidedPValue((x1 / n1 - x2 / n2) / Math.sqrt(v));
}

function checkPValues(pValues: readonly number[]): void {
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
}

/**
 * Benjamini–Hochberg adjusted p-values, in the input order: rejecting those
 * <= q controls the false discovery rate at q for independent or positively
 * dependent tests. Throws RangeError on a p-value outside [0, 1].
 * Step-up: adj_(i) = min_{j>=i} min(1, m·p_(j)/j).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  checkPValues(pValues);
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const out = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r]!;
    running = Math.min(running, (m * pValues[i]!) / (r + 1));
    out[i] = running;
  }
  return out;
}

/** One week's count for a bucket. */
export interface WeekCount {
  /** Systems with the bucket (x_b). */
  x: number;
  /** Eligible systems (n_b). */
  n: number;
  /** Whether the bucket is published that week (not grouped or hidden; a true 0 is published). */
  published: boolean;
}

/** Thresholds of the flag rule; the defaults are those of §5. */
export interface FlagOptions {
  /** Minimum n_b in each week (50). */
  minN?: number;
  /** FDR level for the BH-adjusted p-value (0.05). */
  q?: number;
  /** Minimum absolute change (0.01 = 1 point). */
  minAbsoluteChange?: number;
  /** Minimum change relative to the previous week's share (0.5 = 50%). */
  minRelativeChange?: number;
  /** Confidence of the Newcombe interval (0.95). */
  conf?: number;
}

/** A condition of the flag rule that did not hold. */
export type FlagFailure = 'notPublished' | 'smallSample' | 'notSignificant' | 'intervalIncludesZero' | 'smallChange';

/** The outcome of the flag rule for one bucket. */
export interface FlagResult {
  flag: boolean;
  /** Every condition that failed (empty when flagged). */
  failed: FlagFailure[];
  /** d = p̂_current − p̂_previous, or null when either n is 0. */
  difference: number | null;
  /** Newcombe interval for d, or null when either n is 0. */
  interval: Interval | null;
  /** The unadjusted score-test p-value, or null when either n is 0. */
  pValue: number | null;
  /** The BH-adjusted p-value used by the rule (NaN when the bucket was not tested). */
  adjustedP: number;
}

// Differences such as 0.29 − 0.28 land an ulp below 0.01; compare with this slack.
const SLACK = 1e-12;

/**
 * The §5 flag rule for one bucket, comparing the current week with the
 * previous one (d = p̂_current − p̂_previous). Flags only if: published in at
 * least one of the weeks (a value that appears, 0 -> p, or vanishes, p -> 0,
 * is a true 0 on one side, and a true 0 is published) with n >= minN in each;
 * BH-adjusted p <= q; the Newcombe interval excludes 0; and |d| >= 1 point or |d|/p̂_previous >= 50% (a previous share of
 * 0 counts as an infinite relative change). `adjustedP` must come from a BH
 * adjustment over every bucket tested in the build (see `flagChanges`).
 * Every failing condition is listed, not only the first; when either n is 0
 * only the conditions that can be evaluated are reported.
 */
export function flagChange(current: WeekCount, previous: WeekCount, adjustedP: number, options: FlagOptions = {}): FlagResult {
  const { minN = 50, q = 0.05, minAbsoluteChange = 0.01, minRelativeChange = 0.5, conf = 0.95 } = options;
  const failed: FlagFailure[] = [];
  if (!current.published && !previous.published) failed.push('notPublished');
  if (current.n < minN || previous.n < minN) failed.push('smallSample');
  if (!(adjustedP <= q)) failed.push('notSignificant');
  if (current.n === 0 || previous.n === 0) {
    // No difference is defined; the sample-size condition fails whatever minN is.
    if (!failed.includes('smallSample')) failed.push('smallSample');
    return { flag: false, failed, difference: null, interval: null, pValue: null, adjustedP };
  }
  const { difference: d, interval } = newcombe(current.x, current.n, previous.x, previous.n, conf);
  if (interval[0] <= 0 && interval[1] >= 0) failed.push('intervalIncludesZero');
  const pPrev = previous.x / previous.n;
  const absOk = Math.abs(d) >= minAbsoluteChange - SLACK;
  const relOk = d !== 0 && (pPrev === 0 || Math.abs(d) / pPrev >= minRelativeChange - SLACK);
  if (!absOk && !relOk) failed.push('smallChange');
  const pValue = scoreTestPValue(current.x, current.n, previous.x, previous.n);
  return { flag: failed.length === 0, failed, difference: d, interval, pValue, adjustedP };
}

/** A bucket compared across two weeks. */
export interface Comparison {
  current: WeekCount;
  previous: WeekCount;
}

/**
 * Applies the flag rule to every comparison of a build at once. The buckets
 * tested are those published in at least one of the weeks with n >= minN in
 * each; their
 * score-test p-values are BH-adjusted together (untested buckets get
 * adjustedP = NaN and are not flagged). Pass all of the build's comparisons
 * in one call so the adjustment spans the whole family.
 */
export function flagChanges(comparisons: readonly Comparison[], options: FlagOptions = {}): FlagResult[] {
  const minN = options.minN ?? 50;
  const tested: number[] = [];
  const raw: number[] = [];
  comparisons.forEach((c, i) => {
    if ((c.current.published || c.previous.published) && c.current.n >= minN && c.previous.n >= minN) {
      tested.push(i);
      raw.push(scoreTestPValue(c.current.x, c.current.n, c.previous.x, c.previous.n));
    }
  });
  const adjusted = new Array<number>(comparisons.length).fill(NaN);
  benjaminiHochberg(raw).forEach((p, k) => {
    adjusted[tested[k]!] = p;
  });
  return comparisons.map((c, i) => flagChange(c.current, c.previous, adjusted[i]!, options));
}
