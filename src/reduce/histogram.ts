/**
 * A small mergeable histogram of per-installation event counts: how many
 * reports had a count c of a bucket, for c in fixed log-spaced bins. Counts
 * are Go's counter values, integers from 1 to 2^53 − 1 (parse/strict.ts);
 * a report without events of the bucket is not in its histogram.
 *
 * Bins: four per doubling. Count c >= 1 falls in bin k = floor(4·log2 c),
 * which holds the integers in [2^(k/4), 2^((k+1)/4)). The bin is found
 * from the power of two below c, settled exactly, and three comparisons of
 * c/2^e against 2^(1/4), 2^(1/2), 2^(3/4), so it is the same on every platform.
 * Counts 1 to 7 each have a bin of their own (bins 0, 4, 6, 8, 9, 10, 11);
 * 8 and 9 share bin 12; 2^53 − 1 is in bin 211.
 *
 * Stored form (`BucketSums.hist` in partial.ts): a flat array of pairs
 * [bin, reports, bin, reports, ...], bins ascending, no zero entries. Two
 * histograms merge by adding the reports of equal bins; the result does not
 * depend on the order of merges (integer sums), and a report removed as a
 * re-upload is subtracted from its bin exactly.
 *
 * Quantiles: the q-quantile of the x counts is the value at rank
 * max(1, ceil(q·x)) in ascending order (the inverse of the empirical
 * distribution function, Hyndman and Fan's type 1). The histogram finds the
 * bin holding that rank exactly and returns the geometric mean of the
 * smallest and largest integer of the bin. As the largest integer of a bin is
 * less than 2^(1/4) times its smallest, the estimate is within
 * 2^(1/8) − 1 = 9.05% (QUANTILE_RELATIVE_ERROR) of the exact quantile, and
 * exact for counts below 8.
 */

/** Bins per doubling of the count. */
const BINS_PER_OCTAVE = 4;

/** The largest relative error of a quantile read from a histogram: 2^(1/(2·BINS_PER_OCTAVE)) − 1. */
export const QUANTILE_RELATIVE_ERROR = 2 ** (1 / (2 * BINS_PER_OCTAVE)) - 1;

/** 2^(j/4) for j = 0..3, the lower bounds of the bins within a doubling. */
const STEPS = [1, 2 ** 0.25, 2 ** 0.5, 2 ** 0.75] as const;

/** 2^e for e = 0..63, looked up instead of computed. */
const POW2 = Float64Array.from({ length: 64 }, (_, e) => 2 ** e);

/** The bin of a count c >= 1. */
export function binOf(c: number): number {
  if (!(c >= 1)) throw new RangeError(`a histogram holds counts >= 1, got ${c}`);
  let e: number;
  if (c < 2147483648)
    e = 31 - Math.clz32(c); // exact for counts below 2^31
  else {
    e = Math.floor(Math.log2(c));
    // Math.log2 may be off by one next to a power of two; settle 2^e <= c < 2^(e+1) exactly.
    while (2 ** e > c) e--;
    while (2 ** (e + 1) <= c) e++;
  }
  const f = c / (e < 64 ? POW2[e]! : 2 ** e); // exact: a division by a power of two
  return BINS_PER_OCTAVE * e + (f < STEPS[1] ? 0 : f < STEPS[2] ? 1 : f < STEPS[3] ? 2 : 3);
}

/** The lower bound 2^(k/4) of bin k, as binOf compares against it. */
function lowerBound(k: number): number {
  const e = Math.floor(k / BINS_PER_OCTAVE);
  return 2 ** e * STEPS[k - BINS_PER_OCTAVE * e]!;
}

/** The smallest and largest integer of bin k ([lo, lo − 1] for a bin without integers). */
export function binIntegers(k: number): [number, number] {
  return [Math.ceil(lowerBound(k)), Math.ceil(lowerBound(k + 1)) - 1];
}

/** The value a quantile in bin k is given: the geometric mean of the bin's smallest and largest integer. */
export function binValue(k: number): number {
  const [lo, hi] = binIntegers(k);
  return lo === hi ? lo : Math.sqrt(lo * hi);
}

/** Adds `reports` (negative to remove) to bin k of a dense histogram indexed by bin. */
export function addToBins(bins: number[], k: number, reports: number) {
  while (bins.length <= k) bins.push(0);
  bins[k]! += reports;
}

/** The stored (sparse) form of a dense histogram. */
export function sparseHist(bins: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let k = 0; k < bins.length; k++) if (bins[k] !== 0) out.push(k, bins[k]!);
  return out;
}

/** The sum of two stored histograms, in stored form. */
export function mergeHist(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const ka = i < a.length ? a[i]! : Infinity;
    const kb = j < b.length ? b[j]! : Infinity;
    const k = Math.min(ka, kb);
    let v = 0;
    if (ka === k) {
      v += a[i + 1]!;
      i += 2;
    }
    if (kb === k) {
      v += b[j + 1]!;
      j += 2;
    }
    if (v !== 0) out.push(k, v);
  }
  return out;
}

/** The stored histogram of a list of counts (counts of 0 are not in it); for tests and small inputs. */
export function histOf(counts: Iterable<number>): number[] {
  const bins: number[] = [];
  for (const c of counts) if (c > 0) addToBins(bins, binOf(c), 1);
  return sparseHist(bins);
}

/** Reports in a stored histogram. */
export function histReports(h: readonly number[]): number {
  let x = 0;
  for (let i = 1; i < h.length; i += 2) x += h[i]!;
  return x;
}

/**
 * The q-quantile (0 < q <= 1) of the counts in a stored histogram (type 1,
 * see above), within QUANTILE_RELATIVE_ERROR of the exact one; null when the
 * histogram is empty.
 */
export function histQuantile(h: readonly number[], q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile level must be in (0, 1], got ${q}`);
  const x = histReports(h);
  if (!(x > 0)) return null;
  const rank = Math.max(1, Math.ceil(q * x));
  let seen = 0;
  for (let i = 0; i < h.length; i += 2) {
    seen += h[i + 1]!;
    if (seen >= rank) return binValue(h[i]!);
  }
  return binValue(h[h.length - 2]!);
}

/**
 * The share of `events` held by the `k` largest counts of a stored histogram,
 * each valued at its bin's value (within QUANTILE_RELATIVE_ERROR of its
 * count), capped at 1; 1 when the k largest are all the reports with events,
 * 0 when there are no events.
 */
export function histTopShare(h: readonly number[], k: number, events: number): number {
  if (!(events > 0)) return 0;
  let left = k;
  let top = 0;
  for (let i = h.length - 2; i >= 0 && left > 0; i -= 2) {
    const take = Math.min(left, h[i + 1]!);
    top += take * binValue(h[i]!);
    left -= take;
  }
  if (left > 0) return 1;
  return Math.min(1, top / events);
}
