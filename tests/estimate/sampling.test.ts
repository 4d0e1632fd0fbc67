/** The design's sampling arithmetic (src/estimate/sampling.ts): implied installations, upload frequency and the SampleRate for ±1 point at 99%. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/lib/random.ts';
import { impliedInstallations, weekSampling, worstCaseMargin } from '../../src/estimate/sampling.ts';
import { binomialSampler } from './sim.ts';

describe('implied installations', () => {
  it('is R/S with the score interval, the roots of (R − N·S)² = z²·N·S(1 − S)', () => {
    const r = 1000;
    const s = 0.5;
    const { estimate, interval } = impliedInstallations(r, s);
    expect(estimate).toBe(2000);
    // Both ends solve the score equation at z = 1.959964.
    const z = 1.959963984540054;
    for (const n of interval) expect((r - n * s) ** 2).toBeCloseTo(z * z * n * s * (1 - s), 6);
    // Computed independently (Python, math.sqrt): b = 2·1000·0.5 + z²·0.25; roots (b ∓ √(b² − 10⁶)) / 0.5.
    expect(interval[0]).toBeCloseTo(1914.2474, 3);
    expect(interval[1]).toBeCloseTo(2089.594, 3);
  });

  it('knows N exactly when every installation uploads, and never goes below R', () => {
    expect(impliedInstallations(16588, 1)).toEqual({ estimate: 16588, interval: [16588, 16588] });
    const near = impliedInstallations(5, 0.999);
    expect(near.interval[0]).toBe(5);
    expect(impliedInstallations(0, 0.1).interval[0]).toBe(0);
    expect(impliedInstallations(0, 0.1).interval[1]).toBeGreaterThan(0);
  });

  it('rejects impossible inputs', () => {
    expect(() => impliedInstallations(-1, 0.5)).toThrow(RangeError);
    expect(() => impliedInstallations(1.5, 0.5)).toThrow(RangeError);
    expect(() => impliedInstallations(10, 0)).toThrow(RangeError);
    expect(() => impliedInstallations(10, 1.2)).toThrow(RangeError);
  });

  it('covers the true N about 95% of the time in a seeded simulation', () => {
    const rng = createRng('sampling-coverage');
    for (const [n, s] of [
      [100_000, 0.16],
      [20_000, 0.05],
      [3_000, 0.6],
    ] as const) {
      const draw = binomialSampler(n, s);
      let covered = 0;
      const reps = 2000;
      for (let i = 0; i < reps; i++) {
        const [lo, hi] = impliedInstallations(draw(rng), s).interval;
        if (lo <= n && n <= hi) covered++;
      }
      // 95% nominal; with 2,000 replications the standard error is 0.5 points.
      expect(covered / reps).toBeGreaterThan(0.935);
      expect(covered / reps).toBeLessThan(0.965);
    }
  });
});

describe('the design trade-off', () => {
  it('matches the design: a million installations need 1.6% of weeks, 100,000 need 16%', () => {
    expect(weekSampling(1_000_000, 1).neededRate).toBeCloseTo(0.016588, 6);
    expect(weekSampling(100_000, 1).neededRate).toBeCloseTo(0.16588, 5);
    const w = weekSampling(8000, 0.5);
    expect(w.installations.estimate).toBe(16000);
    expect(w.weeksPerUpload).toBe(2);
    expect(w.neededRate).toBe(1);
    expect(w.targetOutOfReach).toBe(true);
    expect(weekSampling(0, 0.5).neededRate).toBeNull();
  });

  it('gives the worst-case margins of the precision note', () => {
    expect(worstCaseMargin(16588, 0.99)).toBeCloseTo(1, 3);
    expect(worstCaseMargin(9604, 0.95)).toBeCloseTo(1, 3);
    expect(worstCaseMargin(0, 0.99)).toBe(Number.POSITIVE_INFINITY);
  });
});
