import { beforeAll, describe, expect, it } from 'vitest';
import { wilson, wilsonWeighted } from '../../src/estimate/intervals.ts';
import { capWeights, nEff, postStratify, rake, weightedShare, type Cell } from '../../src/estimate/weighting.ts';
import { createRng } from '../../src/lib/random.ts';
import * as ref from './fixtures/reference-values.ts';
import { expectClose } from './reference.ts';
import { categorical, cumulativeOf } from './sim.ts';

/** Mean weight per report. */
function meanOf(weights: ArrayLike<number>, cells?: readonly Cell[]): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < weights.length; i++) {
    const c = cells ? cells[i]!.count : 1;
    s += weights[i]! * c;
    n += c;
  }
  return s / n;
}

/** Weighted share of each category of one dimension. */
function shares(cells: readonly Cell[], weights: ArrayLike<number>, dim: number, k: number): number[] {
  const out = new Array<number>(k).fill(0);
  let total = 0;
  cells.forEach((c, i) => {
    out[c.categories[dim]!]! += weights[i]! * c.count;
    total += weights[i]! * c.count;
  });
  return out.map((v) => v / total);
}

/** Reports given one by one (category per dimension per report), grouped into cells. */
function cellsOf(...dims: ArrayLike<number>[]): Cell[] {
  const by = new Map<string, Cell>();
  for (let i = 0; i < dims[0]!.length; i++) {
    const categories = dims.map((d) => d[i]!);
    const key = categories.join(',');
    const c = by.get(key);
    if (c) c.count++;
    else by.set(key, { categories, count: 1 });
  }
  return [...by.values()];
}

/** One cell per category of a single dimension, with the counts given. */
const oneDim = (counts: number[]): Cell[] => counts.map((count, k) => ({ categories: [k], count }));

describe('effective sample size', () => {
  it('n_eff and the design effect match the reference', () => {
    const r = ref.effectiveSampleSize;
    expect(Math.abs(nEff(r.weights) - r.nEff)).toBeLessThan(1e-6);
    expect(nEff(r.weights)).toBeCloseTo(100 / 26, 15);
    // Design effect n/n_eff.
    expect(r.weights.length / nEff(r.weights)).toBeCloseTo(r.designEffect, 15);
    // The same reports as cells: weight 1 (two reports), 2 (two), 4 (one).
    expect(nEff([1, 2, 4], [2, 2, 1])).toBeCloseTo(100 / 26, 14);
    expect(nEff([])).toBe(0);
    expect(nEff([0, 0])).toBe(0);
    expect(nEff([3, 5], [0, 0])).toBe(0);
    expect(nEff([2, 2, 2])).toBeCloseTo(3, 15);
  });

  it('weighted shares of cells: Σw·x / Σw·n with n_eff of the eligible reports', () => {
    const r = weightedShare([
      { w: 2, n: 10, x: 5 },
      { w: 0.5, n: 20, x: 2 },
    ])!;
    expect(r.share).toBeCloseTo((2 * 5 + 0.5 * 2) / (2 * 10 + 0.5 * 20), 15);
    expect(r.nEff).toBeCloseTo(30 ** 2 / (4 * 10 + 0.25 * 20), 12);
    expect(weightedShare([{ w: 1, n: 0, x: 0 }])).toBeNull();
    expect(weightedShare([])).toBeNull();
  });
});

