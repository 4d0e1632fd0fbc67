/**
 * The histogram of per-installation event counts (src/reduce/histogram.ts):
 * its bins against an exact integer definition, the merge laws on random
 * histograms, and quantiles within the documented relative error.
 */
import { describe, expect, it } from 'vitest';
import {
  binIntegers,
  binOf,
  binValue,
  histOf,
  histQuantile,
  histReports,
  histTopShare,
  mergeHist,
  QUANTILE_RELATIVE_ERROR,
} from '../../src/reduce/histogram.ts';
import { createRng, type Rng } from '../../src/lib/random.ts';
import { top1PercentShare } from '../../src/estimate/means.ts';

/** Bin k holds c when 2^(k/4) <= c, i.e. c^4 >= 2^k: the bin is the bit length of c^4 minus 1, in exact integer arithmetic. */
const exactBin = (c: number) => (BigInt(c) ** 4n).toString(2).length - 1;

/** The exact type-1 quantile: the value at rank max(1, ceil(q·x)) of the sorted counts. */
function exactQuantile(counts: number[], q: number): number {
  const s = [...counts].sort((a, b) => a - b);
  return s[Math.max(1, Math.ceil(q * s.length)) - 1]!;
}

/** A heavy-tailed count: mostly small, sometimes (CI machines) tens of thousands. */
function heavyCount(rng: Rng): number {
  const u = rng.nextDouble();
  return u < 0.02 ? 5000 + rng.int(200000) : Math.max(1, Math.floor(1 / rng.nextDouble() ** 1.3));
}

const randomHist = (rng: Rng) => histOf(Array.from({ length: rng.int(60) }, () => heavyCount(rng)));

describe('histogram bins', () => {
  it('put every count in bin floor(4·log2 c), checked in exact integer arithmetic', () => {
    const wrong: number[] = [];
    for (let c = 1; c <= 100000; c++) if (binOf(c) !== exactBin(c)) wrong.push(c);
    expect(wrong).toEqual([]);
    // Next to powers of two, where a floating-point log2 would err, up to 2^53 - 1.
    for (let e = 17; e <= 53; e++) {
      for (const c of [2 ** e - 1, 2 ** e, 2 ** e + 1]) if (c <= Number.MAX_SAFE_INTEGER) expect(binOf(c), String(c)).toBe(exactBin(c));
    }
    expect(binOf(Number.MAX_SAFE_INTEGER)).toBe(211);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(binOf)).toEqual([0, 4, 6, 8, 9, 10, 11, 12, 12]);
    expect(() => binOf(0)).toThrow(RangeError);
  });

  it('know their integers, and a bin value is within 2^(1/8) - 1 of each', () => {
    expect(QUANTILE_RELATIVE_ERROR).toBeCloseTo(0.0905077, 6);
    let worst = 0;
    let misplaced = 0;
    for (let k = 0; k <= 72; k++) {
      const [lo, hi] = binIntegers(k);
      for (let c = lo; c <= hi; c++) {
        if (binOf(c) !== k) misplaced++;
        worst = Math.max(worst, Math.abs(binValue(k) - c) / c);
      }
      if (lo <= hi) {
        expect(binOf(lo - 1 || 1)).toBeLessThanOrEqual(k);
        expect(binOf(hi + 1)).toBeGreaterThan(k);
      }
    }
    expect(misplaced).toBe(0);
    expect(worst).toBeLessThan(QUANTILE_RELATIVE_ERROR);
    expect(worst).toBeGreaterThan(0.08); // the bound is nearly reached, so it is not loose
    // Counts 1 to 7 are exact.
    for (let c = 1; c <= 7; c++) expect(binValue(binOf(c))).toBe(c);
  });
});

describe('merging histograms', () => {
  it('is commutative and associative, has [] as identity, and equals the histogram of the pooled counts', () => {
    const rng = createRng('hist-merge-laws');
    for (let t = 0; t < 300; t++) {
      const counts = [0, 1, 2].map(() => Array.from({ length: rng.int(50) }, () => heavyCount(rng)));
      const [a, b, c] = counts.map((x) => histOf(x)) as [number[], number[], number[]];
      expect(mergeHist(a, b)).toEqual(mergeHist(b, a));
      expect(mergeHist(mergeHist(a, b), c)).toEqual(mergeHist(a, mergeHist(b, c)));
      expect(mergeHist(a, [])).toEqual(a);
      expect(mergeHist(a, b)).toEqual(histOf([...counts[0]!, ...counts[1]!]));
      expect(histReports(mergeHist(a, b))).toBe(counts[0]!.length + counts[1]!.length);
    }
  });

  it('subtracts exactly: removing what was added leaves the histogram as it was', () => {
    const rng = createRng('hist-subtract');
    for (let t = 0; t < 100; t++) {
      const a = randomHist(rng);
      const b = randomHist(rng);
      const minusB = b.map((v, i) => (i % 2 === 1 ? -v : v));
      expect(mergeHist(mergeHist(a, b), minusB)).toEqual(a);
    }
  });
});

describe('quantiles from the histogram', () => {
  it('are within the documented relative error of the exact quantiles, on random heavy-tailed counts', () => {
    const rng = createRng('hist-quantiles');
    let worst = 0;
    for (let t = 0; t < 500; t++) {
      const counts = Array.from({ length: 1 + rng.int(400) }, () => heavyCount(rng));
      const h = histOf(counts);
      for (const q of [0.1, 0.5, 0.9, 0.99, 1]) {
        const exact = exactQuantile(counts, q);
        const est = histQuantile(h, q)!;
        worst = Math.max(worst, Math.abs(est - exact) / exact);
      }
    }
    expect(worst).toBeLessThanOrEqual(QUANTILE_RELATIVE_ERROR);
    expect(histQuantile([], 0.5)).toBeNull();
    // Small counts are exact: median of 1, 1, 2, 3, 7 is 2; its 90th percentile 7.
    expect(histQuantile(histOf([3, 1, 7, 2, 1]), 0.5)).toBe(2);
    expect(histQuantile(histOf([3, 1, 7, 2, 1]), 0.9)).toBe(7);
  });

  it('give the top-1% share of events within the relative error of the exact one', () => {
    const rng = createRng('hist-top');
    for (let t = 0; t < 200; t++) {
      const n = 100 + rng.int(3000);
      // Installations without events are part of n: they count for the size of the top 1%.
      const counts = Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : heavyCount(rng)));
      const events = counts.reduce((a, b) => a + b, 0);
      const exact = top1PercentShare(counts);
      const est = histTopShare(histOf(counts), Math.max(1, Math.ceil(n / 100)), events);
      expect(Math.abs(est - exact)).toBeLessThanOrEqual(QUANTILE_RELATIVE_ERROR * exact + 1e-12);
    }
    expect(histTopShare([], 1, 0)).toBe(0);
    expect(histTopShare(histOf([5, 3]), 3, 8)).toBe(1); // the top k are all the installations with events
  });
});
