/**
 * The one rounding policy of the site data. Estimates keep full precision;
 * every figure is rounded here, as it is written: fractions (shares,
 * intervals, ratios, means, p-values) to 6 decimals, effective sample sizes
 * (`nEff`, `n_eff`) to 1; whole numbers are written as they are.
 */
import { round } from '../lib/round.ts';

export const FIGURE_DIGITS = 6;
export const N_EFF_DIGITS = 1;

/** A figure as written: whole numbers unchanged, any other number rounded to `digits` (never -0). */
export function figure(v: number, digits = FIGURE_DIGITS): number {
  return Number.isInteger(v) ? v : round(v, digits);
}

/** An object with an effective sample size, rounded to N_EFF_DIGITS. */
export function withNEff<T extends { nEff: number }>(v: T): T;
export function withNEff<T extends { nEff: number }>(v: T | null | undefined): T | null | undefined;
export function withNEff<T extends { nEff: number }>(v: T | null | undefined): T | null | undefined {
  return v && { ...v, nEff: figure(v.nEff, N_EFF_DIGITS) };
}
