/** Text formats of figures for tables and sentences (charts format their own). */
import type { Interval } from '../estimate/intervals.ts';
import { format } from 'd3-format';
import { formatCount, formatPct, formatPctNumber, formatPoints, shareDigits } from '../render/format.ts';

export { formatCount, formatPoints };

/** A share as `80.3%` with the digits its interval needs. */
export function pct(share: number, ci?: Interval | null): string {
  return formatPct(share, shareDigits(share, ci?.[0], ci?.[1]));
}

/** An interval as `78.0–82.4%`. */
export function interval(share: number, ci: Interval): string {
  const d = shareDigits(share, ci[0], ci[1]);
  return `${formatPctNumber(ci[0], d)}–${formatPctNumber(ci[1], d)}%`;
}

const threeDigits = format(',.3~r');

/** Events per installation (a mean, a bound, a quantile) to 3 significant digits: `2.31`, `12,300`, `0.00382`. */
export function formatEvents(v: number): string {
  return v === 0 ? '0' : threeDigits(v);
}

/** A `[text](url)` Markdown link text with brackets and backslashes escaped. */
export function markdownText(s: string): string {
  return s.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}
