/**
 * Weights that correct opt-in skew (docs/methodology.md §6): effective
 * sample size, post-stratification on one dimension, raking (iterative
 * proportional fitting) over several, weight capping, and the Kish-form
 * Wilson interval for a weighted proportion.
 *
 * Categories are given per unit as integer indices into the dimension's
 * array of target (reference) shares.
 */
import { type Interval, wilsonWeighted } from './intervals.ts';

/** Kish effective sample size (Σw)²/Σw²; 0 for no weights or all-zero weights. */
export function nEff(weights: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    s += w;
    s2 += w * w;
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}

/**
 * Kish design effect 1 + CV²(w) (population CV), equal to n/n_eff; 1 for
 * equal weights. NaN for no weights or all-zero weights.
 */
export function designEffect(weights: ArrayLike<number>): number {
  const ne = nEff(weights);
  return ne > 0 ? weights.length / ne : NaN;
}

/** Weighted proportion Σw·y / Σw of 0/1 outcomes; NaN when Σw = 0. */
export function weightedProportion(y: ArrayLike<number>, weights: ArrayLike<number>): number {
  if (y.length !== weights.length) throw new RangeError('outcomes and weights must have the same length');
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < y.length; i++) {
    sw += weights[i]!;
    swy += weights[i]! * y[i]!;
  }
  return sw > 0 ? swy / sw : NaN;
}

/**
 * A weighted proportion with its Kish-form Wilson interval (Wilson with
 * n := n_eff and x := p_w·n_eff), both computed over the units given, which
 * should be the bucket's eligible set E_b. Null when Σw = 0.
 */
export function kishWilson(
  y: ArrayLike<number>,
  weights: ArrayLike<number>,
  conf = 0.95,
): { estimate: number; nEff: number; interval: Interval } | null {
  const p = weightedProportion(y, weights);
  if (Number.isNaN(p)) return null;
  const ne = nEff(weights);
  return { estimate: p, nEff: ne, interval: wilsonWeighted(p, ne, conf) };
}

/** One stratum of a post-stratification. */
export interface Stratum {
  /** Original category indices in the stratum (for "other": every merged one). */
  categories: number[];
  /** True for the merged "other" stratum. */
  other: boolean;
  /** Units in the sample in this stratum. */
  sampleCount: number;
  /** Reference share used for the stratum, renormalised over strata present in the sample. */
  targetShare: number;
}

/** Post-stratification weights with the strata actually used. */
export interface PostStratification {
  /** One weight per unit, mean 1. */
  weights: Float64Array;
  strata: Stratum[];
}

/** Options for post-stratification. */
export interface PostStratifyOptions {
  /** Categories with fewer sample units than this merge into "other" (20). */
  minCount?: number;
  /** Design weights to start from (default all 1). */
  baseWeights?: ArrayLike<number>;
}

