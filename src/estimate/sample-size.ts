/**
 * Sample sizes and precision notes (docs/methodology.md §4 and its
 * precision note), all for the worst case p = 0.5 unless p is given.
 * Further sample-size formulas of §4 are reference implementations in
 * tests/reference/sample-size.ts.
 */
import { z99, zForConfidence } from './normal.ts';

/** z²·p(1−p)/E² before rounding up. */
export function requiredSampleSizeRaw(halfWidth: number, conf = 0.95, p = 0.5): number {
  if (!(halfWidth > 0)) throw new RangeError(`half-width must be > 0, got ${halfWidth}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  const z = zForConfidence(conf);
  return (z * z * p * (1 - p)) / (halfWidth * halfWidth);
}

/**
 * Required n = ⌈z²·p(1−p)/E²⌉ for a (normal-approximation) half-width E
 * (absolute, as a proportion: 0.01 = 1 point) at confidence `conf`.
 * With weights, read the result as the required n_eff.
 */
export function requiredSampleSize(halfWidth: number, conf = 0.95, p = 0.5): number {
  // Guard against a raw value an ulp above an integer being rounded up a whole unit.
  const raw = requiredSampleSizeRaw(halfWidth, conf, p);
  return Math.ceil(raw - 1e-9 * Math.max(1, raw));
}

/** n for ±1 point at 99% confidence: ⌈z99²·0.25/0.0001⌉ = 16,588. */
export const PRECISION_NOTE_THRESHOLD: number = requiredSampleSize(0.01, 0.99);

/** Below this n (or n_eff) a chart shows counts only. */
export const COUNTS_ONLY_BELOW = 50;

/** What the §6 precision note says for a chart based on N reports (or n_eff). */
export interface PrecisionNote {
  /** 'countsOnly' when N < 50; 'note' when N < 16,588; 'none' otherwise. */
  kind: 'countsOnly' | 'note' | 'none';
  n: number;
  /** M = 100·z99·0.5/√N: the worst-case 99% half-width in percentage points. */
  marginPoints: number;
  /** 16,588, the N needed for ±1 point at 99%. */
  threshold: number;
}

/**
 * The numbers of the precision note "Based on N reports; the true value is
 * within ±M points with 99% confidence (±1 point needs 16,588)".
 */
export function precisionNote(n: number): PrecisionNote {
  if (!(n >= 0)) throw new RangeError(`n must be >= 0, got ${n}`);
  const marginPoints = (100 * z99 * 0.5) / Math.sqrt(n);
  const kind = n < COUNTS_ONLY_BELOW ? 'countsOnly' : n < PRECISION_NOTE_THRESHOLD ? 'note' : 'none';
  return { kind, n, marginPoints, threshold: PRECISION_NOTE_THRESHOLD };
}
