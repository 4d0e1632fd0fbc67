import { mean, sampleStandardDeviation } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../reference/bootstrap.ts';
import {
  approximateMarker,
  type DeltaEstimate,
  meanEvents,
  meanOfRatios,
  momentSums,
  ratioOfTotals,
  ratioSums,
  top1PercentShare,
} from '../../src/estimate/means.ts';
import { z95 } from '../../src/estimate/normal.ts';
import { createRng } from '../../src/lib/random.ts';
import { binomial, normal, poisson } from './sim.ts';

const counts = [0, 0, 3, 1, 0, 7, 2, 2, 0, 12, 1, 0, 4];
const P = [3, 1, 4, 1, 5, 9, 2, 6];
const N = [10, 2, 8, 5, 9, 30, 4, 11];

describe('delta-method means from sufficient statistics', () => {
  it('mean events matches simple-statistics (mean ± z·s/√n, zeros counted)', () => {
    const r = meanEvents(momentSums(counts))!;
    const m = mean(counts);
    const se = sampleStandardDeviation(counts) / Math.sqrt(counts.length);
    expect(r.estimate).toBeCloseTo(m, 14);
    expect(r.se).toBeCloseTo(se, 14);
    expect(r.interval[0]).toBeCloseTo(m - z95 * se, 12);
    expect(r.interval[1]).toBeCloseTo(m + z95 * se, 12);
    expect(r.n).toBe(13);
  });

  it('mean of ratios matches simple-statistics on the per-system ratios', () => {
    const ratios = P.map((p, i) => p / N[i]!);
    const r = meanOfRatios(momentSums(ratios), 0.99)!;
    const se = sampleStandardDeviation(ratios) / Math.sqrt(ratios.length);
    expect(r.estimate).toBeCloseTo(mean(ratios), 14);
    expect(r.se).toBeCloseTo(se, 14);
    expect(r.interval[1] - r.estimate).toBeCloseTo(2.5758293035489004 * se, 12);
  });

  it('ratio of totals uses SE(R) = √(Σ(P−R·N)²/(n(n−1)))/N̄, expanded into sums', () => {
    const r = ratioOfTotals(ratioSums(P, N))!;
    const R = P.reduce((a, b) => a + b) / N.reduce((a, b) => a + b);
    const resid = P.reduce((s, p, i) => s + (p - R * N[i]!) ** 2, 0);
    const se = Math.sqrt(resid / (P.length * (P.length - 1))) / mean(N);
    expect(r.estimate).toBeCloseTo(R, 15);
    expect(r.se).toBeCloseTo(se, 13);
    expect(r.interval[0]).toBeCloseTo(R - z95 * se, 12);
  });

  it('degenerate inputs give null or a zero-width interval, never NaN', () => {
    expect(meanEvents({ n: 0, sum: 0, sumSq: 0 })).toBeNull();
    expect(meanEvents(momentSums([4]))).toBeNull();
    expect(meanOfRatios(momentSums([]))).toBeNull();
    expect(ratioOfTotals(ratioSums([1], [2]))).toBeNull();
    expect(ratioOfTotals(ratioSums([0, 0, 0], [0, 0, 0]))).toBeNull();
    const flat = meanEvents(momentSums([3, 3, 3, 3]))!;
    expect(flat.interval).toEqual([3, 3]);
    expect(flat.se).toBe(0);
    const zeros = meanEvents(momentSums([0, 0, 0]))!;
    expect(zeros.interval).toEqual([0, 0]);
    // Rounding can make Σc² − (Σc)²/n slightly negative; it must not become NaN.
    const r = meanEvents({ n: 3, sum: 0.30000000000000004, sumSq: 0.030000000000000002 })!;
    expect(Number.isNaN(r.se)).toBe(false);
    expect(meanEvents(momentSums([0, 0, 1]))!.interval[0]).toBe(0); // counts: lower bound clipped at 0
    expect(() => meanEvents({ n: 2.5, sum: 1, sumSq: 1 })).toThrow(RangeError);
  });

  it('the approximate marker: n < 500 or the top 1% holding more than half of the events', () => {
    expect(approximateMarker(499, 0.1)).toEqual({ approximate: true, reasons: ['smallSample'] });
    expect(approximateMarker(500, 0.1)).toEqual({ approximate: false, reasons: [] });
    expect(approximateMarker(10000, 0.51)).toEqual({ approximate: true, reasons: ['concentrated'] });
    const values = new Array<number>(1000).fill(1);
    expect(top1PercentShare(values)).toBeCloseTo(0.01, 15); // top 10 of 1000 equal systems
    values[0] = 5000;
    values[1] = 5000;
    expect(top1PercentShare(values)).toBeCloseTo(10008 / 10998, 15);
    expect(top1PercentShare([0, 0, 0])).toBe(0);
    expect(top1PercentShare([2, 6])).toBe(0.75); // at least one system
  });
});

// §8.5 bands: [.92, .975] for the mean of ratios and light-tailed means;
// [.88, .97] for the ratio of totals and heavy-tailed means.
const REPS = 500;
const SAMPLE = 500;
const POP = 200_000;

interface Population {
  light: Float64Array;
  heavy: Float64Array;
  p: Float64Array;
  nDen: Float64Array;
}

