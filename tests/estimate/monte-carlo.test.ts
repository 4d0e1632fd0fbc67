import { beforeAll, describe, expect, it } from 'vitest';
import { wilson } from '../../src/estimate/intervals.ts';
import { exactCoverage } from '../reference/coverage.ts';
import { wald } from '../reference/intervals.ts';
import { createRng } from '../../src/lib/random.ts';
import * as ref from './fixtures/reference-values.ts';
import { binomialSampler } from './sim.ts';

// §8.3: R = 2000 replications per (n, p) cell, seeded with 20240101 + cell
// index (cells in the order of the table: n outer, p inner).
const R = 2000;
const CELLS: [number, number][] = [50, 500, 16000].flatMap((n) => [0.01, 0.2, 0.5].map((p): [number, number] => [n, p]));

type Coverage = { n: number; p: number; wilson: number; wald: number };

function tally(n: number, p: number, draw: () => number): Coverage {
  let hitWilson = 0;
  let hitWald = 0;
  for (let r = 0; r < R; r++) {
    const x = draw();
    const [a, b] = wilson(x, n);
    if (a <= p && p <= b) hitWilson++;
    const [c, d] = wald(x, n);
    if (c <= p && p <= d) hitWald++;
  }
  return { n, p, wilson: hitWilson / R, wald: hitWald / R };
}

/**
 * The reference simulation: each replication draws n individual reports, a
 * report having the bucket when next() < p (compared as nextU32() < p·2³²).
 */
function simulateReports(cell: number): Coverage {
  const [n, p] = CELLS[cell]!;
  const rng = createRng(20240101 + cell);
  const threshold = p * 4294967296;
  return tally(n, p, () => {
    let x = 0;
    for (let i = 0; i < n; i++) if (rng.nextU32() < threshold) x++;
    return x;
  });
}

/** The same design with x drawn directly from Binom(n, p) by CDF inversion: one uniform per replication. */
function simulateBinomial(cell: number): Coverage {
  const [n, p] = CELLS[cell]!;
  const rng = createRng(20240101 + cell);
  const draw = binomialSampler(n, p);
  return tally(n, p, () => draw(rng));
}

const reference: readonly Coverage[] = ref.simulatedCoverage.cells;

describe('Monte Carlo coverage (§8.3, R = 2000 per cell)', () => {
  // The reference's per-report procedure where it is cheap (n = 50, 500:
  // 3.3 million draws); CDF inversion at n = 16000, where per-report draws
  // would take 96 million. Both use the §8.3 seeds.
  //
  // The band check is marginal at (50, .5): its exact coverage .9351 is only
  // 0.9 MC SE above .93, so whether an R = 2000 run lands in the band depends
  // on the draws (about 1 run in 5 falls below). The spec's own procedure and
  // seeds give .9445 there, which is why that procedure is used at n <= 500.
  let results: Coverage[] = [];
  beforeAll(() => {
    results = CELLS.map(([n], cell) => (n <= 500 ? simulateReports(cell) : simulateBinomial(cell)));
  });

  it('Wilson MC coverage is within 4 SE of the exact coverage at all nine cells, and in [.93, .97] where n·min(p,1−p) >= 5', () => {
    for (const r of results) {
      const exact = exactCoverage(r.n, r.p, (x, n) => wilson(x, n));
      const se = Math.sqrt((exact * (1 - exact)) / R);
      expect(Math.abs(r.wilson - exact), `${r.n},${r.p}: MC ${r.wilson} exact ${exact}`).toBeLessThanOrEqual(4 * se);
      if (r.n * Math.min(r.p, 1 - r.p) >= 5) {
        expect(r.wilson >= 0.93 && r.wilson <= 0.97, `${r.n},${r.p}: MC ${r.wilson}`).toBe(true);
      }
    }
  });

  it('the same simulation shows Wald under-covering at (50, .01) and (500, .01)', () => {
    expect(results[0]!.wald).toBeLessThan(0.5);
    expect(results[3]!.wald).toBeLessThan(0.9); // fails the band the Wilson cells must meet
  });

  it('CDF-inversion draws agree with the exact coverage at every cell as well (4 SE)', () => {
    for (let cell = 0; cell < 9; cell++) {
      const r = simulateBinomial(cell);
      const exact = exactCoverage(r.n, r.p, (x, n) => wilson(x, n));
      expect(Math.abs(r.wilson - exact), `${r.n},${r.p}`).toBeLessThanOrEqual(4 * Math.sqrt((exact * (1 - exact)) / R));
    }
  });

  it('per-report simulation reproduces the reference R = 2000 table exactly for n = 50 and 500', () => {
    for (let cell = 0; cell < 6; cell++) {
      const got = results[cell]!;
      const want = reference[cell]!;
      expect([got.n, got.p]).toEqual([want.n, want.p]);
      expect(got.wilson, `wilson ${got.n},${got.p}`).toBeCloseTo(want.wilson, 12);
      expect(got.wald, `wald ${got.n},${got.p}`).toBeCloseTo(want.wald, 12);
    }
  });

  // 96 million draws (about 3 s): run with ESTIMATE_SLOW_TESTS=1.
  it.runIf(process.env['ESTIMATE_SLOW_TESTS'] === '1')('per-report simulation reproduces the reference table for n = 16000 too', () => {
    for (let cell = 6; cell < 9; cell++) {
      const got = simulateReports(cell);
      expect(got.wilson).toBeCloseTo(reference[cell]!.wilson, 12);
      expect(got.wald).toBeCloseTo(reference[cell]!.wald, 12);
    }
  });
});
