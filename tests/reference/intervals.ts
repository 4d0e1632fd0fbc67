/**
 * Reference implementations of binomial intervals the build does not publish
 * (docs/methodology.md §3): Goodman simultaneous intervals, Clopper–Pearson,
 * Jeffreys, Agresti–Coull, and Wald as a negative control for the coverage
 * tests. The published method, Wilson, is src/estimate/intervals.ts.
 */
import { checkCounts, type Interval, wilsonWithZ } from '../../src/estimate/intervals.ts';
import { normalQuantileUpper, zForConfidence } from '../../src/estimate/normal.ts';
import { clamp01 } from '../../src/lib/clamp.ts';
import { betaQuantile } from './special.ts';

/**
 * Goodman simultaneous intervals for k buckets: per-bucket Wilson intervals
 * with z = z_{1−α/(2k)} (Bonferroni), so all k cover together with
 * probability >= conf even when buckets overlap.
 */
export function goodman(counts: readonly number[], n: number, conf = 0.95): Interval[] {
  if (counts.length === 0) return [];
  if (!(conf > 0 && conf < 1)) throw new RangeError(`confidence must be in (0, 1), got ${conf}`);
  const z = normalQuantileUpper((1 - conf) / (2 * counts.length));
  return counts.map((x) => {
    checkCounts(x, n, true);
    return wilsonWithZ(x, n, z);
  });
}

/**
 * Clopper–Pearson ("exact") equal-tailed interval from beta quantiles,
 * accurate to ~1e-12; lower 0 at x = 0, upper 1 at x = n. Coverage is at
 * least `conf` for every p, so it backs guaranteed-coverage claims.
 */
export function clopperPearson(x: number, n: number, conf = 0.95): Interval {
  checkCounts(x, n, true);
  const alpha = checkedAlpha(conf);
  const lo = x === 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1);
  // Upper bound via the mirrored lower quantile, so both tails use the small probability α/2.
  const hi = x === n ? 1 : 1 - betaQuantile(alpha / 2, n - x, x + 1);
  return [lo, hi];
}

/**
 * Jeffreys interval: equal-tailed Beta(x + ½, n − x + ½) quantiles, with
 * lower 0 at x = 0 and upper 1 at x = n.
 */
export function jeffreys(x: number, n: number, conf = 0.95): Interval {
  checkCounts(x, n, true);
  const alpha = checkedAlpha(conf);
  const lo = x === 0 ? 0 : betaQuantile(alpha / 2, x + 0.5, n - x + 0.5);
  const hi = x === n ? 1 : 1 - betaQuantile(alpha / 2, n - x + 0.5, x + 0.5);
  return [lo, hi];
}

/**
 * Agresti–Coull interval: ñ = n + z², p̃ = (x + z²/2)/ñ, p̃ ± z·√(p̃(1−p̃)/ñ),
 * clipped to [0, 1].
 */
export function agrestiCoull(x: number, n: number, conf = 0.95): Interval {
  checkCounts(x, n, true);
  const z = zForConfidence(conf);
  const nt = n + z * z;
  const pt = (x + (z * z) / 2) / nt;
  const half = z * Math.sqrt((pt * (1 - pt)) / nt);
  return [clamp01(pt - half), clamp01(pt + half)];
}

/**
 * Wald interval p̂ ± z·√(p̂(1−p̂)/n), clipped to [0, 1]; n = 0 gives [0, 1].
 * NEGATIVE CONTROL ONLY: it badly under-covers for small n or p near 0 or 1
 * (e.g. [0, 0] at x = 0). Tests use it to show that the coverage checks can
 * catch a bad method; never publish it.
 */
export function wald(x: number, n: number, conf = 0.95): Interval {
  checkCounts(x, n, true);
  if (n === 0) return [0, 1];
  const z = zForConfidence(conf);
  const p = x / n;
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return [clamp01(p - half), clamp01(p + half)];
}

function checkedAlpha(conf: number): number {
  if (!(conf > 0 && conf < 1)) throw new RangeError(`confidence must be in (0, 1), got ${conf}`);
  return 1 - conf;
}
