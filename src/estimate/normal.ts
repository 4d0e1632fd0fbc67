/**
 * The standard normal distribution: CDF, upper tail and quantile, accurate to
 * close to double precision so that small two-sided p-values and the z
 * constants of docs/methodology.md reproduce the reference values.
 *
 * The CDF uses W. J. Cody's rational Chebyshev approximations for erf/erfc
 * (Math. Comp. 1969, as in Netlib SPECFUN CALERF), whose relative error is
 * near machine precision over the whole range, including the far tail.
 * The quantile is Wichura's algorithm AS 241 (PPND16, relative error ~1e-16).
 */

// Cody's coefficients: erf on |x| <= 0.46875 (A/B), erfc on (0.46875, 4] (C/D), erfc on (4, inf) (P/Q).
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153] as const;
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062] as const;
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058, 2051.07837782607147,
  1230.33935479799725, 2.15311535474403846e-8,
] as const;
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164,
  1230.33935480374942,
] as const;
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978] as const;
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185] as const;
const SQRPI = 0.56418958354775628695; // 1/sqrt(pi)
const XBIG = 26.543; // erfc(x) underflows to 0 beyond this

/** erf(x) for |x| <= 0.46875, where a direct rational form avoids cancellation. */
function erfSmall(x: number): number {
  const ysq = Math.abs(x) > 1.11e-16 ? x * x : 0;
  let xnum = A[4] * ysq;
  let xden = ysq;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + A[i]!) * ysq;
    xden = (xden + B[i]!) * ysq;
  }
  return (x * (xnum + A[3])) / (xden + B[3]);
}

/** erfc(y) for y > 0.46875. */
function erfcLarge(y: number): number {
  let r: number;
  if (y <= 4) {
    let xnum = C[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y;
      xden = (xden + D[i]!) * y;
    }
    r = (xnum + C[7]) / (xden + D[7]);
  } else {
    if (y >= XBIG) return 0;
    const ysq = 1 / (y * y);
    let xnum = P[5] * ysq;
    let xden = ysq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]!) * ysq;
      xden = (xden + Q[i]!) * ysq;
    }
    r = (ysq * (xnum + P[4])) / (xden + Q[4]);
    r = (SQRPI - r) / y;
  }
  // exp(-y^2) split as exp(-ysq^2) * exp(-del) so the rounding of y^2 does not
  // cost relative accuracy in the tail.
  const ysq = Math.trunc(16 * y) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del) * r;
}

/** The error function erf(x), relative error near machine precision. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return erfSmall(x);
  const r = 1 - erfcLarge(y);
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), with full relative accuracy for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

/** Standard normal CDF Φ(x), with full relative accuracy in the lower tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal upper tail 1 − Φ(x), computed directly (no cancellation) so tiny tails stay accurate. */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Two-sided p-value 2·(1 − Φ(|z|)) of a standard normal statistic, accurate for small p. */
export function twoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

// AS 241 (Wichura 1988) coefficients for the central region, intermediate tail and far tail.
const A241 = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853,
  33430.575583588128105, 2509.0809287301226727,
] as const;
const B241 = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674,
  5226.495278852854561,
] as const;
const C241 = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177,
  0.0227238449892691845833, 7.7454501427834140764e-4,
] as const;
const D241 = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4,
  1.05075007164441684324e-9,
] as const;
const E241 = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386,
  2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const;
const F241 = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7,
  2.04426310338993978564e-15,
] as const;

function poly(c: readonly number[], x: number): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i]!;
  return s;
}

/**
 * Tail branch of AS 241: the quantile of a lower-tail probability r <= 0.5,
 * returned as a positive number (the caller applies the sign).
 */
function tailQuantile(r: number): number {
  let s = Math.sqrt(-Math.log(r));
  if (s <= 5) {
    s -= 1.6;
    return poly(C241, s) / poly(D241, s);
  }
  s -= 5;
  return poly(E241, s) / poly(F241, s);
}

/**
 * Standard normal quantile Φ⁻¹(p) (AS 241), relative accuracy ~1e-16.
 * Returns −Infinity at p = 0, +Infinity at p = 1 and NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A241, r)) / poly(B241, r);
  }
  const z = tailQuantile(q < 0 ? p : 1 - p);
  return q < 0 ? -z : z;
}

/**
 * The z with upper-tail probability `tail` (z = Φ⁻¹(1 − tail)), computed from
 * `tail` itself so that tiny tails (e.g. α/(2k) for Goodman) lose no precision.
 */
export function normalQuantileUpper(tail: number): number {
  if (!(tail >= 0 && tail <= 1)) return NaN;
  if (tail === 0) return Infinity;
  if (tail < 0.075) return tailQuantile(tail); // 0.5 - 0.425 = 0.075: AS 241's tail branch
  return -normalQuantile(tail);
}

/** Two-sided critical value z_{1−α/2} for confidence level `conf` in (0, 1). */
export function zForConfidence(conf: number): number {
  if (!(conf > 0 && conf < 1)) throw new RangeError(`confidence must be in (0, 1), got ${conf}`);
  return normalQuantileUpper((1 - conf) / 2);
}

/** z_{0.975} = 1.959963984540054, the 95% two-sided critical value. */
export const z95: number = zForConfidence(0.95);

/** z_{0.995} = 2.5758293035489004, the 99% two-sided critical value. */
export const z99: number = zForConfidence(0.99);
