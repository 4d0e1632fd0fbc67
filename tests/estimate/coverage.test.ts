import { describe, expect, it } from 'vitest';
import { wilson } from '../../src/estimate/intervals.ts';
import { binomialLogPmf, binomialPmf, coverageOverGrid, exactCoverage, type IntervalMethod } from '../reference/coverage.ts';
import { agrestiCoull, clopperPearson, jeffreys, wald } from '../reference/intervals.ts';
import * as ref from './fixtures/reference-values.ts';

const wilson95: IntervalMethod = (x, n) => wilson(x, n);
const wald95: IntervalMethod = (x, n) => wald(x, n);

/** The §8.2 acceptance band for a 95% method at a cell. */
const inBand = (c: number) => c >= 0.93 && c <= 0.97;

describe('exact coverage', () => {
  it('the binomial pmf is normalised and matches direct computation', () => {
    for (const [n, p] of [
      [10, 0.3],
      [500, 0.01],
      [16000, 0.5],
    ] as const) {
      const pmf = binomialPmf(n, p);
      expect(Math.abs(pmf.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    }
    expect(Math.exp(binomialLogPmf(3, 10, 0.3))).toBeCloseTo(120 * 0.3 ** 3 * 0.7 ** 7, 15);
    expect(binomialLogPmf(0, 10, 0)).toBe(0);
    expect(binomialLogPmf(1, 10, 0)).toBe(-Infinity);
  });

  it('Wilson and Wald match the reference at the nine cells to 1e-6', () => {
    const rows = ref.exactCoverage.cells;
    expect(rows).toHaveLength(9);
    for (const r of rows) {
      expect(Math.abs(exactCoverage(r.n, r.p, wilson95) - r.wilson), `wilson ${r.n},${r.p}`).toBeLessThan(1e-6);
      expect(Math.abs(exactCoverage(r.n, r.p, wald95) - r.wald), `wald ${r.n},${r.p}`).toBeLessThan(1e-6);
    }
  });

  it('Wilson lies in [.93, .97] wherever n·min(p, 1−p) >= 5', () => {
    for (const r of ref.exactCoverage.cells) {
      if (r.n * Math.min(r.p, 1 - r.p) < 5) continue;
      expect(inBand(exactCoverage(r.n, r.p, wilson95)), `wilson ${r.n},${r.p}`).toBe(true);
    }
  });

  it('negative control: the same band check catches Wald at (50, .01)', () => {
    const c = exactCoverage(50, 0.01, wald95);
    expect(Math.abs(c - 0.394848)).toBeLessThan(1e-6);
    expect(inBand(c)).toBe(false);
  });

  it('reproduces the §3 grid table (p = .005, .010, …, .995): mean/min coverage at n = 50 and n = 10', () => {
    const grid = Array.from({ length: 199 }, (_, i) => (i + 1) * 0.005);
    // Spec values, printed to 3 decimals.
    const table: Record<number, Record<string, [number, number]>> = {
      50: { wald: [0.905, 0.222], wilson: [0.952, 0.911], agrestiCoull: [0.957, 0.935], jeffreys: [0.95, 0.885], clopperPearson: [0.969, 0.953] },
      10: { wald: [0.773, 0.049], wilson: [0.954, 0.86], agrestiCoull: [0.964, 0.928], jeffreys: [0.954, 0.869], clopperPearson: [0.984, 0.962] },
    };
    const methods: Record<string, IntervalMethod> = {
      wald: (x, n) => wald(x, n),
      wilson: (x, n) => wilson(x, n),
      agrestiCoull: (x, n) => agrestiCoull(x, n),
      jeffreys: (x, n) => jeffreys(x, n),
      clopperPearson: (x, n) => clopperPearson(x, n),
    };
    for (const [n, row] of Object.entries(table)) {
      for (const [name, [mean, min]] of Object.entries(row)) {
        const got = coverageOverGrid(Number(n), grid, methods[name]!);
        expect(Math.abs(got.mean - mean), `${name} n=${n} mean ${got.mean}`).toBeLessThanOrEqual(6e-4);
        expect(Math.abs(got.min - min), `${name} n=${n} min ${got.min}`).toBeLessThanOrEqual(6e-4);
      }
    }
  });

  it('Wilson is narrower than Clopper–Pearson at n = 50 (expected width over the grid: .214 vs .231)', () => {
    const grid = Array.from({ length: 199 }, (_, i) => (i + 1) * 0.005);
    const width = (m: IntervalMethod) => {
      const w = Array.from({ length: 51 }, (_, x) => m(x, 50)).map(([lo, hi]) => hi - lo);
      let total = 0;
      for (const p of grid) binomialPmf(50, p).forEach((pr, x) => (total += pr * w[x]!));
      return total / grid.length;
    };
    expect(width(wilson95)).toBeCloseTo(0.214, 3);
    expect(width((x, n) => clopperPearson(x, n))).toBeCloseTo(0.231, 3);
  });
});

describe('negative control on a realistic small-n bucket', () => {
  // A bucket reported by about 3 of 60 eligible systems in a quiet week.
  // A method we publish must give a real upper bound when nobody reports the
  // bucket, and must not under-cover badly at such a cell.
  const acceptable = (m: IntervalMethod): boolean => {
    const zeroUpper = m(0, 60)[1];
    const cov = exactCoverage(60, 0.05, m);
    return zeroUpper > 0 && cov >= 0.93;
  };

  it('Wilson passes', () => {
    expect(acceptable(wilson95)).toBe(true);
  });

  it('Wald fails (upper bound 0 at x = 0, coverage .806)', () => {
    expect(wald(0, 60)).toEqual([0, 0]);
    expect(exactCoverage(60, 0.05, wald95)).toBeLessThan(0.81);
    expect(acceptable(wald95)).toBe(false);
  });
});
