/** The site data's one rounding policy (src/sitedata/write.ts): figures are rounded as they are written. */
import { describe, expect, it } from 'vitest';
import { figure, FIGURE_DIGITS, N_EFF_DIGITS, quantileFigure } from '../../src/sitedata/figures.ts';
import { stableJson } from '../../src/sitedata/json.ts';

describe('figures as written', () => {
  it('rounds fractions to 6 decimals, keeps whole numbers, never writes -0', () => {
    expect(FIGURE_DIGITS).toBe(6);
    expect(figure(2 / 3)).toBe(0.666667);
    expect(figure(0.00019999999999997797)).toBe(0.0002);
    expect(figure(1e-7)).toBe(0);
    expect(Object.is(figure(-1e-9), 0)).toBe(true);
    expect(figure(-0.0123456789)).toBe(-0.012346);
    // Whole numbers up to 2^53 - 1 stay exact (a counter sum is not scaled by 10^6).
    expect(figure(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(figure(1234.56, N_EFF_DIGITS)).toBe(1234.6);
  });

  it('writes histogram quantiles to 3 significant digits (they are within 9.05%), whole counts below 1000 as they are', () => {
    expect(quantileFigure(Math.sqrt(8 * 9))).toBe(8.49);
    expect(quantileFigure(7)).toBe(7);
    expect(quantileFigure(Math.sqrt(32 * 38))).toBe(34.9);
    expect(quantileFigure(Math.sqrt(2896 * 3443))).toBe(3160);
    expect(quantileFigure(Math.sqrt(2 ** 52 * 2 ** 52.25))).toBe(4.91e15);
    expect(quantileFigure(null)).toBeNull();
  });

  it('applies to every number stableJson writes, at any depth', () => {
    expect(stableJson({ b: [1 / 3, { c: 2 / 3 }], a: 9007199254740991, d: -0, e: Number.NaN })).toBe(
      '{"a":9007199254740991,"b":[0.333333,{"c":0.666667}],"d":0,"e":null}',
    );
  });
});
