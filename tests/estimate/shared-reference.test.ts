/**
 * Cross-check of the project's statistics reference values against the
 * independently produced table in the shared fixtures
 * (fixtures/statistics/reference-values.json, computed there by two separate
 * implementations). Every value of that table must agree with the project's
 * fixture to 1e-9, or, for the figures the fixture does not keep, with the
 * implementation. Skipped, with one line, when the shared folder is absent.
 */
import { describe, expect, it } from 'vitest';
import { wilson } from '../../src/estimate/intervals.ts';
import { exactCoverage } from '../reference/coverage.ts';
import { wald } from '../reference/intervals.ts';
import { nEff } from '../../src/estimate/weighting.ts';
import { sharedFixture, STATISTICS_REFERENCE } from '../helpers/shared.ts';
import * as ref from './fixtures/reference-values.ts';

const shared = sharedFixture('the independent statistics reference table, for the cross-check', [STATISTICS_REFERENCE]);

/** A value the shared table must match within `tol` (figures computed here rather than kept in the fixture). */
class Near {
  constructor(
    readonly value: number,
    readonly tol: number,
  ) {}
}
/** Text and metadata of the shared table that are not values: descriptions, notes, agreement records. */
class NotAValue {}
const META = new NotAValue();
type Expected = number | string | boolean | Near | NotAValue | readonly Expected[] | { readonly [k: string]: Expected };

/** Half a unit of the 6th decimal: the shared table rounds to 6 decimals. */
const ROUNDED = 5e-7 + 1e-12;

const keyed = (cases: readonly ref.IntervalCase[]) => Object.fromEntries(cases.map((c) => [`${c.x}/${c.n}`, c.interval]));
const intervalRows = (cases: readonly ref.IntervalCase[], withPhat: boolean) =>
  Object.fromEntries(
    cases.map((c) => [
      `${c.x}/${c.n}`,
      { x: c.x, n: c.n, ...(withPhat ? { phat: new Near(c.x / c.n, ROUNDED) } : {}), interval: c.interval, maxAbsDiffAB: META },
    ]),
  );