function buildPopulation(): Population {
  const rng = createRng('means-population');
  const pop: Population = { light: new Float64Array(POP), heavy: new Float64Array(POP), p: new Float64Array(POP), nDen: new Float64Array(POP) };
  for (let i = 0; i < POP; i++) {
    pop.light[i] = poisson(rng, 2);
    // Log-normal event counts: a long right tail, as real per-system activity has.
    pop.heavy[i] = Math.floor(Math.exp(1 + 1.1 * normal(rng)));
    // Heavy users (10%) have lower ratios, so the two ratio estimands differ.
    const heavyUser = rng.next() < 0.1;
    const n = 1 + poisson(rng, heavyUser ? 40 : 4);
    pop.nDen[i] = n;
    pop.p[i] = binomial(rng, n, heavyUser ? 0.15 : 0.3);
  }
  return pop;
}

function coverage(estimates: (DeltaEstimate | null)[], truth: number): number {
  let hit = 0;
  for (const e of estimates) if (e !== null && e.interval[0] <= truth && truth <= e.interval[1]) hit++;
  return hit / estimates.length;
}

describe('delta-method coverage by simulation (§8.5; R = 500, n = 500, fixed population of 200,000)', () => {
  let pop: Population;
  const est = {
    light: [] as (DeltaEstimate | null)[],
    heavy: [] as (DeltaEstimate | null)[],
    ratioOfTotals: [] as (DeltaEstimate | null)[],
    meanOfRatios: [] as (DeltaEstimate | null)[],
  };
  const truth = { light: 0, heavy: 0, ratioOfTotals: 0, meanOfRatios: 0 };

  beforeAll(() => {
    pop = buildPopulation();
    truth.light = mean(Array.from(pop.light));
    truth.heavy = mean(Array.from(pop.heavy));
    truth.ratioOfTotals = pop.p.reduce((a, b) => a + b) / pop.nDen.reduce((a, b) => a + b);
    truth.meanOfRatios = mean(Array.from(pop.p, (p, i) => p / pop.nDen[i]!));
    const rng = createRng('means-samples');
    const light = new Float64Array(SAMPLE);
    const heavy = new Float64Array(SAMPLE);
    const sp = new Float64Array(SAMPLE);
    const sn = new Float64Array(SAMPLE);
    const ratios = new Float64Array(SAMPLE);
    for (let r = 0; r < REPS; r++) {
      for (let j = 0; j < SAMPLE; j++) {
        const i = rng.int(POP);
        light[j] = pop.light[i]!;
        heavy[j] = pop.heavy[i]!;
        sp[j] = pop.p[i]!;
        sn[j] = pop.nDen[i]!;
        ratios[j] = sp[j]! / sn[j]!;
      }
      est.light.push(meanEvents(momentSums(light)));
      est.heavy.push(meanEvents(momentSums(heavy)));
      est.ratioOfTotals.push(ratioOfTotals(ratioSums(sp, sn)));
      est.meanOfRatios.push(meanOfRatios(momentSums(ratios)));
    }
  });

  it('the two ratio estimands differ in this population (heavy users have lower ratios)', () => {
    expect(truth.meanOfRatios - truth.ratioOfTotals).toBeGreaterThan(0.05);
  });

  it('light-tailed mean events: coverage in [.92, .975]', () => {
    const c = coverage(est.light, truth.light);
    expect(c, `coverage ${c}`).toBeGreaterThanOrEqual(0.92);
    expect(c, `coverage ${c}`).toBeLessThanOrEqual(0.975);
  });

  it('mean of ratios: coverage in [.92, .975]', () => {
    const c = coverage(est.meanOfRatios, truth.meanOfRatios);
    expect(c, `coverage ${c}`).toBeGreaterThanOrEqual(0.92);
    expect(c, `coverage ${c}`).toBeLessThanOrEqual(0.975);
  });

  it('ratio of totals and heavy-tailed mean events: coverage in [.88, .97]', () => {
    const cr = coverage(est.ratioOfTotals, truth.ratioOfTotals);
    const ch = coverage(est.heavy, truth.heavy);
    expect(cr, `ratio of totals ${cr}`).toBeGreaterThanOrEqual(0.88);
    expect(cr, `ratio of totals ${cr}`).toBeLessThanOrEqual(0.97);
    expect(ch, `heavy-tailed mean ${ch}`).toBeGreaterThanOrEqual(0.88);
    expect(ch, `heavy-tailed mean ${ch}`).toBeLessThanOrEqual(0.97);
  });

  it('the percentile bootstrap agrees with the delta method on a light-tailed sample', () => {
    const rng = createRng('means-bootstrap');
    const sample = Array.from({ length: SAMPLE }, () => pop.light[rng.int(POP)]!);
    const delta = meanEvents(momentSums(sample))!;
    const boot = bootstrap(sample, (s) => s.reduce((a, b) => a + b, 0) / s.length, { seed: 'means|bootstrap|check' });
    const width = delta.interval[1] - delta.interval[0];
    expect(Math.abs(boot.interval[0] - delta.interval[0])).toBeLessThan(0.1 * width);
    expect(Math.abs(boot.interval[1] - delta.interval[1])).toBeLessThan(0.1 * width);
  });
});
