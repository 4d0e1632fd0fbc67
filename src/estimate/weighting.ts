/**
 * Weights that correct opt-in skew (docs/methodology.md §6): effective
 * sample size, post-stratification on one dimension, raking (iterative
 * proportional fitting) over several, weight capping, and the Kish-form
 * Wilson interval for a weighted proportion.
 *
 * Reports are given as cells (see Cell): a category index per dimension,
 * into the dimension's array of target (reference) shares, and a count; each
 * function returns one weight per cell, the weight of each of its reports.
 */

/**
 * A group of reports with the same category on every dimension: the unit of
 * every function here. Reports in one cell always get the same weight.
 */
export interface Cell {
  /** Category index per dimension, into that dimension's target shares. */
  categories: readonly number[];
  /** Reports in the cell (>= 0). */
  count: number;
}

/**
 * Kish effective sample size (Σ w·n)²/Σ w²·n of cells with weight w and n
 * reports each (n = 1 per weight when counts are left out); 0 when every
 * weight or count is 0.
 */
export function nEff(weights: ArrayLike<number>, counts?: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    const n = counts === undefined ? 1 : counts[i]!;
    s += w * n;
    s2 += w * w * n;
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

/** One cell's part in a weighted share: its weight, its eligible reports and those with the bucket. */
export interface WeightedCount {
  w: number;
  /** Eligible reports in the cell. */
  n: number;
  /** Eligible reports in the cell with the bucket (0 <= x <= n). */
  x: number;
}

/**
 * The weighted share Σ w·x / Σ w·n, clamped to [0, 1], with Kish's effective
 * sample size of the eligible reports; null when Σ w·n = 0.
 */
export function weightedShare(cells: Iterable<WeightedCount>): { share: number; nEff: number } | null {
  let den = 0;
  let num = 0;
  let den2 = 0;
  for (const { w, n, x } of cells) {
    den += w * n;
    num += w * x;
    den2 += w * w * n;
  }
  if (!(den > 0)) return null;
  return { share: Math.min(1, Math.max(0, num / den)), nEff: (den * den) / den2 };
}

/** One stratum of a post-stratification. */
export interface Stratum {
  /** Original category indices in the stratum (for "other": every merged one). */
  categories: number[];
  /** True for the merged "other" stratum. */
  other: boolean;
  /** Reports in the sample in this stratum. */
  sampleCount: number;
  /** Reference share used for the stratum, renormalised over strata present in the sample. */
  targetShare: number;
}

/** Post-stratification weights with the strata actually used. */
export interface PostStratification {
  /** One weight per cell, mean 1 over the reports. */
  weights: Float64Array;
  strata: Stratum[];
}

/** Options for post-stratification. */
export interface PostStratifyOptions {
  /** Categories with fewer reports than this merge into "other" (20). */
  minCount?: number;
  /** The dimension of the cells' categories to stratify on (0). */
  dimension?: number;
}

function checkCells(cells: readonly Cell[], dims: number): void {
  cells.forEach((c, i) => {
    if (c.categories.length !== dims) throw new RangeError(`cell ${i} has ${c.categories.length} categories, expected ${dims}`);
    if (!(c.count >= 0 && Number.isFinite(c.count))) throw new RangeError(`cell ${i}: count must be finite and >= 0, got ${c.count}`);
  });
}

function checkTargets(targets: ArrayLike<number>, what: string, allowNaN: boolean): void {
  for (let k = 0; k < targets.length; k++) {
    const q = targets[k]!;
    if (Number.isNaN(q) && allowNaN) continue; // NaN marks a category missing from the reference
    if (!(q >= 0 && Number.isFinite(q))) throw new RangeError(`${what}: target share ${k} must be finite and >= 0, got ${q}`);
  }
}

/**
 * Post-stratification on one dimension: w = q_s·N / N_s for the cells of
 * stratum s (N reports in all, N_s in the stratum), so the reports have mean
 * weight 1.
 * - Categories with fewer than `minCount` reports (20) merge into one
 *   "other" stratum in both sample and reference.
 * - Cells whose category has no reference share (index outside the targets,
 *   or a NaN target) also go to "other", contributing no reference share.
 * - Target shares are renormalised over the strata present in the sample, so
 *   reference mass with no reports is spread proportionally.
 * An "other" stratum whose reference share is 0 gets weight 0: the reference
 * says the population has none of those reports.
 * Throws RangeError when no stratum in the sample has a positive target.
 */
export function postStratify(cells: readonly Cell[], targets: ArrayLike<number>, options: PostStratifyOptions = {}): PostStratification {
  const { minCount = 20, dimension = 0 } = options;
  if (cells.length > 0 && !(dimension >= 0 && dimension < cells[0]!.categories.length)) throw new RangeError(`post-stratification: no dimension ${dimension}`);
  checkCells(cells, cells[0]?.categories.length ?? 0);
  checkTargets(targets, 'post-stratification', true);
  const K = targets.length;
  const inRef = (c: number) => Number.isInteger(c) && c >= 0 && c < K && !Number.isNaN(targets[c]!);
  const counts = new Map<number, number>();
  for (const cell of cells) {
    if (!(cell.count > 0)) continue;
    const c = cell.categories[dimension]!;
    counts.set(c, (counts.get(c) ?? 0) + cell.count);
  }
  // Categories that keep their own stratum map to its index; every other category falls into "other".
  const strata: Stratum[] = [];
  const stratumOfCategory = new Map<number, number>();
  const other: Stratum = { categories: [], other: true, sampleCount: 0, targetShare: 0 };
  for (let k = 0; k < K; k++) {
    if (Number.isNaN(targets[k]!)) continue;
    const nk = counts.get(k) ?? 0;
    if (nk >= minCount) {
      stratumOfCategory.set(k, strata.length);
      strata.push({ categories: [k], other: false, sampleCount: nk, targetShare: targets[k]! });
    } else {
      other.categories.push(k);
      other.sampleCount += nk;
      other.targetShare += targets[k]!;
    }
  }
  for (const [c, nk] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (!inRef(c)) {
      other.categories.push(c);
      other.sampleCount += nk;
    }
  }
  const otherIndex = strata.length;
  if (other.sampleCount > 0) strata.push(other);
  // Renormalise targets over strata that have reports.
  let qTotal = 0;
  for (const s of strata) qTotal += s.targetShare;
  if (!(qTotal > 0)) throw new RangeError('post-stratification: no stratum in the sample has a positive target share');
  for (const s of strata) s.targetShare /= qTotal;

  const cellStratum = cells.map((c) => stratumOfCategory.get(c.categories[dimension]!) ?? otherIndex);
  const mass = new Float64Array(strata.length + 1);
  let total = 0;
  cells.forEach((c, i) => {
    const s = cellStratum[i]!;
    mass[s] = mass[s]! + c.count;
    total += c.count;
  });
  const weights = new Float64Array(cells.length);
  let sumW = 0;
  cells.forEach((c, i) => {
    const s = cellStratum[i]!;
    const m = mass[s]!;
    weights[i] = m > 0 && s < strata.length ? (strata[s]!.targetShare * total) / m : 0;
    sumW += weights[i]! * c.count;
  });
  if (sumW > 0) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i]! * total) / sumW;
  return { weights, strata };
}

