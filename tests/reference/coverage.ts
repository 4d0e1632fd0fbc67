/**
 * Exact coverage of binomial interval methods (docs/methodology.md §3, §8):
 * Σ_x Binom(x; n, p)·1[p ∈ CI(x)], with no randomness, so tests can compare
 * methods deterministically.
 */
import type { Interval } from '../../src/estimate/intervals.ts';
import { binomialDeviance, stirlingError } from './special.ts';

/** An interval method for x successes out of n. */
export type IntervalMethod = (x: number, n: number) => Interval;

/**
 * ln Binom(x; n, p), computed in log space with Loader's saddle-point form
 * (Stirling errors and deviance terms instead of differences of large
 * log-gammas), so it stays accurate to ~1e-14 relative for n in the tens of thousands.
 */
export function binomialLogPmf(x: number, n: number, p: number): number {
  if (!Number.isInteger(x) || x < 0 || x > n) return -Infinity;
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (p === 1) return x === n ? 0 : -Infinity;
  const q = 1 - p;
  if (x === 0) return n * Math.log1p(-p);
  if (x === n) return n * Math.log(p);
  const lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - binomialDeviance(x, n * p) - binomialDeviance(n - x, n * q);
  return lc - 0.5 * (Math.log(2 * Math.PI) + Math.log(x) + Math.log1p(-x / n));
}

/**
 * The whole Binom(n, p) distribution as an array of n + 1 probabilities
 * (entries too small for a double are exactly 0).
 */
export function binomialPmf(n: number, p: number): Float64Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  const out = new Float64Array(n + 1);
  for (let x = 0; x <= n; x++) out[x] = Math.exp(binomialLogPmf(x, n, p));
  return out;
}

/**
 * Exact coverage Σ_x Binom(x; n, p)·1[lo(x) <= p <= hi(x)] of `method` at (n, p).
 * Values of x whose probability underflows a double are skipped (they cannot
 * change the sum), so expensive methods are only evaluated where it matters.
 */
export function exactCoverage(n: number, p: number, method: IntervalMethod): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  let total = 0;
  for (let x = 0; x <= n; x++) {
    const lp = binomialLogPmf(x, n, p);
    if (lp < -745) continue; // exp underflows to 0
    const [lo, hi] = method(x, n);
    if (lo <= p && p <= hi) total += Math.exp(lp);
  }
  return total;
}

/**
 * Mean and minimum exact coverage of `method` over a grid of p values at
 * fixed n. Each interval is computed once and reused for every p, since it
 * depends only on x.
 */
export function coverageOverGrid(n: number, ps: readonly number[], method: IntervalMethod): { mean: number; min: number } {
  if (ps.length === 0) throw new RangeError('the grid of p values is empty');
  const cache = new Array<Interval | undefined>(n + 1);
  const cached: IntervalMethod = (x) => (cache[x] ??= method(x, n));
  let sum = 0;
  let min = Infinity;
  for (const p of ps) {
    const c = exactCoverage(n, p, cached);
    sum += c;
    if (c < min) min = c;
  }
  return { mean: sum / ps.length, min };
}
