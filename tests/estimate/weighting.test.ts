import { beforeAll, describe, expect, it } from 'vitest';
import { wilson } from '../../src/estimate/intervals.ts';
import {
  capWeights,
  designEffect,
  kishWilson,
  nEff,
  postStratify,
  rake,
  weightedProportion,
} from '../../src/estimate/weighting.ts';
import { createRng } from '../../src/lib/random.ts';
import * as ref from './fixtures/reference-values.ts';
import { expectClose } from './reference.ts';
import { categorical, cumulativeOf } from './sim.ts';

const meanOf = (w: ArrayLike<number>) => Array.from(w).reduce((a, b) => a + b, 0) / w.length;

/** Weighted share of each category of one dimension. */
function shares(categories: ArrayLike<number>, weights: ArrayLike<number>, k: number): number[] {
  const out = new Array<number>(k).fill(0);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    out[categories[i]!]! += weights[i]!;
    total += weights[i]!;
  }
  return out.map((v) => v / total);
}

describe('effective sample size', () => {
  it('n_eff and the design effect match the reference', () => {
    const r = ref.effectiveSampleSize;
    expect(Math.abs(nEff(r.weights) - r.nEff)).toBeLessThan(1e-6);
    expect(nEff(r.weights)).toBeCloseTo(100 / 26, 15);
    expect(designEffect(r.weights)).toBeCloseTo(r.designEffect, 15);
    expect(nEff([])).toBe(0);
    expect(nEff([0, 0])).toBe(0);
    expect(designEffect([2, 2, 2])).toBeCloseTo(1, 15);
  });
});