/**
 * Caps cell weights at `ratio` times the reports' mean weight and
 * renormalises to mean 1, repeating until no weight exceeds the cap
 * (renormalising lifts capped weights above it again). Modifies `weights` in
 * place; returns how many reports sit at the cap.
 */
export function capWeights(weights: Float64Array, counts: ArrayLike<number>, ratio = 5): number {
  if (counts.length !== weights.length) throw new RangeError(`${counts.length} counts for ${weights.length} weights`);
  const m = weights.length;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    n += counts[i]!;
    sum += weights[i]! * counts[i]!;
  }
  if (!(n > 0) || !(sum > 0)) return 0;
  for (let i = 0; i < m; i++) weights[i] = (weights[i]! * n) / sum;
  // Converges geometrically at the rate of the capped reports' share of the total.
  for (let round = 0; round < 200; round++) {
    let max = 0;
    for (let i = 0; i < m; i++) if (counts[i]! > 0 && weights[i]! > max) max = weights[i]!;
    if (max <= ratio * (1 + 1e-12)) break;
    sum = 0;
    for (let i = 0; i < m; i++) {
      if (weights[i]! >= ratio) weights[i] = ratio;
      sum += weights[i]! * counts[i]!;
    }
    for (let i = 0; i < m; i++) weights[i] = (weights[i]! * n) / sum;
  }
  let capped = 0;
  for (let i = 0; i < m; i++) if (weights[i]! >= ratio * (1 - 1e-9)) capped += counts[i]!;
  return capped;
}

/** Options for raking. */
export interface RakingOptions {
  /** Stop when the largest margin error (in share units) is below this (1e-6). */
  tolerance?: number;
  /** Give up after this many passes over all dimensions (100). */
  maxPasses?: number;
  /** Cap weights at this multiple of the mean weight (5). */
  capRatio?: number;
  /** Minimum stratum size for the post-stratification fallback (20). */
  minCount?: number;
}

/** The outcome of raking. */
export interface RakingResult {
  /** One weight per cell, mean 1 over the reports, capped. */
  weights: Float64Array;
  /** Whether iterative proportional fitting met the tolerance. */
  converged: boolean;
  /** Full passes over the dimensions that were run. */
  iterations: number;
  /** Largest |weighted share − target| over every dimension and category, for the returned (capped) weights. */
  maxMarginError: number;
  /** Reports whose weight was capped. */
  cappedUnits: number;
  /** Why raking fell back: set when the weights are post-stratification on the first dimension instead. */
  fallback?: string;
}

