import { describe, expect, it } from 'vitest';
import {
  erf,
  erfc,
  normalCdf,
  normalQuantile,
  normalQuantileUpper,
  normalUpperTail,
  twoSidedPValue,
  z95,
  z99,
  zForConfidence,
} from '../../src/estimate/normal.ts';
import * as ref from './fixtures/reference-values.ts';

describe('normal distribution', () => {
  it('z95 and z99 match the full-precision reference to 1e-9', () => {
    const z = ref.normalQuantiles;
    expect(Math.abs(z95 - z.conf95)).toBeLessThan(1e-9);
    expect(Math.abs(z99 - z.conf99)).toBeLessThan(1e-9);
    expect(Math.abs(z95 - z.rounded.conf95)).toBeLessThan(1e-6);
    expect(Math.abs(z99 - z.rounded.conf99)).toBeLessThan(1e-6);
  });

  it('matches known CDF and tail values with small relative error, far into the tail (1e-12 relative)', () => {
    // Values from 50-digit arithmetic (mpmath ncdf).
    const known: [number, number][] = [
      [-1, 0.15865525393145705142],
      [-1.959963984540054, 0.025],
      [-3, 0.0013498980316300945267],
      [-5, 2.8665157187919391167e-7],
      [-10, 7.6198530241605260659e-24],
      [-20, 2.7536241186062336951e-89],
      [-37, 5.7255712225245768e-300],
    ];
    for (const [x, p] of known) {
      expect(Math.abs(normalCdf(x) / p - 1)).toBeLessThan(1e-12);
      expect(Math.abs(normalUpperTail(-x) / p - 1)).toBeLessThan(1e-12);
    }
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });

  it('erf and erfc are consistent across the branch points of the approximation', () => {
    for (const x of [0, 1e-20, 0.1, 0.46875, 0.46876, 1, 3.999, 4, 4.001, 6]) {
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
      expect(erf(-x)).toBe(-erf(x));
      expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15);
    }
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erfc(3)).toBeCloseTo(2.209049699858544e-5, 19);
  });

  it('the quantile inverts the CDF to ~1e-13 relative, including tiny tails', () => {
    for (const p of [1e-300, 1e-50, 1e-12, 1e-6, 0.001, 0.025, 0.07, 0.075, 0.2, 0.5, 0.8, 0.925, 0.975, 0.999]) {
      const z = normalQuantile(p);
      expect(Math.abs(normalCdf(z) / p - 1)).toBeLessThan(1e-12);
    }
    for (const tail of [1e-200, 1e-9, 0.0083333, 0.05, 0.3]) {
      const z = normalQuantileUpper(tail);
      expect(Math.abs(normalUpperTail(z) / tail - 1)).toBeLessThan(1e-12);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantileUpper(0)).toBe(Infinity);
  });

  it('two-sided p-values are accurate for small p and capped at 1', () => {
    expect(twoSidedPValue(0)).toBe(1);
    expect(Math.abs(twoSidedPValue(-5) / 5.7330314375838782334e-7 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(twoSidedPValue(z95) - 0.05)).toBeLessThan(1e-15);
    expect(() => zForConfidence(1)).toThrow(RangeError);
  });
});