describe('raking (IPF)', () => {
  const rk = ref.raking;
  const rows: number[] = [];
  const cols: number[] = [];
  const cellStart: number[][] = [];
  rk.sampleCounts.forEach((row, i) => {
    cellStart.push([]);
    row.forEach((count, j) => {
      cellStart[i]!.push(rows.length);
      for (let u = 0; u < count; u++) {
        rows.push(i);
        cols.push(j);
      }
    });
  });
  const dims = [
    { categories: Int32Array.from(rows), targets: rk.targetRows },
    { categories: Int32Array.from(cols), targets: rk.targetCols },
  ];

  it('with the spec stopping rule (largest margin error < 1e-6) converges and reproduces the margins to 1e-6', () => {
    const r = rake(dims);
    expect(r.converged).toBe(true);
    expect(r.fallback).toBeUndefined();
    expect(r.maxMarginError).toBeLessThan(1e-6);
    expectClose(shares(dims[0]!.categories, r.weights, 3), rk.targetRows, 1e-6, 'row margins');
    expectClose(shares(dims[1]!.categories, r.weights, 3), rk.targetCols, 1e-6, 'column margins');
    expect(meanOf(r.weights)).toBeCloseTo(1, 12);
    // Stopping at 1e-6 on the margins leaves the weights a few 1e-6 from the fixed point.
    rk.weightPerUnitMean1.forEach((row, i) =>
      row.forEach((w, j) => expect(Math.abs(r.weights[cellStart[i]![j]!]! - w)).toBeLessThan(1e-5)),
    );
    expect(r.iterations).toBe(4);
  });

  it('run to full convergence reproduces the reference per-cell weights, iteration count and n_eff to 1e-6', () => {
    // The fixture was produced with a tighter stopping rule than §6's 1e-6: its
    // 10 passes correspond to a largest margin error of about 1e-13.
    const r = rake(dims, { tolerance: 1e-13 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(rk.iterations);
    rk.weightPerUnitMean1.forEach((row, i) =>
      row.forEach((w, j) => {
        const start = cellStart[i]![j]!;
        const count = rk.sampleCounts[i]![j]!;
        for (let u = start; u < start + count; u++) expect(Math.abs(r.weights[u]! - w), `cell ${i},${j}`).toBeLessThan(1e-6);
      }),
    );
    expect(Math.abs(nEff(r.weights) - rk.nEff)).toBeLessThan(1e-6);
    expect(meanOf(r.weights)).toBeCloseTo(1, 12);
    // IPF weights have product form a_i·b_j: log-weights have no interaction.
    const w = (i: number, j: number) => Math.log(r.weights[cellStart[i]![j]!]!);
    expect(w(0, 0) - w(0, 1) - w(1, 0) + w(1, 1)).toBeCloseTo(0, 10);
  });

  it('honours base weights', () => {
    const base = Float64Array.from(rows, (_, i) => 1 + (i % 3));
    const r = rake(dims, { baseWeights: base, tolerance: 1e-10 });
    expect(r.converged).toBe(true);
    expectClose(shares(dims[0]!.categories, r.weights, 3), rk.targetRows, 1e-9, 'row margins');
    expectClose(shares(dims[1]!.categories, r.weights, 3), rk.targetCols, 1e-9, 'column margins');
    // Units in the same cell keep the ratio of their base weights.
    expect(r.weights[1]! / r.weights[0]!).toBeCloseTo(base[1]! / base[0]!, 12);
  });

  it('caps weights at 5× the mean and renormalises', () => {
    // 20 of 1000 units stand for half of the population: uncapped weight 25.
    const cats = Int32Array.from({ length: 1000 }, (_, i) => (i < 20 ? 0 : 1));
    const r = rake([{ categories: cats, targets: [0.5, 0.5] }]);
    expect(r.converged).toBe(true);
    expect(r.cappedUnits).toBe(20);
    expect(Math.max(...r.weights)).toBeLessThanOrEqual(5 * meanOf(r.weights) * (1 + 1e-12));
    expect(r.weights[0]!).toBeCloseTo(5, 9);
    expect(meanOf(r.weights)).toBeCloseTo(1, 12);
    // Capping trades margin accuracy for variance; the reported error says so.
    expect(r.maxMarginError).toBeGreaterThan(0.3);

    const w = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 100]);
    expect(capWeights(w)).toBe(1);
    expect(meanOf(w)).toBeCloseTo(1, 12);
    expect(w[9]).toBeCloseTo(5, 9);
    expect(w[0]).toBeCloseTo(5 / 9, 9);
  });

  it('falls back to post-stratification on the first dimension when it cannot converge', () => {
    // Two perfectly aligned dimensions with incompatible targets: IPF oscillates.
    const a = Int32Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1));
    const r = rake([
      { categories: a, targets: [0.5, 0.5] },
      { categories: a, targets: [0.3, 0.7] },
    ]);
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(100);
    expect(r.fallback).toMatch(/did not converge in 100 passes.*post-stratification/);
    expect(Array.from(r.weights)).toEqual(Array.from(postStratify(a, [0.5, 0.5]).weights));
    expect(r.maxMarginError).toBeCloseTo(0.2, 12);

    // A target category with no units at all cannot be fitted either.
    const b = Int32Array.from({ length: 200 }, (_, i) => i % 2);
    const missing = rake([
      { categories: b, targets: [0.5, 0.5] },
      { categories: b, targets: [0.4, 0.4, 0.2] },
    ]);
    expect(missing.converged).toBe(false);
    expect(missing.iterations).toBe(0);
    expect(missing.fallback).toMatch(/dimension 1, category 2 .* no units/);
  });

  it('handles tens of thousands of units quickly by collapsing identical category combinations', () => {
    const rng = createRng('raking-large');
    const n = 60_000;
    const d1 = Int32Array.from({ length: n }, () => categorical(rng, cumulativeOf([0.5, 0.3, 0.15, 0.05])));
    const d2 = Int32Array.from({ length: n }, () => categorical(rng, cumulativeOf([0.6, 0.25, 0.1, 0.05])));
    const d3 = Int32Array.from({ length: n }, (_, i) => (rng.next() < 0.5 ? d1[i]! : rng.int(6))); // correlated with d1, full support
    const t0 = performance.now();
    const r = rake([
      { categories: d1, targets: [0.45, 0.3, 0.17, 0.08] },
      { categories: d2, targets: [0.55, 0.27, 0.11, 0.07] },
      { categories: d3, targets: [0.2, 0.2, 0.15, 0.15, 0.15, 0.15] },
    ]);
    const ms = performance.now() - t0;
    expect(r.converged).toBe(true);
    expect(r.cappedUnits).toBe(0);
    expect(r.maxMarginError).toBeLessThan(1e-6);
    expect(ms).toBeLessThan(2000);
  });

  it('rejects malformed input', () => {
    expect(() => rake([])).toThrow(RangeError);
    expect(() => rake([{ categories: [0, 3], targets: [0.5, 0.5] }])).toThrow(RangeError);
    expect(() => rake([{ categories: [0, 1], targets: [0.5, -0.5] }])).toThrow(RangeError);
    expect(() => rake([{ categories: [0, 1], targets: [0.5, 0.5] }, { categories: [0], targets: [1] }])).toThrow(RangeError);
  });
});

