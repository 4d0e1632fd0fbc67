/**
 * Delta-method (normal-approximation) intervals for means and ratios
 * (docs/methodology.md §1 and §3: mean events, means of ratios, ratios of totals), computed from
 * sufficient statistics so that a streaming reducer only has to keep sums.
 *
 * With no events at all (x = 0) the delta method gives [0, 0]; zeroEventShare
 * and zeroMeanEvents give upper bounds instead.
 *
 * Degenerate inputs never produce NaN: with fewer than 2 systems (no variance
 * estimate) or a zero denominator total, the functions return null.
 * Sums of squares lose precision when the mean is huge relative to the
 * spread; a slightly negative variance from rounding is treated as 0.
 */
import { histTopShare } from '../reduce/histogram.ts';
import type { Interval } from './intervals.ts';
import { zForConfidence } from './normal.ts';

/** A point estimate with its standard error and interval. */
export interface DeltaEstimate {
  estimate: number;
  /** Standard error of the estimate. */
  se: number;
  interval: Interval;
  /** Number of systems the estimate rests on. */
  n: number;
}

/** Sufficient statistics of one variable: count, Σv and Σv². */
export interface MomentSums {
  n: number;
  sum: number;
  sumSq: number;
}

/** Sufficient statistics for a ratio of totals: Σ over systems of P, N, P², N², P·N. */
export interface RatioSums {
  n: number;
  sumP: number;
  sumN: number;
  sumP2: number;
  sumN2: number;
  sumPN: number;
}

/** Σv and Σv² of `values` (a convenience for tests and small inputs). */
export function momentSums(values: ArrayLike<number>): MomentSums {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    sum += v;
    sumSq += v * v;
  }
  return { n: values.length, sum, sumSq };
}

/** The RatioSums of paired per-system values P_i, N_i (same length). */
export function ratioSums(p: ArrayLike<number>, nDen: ArrayLike<number>): RatioSums {
  if (p.length !== nDen.length) throw new RangeError('P and N must have the same length');
  const s: RatioSums = { n: p.length, sumP: 0, sumN: 0, sumP2: 0, sumN2: 0, sumPN: 0 };
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = nDen[i]!;
    s.sumP += a;
    s.sumN += b;
    s.sumP2 += a * a;
    s.sumN2 += b * b;
    s.sumPN += a * b;
  }
  return s;
}

function checkN(n: number): boolean {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  return n >= 2;
}

/** Sample mean and standard error s/√n from sums, or null when n < 2. */
function meanAndSe(s: MomentSums): { mean: number; se: number } | null {
  if (!checkN(s.n)) return null;
  const mean = s.sum / s.n;
  const ss = Math.max(0, s.sumSq - s.sum * mean); // Σ(v − v̄)²
  return { mean, se: Math.sqrt(ss / (s.n - 1) / s.n) };
}

/**
 * Mean events per system m = Σc/n with interval m ± z·s/√n, where n counts
 * every eligible system including those with zero events. The lower bound is
 * clipped at 0 because counts cannot be negative. Null when n < 2.
 */
export function meanEvents(sums: MomentSums, conf = 0.95): DeltaEstimate | null {
  const m = meanAndSe(sums);
  if (m === null) return null;
  const half = zForConfidence(conf) * m.se;
  return { estimate: m.mean, se: m.se, interval: [Math.max(0, m.mean - half), m.mean + half], n: sums.n };
}

/**
 * Mean of per-system ratios r̄ = Σr/n (only systems with N_i > 0 counted in n)
 * with interval r̄ ± z·s_r/√n. Null when n < 2.
 */
export function meanOfRatios(sums: MomentSums, conf = 0.95): DeltaEstimate | null {
  const m = meanAndSe(sums);
  if (m === null) return null;
  const half = zForConfidence(conf) * m.se;
  return { estimate: m.mean, se: m.se, interval: [m.mean - half, m.mean + half], n: sums.n };
}

/**
 * Ratio of totals R = ΣP/ΣN with the delta-method standard error
 * SE(R) = √(Σ(P − R·N)²/(n(n−1))) / N̄, where Σ(P − R·N)² is expanded as
 * ΣP² − 2R·ΣPN + R²·ΣN². Null when n < 2 or ΣN <= 0.
 */
export function ratioOfTotals(sums: RatioSums, conf = 0.95): DeltaEstimate | null {
  if (!checkN(sums.n) || !(sums.sumN > 0)) return null;
  const r = sums.sumP / sums.sumN;
  const resid = Math.max(0, sums.sumP2 - 2 * r * sums.sumPN + r * r * sums.sumN2);
  const se = Math.sqrt(resid / (sums.n * (sums.n - 1))) / (sums.sumN / sums.n);
  const half = zForConfidence(conf) * se;
  return { estimate: r, se, interval: [r - half, r + half], n: sums.n };
}

