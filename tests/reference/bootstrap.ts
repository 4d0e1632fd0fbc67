/**
 * Percentile bootstrap exactly as docs/methodology.md §3 specifies, so any
 * implementation following the text reproduces the same interval bit for bit:
 * xoshiro128** seeded by splitmix32(seed), seed = FNV-1a-32 of the key
 * `week|program|chart|bucket|estimand`, index j = floor(next()/2³²·n) drawn n
 * times per replicate, B = 2000 replicates, type-7 quantiles of the sorted
 * replicates at α/2 and 1 − α/2.
 *
 * It is a validation cross-check of the closed forms the build uses; the build
 * does not run it.
 */
import { createRng } from '../../src/lib/random.ts';
import type { Interval } from '../../src/estimate/intervals.ts';

/** The parts of a bootstrap seed key. */
export interface SeedKeyParts {
  week: string;
  program: string;
  chart: string;
  bucket: string;
  estimand: string;
}

/** The seed key `week|program|chart|bucket|estimand`, so results do not depend on processing order. */
export function bootstrapSeedKey(parts: SeedKeyParts): string {
  return [parts.week, parts.program, parts.chart, parts.bucket, parts.estimand].join('|');
}

/**
 * Type-7 quantile of ascending-sorted values: h = (B−1)q,
 * θ(⌊h⌋) + (h − ⌊h⌋)(θ(⌊h⌋+1) − θ(⌊h⌋)), 0-indexed. NaN for no values.
 */
export function quantileType7(sorted: ArrayLike<number>, q: number): number {
  const len = sorted.length;
  if (len === 0 || !(q >= 0 && q <= 1)) return NaN;
  const h = (len - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  if (lo + 1 >= len) return a;
  return a + (h - lo) * (sorted[lo + 1]! - a);
}

/** Options for the percentile bootstrap. */
export interface BootstrapOptions {
  /** The seed key string (hashed with FNV-1a-32) or a uint32 seed. */
  seed: string | number;
  /** Number of replicates (2000). */
  replicates?: number;
  /** Confidence level (0.95). */
  conf?: number;
}

/** A bootstrap interval with its replicate distribution. */
export interface BootstrapResult {
  interval: Interval;
  /** Finite replicate values, sorted ascending. */
  replicates: Float64Array;
  /** Replicates whose statistic was not finite (excluded from the quantiles). */
  nonFinite: number;
}

/**
 * Percentile bootstrap over n units. Each replicate draws n unit indices with
 * j = floor(next()/2³²·n) and passes them to `statistic`, which must
 * recompute the whole estimator (eligibility, weights) from those units;
 * the index array is reused between replicates, so copy it to keep it.
 * Non-finite replicate values are counted and left out of the quantiles;
 * the interval is [NaN, NaN] when none is finite or n = 0.
 */
export function bootstrapIndices(n: number, statistic: (indices: Int32Array) => number, options: BootstrapOptions): BootstrapResult {
  const { seed, replicates = 2000, conf = 0.95 } = options;
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(Number.isInteger(replicates) && replicates > 0)) throw new RangeError(`replicates must be a positive integer, got ${replicates}`);
  if (!(conf > 0 && conf < 1)) throw new RangeError(`confidence must be in (0, 1), got ${conf}`);
  if (n === 0) return { interval: [NaN, NaN], replicates: new Float64Array(0), nonFinite: replicates };
  const rng = createRng(seed);
  const idx = new Int32Array(n);
  const values = new Float64Array(replicates);
  let kept = 0;
  for (let b = 0; b < replicates; b++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor((rng.nextU32() / 4294967296) * n);
    const v = statistic(idx);
    if (Number.isFinite(v)) values[kept++] = v;
  }
  const sorted = values.subarray(0, kept).sort();
  const alpha = 1 - conf;
  return {
    interval: [quantileType7(sorted, alpha / 2), quantileType7(sorted, 1 - alpha / 2)],
    replicates: sorted,
    nonFinite: replicates - kept,
  };
}

/**
 * Percentile bootstrap of a statistic of one numeric sample (e.g. the mean):
 * the resample is passed to `statistic` as a Float64Array, reused between
 * replicates. Same draws and quantiles as `bootstrapIndices`.
 */
export function bootstrap(data: ArrayLike<number>, statistic: (sample: Float64Array) => number, options: BootstrapOptions): BootstrapResult {
  const sample = new Float64Array(data.length);
  return bootstrapIndices(
    data.length,
    (idx) => {
      for (let i = 0; i < idx.length; i++) sample[i] = data[idx[i]!]!;
      return statistic(sample);
    },
    options,
  );
}
