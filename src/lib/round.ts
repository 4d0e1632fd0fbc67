/** Rounds for published figures (6 decimals by default), never writing -0, so output bytes stay stable. */
export function round(v: number, digits = 6): number {
  const f = 10 ** digits;
  const r = Math.round(v * f) / f;
  return Object.is(r, -0) ? 0 : r;
}