function checkBase(base: ArrayLike<number> | undefined, n: number): void {
  if (base === undefined) return;
  if (base.length !== n) throw new RangeError(`base weights have length ${base.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const b = base[i]!;
    if (!(b >= 0 && Number.isFinite(b))) throw new RangeError(`base weights must be finite and >= 0, got ${b}`);
  }
}

function checkTargets(targets: ArrayLike<number>, what: string, allowNaN: boolean): void {
  for (let k = 0; k < targets.length; k++) {
    const q = targets[k]!;
    if (Number.isNaN(q) && allowNaN) continue; // NaN marks a category missing from the reference
    if (!(q >= 0 && Number.isFinite(q))) throw new RangeError(`${what}: target share ${k} must be finite and >= 0, got ${q}`);
  }
}

/**
 * Post-stratification on one dimension: w_i = b_i·q_s·Σb / Σ_{i∈s} b_i
 * (= n·q_k/n_k with unit base weights), then scaled to mean 1.
 * - Categories with fewer than `minCount` sample units (20) merge into one
 *   "other" stratum in both sample and reference.
 * - Units whose category has no reference share (index outside the targets,
 *   or a NaN target) also go to "other", contributing no reference share.
 * - Target shares are renormalised over the strata present in the sample, so
 *   reference mass with no sample units is spread proportionally.
 * An "other" stratum whose reference share is 0 gets weight 0: the reference
 * says the population has none of those units.
 * Throws RangeError when no stratum in the sample has a positive target.
 */
export function postStratify(
  categories: ArrayLike<number>,
  targets: ArrayLike<number>,
  options: PostStratifyOptions = {},
): PostStratification {
  const { minCount = 20, baseWeights } = options;
  const n = categories.length;
  checkBase(baseWeights, n);
  checkTargets(targets, 'post-stratification', true);
  const K = targets.length;
  const inRef = (c: number) => Number.isInteger(c) && c >= 0 && c < K && !Number.isNaN(targets[c]!);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = categories[i]!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
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
  // Renormalise targets over strata that have units.
  let qTotal = 0;
  for (const s of strata) qTotal += s.targetShare;
  if (!(qTotal > 0)) throw new RangeError('post-stratification: no stratum in the sample has a positive target share');
  for (const s of strata) s.targetShare /= qTotal;

  const unitStratum = new Int32Array(n);
  const mass = new Float64Array(strata.length);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = stratumOfCategory.get(categories[i]!) ?? otherIndex;
    unitStratum[i] = s;
    const b = baseWeights === undefined ? 1 : baseWeights[i]!;
    mass[s] = mass[s]! + b;
    total += b;
  }
  const weights = new Float64Array(n);
  let sumW = 0;
  for (let i = 0; i < n; i++) {
    const s = unitStratum[i]!;
    const b = baseWeights === undefined ? 1 : baseWeights[i]!;
    const m = mass[s]!;
    weights[i] = m > 0 ? (b * strata[s]!.targetShare * total) / m : 0;
    sumW += weights[i]!;
  }
  if (sumW > 0) for (let i = 0; i < n; i++) weights[i] = (weights[i]! * n) / sumW;
  return { weights, strata };
}

/**
 * Caps weights at `ratio` times their mean and renormalises to mean 1,
 * repeating until no weight exceeds the cap (renormalising lifts capped
 * weights above it again). Modifies `weights` in place; returns how many
 * units sit at the cap.
 */
export function capWeights(weights: Float64Array, ratio = 5): number {
  const n = weights.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  if (!(sum > 0)) return 0;
  for (let i = 0; i < n; i++) weights[i] = (weights[i]! * n) / sum;
  // Converges geometrically at the rate of the capped units' share of the total.
  for (let round = 0; round < 200; round++) {
    let max = 0;
    for (let i = 0; i < n; i++) if (weights[i]! > max) max = weights[i]!;
    if (max <= ratio * (1 + 1e-12)) break;
    sum = 0;
    for (let i = 0; i < n; i++) {
      if (weights[i]! >= ratio) weights[i] = ratio;
      sum += weights[i]!;
    }
    for (let i = 0; i < n; i++) weights[i] = (weights[i]! * n) / sum;
  }
  let capped = 0;
  for (let i = 0; i < n; i++) if (weights[i]! >= ratio * (1 - 1e-9)) capped++;
  return capped;
}

/** One raking dimension: a category index per unit and target shares per category. */
export interface RakingDimension {
  /** Category index of each unit, in [0, targets.length). */
  categories: ArrayLike<number>;
  /** Target share of each category; renormalised to sum to 1. */
  targets: ArrayLike<number>;
}

/** Options for raking. */
export interface RakingOptions {
  /** Design weights to start from (default all 1). */
  baseWeights?: ArrayLike<number>;
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
  /** One weight per unit, mean 1, capped. */
  weights: Float64Array;
  /** Whether iterative proportional fitting met the tolerance. */
  converged: boolean;
  /** Full passes over the dimensions that were run. */
  iterations: number;
  /** Largest |weighted share − target| over every dimension and category, for the returned (capped) weights. */
  maxMarginError: number;
  /** Units whose weight was capped. */
  cappedUnits: number;
  /** Why raking fell back: set when the weights are post-stratification on the first dimension instead. */
  fallback?: string;
}

/** Largest margin error of unit weights over every dimension (after target normalisation). */
function unitMarginError(dims: readonly { categories: ArrayLike<number>; q: Float64Array }[], weights: Float64Array): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let maxErr = 0;
  for (const d of dims) {
    const m = new Float64Array(d.q.length);
    for (let i = 0; i < weights.length; i++) {
      const c = d.categories[i]!;
      m[c] = m[c]! + weights[i]!;
    }
    for (let k = 0; k < d.q.length; k++) maxErr = Math.max(maxErr, Math.abs(m[k]! / total - d.q[k]!));
  }
  return maxErr;
}

/**
 * Raking by iterative proportional fitting: starting from the base weights,
 * each pass sets w ← w·q_dk·Σw / Σ_{k_d(i)=k} w for every dimension d and
 * category k in turn, stopping when the largest margin error is below
 * `tolerance` (1e-6) or after `maxPasses` (100). Weights are then capped at
 * `capRatio` (5) times the mean and scaled to mean 1.
 *
 * If fitting does not converge (or a category with a positive target has no
 * units), the result falls back to post-stratification on the first
 * dimension, with `converged: false` and the reason in `fallback`
 * (for the caller to log).
 *
 * Units with identical category combinations always share one raking factor,
 * so the fitting runs on collapsed cells: cost per pass is O(cells × dims),
 * plus O(units × dims) once.
 */
export function rake(dimensions: readonly RakingDimension[], options: RakingOptions = {}): RakingResult {
  const { baseWeights, tolerance = 1e-6, maxPasses = 100, capRatio = 5, minCount = 20 } = options;
  if (dimensions.length === 0) throw new RangeError('raking needs at least one dimension');
  const n = dimensions[0]!.categories.length;
  checkBase(baseWeights, n);
  const dims = dimensions.map((d, di) => {
    if (d.categories.length !== n) throw new RangeError(`dimension ${di} has ${d.categories.length} units, expected ${n}`);
    checkTargets(d.targets, `dimension ${di}`, false);
    let s = 0;
    for (let k = 0; k < d.targets.length; k++) s += d.targets[k]!;
    if (!(s > 0)) throw new RangeError(`dimension ${di}: target shares sum to 0`);
    const q = Float64Array.from(d.targets, (v) => v / s);
    for (let i = 0; i < n; i++) {
      const c = d.categories[i]!;
      if (!(Number.isInteger(c) && c >= 0 && c < q.length)) throw new RangeError(`dimension ${di}: unit ${i} has category ${c} outside [0, ${q.length})`);
    }
    return { categories: d.categories, q };
  });
  const D = dims.length;

  // Collapse units into cells of identical category combinations.
  let radixOk = true;
  let span = 1;
  for (const d of dims) {
    span *= d.q.length;
    if (span > Number.MAX_SAFE_INTEGER) radixOk = false;
  }
  const cellOf = new Int32Array(n);
  const cellIndex = new Map<number | string, number>();
  const cellCats: number[] = [];
  const cellMassList: number[] = [];
  for (let i = 0; i < n; i++) {
    let key: number | string;
    if (radixOk) {
      let code = 0;
      for (const d of dims) code = code * d.q.length + d.categories[i]!;
      key = code;
    } else {
      key = dims.map((d) => d.categories[i]!).join(',');
    }
    let c = cellIndex.get(key);
    if (c === undefined) {
      c = cellMassList.length;
      cellIndex.set(key, c);
      cellMassList.push(0);
      for (const d of dims) cellCats.push(d.categories[i]!);
    }
    cellOf[i] = c;
    cellMassList[c]! += baseWeights === undefined ? 1 : baseWeights[i]!;
  }
  const nCells = cellMassList.length;
  const mass = Float64Array.from(cellMassList);
  const factor = new Float64Array(nCells).fill(1);

  const margins = dims.map((d) => new Float64Array(d.q.length));
  const computeMargins = (di: number): number => {
    const m = margins[di]!;
    m.fill(0);
    let total = 0;
    for (let c = 0; c < nCells; c++) {
      const w = mass[c]! * factor[c]!;
      const k = cellCats[c * D + di]!;
      m[k] = m[k]! + w;
      total += w;
    }
    return total;
  };
  const maxError = (): number => {
    let e = 0;
    for (let di = 0; di < D; di++) {
      const total = computeMargins(di);
      const m = margins[di]!;
      const q = dims[di]!.q;
      for (let k = 0; k < q.length; k++) e = Math.max(e, Math.abs(m[k]! / total - q[k]!));
    }
    return e;
  };

  let failure: string | null = null;
  let totalMass = 0;
  for (let c = 0; c < nCells; c++) totalMass += mass[c]!;
  if (!(totalMass > 0)) throw new RangeError('raking: the base weights sum to 0');
  for (let di = 0; di < D && failure === null; di++) {
    computeMargins(di);
    const q = dims[di]!.q;
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
    let err = maxError();
    while (err >= tolerance && iterations < maxPasses) {
      for (let di = 0; di < D; di++) {
        const total = computeMargins(di);
        const m = margins[di]!;
        const q = dims[di]!.q;
        for (let c = 0; c < nCells; c++) {
          const k = cellCats[c * D + di]!;
          // A category whose units all have zero weight cannot be scaled; its error keeps the fit from converging.
          if (m[k]! > 0) factor[c] = (factor[c]! * q[k]! * total) / m[k]!;
        }
      }
      iterations++;
      err = maxError();
    }
    converged = err < tolerance;
    if (!converged) failure = `raking did not converge in ${maxPasses} passes (largest margin error ${err.toExponential(3)})`;
  }

  let weights: Float64Array;
  if (converged) {
    weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = (baseWeights === undefined ? 1 : baseWeights[i]!) * factor[cellOf[i]!]!;
  } else {
    const opts: PostStratifyOptions = { minCount };
    if (baseWeights !== undefined) opts.baseWeights = baseWeights;
    weights = postStratify(dimensions[0]!.categories, dimensions[0]!.targets, opts).weights;
  }
  const cappedUnits = capWeights(weights, capRatio);
  const result: RakingResult = { weights, converged, iterations, maxMarginError: unitMarginError(dims, weights), cappedUnits };
  if (!converged && failure !== null) result.fallback = `${failure}; fell back to post-stratification on dimension 0`;
  return result;
}
