import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, flagChange, flagChanges, newcombe, scoreTestPValue } from '../../src/estimate/changes.ts';
import { benjaminiYekutieli, rejectedAt } from '../reference/changes.ts';
import { wilson } from '../../src/estimate/intervals.ts';
import * as ref from './fixtures/reference-values.ts';
import { expectClose, expectPrinted } from './reference.ts';

describe('Newcombe interval and score test', () => {
  it('match the reference to 1e-6 and Newcombe (1998) to the 4 decimals printed', () => {
    for (const r of ref.newcombe.cases) {
      const key = `${r.x1}/${r.n1} - ${r.x2}/${r.n2}`;
      const got = newcombe(r.x1, r.n1, r.x2, r.n2);
      expect(Math.abs(got.difference - r.difference), key).toBeLessThan(1e-12);
      expectClose(got.interval, r.interval, 1e-6, `newcombe ${key}`);
      expectPrinted(got.interval, r.published, 4, `Newcombe (1998) method 10 ${key}`);
      expect(Math.abs(scoreTestPValue(r.x1, r.n1, r.x2, r.n2) - r.scoreTestPValue), key).toBeLessThan(1e-6);
    }
  });

  it('is built from the Wilson intervals as in method 10', () => {
    const [l1, u1] = wilson(30, 120);
    const [l2, u2] = wilson(12, 95);
    const p1 = 30 / 120;
    const p2 = 12 / 95;
    const got = newcombe(30, 120, 12, 95);
    expectClose(got.interval, [p1 - p2 - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), p1 - p2 + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)], 1e-15);
  });

  it('the score-test p-value equals the chi-square test without correction, also for tiny p', () => {
    // 2x2 table 400/1000 vs 300/1000: X² = 21.978, p from 40-digit arithmetic (and scipy chi2_contingency).
    expect(Math.abs(scoreTestPValue(400, 1000, 300, 1000) / 2.757905777054697e-6 - 1)).toBeLessThan(1e-9);
    expect(scoreTestPValue(0, 50, 0, 60)).toBe(1);
    expect(scoreTestPValue(50, 50, 60, 60)).toBe(1);
    expect(scoreTestPValue(5, 50, 5, 50)).toBe(1);
    expect(() => newcombe(1, 0, 1, 10)).toThrow(RangeError);
  });
});

describe('false discovery rate', () => {
  const bh = ref.benjaminiHochberg;

  it('Benjamini–Hochberg reproduces the 1995 example: adjusted values and 4 rejections', () => {
    const adj = benjaminiHochberg(bh.pValues);
    expectClose(adj, bh.adjusted, 1e-6, 'BH');
    expect(rejectedAt(adj, 0.05)).toEqual(bh.rejectedAtQ05);
    expect(rejectedAt(adj).filter(Boolean)).toHaveLength(4);
  });

  it('adjusts in input order and is monotone in p', () => {
    const shuffled = [...bh.pValues].reverse();
    expect(benjaminiHochberg(shuffled)).toEqual(benjaminiHochberg(bh.pValues).reverse());
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.3])).toEqual([0.3]);
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(RangeError);
  });

  it('Benjamini–Yekutieli scales BH by Σ1/i and is never less conservative', () => {
    const m = bh.pValues.length;
    let c = 0;
    for (let i = 1; i <= m; i++) c += 1 / i;
    const by = benjaminiYekutieli(bh.pValues);
    const adj = benjaminiHochberg(bh.pValues);
    by.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(adj[i]!);
      expect(Math.abs(v - Math.min(1, adj[i]! * c))).toBeLessThan(1e-12);
    });
    // scipy.stats.false_discovery_control(method='by') on the same p-values.
    expectClose(by.slice(0, 5), [0.004977343489843491, 0.009954686979686982, 0.03152317543567544, 0.11821190788378289, 0.20008920829170831], 1e-12, 'BY');
    expect(rejectedAt(by).filter(Boolean)).toHaveLength(3);
  });
});

describe('flag rule (§5)', () => {
  const week = (x: number, n: number, published = true) => ({ x, n, published });

  it('flags a clear, significant change', () => {
    const r = flagChange(week(260, 1000), week(200, 1000), 0.001);
    expect(r.flag).toBe(true);
    expect(r.failed).toEqual([]);
    expect(r.difference).toBeCloseTo(0.06, 12);
    expect(r.interval![0]).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.01);
  });

  it('lists every failing condition', () => {
    expect(flagChange(week(30, 40, false), week(10, 1000, false), 0.2).failed).toEqual(['notPublished', 'smallSample', 'notSignificant']);
    // Published in one of the weeks is enough: a value that appears or vanishes is tested.
    expect(flagChange(week(0, 1000), week(100, 1000, false), 0.001).failed).toEqual([]);
    // Significant by the adjusted p passed in, but the interval straddles 0 and the change is tiny.
    expect(flagChange(week(501, 1000), week(500, 1000), 0.01).failed).toEqual(['intervalIncludesZero', 'smallChange']);
    const empty = flagChange(week(0, 0), week(5, 100), 0.01, { minN: 0 });
    expect(empty.flag).toBe(false);
    expect(empty.difference).toBeNull();
    expect(empty.failed).toEqual(['smallSample']);
  });

  it('applies the effect-size rule: 1 point absolute, or 50% relative for rare buckets', () => {
    // Large n makes tiny changes significant: 0.5% → 0.8% is < 1 point but +60% relative.
    const rare = flagChange(week(800, 100000), week(500, 100000), 1e-6);
    expect(rare.flag).toBe(true);
    // 40% → 40.9% at huge n: significant, interval excludes 0, but below both effect thresholds.
    const small = flagChange(week(409000, 1000000), week(400000, 1000000), 1e-9);
    expect(small.failed).toEqual(['smallChange']);
    // Exactly 1 point (29% → 28%) counts despite rounding in the subtraction.
    const exact = flagChange(week(29000, 100000), week(28000, 100000), 1e-9);
    expect(exact.flag).toBe(true);
  });

  it('flagChanges BH-adjusts the tested buckets together and skips untestable ones', () => {
    const results = flagChanges([
      { current: week(260, 1000), previous: week(200, 1000) },
      { current: week(205, 1000), previous: week(200, 1000) },
      { current: week(30, 40), previous: week(10, 40) }, // n < 50: not tested
      { current: week(900, 1000, false), previous: week(100, 1000, false) }, // published in neither week: not tested
      { current: week(0, 1000), previous: week(100, 1000, false) }, // published in one week (a true 0): tested
    ]);
    expect(results.map((r) => r.flag)).toEqual([true, false, false, false, true]);
    expect(Number.isNaN(results[2]!.adjustedP)).toBe(true);
    expect(Number.isNaN(results[3]!.adjustedP)).toBe(true);
    const raw = [scoreTestPValue(260, 1000, 200, 1000), scoreTestPValue(205, 1000, 200, 1000), scoreTestPValue(0, 1000, 100, 1000)];
    expect(results[0]!.adjustedP).toBeCloseTo(benjaminiHochberg(raw)[0]!, 15);
    expect(results[1]!.adjustedP).toBeCloseTo(benjaminiHochberg(raw)[1]!, 15);
    expect(results[4]!.adjustedP).toBeCloseTo(benjaminiHochberg(raw)[2]!, 15);
  });
});
