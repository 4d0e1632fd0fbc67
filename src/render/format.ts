/** Number formats for chart text, tables and screen-reader summaries. */
import { format } from 'd3-format';

const thousands = format(',d');

/** An integer count with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return thousands(Math.round(n));
}

/** Decimals for a set of shares: 1, or 2 when any is below 1% (so 0.4% is not shown as 0.4 vs 0.0). */
export function shareDigits(...shares: (number | null | undefined)[]): number {
  return shares.some((s) => s !== null && s !== undefined && s > 0 && s < 0.01) ? 2 : 1;
}

/** A share in [0,1] as a percentage number without the sign: `42.1`. */
export function formatPctNumber(share: number, digits = shareDigits(share)): string {
  const s = (share * 100).toFixed(digits);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** A share in [0,1] as a percentage: `42.1%`. */
export function formatPct(share: number, digits = shareDigits(share)): string {
  return `${formatPctNumber(share, digits)}%`;
}

/** A share and its interval: `42.1% (40.8–43.4)`; without an interval just the share. */
export function formatShareWithInterval(share: number, lower?: number | null, upper?: number | null): string {
  if (lower === null || lower === undefined || upper === null || upper === undefined) return formatPct(share);
  const d = shareDigits(share, lower, upper);
  return `${formatPct(share, d)} (${formatPctNumber(lower, d)}–${formatPctNumber(upper, d)})`;
}

/** A difference of shares in percentage points with a sign: `+3.1 points`, `−0.47 pts`. */
export function formatPoints(delta: number, unit: 'points' | 'pts' = 'points'): string {
  const s = formatPctNumber(Math.abs(delta), shareDigits(Math.abs(delta)));
  return `${delta >= 0 ? '+' : '−'}${s} ${unit}`;
}
