/** The histogram distribution chart and the events-per-installation chart of single-bucket counters. */
import { describe, expect, it } from 'vitest';
import { type DistributionChartData, distributionChart } from '../../src/render/distribution-chart.ts';
import { type MeanChartData, meanChart } from '../../src/render/mean-chart.ts';
import { elements, group } from './svg-helpers.ts';

const EVIL = '<script>alert("x")</script> & co';
const BUCKETS = ['<10ms', '<50ms', '<100ms', '>=1s'];
const WEEKS = ['2026-10-18', '2026-10-25', '2026-11-01', '2026-11-08'];

function distData(): DistributionChartData {
  return {
    title: 'Completion latency: distribution of events',
    buckets: BUCKETS,
    weeks: WEEKS.map((week, i) => ({
      week,
      provisional: i === 3,
      shares:
        i === 1
          ? [null, null, null, null]
          : [
              { estimate: 0.3, lower: 0.28, upper: 0.32 },
              { estimate: 0.3 + 0.01 * i, lower: 0.28, upper: 0.33 },
              i === 2 ? null : { estimate: 0.3, lower: 0.28, upper: 0.32 },
              { estimate: 0.1 - 0.01 * i, lower: 0.08, upper: 0.11 },
            ],
      median: i === 1 ? null : 1,
      p90: i === 1 || i === 2 ? null : 2,
    })),
  };
}

function meanData(): MeanChartData {
  return {
    title: 'compile/invocations: events per installation',
    weeks: WEEKS.map((week, i) => ({
      week,
      provisional: i === 3,
      mean: i === 1 ? null : 400 + 10 * i,
      lower: i === 1 ? null : 380 + 10 * i,
      upper: i === 1 ? null : 430 + 10 * i,
      median: i === 1 ? null : 120,
      p90: i === 1 ? null : 900,
      n: 3000,
    })),
  };
}

const charts = [
  {
    name: 'distribution',
    render: (o: { width?: number; theme?: 'css' | 'light' | 'dark' }, evil = false) =>
      distributionChart(evil ? { ...distData(), title: EVIL, buckets: [EVIL, ...BUCKETS.slice(1)] } : distData(), o),
  },
  {
    name: 'mean',
    render: (o: { width?: number; theme?: 'css' | 'light' | 'dark' }, evil = false) =>
      meanChart(evil ? { ...meanData(), title: EVIL, yLabel: EVIL } : meanData(), o),
  },
];

describe.each(charts)('$name chart', ({ render }) => {
  it('is deterministic, escapes untrusted text and rounds numbers', () => {
    expect(render({ width: 500, theme: 'dark' })).toBe(render({ width: 500, theme: 'dark' }));
    const evil = render({ theme: 'light' }, true);
    expect(evil).not.toContain('<script');
    expect(evil).toContain('&lt;script&gt;');
    expect(evil).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#)/);
    for (const width of [360, 777.777, 1280]) expect(render({ width, theme: 'light' }).match(/\d\.\d{4,}/g)).toBeNull();
  });

  it('keeps text inside its viewBox at 360 and 1280 px', () => {
    for (const width of [360, 1280]) {
      const svg = render({ width, theme: 'light' });
      const [root] = elements(svg, 'svg');
      for (const t of elements(svg, 'text')) {
        expect(Number(t['x'])).toBeGreaterThanOrEqual(0);
        expect(Number(t['x'])).toBeLessThanOrEqual(Number(root!['width']));
        expect(Number(t['y'])).toBeLessThanOrEqual(Number(root!['height']));
      }
    }
  });
});

