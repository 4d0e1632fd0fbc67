/**
 * Comparison helpers for the statistics reference values
 * (tests/estimate/fixtures/reference-values.ts, with the source of each).
 */

/** Values in the fixture are rounded to 6 decimals. */
const TOL = 1e-6;

/** Asserts every element of `got` is within `tol` of `want`, with a readable message. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = TOL, label = ''): void {
  if (got.length !== want.length) throw new Error(`${label}: length ${got.length} != ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= tol)) throw new Error(`${label}[${i}]: got ${got[i]}, want ${want[i]} (|diff| ${d} > ${tol})`);
  }
}

/** Within half a unit of the last printed digit: a published figure given to `decimals` places. */
export function expectPrinted(got: ArrayLike<number>, printed: ArrayLike<number>, decimals: number, label = ''): void {
  expectClose(got, printed, 0.5 * 10 ** -decimals + 1e-12, label);
}
