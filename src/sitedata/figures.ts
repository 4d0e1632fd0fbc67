/**
 * The one rounding policy of the site data. Estimates keep full precision;
 * every figure is rounded here, as it is written: fractions (shares,
 * intervals, ratios, means, p-values) to 6 decimals, effective sample sizes
 * (`nEff`, `n_eff`) to 1; quantiles of events per installation read from a
 * histogram (`eventsMedian`, `eventsP90`: within 9.05% of the exact value) to
 * 3 significant digits (adding at most 0.5%), as more would claim a
 * precision they do not have;
 * whole numbers are written as they are.
 */
import { round } from '../lib/round.ts';

export const FIGURE_DIGITS = 6;
export const N_EFF_DIGITS = 1;
const QUANTILE_SIGNIFICANT_DIGITS = 3;

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

/** A histogram quantile as written: QUANTILE_SIGNIFICANT_DIGITS significant digits. */
export function quantileFigure(v: number): number;
export function quantileFigure(v: number | null | undefined): number | null | undefined;
export function quantileFigure(v: number | null | undefined): number | null | undefined {
  if (v === null || v === undefined || v === 0 || !Number.isFinite(v)) return v;
  const d = QUANTILE_SIGNIFICANT_DIGITS - 1 - Math.floor(Math.log10(Math.abs(v)));
  if (d >= 0) return round(v, d);
  const f = 10 ** -d;
  return Math.round(v / f) * f;
}