describe('distribution chart', () => {
  it('stacks each week to 100%: one path per bucket, a grey remainder for what is not shown, one titled hover column per week', () => {
    const svg = distributionChart(distData(), { theme: 'light', width: 720 });
    const hover = group(svg, 'hover');
    // Week 2 has no distribution: no column at all.
    expect(hover).not.toContain('data-week="2026-10-25"');
    expect(elements(hover, 'rect')).toHaveLength(3);
    expect(hover).toContain(
      '<title>2026-10-18, share of events: &lt;10ms 30.0% (28.0–32.0); &lt;50ms 30.0% (28.0–33.0); &lt;100ms 30.0% (28.0–32.0); &gt;=1s 10.0% (8.0–11.0); median in &lt;50ms, 90th percentile in &lt;100ms</title>',
    );
    // Week 3 misses a bucket: its 30% is the remainder.
    expect(hover).toContain('not shown separately 30.0%');
    const segments = elements(group(svg, 'columns'), 'path');
    expect(segments.map((p) => p['data-bucket'])).toEqual([...BUCKETS.map((b) => b.replace('<', '&lt;').replace('>', '&gt;')), 'not shown separately']);
    // Each bucket has one rectangle per week with a distribution; heights of one week add up to the plot height.
    const heights = (d: string) => [...d.matchAll(/v([\d.]+)/g)].map((m) => Number(m[1]));
    expect(heights(segments[0]!['d']!)).toHaveLength(3);
    const week1 = segments.slice(0, 4).map((p) => heights(p['d']!)[0]!);
    const week4 = segments.slice(0, 4).map((p) => heights(p['d']!).at(-1)!);
    expect(Math.abs(week1.reduce((a, b) => a + b, 0) - week4.reduce((a, b) => a + b, 0))).toBeLessThan(0.05);
    // The provisional week is veiled.
    expect(elements(svg, 'path', { class: 'provisional-veil' })).toHaveLength(1);
  });

  it('draws the median and p90 bucket as lines with markers, gaps where unknown, dashes only into provisional weeks, named in the week titles', () => {
    const svg = distributionChart(distData(), { theme: 'light' });
    const median = group(svg, 'quantile-median');
    // Three weeks have a median: two final markers (filled) and one provisional (hollow).
    expect((elements(median, 'path', { class: 'marks' })[0]!['d']!.match(/M/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(elements(median, 'path', { class: 'marks provisional' })).toHaveLength(1);
    expect(elements(median, 'path', { 'stroke-dasharray': /./ })).toHaveLength(1);
    // Week 2 has no median, so no two consecutive final weeks have one: no solid line, only the dashed step into week 4.
    expect((elements(median, 'path', { class: 'line' })[0]?.['d'] ?? '').match(/M/g) ?? []).toHaveLength(0);
    const hover = group(svg, 'hover');
    expect(hover).toContain('2026-11-08 (provisional), share of events:');
    expect(hover).toContain('; median in &lt;50ms, 90th percentile in &lt;100ms</title>');
    // Without hover titles (the phone variant) the columns are bare.
    expect(group(distributionChart({ ...distData(), hoverTitles: false }, { theme: 'light' }), 'hover')).not.toContain('<title>');
  });
});

describe('mean chart', () => {
  it('titles every point with the mean, interval, quantiles and n, and leaves a gap for a week without a mean', () => {
    const svg = meanChart(meanData(), { theme: 'light' });
    const points = group(svg, 'points');
    expect(points.match(/<title>/g)).toHaveLength(3);
    expect(points).toContain('<title>2026-10-18: mean 400 events per installation (380–430); median 120, 90th percentile 900; n = 3,000</title>');
    expect(points).toContain('2026-11-08 (provisional)');
    expect(svg).toContain('class="line mean provisional-line"');
    expect(svg).toMatch(/class="axis-title"[^>]*>events per installation</);
    // The y axis reads in plain numbers, never in exponent form.
    expect(group(svg, 'axis-y')).not.toMatch(/e\+/);
  });

  it('says so when no week has a mean', () => {
    const svg = meanChart({ title: 't', weeks: [{ week: '2026-11-01', mean: null }] }, { theme: 'light' });
    expect(svg).toContain('No week has a mean.');
    expect(() => meanChart({ title: 't', weeks: [{ week: 'nope', mean: 1 }] })).toThrow(RangeError);
  });
});
