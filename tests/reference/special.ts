/**
 * Special functions needed by the exact intervals and exact coverage:
 * log-gamma, the regularized incomplete beta function and its inverse (beta
 * quantile), and the Stirling-error and deviance terms of Loader's binomial
 * probabilities.
 */

const HALF_LN_2PI = 0.91893853320467274178;

/**
 * ln Γ(x) for x > 0, relative error ~1e-15. Arguments below 10 are shifted up
 * with Γ(x+1) = xΓ(x) so the Stirling series is only used where it converges fast.
 */
function lnGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  if (x === Infinity) return Infinity;
  let shift = 0;
  let prod = 1;
  while (x < 10) {
    prod *= x;
    x += 1;
    shift += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  // Stirling series up to the 1/x^11 term: truncation error < 1e-14 at x >= 10.
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188 - r2 * (691 / 360360))))));
  const lg = (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + series;
  return shift === 0 ? lg : lg - Math.log(prod);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0. */
function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/**
 * Continued fraction for the incomplete beta (modified Lentz), valid and fast
 * for x < (a + 1)/(a + b + 2); converges in O(√max(a, b)) terms.
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const EPS = 1e-16;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) for a, b > 0 and x in [0, 1];
 * absolute error ~1e-14 or better even for a, b in the tens of thousands.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = a * Math.log(x) + b * Math.log1p(-x) - lnBeta(a, b);
  const front = Math.exp(lnFront);
  // Use the continued fraction on the side where it converges quickly.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Beta(a, b) quantile: the x in [0, 1] with I_x(a, b) = p, by bisection until
 * the bracket is at the resolution of a double (absolute error well below 1e-12).
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1) || !(a > 0 && b > 0)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 1100; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break; // bracket can no longer shrink
    if (regularizedBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
    // Stop once the bracket is narrower than a few ulps of its upper end.
    if (hi - lo <= 4e-16 * hi) break;
  }
  return 0.5 * (lo + hi);
}

/**
 * Stirling's-series error ln n! − [(n + ½)ln n − n + ln√(2π)], accurate to
 * ~1e-16 absolute, so binomial probabilities avoid cancelling large log-gammas
 * (Loader 2000, "Fast and accurate computation of binomial probabilities").
 */
export function stirlingError(n: number): number {
  if (n <= 15) return lnGamma(n + 1) - (n + 0.5) * Math.log(n) + n - HALF_LN_2PI;
  const nn = 1 / (n * n);
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  if (n > 500) return (S0 - S1 * nn) / n;
  if (n > 80) return (S0 - (S1 - S2 * nn) * nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 * nn) * nn) * nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 * nn) * nn) * nn) * nn) / n;
}

/**
 * Deviance term x·ln(x/m) + m − x, computed without cancellation when x is
 * close to m (Loader 2000).
 */
export function binomialDeviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}
