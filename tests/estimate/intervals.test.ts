import { describe, expect, it } from 'vitest';
import { wilson, wilsonWeighted, wilsonWithZ } from '../../src/estimate/intervals.ts';
import { normalQuantileUpper, z95 } from '../../src/estimate/normal.ts';
import { agrestiCoull, clopperPearson, goodman, jeffreys, wald } from '../reference/intervals.ts';
import { regularizedBeta } from '../reference/special.ts';
import { nEff, weightedShare } from '../../src/estimate/weighting.ts';
import * as ref from './fixtures/reference-values.ts';
import { expectClose, expectPrinted } from './reference.ts';

describe('binomial intervals against the reference values', () => {
  it('Wilson 95% and 99%', () => {
    for (const { x, n, interval } of ref.wilson.conf95) expectClose(wilson(x, n), interval, 1e-6, `wilson95 ${x}/${n}`);
    for (const { x, n, interval } of ref.wilson.conf99) expectClose(wilson(x, n, 0.99), interval, 1e-6, `wilson99 ${x}/${n}`);
    for (const { x, n, interval } of ref.wilson.published) expectPrinted(wilson(x, n), interval, 4, `Newcombe (1998) wilson ${x}/${n}`);
  });

  it('Clopper–Pearson 95%', () => {
    for (const { x, n, interval } of ref.clopperPearson.conf95) expectClose(clopperPearson(x, n), interval, 1e-6, `clopperPearson95 ${x}/${n}`);
    for (const { x, n, interval } of ref.clopperPearson.published) expectPrinted(clopperPearson(x, n), interval, 4, `Newcombe (1998) exact ${x}/${n}`);
  });

  it('Jeffreys, Agresti–Coull and Wald 95%', () => {
    const tables = [
      ['jeffreys', ref.jeffreys.conf95, jeffreys],
      ['agrestiCoull', ref.agrestiCoull.conf95, agrestiCoull],
      ['wald', ref.wald.conf95, wald],
    ] as const;
    for (const [name, table, method] of tables) {
      expect(table).toHaveLength(7);
      for (const { x, n, interval } of table) expectClose(method(x, n), interval, 1e-6, `${name} ${x}/${n}`);
    }
  });

  it('Goodman simultaneous intervals use z_{1-α/(2k)}', () => {
    const g = ref.goodman;
    expect(Math.abs(normalQuantileUpper(0.05 / (2 * g.k)) - g.z)).toBeLessThan(1e-5); // the fixture rounds z to 5 decimals
    const got = goodman(g.counts, g.n);
    got.forEach((iv, i) => expectClose(iv, g.intervals[i]!, 1e-6, `goodman ${i}`));
    // Goodman equals Wilson at confidence 1 − α/k.
    got.forEach((iv, i) => expectClose(iv, wilson(g.counts[i]!, g.n, 1 - 0.05 / g.k), 1e-12, `goodman=wilson ${i}`));
    expect(goodman([], 10)).toEqual([]);
  });

  it('Kish-form Wilson for a weighted proportion', () => {
    const k = ref.kishWilson;
    expect(Math.abs(nEff(k.weights) - k.nEff)).toBeLessThan(1e-6);
    // One cell per report: its weight, n = 1, x = the outcome.
    const r = weightedShare(Array.from(k.y, (y, i) => ({ w: k.weights[i]!, n: 1, x: y })));
    expect(r).not.toBeNull();
    expect(Math.abs(r!.share - k.weightedP)).toBeLessThan(1e-12);
    expect(Math.abs(r!.nEff - k.nEff)).toBeLessThan(1e-6);
    expectClose(wilsonWeighted(r!.share, r!.nEff), k.interval, 1e-6, 'kishWilson');
    expectClose(wilsonWeighted(k.weightedP, k.nEff), k.interval, 1e-6, 'wilsonWeighted');
  });
});

describe('interval conventions', () => {
  it('Wilson: exact 0 at x = 0, exact 1 at x = n, [0, 1] at n = 0, z²/(n+z²) upper at x = 0', () => {
    for (const n of [1, 7, 50, 16000]) {
      const [lo0, hi0] = wilson(0, n);
      expect(lo0).toBe(0);
      expect(Math.abs(hi0 - (z95 * z95) / (n + z95 * z95))).toBeLessThan(1e-15);
      expect(wilson(n, n)[1]).toBe(1);
    }
    expect(wilson(0, 0)).toEqual([0, 1]);
    expect(wilsonWeighted(0, 3.2)[0]).toBe(0);
    expect(wilsonWeighted(1, 3.2)[1]).toBe(1);
    expect(wilsonWithZ(2.5, 7.3, z95)[0]).toBeGreaterThan(0);
  });

  it('all methods stay inside [0, 1], contain p̂ and widen with confidence', () => {
    const methods = { wilson, clopperPearson, jeffreys, agrestiCoull, wald };
    for (const n of [1, 2, 10, 37, 263]) {
      for (let x = 0; x <= n; x += Math.max(1, Math.floor(n / 9))) {
        for (const [name, m] of Object.entries(methods)) {
          const [lo, hi] = m(x, n);
          const [lo99, hi99] = m(x, n, 0.99);
          expect(lo, `${name} ${x}/${n}`).toBeGreaterThanOrEqual(0);
          expect(hi, `${name} ${x}/${n}`).toBeLessThanOrEqual(1);
          expect(lo <= x / n && x / n <= hi, `${name} ${x}/${n}`).toBe(true);
          expect(lo99 <= lo + 1e-15 && hi99 >= hi - 1e-15, `${name} ${x}/${n} 99%`).toBe(true);
        }
      }
    }
  });

  it('Clopper–Pearson bounds solve their defining tail equations to 1e-9', () => {
    for (const [x, n] of [
      [1, 10],
      [81, 263],
      [3, 16000],
      [15990, 16000],
    ] as const) {
      const [lo, hi] = clopperPearson(x, n);
      expect(Math.abs(regularizedBeta(lo, x, n - x + 1) - 0.025)).toBeLessThan(1e-9);
      expect(Math.abs(regularizedBeta(hi, x + 1, n - x) - 0.975)).toBeLessThan(1e-9);
    }
    expect(clopperPearson(0, 10)[0]).toBe(0);
    expect(clopperPearson(10, 10)[1]).toBe(1);
    expect(jeffreys(0, 10)[0]).toBe(0);
    expect(jeffreys(10, 10)[1]).toBe(1);
  });

  it('rejects impossible counts', () => {
    expect(() => wilson(11, 10)).toThrow(RangeError);
    expect(() => wilson(-1, 10)).toThrow(RangeError);
    expect(() => wilson(1.5, 10)).toThrow(RangeError);
    expect(() => wilson(1, 10, 1.2)).toThrow(RangeError);
    expect(() => clopperPearson(Number.NaN, 10)).toThrow(RangeError);
    expect(() => wilsonWeighted(1.1, 10)).toThrow(RangeError);
  });
});
