/**
 * Sample-size formulas of docs/methodology.md §4 that the build does not use
 * (the build uses the precision note, src/estimate/sample-size.ts).
 */
import { normalUpperTail, zForConfidence } from '../../src/estimate/normal.ts';

/**
 * Uploads needed so that n reports remain eligible for a counter with rate r
 * under upload sample rate S: ⌈n·S/min(r, S)⌉.
 */
export function requiredUploads(nEligible: number, counterRate: number, sampleRate = 1): number {
  if (!(counterRate > 0 && sampleRate > 0)) throw new RangeError('rates must be > 0');
  return Math.ceil((nEligible * sampleRate) / Math.min(counterRate, sampleRate) - 1e-9);
}

/** Worst-case (p = 0.5) half-width z·0.5/√n at n reports; Infinity at n = 0. */
export function worstCaseHalfWidth(n: number, conf = 0.95): number {
  if (!(n >= 0)) throw new RangeError(`n must be >= 0, got ${n}`);
  return (zForConfidence(conf) * 0.5) / Math.sqrt(n);
}

/**
 * The confidence at which the worst-case half-width at n equals `halfWidth`:
 * 2Φ(2E√n) − 1 (e.g. ±1 point at n = 16,000 holds at 98.9%).
 */
export function confidenceForHalfWidth(n: number, halfWidth: number): number {
  return 1 - 2 * normalUpperTail(2 * halfWidth * Math.sqrt(n));
}
