/**
 * Seeded chart inputs for the render tests (golden files and geometry
 * checks). Values are rounded to 3 decimals so golden SVGs do not churn on
 * float noise; see golden/README.md.
 */
import { addDays, toDay } from '../../src/lib/dates.ts';
import { createRng } from '../../src/lib/random.ts';
import type { BarChartData, BarDatum } from '../../src/render/bar-chart.ts';
import type { CountChartData } from '../../src/render/count-chart.ts';
import type { LineChartData } from '../../src/render/line-chart.ts';
import type { SparklineData } from '../../src/render/sparkline.ts';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export const WEEKS: readonly string[] = Array.from({ length: 20 }, (_, i) => addDays(toDay('2024-01-07'), 7 * i));
export const PROVISIONAL_FROM = WEEKS[17]!;
const BUCKETS = ['vscode', 'neovim', 'emacs <eglot> & co', 'goland', 'helix', 'other'] as const;

/** Shares drift around a base level; interval half-widths shrink with more reports. */
export function lineData(seed = 'line'): LineChartData {
  const rng = createRng(seed);
  const bases = [0.6, 0.18, 0.06, 0.045, 0.03, 0.04];
  const series = BUCKETS.map((bucket, k) => {
    let level = bases[k]!;
    const points = WEEKS.flatMap((week, i) => {
      level = Math.min(0.95, Math.max(0.005, level + (rng.next() - 0.5) * 0.01));
      // neovim misses two weeks: the line must break there.
      if (k === 1 && (i === 7 || i === 8)) return [];
      const hw = 0.006 + rng.next() * 0.012;
      return [{ week, estimate: r3(level), lower: r3(Math.max(0, level - hw)), upper: r3(Math.min(1, level + hw * 1.1)) }];
    });
    return { bucket, points };
  });
  return {
    title: 'gopls: editor clients',
    subtitle: 'share of reporting installations by week, 95% intervals',
    series,
    buckets: [...BUCKETS],
    provisionalFrom: PROVISIONAL_FROM,
    changes: [
      { bucket: 'vscode', week: WEEKS[12]!, direction: 'up', note: '+2.1 points' },
      { bucket: 'neovim', week: WEEKS[15]!, direction: 'down' },
    ],
  };
}

export function barData(seed = 'bar'): BarChartData {
  const rng = createRng(seed);
  const bars: BarDatum[] = BUCKETS.map((bucket, k) => {
    const est = [0.612, 0.191, 0.058, 0.041, 0.004, 0.037][k]!;
    const hw = 0.008 + rng.next() * 0.01;
    return {
      bucket,
      estimate: est,
      lower: r3(Math.max(0, est - hw)),
      upper: r3(est + hw),
      adjusted: k % 2 === 0 ? r3(est * (0.9 + rng.next() * 0.1)) : null,
    };
  });
  bars.push({ bucket: 'zed', estimate: null });
  return {
    title: 'gopls: editor clients, week 2024-05-19',
    subtitle: 'provisional',
    week: WEEKS[19]!,
    provisional: true,
    bars,
    buckets: [...BUCKETS, 'zed'],
    adjustedLabel: 'adjusted for opt-in skew',
  };
}

export function countData(seed = 'count'): CountChartData {
  const rng = createRng(seed);
  return {
    title: 'Reports per week',
    subtitle: 'all programs',
    weeks: WEEKS.filter((_, i) => i !== 5).map((week) => ({
      week,
      count: Math.round(12000 + rng.next() * 6000 - (week >= PROVISIONAL_FROM ? 4000 : 0)),
      provisional: week >= PROVISIONAL_FROM,
    })),
  };
}

export function sparkData(seed = 'spark'): SparklineData {
  const line = lineData(seed);
  return {
    title: 'neovim: share of reporting installations by week',
    bucket: 'neovim',
    buckets: [...BUCKETS],
    points: line.series[1]!.points,
    provisionalFrom: PROVISIONAL_FROM,
    showValue: true,
  };
}
