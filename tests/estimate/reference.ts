/**
 * Loads the shared reference values (design/statistics.md §9) from the
 * fixtures folder, without copying them into the repository.
 */
import { readFileSync } from 'node:fs';

// The fixture is plain JSON checked by two independent implementations; its shape is read loosely here.
export const ref: any = JSON.parse(
  readFileSync(new URL('../../../shared/fixtures/statistics/reference-values.json', import.meta.url), 'utf8'),
);

/** Values in the fixture are rounded to 6 decimals. */
export const TOL = 1e-6;

/** Asserts every element of `got` is within `tol` of `want`, with a readable message. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = TOL, label = ''): void {
  if (got.length !== want.length) throw new Error(`${label}: length ${got.length} != ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= tol)) throw new Error(`${label}[${i}]: got ${got[i]}, want ${want[i]} (|diff| ${d} > ${tol})`);
  }
}

/** "x/n" keys of the interval tables. */
export function parseKey(key: string): [number, number] {
  const [x, n] = key.split('/').map(Number);
  return [x!, n!];
}