/** The shared table's shape, filled from the project's fixture and implementation. */
function expected(): Expected {
  const sumW = ref.effectiveSampleSize.weights.reduce((a, b) => a + b, 0);
  const sumW2 = ref.effectiveSampleSize.weights.reduce((a, b) => a + b * b, 0);
  const fnv = Object.fromEntries(ref.prng.fnv1a32.map(([k, v]) => [k, v]));
  return {
    description: META,
    z: {
      '0.95': ref.normalQuantiles.rounded.conf95,
      '0.99': ref.normalQuantiles.rounded.conf99,
      full: { '0.95': ref.normalQuantiles.conf95, '0.99': ref.normalQuantiles.conf99 },
    },
    conventions: META,
    wilson95: intervalRows(ref.wilson.conf95, true),
    wilson99: intervalRows(ref.wilson.conf99, true),
    clopperPearson95: intervalRows(ref.clopperPearson.conf95, false),
    newcombe95: Object.fromEntries(
      ref.newcombe.cases.map((c) => [
        `${c.x1}/${c.n1}-${c.x2}/${c.n2}`,
        {
          x1: c.x1,
          n1: c.n1,
          x2: c.x2,
          n2: c.n2,
          difference: c.difference,
          interval: c.interval,
          scoreTestPValue: c.scoreTestPValue,
          maxAbsDiffAB: META,
          publishedNewcombe1998: c.published,
        },
      ]),
    ),
    nEff: {
      weights: ref.effectiveSampleSize.weights,
      sumW: new Near(sumW, 0),
      sumW2: new Near(sumW2, 0),
      nEff: ref.effectiveSampleSize.nEff,
      formula: META,
      designEffect: new Near(ref.effectiveSampleSize.weights.length / nEff(ref.effectiveSampleSize.weights), 1e-12),
      maxAbsDiffAB: META,
    },
    sampleSize: {
      ...Object.fromEntries(
        ref.sampleSize.cases.map((c) => [
          `conf${Math.round(c.conf * 100)}_pm${Math.round(c.halfWidth * 100)}pct`,
          { conf: c.conf, halfWidth: c.halfWidth, p: c.p, raw: c.raw, n: c.n, agreesWithPython: META },
        ]),
      ),
      note: META,
    },
    extras: {
      kishWilson95: { ...pick(ref.kishWilson, ['y', 'weights', 'weightedP', 'nEff', 'interval']), note: META },
      goodman95: { ...pick(ref.goodman, ['counts', 'n', 'k', 'z', 'intervals']), note: META },
      benjaminiHochberg: { ...pick(ref.benjaminiHochberg, ['pValues', 'adjusted', 'rejectedAtQ05']), source: META },
      jeffreys95: keyed(ref.jeffreys.conf95),
      agrestiCoull95: keyed(ref.agrestiCoull.conf95),
      wald95: keyed(ref.wald.conf95),
      raking: {
        ...pick(ref.raking, ['sampleCounts', 'rows', 'cols', 'targetRows', 'targetCols', 'weightPerUnitMean1', 'iterations', 'nEff']),
        converged: true,
      },
      crossChecks: META,
      prngTestVectors: {
        xoshiro128ss_state_1_2_3_4_first4: ref.prng.xoshiro128ssFromState1234,
        splitmix32_seed1_first4: ref.prng.splitmix32Seed1,
        xoshiro128ss_seeded_by_splitmix32_seed1_first4: ref.prng.xoshiro128ssSeededBySplitmix32Seed1,
        fnv1a32: fnv,
        crossCheck: META,
      },
      bootstrapExample: {
        data: ref.bootstrapExample.data,
        statistic: ref.bootstrapExample.statistic,
        B: ref.bootstrapExample.replicates,
        conf: ref.bootstrapExample.conf,
        seedKey: ref.bootstrapExample.seedKey,
        seed: ref.bootstrapExample.seed,
        index: META,
        quantile: META,
        interval: ref.bootstrapExample.interval,
        crossCheck: META,
      },
    },
    maxAbsDiffAcrossAllCheckedValues: META,
    exactCoverage95: { note: META, values: ref.exactCoverage.cells },
    simulatedCoverage95: {
      note: META,
      R2000: ref.simulatedCoverage.cells.map((c) => ({
        n: c.n,
        p: c.p,
        R: ref.simulatedCoverage.replications,
        wilson: c.wilson,
        wald: c.wald,
        mcse: new Near(Math.sqrt((0.95 * 0.05) / ref.simulatedCoverage.replications), 5e-5),
      })),
      // A longer simulation the project does not repeat: each figure (4 decimals) within 4 Monte Carlo SE of the exact coverage.
      R200000: ref.simulatedCoverage.cells.map((c) => {
        const R = 200_000;
        const near = (m: typeof wilson) => {
          const e = exactCoverage(c.n, c.p, (x, n) => m(x, n));
          return new Near(e, 4 * Math.sqrt((e * (1 - e)) / R) + 5e-5);
        };
        return { n: c.n, p: c.p, R, wilson: near(wilson), wald: near(wald) };
      }),
    },
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}

/** Walks the shared table; returns the number of values compared and every disagreement. */
function compare(actual: unknown, want: Expected, path: string, problems: string[]): number {
  if (want instanceof NotAValue) return 0;
  if (want instanceof Near) {
    if (typeof actual !== 'number' || !(Math.abs(actual - want.value) <= want.tol))
      problems.push(`${path}: ${String(actual)}, expected ${want.value} ± ${want.tol}`);
    return 1;
  }
  if (typeof want === 'number') {
    if (typeof actual !== 'number' || !(Math.abs(actual - want) <= 1e-9)) problems.push(`${path}: ${String(actual)}, fixture ${want}`);
    return 1;
  }
  if (typeof want === 'string' || typeof want === 'boolean') {
    if (actual !== want) problems.push(`${path}: ${JSON.stringify(actual)}, fixture ${JSON.stringify(want)}`);
    return 1;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(actual) || actual.length !== want.length) {
      problems.push(`${path}: ${Array.isArray(actual) ? `${actual.length} entries` : typeof actual}, fixture ${want.length} entries`);
      return 0;
    }
    return actual.reduce<number>((s, a, i) => s + compare(a, want[i] as Expected, `${path}[${i}]`, problems), 0);
  }
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
    problems.push(`${path}: not an object`);
    return 0;
  }
  const w = want as { readonly [k: string]: Expected };
  let n = 0;
  for (const [k, a] of Object.entries(actual)) {
    if (!Object.hasOwn(w, k)) problems.push(`${path}.${k}: in the shared table but neither in the fixture nor checked against the implementation`);
    else n += compare(a, w[k]!, `${path}.${k}`, problems);
  }
  for (const k of Object.keys(w))
    if (!Object.hasOwn(actual, k) && !(w[k] instanceof NotAValue)) problems.push(`${path}.${k}: in the fixture, missing from the shared table`);
  return n;
}

describe.skipIf(!shared.available)('the shared statistics reference table', () => {
  it('agrees value by value with the project fixture (1e-9) or the implementation', () => {
    const table: unknown = JSON.parse(shared.read(STATISTICS_REFERENCE));
    const problems: string[] = [];
    const checked = compare(table, expected(), '$', problems);
    expect(problems).toEqual([]);
    // Every interval bound, p-value, weight and vector: the whole table, not a sample of it.
    expect(checked).toBeGreaterThan(300);
    console.log(`${checked} values of the shared statistics reference agree with the project fixture or implementation`);
  });

  it('the comparison fails on a disagreement', () => {
    const problems: string[] = [];
    compare({ a: 0.1000011, b: [1, 2], c: 'x', d: 3 }, { a: 0.1, b: [1, 2, 3], c: 'y' }, '$', problems);
    expect(problems).toHaveLength(4);
  });
});
