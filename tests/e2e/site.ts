/**
 * What the browser tests know about the built site: its index (read from
 * dist/data/index.json, so the tests follow whatever data the site was built
 * from) and one URL of every page type.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvParse, type DSVRowString } from 'd3-dsv';

export const DIST = process.env.E2E_DIST ?? 'dist';

export interface IndexChart {
  program: string;
  chart: string;
  slug: string;
  kind: 'counter' | 'metadata' | 'stack';
  type: string;
  title: string;
  buckets: string[];
  file: string;
}

export interface Index {
  build: { source: string; asOf: string };
  latestFinalWeek?: string | null;
  weeks: { week: string; provisional: boolean; reports: number }[];
  programs: { program: string; slug: string; charts: IndexChart[] }[];
  files: string[];
}

export function readDist(rel: string): string {
  return readFileSync(join(DIST, rel), 'utf8');
}

export const index: Index = JSON.parse(readDist('data/index.json'));

export const latestFinal: string = index.latestFinalWeek ?? [...index.weeks].reverse().find((w) => !w.provisional)?.week ?? index.weeks.at(-1)!.week;

const all = index.programs.flatMap((p) => p.charts.map((c) => ({ p, c })));
const find = (pred: (c: IndexChart) => boolean) => {
  const hit = all.find(({ c }) => pred(c));
  if (!hit) throw new Error('the site has no chart of the kind a test needs');
  return hit;
};

/** A counter chart with several buckets, a histogram, a metadata chart and a stack chart. */
export const charts = {
  counter: find((c) => c.kind === 'counter' && c.type !== 'histogram' && c.buckets.length >= 4),
  histogram: all.find(({ c }) => c.type === 'histogram') ?? find((c) => c.kind === 'counter'),
  metadata: find((c) => c.kind === 'metadata' && c.chart === 'GOOS'),
  stack: find((c) => c.kind === 'stack'),
};

export type ChartRef = (typeof charts)[keyof typeof charts];

export const chartUrl = ({ p, c }: ChartRef) => `charts/${p.slug}/${c.slug}/`;
export const weekUrl = (r: ChartRef, week: string) => `${chartUrl(r)}${week}/`;

/** One URL per page type (relative to the base URL). */
export const PAGES: { name: string; path: string }[] = [
  { name: 'overview', path: '' },
  { name: 'charts', path: 'charts/' },
  { name: 'program', path: `programs/${charts.counter.p.slug}/` },
  { name: 'chart-counter', path: chartUrl(charts.counter) },
  { name: 'chart-histogram', path: chartUrl(charts.histogram) },
  { name: 'chart-metadata', path: chartUrl(charts.metadata) },
  { name: 'chart-stack', path: chartUrl(charts.stack) },
  { name: 'chart-week', path: weekUrl(charts.counter, latestFinal) },
  { name: 'chart-week-stack', path: weekUrl(charts.stack, latestFinal) },
  { name: 'week', path: `weeks/${latestFinal}/` },
  { name: 'week-latest', path: 'weeks/latest/' },
  { name: 'weeks', path: 'weeks/' },
  { name: 'methodology', path: 'methodology/' },
  { name: 'data-quality', path: 'data-quality/' },
  { name: 'config', path: 'config/' },
  { name: 'data', path: 'data/' },
];

let estimates: DSVRowString[] | null = null;

/** Rows of dist/data/estimates.csv for one week, program and chart. */
export function estimateRows(week: string, program: string, chart: string): DSVRowString[] {
  estimates ??= csvParse(readDist('data/estimates.csv'));
  return estimates.filter((r) => r['week'] === week && r['program'] === program && r['chart'] === chart);
}

/** The text the site writes for a share with its interval (see src/site/format.ts). */
export function shareText(share: number, lo: number, hi: number): { share: string; interval: string } {
  const d = [share, lo, hi].some((s) => s > 0 && s < 0.01) ? 2 : 1;
  const f = (v: number) => {
    const s = (v * 100).toFixed(d);
    return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
  };
  return { share: `${f(share)}%`, interval: `${f(lo)}–${f(hi)}%` };
}

export function countText(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
