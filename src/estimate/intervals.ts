/**
 * Confidence intervals for a binomial proportion (docs/methodology.md §3):
 * Wilson without continuity correction, the method for every published
 * proportion. Other methods (Clopper–Pearson, Jeffreys, Agresti–Coull, Wald,
 * Goodman) are reference implementations in tests/reference/.
 */
import { clamp01 } from '../lib/clamp.ts';
import { zForConfidence } from './normal.ts';

/** A closed interval [lower, upper]. */
export type Interval = readonly [number, number];

/** Throws RangeError unless 0 <= x <= n are finite (and integers when `integer`). */
export function checkCounts(x: number, n: number, integer: boolean): void {
  if (!(Number.isFinite(n) && n >= 0)) throw new RangeError(`n must be a finite number >= 0, got ${n}`);
  if (!(Number.isFinite(x) && x >= 0 && x <= n)) throw new RangeError(`x must be in [0, n], got x=${x}, n=${n}`);
  if (integer && !(Number.isInteger(x) && Number.isInteger(n))) {
    throw new RangeError(`x and n must be integers, got x=${x}, n=${n}`);
  }
}

/**
 * Wilson score interval for x successes in n trials at critical value z.
 * x and n need not be integers (the Kish form passes p_w·n_eff and n_eff).
 * Lower is exactly 0 at x = 0, upper exactly 1 at x = n; n = 0 gives [0, 1].
 */
export function wilsonWithZ(x: number, n: number, z: number): Interval {
  checkCounts(x, n, false);
  if (n === 0) return [0, 1];
  const p = x / n;
  const z2n = (z * z) / n;
  const denom = 1 + z2n;
  const center = (p + z2n / 2) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / denom;
  return [x === 0 ? 0 : clamp01(center - half), x === n ? 1 : clamp01(center + half)];
}

/**
 * Wilson score interval (no continuity correction) for x of n at confidence
 * `conf`. Lower is exactly 0 at x = 0, upper exactly 1 at x = n; n = 0 gives [0, 1].
 */
export function wilson(x: number, n: number, conf = 0.95): Interval {
  checkCounts(x, n, true);
  return wilsonWithZ(x, n, zForConfidence(conf));
}

/**
 * Kish-form Wilson interval for a weighted proportion: Wilson with n := n_eff
 * and x := p_w·n_eff (not necessarily an integer). Conservative when the
 * weights' strata predict the outcome (§6).
 */
export function wilsonWeighted(pWeighted: number, nEff: number, conf = 0.95): Interval {
  if (!(pWeighted >= 0 && pWeighted <= 1)) throw new RangeError(`weighted proportion must be in [0, 1], got ${pWeighted}`);
  // p_w·n_eff can exceed n_eff by an ulp when p_w = 1; keep x inside [0, n].
  const x = pWeighted === 1 ? nEff : Math.min(pWeighted * nEff, nEff);
  return wilsonWithZ(x, nEff, zForConfidence(conf));
}