describe('raking (IPF)', () => {
  const rk = ref.raking;
  // One cell per (row, column) of the reference table, with its sample count.
  const cells: Cell[] = rk.sampleCounts.flatMap((row, i) => row.map((count, j) => ({ categories: [i, j], count })));
  const cellAt = (i: number, j: number) => i * rk.sampleCounts[0]!.length + j;
  const targets = [rk.targetRows, rk.targetCols];

  it('with the spec stopping rule (largest margin error < 1e-6) converges and reproduces the margins to 1e-6', () => {
    const r = rake(cells, targets);
    expect(r.converged).toBe(true);
    expect(r.fallback).toBeUndefined();
    expect(r.maxMarginError).toBeLessThan(1e-6);
    expectClose(shares(cells, r.weights, 0, 3), rk.targetRows, 1e-6, 'row margins');
    expectClose(shares(cells, r.weights, 1, 3), rk.targetCols, 1e-6, 'column margins');
    expect(meanOf(r.weights, cells)).toBeCloseTo(1, 12);
    // Stopping at 1e-6 on the margins leaves the weights a few 1e-6 from the fixed point.
    rk.weightPerUnitMean1.forEach((row, i) => row.forEach((w, j) => expect(Math.abs(r.weights[cellAt(i, j)]! - w)).toBeLessThan(1e-5)));
    expect(r.iterations).toBe(4);
  });

  it('run to full convergence reproduces the reference per-cell weights, iteration count and n_eff to 1e-6', () => {
    // The fixture was produced with a tighter stopping rule than §6's 1e-6: its
    // 10 passes correspond to a largest margin error of about 1e-13.
    const r = rake(cells, targets, { tolerance: 1e-13 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(rk.iterations);
    rk.weightPerUnitMean1.forEach((row, i) => row.forEach((w, j) => expect(Math.abs(r.weights[cellAt(i, j)]! - w), `cell ${i},${j}`).toBeLessThan(1e-6)));
    expect(
      Math.abs(
        nEff(
          r.weights,
          cells.map((c) => c.count),
        ) - rk.nEff,
      ),
    ).toBeLessThan(1e-6);
    expect(meanOf(r.weights, cells)).toBeCloseTo(1, 12);
    // IPF weights have product form a_i·b_j: log-weights have no interaction.
    const w = (i: number, j: number) => Math.log(r.weights[cellAt(i, j)]!);
    expect(w(0, 0) - w(0, 1) - w(1, 0) + w(1, 1)).toBeCloseTo(0, 10);
  });

  it('gives the same weights whether reports come as one cell per report or grouped', () => {
    const rows: number[] = [];
    const cols: number[] = [];
    for (const c of cells) {
      for (let u = 0; u < c.count; u++) {
        rows.push(c.categories[0]!);
        cols.push(c.categories[1]!);
      }
    }
    const units: Cell[] = rows.map((r, i) => ({ categories: [r, cols[i]!], count: 1 }));
    const grouped = rake(cells, targets, { tolerance: 1e-12 });
    const single = rake(units, targets, { tolerance: 1e-12 });
    expect(single.iterations).toBe(grouped.iterations);
    let u = 0;
    cells.forEach((c, ci) => {
      for (let k = 0; k < c.count; k++) expect(Math.abs(single.weights[u++]! - grouped.weights[ci]!)).toBeLessThan(1e-12);
    });
    // A cell split in two (same categories) gets the same weight in both halves.
    const split = [...cells.slice(1), { ...cells[0]!, count: 20 }, { ...cells[0]!, count: cells[0]!.count - 20 }];
    const s = rake(split, targets, { tolerance: 1e-12 });
    expect(s.weights.at(-1)).toBeCloseTo(s.weights.at(-2)!, 12);
    expect(s.weights.at(-1)).toBeCloseTo(grouped.weights[0]!, 10);
  });

  it('caps weights at 5× the mean and renormalises', () => {
    // 20 of 1000 reports stand for half of the population: uncapped weight 25.
    const few = oneDim([20, 980]);
    const r = rake(few, [[0.5, 0.5]]);
    expect(r.converged).toBe(true);
    expect(r.cappedUnits).toBe(20);
    expect(Math.max(...r.weights)).toBeLessThanOrEqual(5 * meanOf(r.weights, few) * (1 + 1e-12));
    expect(r.weights[0]!).toBeCloseTo(5, 9);
    expect(meanOf(r.weights, few)).toBeCloseTo(1, 12);
    // Capping trades margin accuracy for variance; the reported error says so.
    expect(r.maxMarginError).toBeGreaterThan(0.3);

    const w = Float64Array.from([1, 100]);
    expect(capWeights(w, [9, 1])).toBe(1);
    expect(meanOf(w, oneDim([9, 1]))).toBeCloseTo(1, 12);
    expect(w[1]).toBeCloseTo(5, 9);
    expect(w[0]).toBeCloseTo(5 / 9, 9);
  });

  it('falls back to post-stratification on the first dimension when it cannot converge', () => {
    // Two perfectly aligned dimensions with incompatible targets: IPF oscillates.
    const aligned: Cell[] = [
      { categories: [0, 0], count: 100 },
      { categories: [1, 1], count: 100 },
    ];
    const r = rake(aligned, [
      [0.5, 0.5],
      [0.3, 0.7],
    ]);
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(100);
    expect(r.fallback).toMatch(/did not converge in 100 passes.*post-stratification/);
    expect(Array.from(r.weights)).toEqual(Array.from(postStratify(aligned, [0.5, 0.5]).weights));
    expect(r.maxMarginError).toBeCloseTo(0.2, 12);

    // A target category with no reports at all cannot be fitted either.
    const missing = rake(aligned, [
      [0.5, 0.5],
      [0.4, 0.4, 0.2],
    ]);
    expect(missing.converged).toBe(false);
    expect(missing.iterations).toBe(0);
    expect(missing.fallback).toMatch(/dimension 1, category 2 .* no units/);
  });

  it('handles tens of thousands of reports quickly, as cells', () => {
    const rng = createRng('raking-large');
    const n = 60_000;
    const d1 = Int32Array.from({ length: n }, () => categorical(rng, cumulativeOf([0.5, 0.3, 0.15, 0.05])));
    const d2 = Int32Array.from({ length: n }, () => categorical(rng, cumulativeOf([0.6, 0.25, 0.1, 0.05])));
    const d3 = Int32Array.from({ length: n }, (_, i) => (rng.next() < 0.5 ? d1[i]! : rng.int(6))); // correlated with d1, full support
    const cells = cellsOf(d1, d2, d3);
    expect(cells.length).toBeLessThanOrEqual(4 * 4 * 6);
    expect(cells.reduce((a, c) => a + c.count, 0)).toBe(n);
    const t0 = performance.now();
    const r = rake(cells, [
      [0.45, 0.3, 0.17, 0.08],
      [0.55, 0.27, 0.11, 0.07],
      [0.2, 0.2, 0.15, 0.15, 0.15, 0.15],
    ]);
    const ms = performance.now() - t0;
    expect(r.converged).toBe(true);
    expect(r.cappedUnits).toBe(0);
    expect(r.maxMarginError).toBeLessThan(1e-6);
    expect(ms).toBeLessThan(200);
  });

  it('rejects malformed input', () => {
    expect(() => rake([], [])).toThrow(RangeError);
    expect(() => rake(oneDim([1, 1]), [[0.5]])).toThrow(RangeError); // category 1 outside the targets
    expect(() => rake(oneDim([1, 1]), [[0.5, -0.5]])).toThrow(RangeError);
    expect(() => rake(oneDim([1, 1]), [[0.5, 0.5], [1]])).toThrow(RangeError); // one category per cell, two dimensions
    expect(() => rake([{ categories: [0], count: -1 }], [[1]])).toThrow(RangeError);
    expect(() => rake(oneDim([0, 0]), [[0.5, 0.5]])).toThrow(RangeError); // no reports
  });
});

describe('post-stratification', () => {
  it('w = N·q_k/N_k with mean 1', () => {
    const cells = oneDim([60, 40]);
    const r = postStratify(cells, [0.3, 0.7]);
    expect(r.weights[0]).toBeCloseTo((100 * 0.3) / 60, 14);
    expect(r.weights[1]).toBeCloseTo((100 * 0.7) / 40, 14);
    expect(meanOf(r.weights, cells)).toBeCloseTo(1, 14);
    expect(r.strata.map((s) => s.other)).toEqual([false, false]);
    // Another dimension of the cells can be chosen.
    const two: Cell[] = [
      { categories: [5, 0], count: 60 },
      { categories: [5, 1], count: 40 },
    ];
    expect(Array.from(postStratify(two, [0.3, 0.7], { dimension: 1 }).weights)).toEqual(Array.from(r.weights));
  });

  it('merges categories with N_k < 20, and categories missing from the reference, into "other" on both sides', () => {
    // Categories: 0 (50 reports), 1 (30), 2 (10: small), 3 (5: small), 7 (5: not in the reference).
    const cells: Cell[] = [
      { categories: [0], count: 50 },
      { categories: [1], count: 30 },
      { categories: [2], count: 10 },
      { categories: [3], count: 5 },
      { categories: [7], count: 5 },
    ];
    const q = [0.4, 0.3, 0.2, 0.1];
    const r = postStratify(cells, q);
    const other = r.strata.find((s) => s.other)!;
    expect(other.categories).toEqual([2, 3, 7]);
    expect(other.sampleCount).toBe(20);
    expect(other.targetShare).toBeCloseTo(0.3, 14);
    expect(r.weights[0]).toBeCloseTo((100 * 0.4) / 50, 14);
    expect(r.weights[2]).toBeCloseTo((100 * 0.3) / 20, 14); // category 2
    expect(r.weights[4]).toBeCloseTo((100 * 0.3) / 20, 14); // category 7
    // Reference mass without reports (category 2 of 3 absent) is spread over the rest.
    const r2 = postStratify(oneDim([30, 70]), [0.25, 0.25, 0.5]);
    expect(r2.strata.map((s) => s.targetShare)).toEqual([0.5, 0.5]);
    // No stratum with reports has a positive target share.
    expect(() => postStratify(oneDim([30]), [0, 1])).toThrow(RangeError);
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
      // Cells: one per category and outcome.
      const cells = cellsOf(cats, y);
      const { weights } = postStratify(cells, q);
      const k = weightedShare(cells.map((c, ci) => ({ w: weights[ci]!, n: c.count, x: c.categories[1]! * c.count })))!;
      const ci = wilsonWeighted(k.share, k.nEff);
      adjusted.push(k.share);
      meanNEff += k.nEff / R;
      if (ci[0] <= truth && truth <= ci[1]) kishCovered++;
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