/**
 * Raking by iterative proportional fitting over cells: starting from weight
 * 1, each pass sets w ← w·q_dk·Σw / Σ_{k_d(c)=k} w (sums over reports) for
 * every dimension d and category k in turn, stopping when the largest margin
 * error is below `tolerance` (1e-6) or after `maxPasses` (100). Weights are
 * then capped at `capRatio` (5) times the mean and scaled to mean 1.
 * `targets[d]` holds dimension d's target shares (renormalised to sum to 1).
 *
 * If fitting does not converge (or a category with a positive target has no
 * reports), the result falls back to post-stratification on the first
 * dimension, with `converged: false` and the reason in `fallback` (for the
 * caller to log). Cost per pass is O(cells × dimensions).
 */
export function rake(cells: readonly Cell[], targets: readonly ArrayLike<number>[], options: RakingOptions = {}): RakingResult {
  const { tolerance = 1e-6, maxPasses = 100, capRatio = 5, minCount = 20 } = options;
  const D = targets.length;
  if (D === 0) throw new RangeError('raking needs at least one dimension');
  checkCells(cells, D);
  const qs = targets.map((t, di) => {
    checkTargets(t, `dimension ${di}`, false);
    let s = 0;
    for (let k = 0; k < t.length; k++) s += t[k]!;
    if (!(s > 0)) throw new RangeError(`dimension ${di}: target shares sum to 0`);
    return Float64Array.from(t, (v) => v / s);
  });
  const nCells = cells.length;
  const cellCats = new Int32Array(nCells * D);
  const mass = new Float64Array(nCells);
  cells.forEach((cell, c) => {
    mass[c] = cell.count;
    for (let di = 0; di < D; di++) {
      const k = cell.categories[di]!;
      if (!(Number.isInteger(k) && k >= 0 && k < qs[di]!.length))
        throw new RangeError(`dimension ${di}: cell ${c} has category ${k} outside [0, ${qs[di]!.length})`);
      cellCats[c * D + di] = k;
    }
  });
  const factor = new Float64Array(nCells).fill(1);

  const margins = qs.map((q) => new Float64Array(q.length));
  const computeMargins = (di: number, w: Float64Array): number => {
    const m = margins[di]!;
    m.fill(0);
    let total = 0;
    for (let c = 0; c < nCells; c++) {
      const v = mass[c]! * w[c]!;
      const k = cellCats[c * D + di]!;
      m[k] = m[k]! + v;
      total += v;
    }
    return total;
  };
  const maxError = (w: Float64Array): number => {
    let e = 0;
    for (let di = 0; di < D; di++) {
      const total = computeMargins(di, w);
      const m = margins[di]!;
      const q = qs[di]!;
      for (let k = 0; k < q.length; k++) e = Math.max(e, Math.abs(m[k]! / total - q[k]!));
    }
    return e;
  };

  let failure: string | null = null;
  let totalMass = 0;
  for (let c = 0; c < nCells; c++) totalMass += mass[c]!;
  if (!(totalMass > 0)) throw new RangeError('raking: the cells hold no reports');
  for (let di = 0; di < D && failure === null; di++) {
    computeMargins(di, factor);
    const q = qs[di]!;
    for (let k = 0; k < q.length; k++) {
      if (q[k]! > 0 && !(margins[di]![k]! > 0)) {
        failure = `dimension ${di}, category ${k} has target share ${q[k]} but no units in the sample`;
        break;
      }
    }
  }

  let iterations = 0;
  let converged = false;
  if (failure === null) {
    let err = maxError(factor);
    while (err >= tolerance && iterations < maxPasses) {
      for (let di = 0; di < D; di++) {
        const total = computeMargins(di, factor);
        const m = margins[di]!;
        const q = qs[di]!;
        for (let c = 0; c < nCells; c++) {
          const k = cellCats[c * D + di]!;
          // A category whose reports all have zero weight cannot be scaled; its error keeps the fit from converging.
          if (m[k]! > 0) factor[c] = (factor[c]! * q[k]! * total) / m[k]!;
        }
      }
      iterations++;
      err = maxError(factor);
    }
    converged = err < tolerance;
    if (!converged) failure = `raking did not converge in ${maxPasses} passes (largest margin error ${err.toExponential(3)})`;
  }

  const weights = converged ? factor : postStratify(cells, targets[0]!, { minCount }).weights;
  const cappedUnits = capWeights(weights, mass, capRatio);
  const result: RakingResult = { weights, converged, iterations, maxMarginError: maxError(weights), cappedUnits };
  if (!converged && failure !== null) result.fallback = `${failure}; fell back to post-stratification on dimension 0`;
  return result;
}
