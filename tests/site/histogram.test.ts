/** A histogram week as a distribution of events (src/site/charts.ts eventDistribution). */
import { describe, expect, it } from 'vitest';
import { eventDistribution } from '../../src/site/charts.ts';
import type { ChartView } from '../../src/site/model.ts';
import type { CounterChartWeek, PublicBucket } from '../../src/sitedata/schema.ts';

const BUCKETS = ['<10ms', '<50ms', '<100ms', '<1s', '>=1s'];
const view = { buckets: BUCKETS, file: { minCell: 10 }, entry: { type: 'histogram', kind: 'counter' } } as unknown as ChartView;

function bucket(name: string, eventShare: number | null, status: PublicBucket['status'] = 'published'): PublicBucket {
  if (status !== 'published') return { bucket: name, status };
  const est = (v: number) => ({ estimate: v, se: 0.01, interval: [Math.max(0, v - 0.02), v + 0.02] as [number, number], n: 500 });
  return {
    bucket: name,
    status,
    x: 100,
    share: 0.2,
    ci: [0.18, 0.22],
    naiveShare: 0.2,
    events: 100,
    meanEvents: est(1),
    eventShare: eventShare === null ? null : est(eventShare),
    composition: est(0.2),
  } as PublicBucket;
}

function week(shares: (number | null | 'grouped')[], n = 500): CounterChartWeek {
  return {
    week: '2026-11-01',
    provisional: false,
    n,
    nActive: n,
    programReports: n,
    sensitive: false,
    buckets: shares.map((s, i) => (s === 'grouped' ? bucket(BUCKETS[i]!, null, 'grouped') : bucket(BUCKETS[i]!, s))),
    other: null,
  } as unknown as CounterChartWeek;
}

describe('event distribution of a histogram week', () => {
  it('finds the buckets holding the median and the 90th-percentile event', () => {
    const d = eventDistribution(view, week([0.2, 0.25, 0.3, 0.2, 0.05]));
    expect(d.median).toBe(2); // 0.2 + 0.25 = 0.45 < 0.5 <= 0.75
    expect(d.p90).toBe(3); // 0.75 < 0.9 <= 0.95
    expect(d.shares.map((s) => s?.estimate)).toEqual([0.2, 0.25, 0.3, 0.2, 0.05]);
    // Exactly at the boundary the lower bucket holds it.
    expect(eventDistribution(view, week([0.5, 0.4, 0.1, 0, 0])).median).toBe(0);
    expect(eventDistribution(view, week([0.5, 0.4, 0.1, 0, 0])).p90).toBe(1);
  });

  it('cannot tell a quantile above a bucket whose share of events is not published', () => {
    const d = eventDistribution(view, week([0.6, 'grouped', 0.3, 0.05, 0.03]));
    expect(d.median).toBe(0);
    expect(d.p90).toBeNull();
    expect(d.shares[1]).toBeNull();
  });

  it('has no distribution below 50 eligible reports', () => {
    const d = eventDistribution(view, week([0.2, 0.25, 0.3, 0.2, 0.05], 49));
    expect(d.shares.every((s) => s === null)).toBe(true);
    expect(d.median).toBeNull();
  });
});
