import { quantileSorted } from 'd3-array';
import { describe, expect, it } from 'vitest';
import { bootstrap, bootstrapIndices, bootstrapSeedKey, quantileType7 } from '../reference/bootstrap.ts';
import { createRng, fnv1a32 } from '../../src/lib/random.ts';
import * as ref from './fixtures/reference-values.ts';
import { expectClose } from './reference.ts';

const mean = (s: ArrayLike<number>) => Array.from(s).reduce((a, b) => a + b, 0) / s.length;

describe('percentile bootstrap (§3)', () => {
  const ex = ref.bootstrapExample;

  it('reproduces the reference example [1.2, 6.3]', () => {
    expect(ex.statistic).toBe('mean');
    const key = bootstrapSeedKey({ week: '2024-01-07', program: 'gopls', chart: 'gopls/client', bucket: 'vscode', estimand: 'meanEvents' });
    expect(key).toBe(ex.seedKey);
    expect(fnv1a32(key)).toBe(ex.seed);
    const r = bootstrap(ex.data, mean, { seed: key, replicates: ex.replicates, conf: ex.conf });
    expectClose(r.interval, ex.interval, 1e-9, 'bootstrap');
    expect(r.replicates).toHaveLength(2000);
    expect(r.nonFinite).toBe(0);
    // A numeric seed equal to the key's hash gives the same draws.
    expect(bootstrap(ex.data, mean, { seed: ex.seed }).interval).toEqual(r.interval);
  });

  it('draws j = floor(next()/2³²·n) in order, n per replicate', () => {
    const n = 7;
    const seen: number[][] = [];
    bootstrapIndices(
      n,
      (idx) => {
        seen.push(Array.from(idx));
        return 0;
      },
      { seed: 'draw-order', replicates: 3 },
    );
    const rng = createRng('draw-order');
    const expected = Array.from({ length: 3 }, () => Array.from({ length: n }, () => Math.floor((rng.nextU32() / 2 ** 32) * n)));
    expect(seen).toEqual(expected);
  });

  it('is deterministic per key and differs between keys', () => {
    const data = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const a = bootstrap(data, mean, { seed: 'k1' });
    const b = bootstrap(data, mean, { seed: 'k1' });
    const c = bootstrap(data, mean, { seed: 'k2' });
    expect(a.interval).toEqual(b.interval);
    expect(a.interval).not.toEqual(c.interval);
  });

  it('type-7 quantiles match d3 (which implements R type 7)', () => {
    const sorted = Float64Array.from([0.5, 1, 1, 2, 3.25, 8, 13, 21]);
    for (const q of [0, 0.025, 0.1, 0.5, 0.77, 0.975, 1]) expect(quantileType7(sorted, q)).toBeCloseTo(quantileSorted(Array.from(sorted), q)!, 14);
    expect(quantileType7([], 0.5)).toBeNaN();
    expect(quantileType7([4], 0.9)).toBe(4);
  });

  it('recomputes a whole estimator per replicate from unit indices, and sets aside non-finite replicates', () => {
    // Ratio of totals over resampled units: replicates with ΣN = 0 are undefined.
    const P = [0, 1, 0, 2];
    const N = [0, 3, 0, 4];
    const r = bootstrapIndices(
      P.length,
      (idx) => {
        let sp = 0;
        let sn = 0;
        for (const i of idx) {
          sp += P[i]!;
          sn += N[i]!;
        }
        return sp / sn;
      },
      { seed: 'ratio-check', replicates: 500 },
    );
    expect(r.nonFinite).toBeGreaterThan(0); // all-zero resamples have probability (1/2)^4
    expect(r.replicates.length + r.nonFinite).toBe(500);
    expect(r.interval[0]).toBeGreaterThanOrEqual(1 / 3 - 1e-12);
    expect(r.interval[1]).toBeLessThanOrEqual(0.5 + 1e-12);
    expect(bootstrapIndices(0, () => 1, { seed: 'x' }).interval.every(Number.isNaN)).toBe(true);
    expect(() => bootstrap([1, 2], mean, { seed: 'x', conf: 1 })).toThrow(RangeError);
  });
});
