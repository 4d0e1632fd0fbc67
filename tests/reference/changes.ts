/**
 * Multiple-testing adjustments the build does not use (docs/methodology.md
 * §5 uses Benjamini–Hochberg, src/estimate/changes.ts).
 */
import { benjaminiHochberg } from '../../src/estimate/changes.ts';

/**
 * Benjamini–Yekutieli adjusted p-values, in the input order: controls the
 * false discovery rate under arbitrary dependence. BY is the BH step-up with
 * every m·p_(j)/j scaled by c = Σ_{i<=m} 1/i; since c >= 1 and BH caps at 1,
 * that is min(1, c·BH).
 */
export function benjaminiYekutieli(pValues: readonly number[]): number[] {
  let c = 0;
  for (let i = 1; i <= pValues.length; i++) c += 1 / i;
  return benjaminiHochberg(pValues).map((p) => Math.min(1, c * p));
}

/** Which adjusted p-values are rejected at level q (adjusted p <= q). */
export function rejectedAt(adjusted: readonly number[], q = 0.05): boolean[] {
  return adjusted.map((p) => p <= q);
}
