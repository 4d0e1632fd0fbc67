/**
 * Small seeded samplers for the simulation tests (not part of the estimators).
 */
import { binomialPmf } from '../reference/coverage.ts';
import { normalQuantile } from '../../src/estimate/normal.ts';
import type { Rng } from '../../src/lib/random.ts';

/** Poisson(λ) by Knuth's product of uniforms; fine for the small λ used in tests. */
export function poisson(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let prod = rng.nextDouble();
  while (prod > limit) {
    k++;
    prod *= rng.nextDouble();
  }
  return k;
}

/** Binomial(n, p) as a sum of n Bernoulli draws (n is small in the tests that use it). */
export function binomial(rng: Rng, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) x++;
  return x;
}

/** Standard normal by inversion. */
export function normal(rng: Rng): number {
  return normalQuantile(rng.nextDouble());
}

/** An index drawn with probabilities given by cumulative shares (see `cumulativeOf`). */
export function categorical(rng: Rng, cumulative: readonly number[]): number {
  const u = rng.next();
  for (let k = 0; k < cumulative.length - 1; k++) if (u < cumulative[k]!) return k;
  return cumulative.length - 1;
}

/** Running sums of `shares`, for `categorical`. */
export function cumulativeOf(shares: readonly number[]): number[] {
  let s = 0;
  return shares.map((v) => (s += v));
}

/**
 * A Binomial(n, p) sampler by inversion of the exact CDF table (one uniform
 * per draw, O(log n) per draw after an O(n) set-up), so that thousands of
 * draws with n = 16,000 cost almost nothing.
 */
export function binomialSampler(n: number, p: number): (rng: Rng) => number {
  const cdf = binomialPmf(n, p);
  for (let x = 1; x <= n; x++) cdf[x] = cdf[x]! + cdf[x - 1]!;
  return (rng) => {
    const u = rng.nextDouble();
    let lo = 0;
    let hi = n;
    // Smallest x with cdf[x] > u (n when rounding leaves cdf[n] just below 1).
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