/**
 * Share of the total held by the top 1% of systems (the ⌈n/100⌉ largest
 * values; at least one system). 0 when the total is 0. This cannot be derived
 * from sums, so a reducer must compute it from the per-system values.
 */
export function top1PercentShare(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i]!;
  if (!(total > 0)) return 0;
  const k = Math.max(1, Math.ceil(n / 100));
  let top = 0;
  for (let i = n - k; i < n; i++) top += sorted[i]!;
  return top / total;
}

/**
 * top1PercentShare from a histogram of the counts (reduce/histogram.ts) of n
 * systems, those without events included: the ⌈n/100⌉ largest counts, each at
 * its bin's value (within 9.05% of the count), over the exact total `events`.
 */
export function top1PercentShareOfHist(hist: readonly number[], n: number, events: number): number {
  return histTopShare(hist, Math.max(1, Math.ceil(n / 100)), events);
}

/** Why an interval is marked approximate. */
export type ApproximateReason = 'smallSample' | 'concentrated';

/**
 * The §3 "approximate" marker for mean intervals, which under-cover with
 * heavy tails: approximate when n < 500 or when the top 1% of systems hold
 * more than half of the events (top-1% share > 0.5, an input because it
 * needs the per-system values or their histogram: top1PercentShareOfHist).
 * Such estimates are published with the median and 90th percentile.
 */
export function approximateMarker(n: number, top1Share: number): { approximate: boolean; reasons: ApproximateReason[] } {
  const reasons: ApproximateReason[] = [];
  if (n < 500) reasons.push('smallSample');
  if (top1Share > 0.5) reasons.push('concentrated');
  return { approximate: reasons.length > 0, reasons };
}

/**
 * Kish's effective number of installations behind a chart's events,
 * (ΣT)²/ΣT²: the event share s_b = Σc_b/ΣT is a mean of per-installation
 * fractions c_b/T weighted by T, so a few installations holding most events
 * leave few effective observations. 0 when there are no events.
 */
export function eventsEffectiveN(tot: number, tot2: number): number {
  return tot > 0 && tot2 > 0 ? (tot * tot) / tot2 : 0;
}

/**
 * The event share of a bucket no eligible installation had (x = 0), with an
 * upper bound instead of the delta method's [0, 0] (docs/methodology.md §3):
 * Wilson's bound at x = 0 with the chart's effective number of installations,
 * [0, z²/(n_eff + z²)], n_eff = (ΣT)²/ΣT² (eventsEffectiveN). This is the
 * closed form the site uses for weighted estimates (Wilson with n_eff), here
 * with weights T. With one event per installation n_eff is the number of
 * events and the bound is Wilson's z²/(ΣT + z²) ≈ 3.84/ΣT (Clopper-Pearson's
 * 1 − (α/2)^(1/ΣT) ≈ 3.69/ΣT is a little tighter); when a few installations
 * hold most events it widens, as a bucket seen nowhere could be one of theirs.
 * Null when the chart has no events (no share of events exists).
 */
export function zeroEventShare(chart: { n: number; tot: number; tot2: number }, conf = 0.95): DeltaEstimate | null {
  const nEff = eventsEffectiveN(chart.tot, chart.tot2);
  if (!(nEff > 0) || !checkN(chart.n)) return null;
  const z2 = zForConfidence(conf) ** 2;
  return { estimate: 0, se: 0, interval: [0, z2 / (nEff + z2)], n: chart.n };
}

/**
 * Mean events per installation of a bucket no eligible installation had
 * (x = 0), with an upper bound instead of [0, 0] (docs/methodology.md §3).
 * m_b is the bucket's event share times the chart's mean events per
 * installation, m_b = s_b · ΣT/n, so its bound is the event share's
 * (zeroEventShare) times ΣT/n. It is never below Wilson's bound on the share
 * of installations with any event of the bucket, z²/(n + z²) ≈ 3.84/n, since
 * each such installation has at least one event; that bound alone is the
 * answer when the chart has no events. No sample of zeros bounds a mean
 * without an assumption (a bucket could live only on a few installations with
 * huge counts); this one assumes the bucket's events spread over
 * installations like the chart's own. Null when n < 2, as for meanEvents.
 */
export function zeroMeanEvents(chart: { n: number; tot: number; tot2: number }, conf = 0.95): DeltaEstimate | null {
  if (!checkN(chart.n)) return null;
  const z2 = zForConfidence(conf) ** 2;
  const anyEvent = z2 / (chart.n + z2);
  const share = zeroEventShare(chart, conf);
  const upper = share ? Math.max(anyEvent, share.interval[1] * (chart.tot / chart.n)) : anyEvent;
  return { estimate: 0, se: 0, interval: [0, upper], n: chart.n };
}