describe('post-stratification', () => {
  it('w_i = n·q_k/n_k with mean 1', () => {
    const cats = [...new Array<number>(60).fill(0), ...new Array<number>(40).fill(1)];
    const r = postStratify(cats, [0.3, 0.7]);
    expect(r.weights[0]).toBeCloseTo((100 * 0.3) / 60, 14);
    expect(r.weights[99]).toBeCloseTo((100 * 0.7) / 40, 14);
    expect(meanOf(r.weights)).toBeCloseTo(1, 14);
    expect(r.strata.map((s) => s.other)).toEqual([false, false]);
  });

  it('merges categories with n_k < 20, and categories missing from the reference, into "other" on both sides', () => {
    // Categories: 0 (50 units), 1 (30), 2 (10: small), 3 (5: small), 7 (5: not in the reference).
    const cats = [
      ...new Array<number>(50).fill(0),
      ...new Array<number>(30).fill(1),
      ...new Array<number>(10).fill(2),
      ...new Array<number>(5).fill(3),
      ...new Array<number>(5).fill(7),
    ];
    const q = [0.4, 0.3, 0.2, 0.1];
    const r = postStratify(cats, q);
    const other = r.strata.find((s) => s.other)!;
    expect(other.categories).toEqual([2, 3, 7]);
    expect(other.sampleCount).toBe(20);
    expect(other.targetShare).toBeCloseTo(0.3, 14);
    expect(r.weights[0]).toBeCloseTo((100 * 0.4) / 50, 14);
    expect(r.weights[80]).toBeCloseTo((100 * 0.3) / 20, 14); // a category-2 unit
    expect(r.weights[99]).toBeCloseTo((100 * 0.3) / 20, 14); // a category-7 unit
    // Reference mass without sample units (category 2 of 3 absent) is spread over the rest.
    const r2 = postStratify([...new Array<number>(30).fill(0), ...new Array<number>(70).fill(1)], [0.25, 0.25, 0.5]);
    expect(r2.strata.map((s) => s.targetShare)).toEqual([0.5, 0.5]);
    // No stratum with units has a positive target share.
    expect(() => postStratify(new Array<number>(30).fill(0), [0, 1])).toThrow(RangeError);
  });
});

describe('post-stratification simulation (§6: truth .240, Linux half as likely to opt in, n = 1000, R = 500)', () => {
  // Population shares linux/darwin/windows and the bucket's prevalence in each.
  const q = [0.5, 0.3, 0.2];
  const prevalence = [0.1, 0.38, 0.38];
  const truth = q.reduce((s, qk, k) => s + qk * prevalence[k]!, 0);
  const optIn = [0.5, 1, 1];
  const sampleShares = q.map((qk, k) => qk * optIn[k]!);
  const norm = sampleShares.reduce((a, b) => a + b);
  const cumulative = cumulativeOf(sampleShares.map((s) => s / norm));
  const R = 500;
  const n = 1000;
  const naive: number[] = [];
  const adjusted: number[] = [];
  let naiveCovered = 0;
  let kishCovered = 0;
  let meanNEff = 0;

  beforeAll(() => {
    const rng = createRng('post-stratification-sim');
    const cats = new Int32Array(n);
    const y = new Float64Array(n);
    for (let r = 0; r < R; r++) {
      let x = 0;
      for (let i = 0; i < n; i++) {
        const k = categorical(rng, cumulative);
        cats[i] = k;
        y[i] = rng.next() < prevalence[k]! ? 1 : 0;
        x += y[i]!;
      }
      naive.push(x / n);
      const [lo, hi] = wilson(x, n);
      if (lo <= truth && truth <= hi) naiveCovered++;
      const { weights } = postStratify(cats, q);
      const k = kishWilson(y, weights)!;
      adjusted.push(weightedProportion(y, weights));
      meanNEff += k.nEff / R;
      if (k.interval[0] <= truth && truth <= k.interval[1]) kishCovered++;
    }
  });

  const mcSe = (xs: number[]) => {
    const m = meanOf(xs);
    return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1) / xs.length);
  };

  it('the truth is .240', () => {
    expect(truth).toBeCloseTo(0.24, 12);
  });

  it('the naive estimate is biased (≈ .287) and its Wilson interval rarely covers', () => {
    expect(meanOf(naive)).toBeCloseTo(0.287, 2);
    expect(Math.abs(meanOf(naive) - truth)).toBeGreaterThan(20 * mcSe(naive));
    expect(naiveCovered / R).toBeLessThan(0.2);
  });

  it('the post-stratified mean is within 4 MC SE of the truth', () => {
    expect(Math.abs(meanOf(adjusted) - truth)).toBeLessThanOrEqual(4 * mcSe(adjusted));
  });

  it('the Kish / n_eff Wilson interval covers at least nominally (conservative here)', () => {
    expect(meanNEff).toBeGreaterThan(870);
    expect(meanNEff).toBeLessThan(900);
    expect(kishCovered / R, `coverage ${kishCovered / R}`).toBeGreaterThanOrEqual(0.95);
  });
});
